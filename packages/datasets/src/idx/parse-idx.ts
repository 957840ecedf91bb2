import { IdxFormatError } from './idx-format-error.js';

/** The element types of the IDX format, by their type code (third byte of the magic number). */
const IDX_TYPES = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
} as const;

/** The element type of an IDX array. */
export type IdxDataType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** The typed array of each {@link IdxDataType} (native byte order). */
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A parsed IDX array: row-major (C order) data and its shape. */
export interface IdxArray {
  readonly dataType: IdxDataType;
  /** The dimensions, outermost first (for MNIST images: count, rows, columns). */
  readonly shape: readonly number[];
  /** The elements in row-major order, converted from big-endian to native numbers. */
  readonly data: IdxData;
}

/** Refuse arrays above 2^31 elements: no IDX data set comes close, and typed arrays cap there. */
const MAXIMUM_ELEMENTS = 2 ** 31 - 1;

/**
 * Parses the IDX format of the MNIST family [lecun1998mnist] (also used by Fashion-MNIST
 * [xiao2017fashion]): a 4-byte magic number `0x00 0x00 type dims`, then `dims` big-endian uint32
 * sizes, then the elements in row-major order, big-endian. Type codes: 0x08 uint8, 0x09 int8,
 * 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 *
 * Hostile input is refused before any allocation larger than the input: the element count is
 * checked against the bytes actually present.
 *
 * @param bytes - The decompressed file content.
 * @param options.source - A name for error messages (a file path). @default 'buffer'
 * @throws {@link IdxFormatError} for anything that is not a complete, consistent IDX array.
 * @example
 * ```ts
 * const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
 * const { dataType, shape, data } = parseIdx(bytes);
 * // 'uint8', [2, 3], Uint8Array [1, 2, 3, 4, 5, 6]
 * ```
 */
export function parseIdx(
  bytes: Uint8Array,
  { source = 'buffer' }: { source?: string } = {},
): IdxArray {
  const fail = (message: string): never => {
    throw new IdxFormatError({ source, message });
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the bytes as a Uint8Array');
  if (bytes.byteLength < 4) fail(`${bytes.byteLength} bytes, shorter than the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== 0)
    fail(
      `the magic number must start with two zero bytes (got ${view.getUint8(0)}, ${view.getUint8(1)}); a gzipped file must be decompressed first`,
    );
  const code = view.getUint8(2);
  const type = IDX_TYPES[code as keyof typeof IDX_TYPES];
  if (type === undefined) fail(`unknown type code 0x${code.toString(16).padStart(2, '0')}`);
  const dimensions = view.getUint8(3);
  if (dimensions === 0) fail('zero dimensions');
  const headerBytes = 4 + 4 * dimensions;
  if (bytes.byteLength < headerBytes)
    fail(
      `${bytes.byteLength} bytes, shorter than the ${headerBytes}-byte header of ${dimensions} dimensions`,
    );
  const shape: number[] = [];
  let count = 1;
  for (let k = 0; k < dimensions; k += 1) {
    const size = view.getUint32(4 + 4 * k, false);
    if (size === 0) fail(`dimension ${k} is 0`);
    shape.push(size);
    count *= size;
    if (count > MAXIMUM_ELEMENTS)
      fail(`more than 2^31 - 1 elements (shape starts ${shape.join(' x ')})`);
  }
  const { name, bytes: width } = type as (typeof IDX_TYPES)[keyof typeof IDX_TYPES];
  const expected = headerBytes + count * width;
  if (bytes.byteLength !== expected) {
    fail(
      `shape ${shape.join(' x ')} of ${name} needs ${expected} bytes, the input has ${bytes.byteLength}${bytes.byteLength < expected ? ' (truncated)' : ' (trailing bytes)'}`,
    );
  }
  return { dataType: name, shape, data: readElements(view, headerBytes, count, name, bytes) };
}

/** Big-endian elements to a native typed array (uint8 / int8 are copied as they are). */
function readElements(
  view: DataView,
  offset: number,
  count: number,
  name: IdxDataType,
  bytes: Uint8Array,
): IdxData {
  switch (name) {
    case 'uint8':
      return bytes.slice(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.slice(offset, offset + count).buffer);
    case 'int16': {
      const out = new Int16Array(count);
      for (let k = 0; k < count; k += 1) out[k] = view.getInt16(offset + 2 * k, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let k = 0; k < count; k += 1) out[k] = view.getInt32(offset + 4 * k, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let k = 0; k < count; k += 1) out[k] = view.getFloat32(offset + 4 * k, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let k = 0; k < count; k += 1) out[k] = view.getFloat64(offset + 8 * k, false);
      return out;
    }
  }
}
