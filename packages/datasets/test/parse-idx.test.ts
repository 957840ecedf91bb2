import { describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdx } from '../src/index.js';

/** Builds IDX bytes by hand from the format's definition (big-endian header and elements). */
function idxBytes(
  code: number,
  shape: number[],
  write: (view: DataView, offset: number) => void,
  elementBytes: number,
) {
  const count = shape.reduce((product, size) => product * size, 1);
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + count * elementBytes);
  const view = new DataView(bytes.buffer);
  view.setUint8(2, code);
  view.setUint8(3, shape.length);
  for (const [k, size] of shape.entries()) view.setUint32(4 + 4 * k, size, false);
  write(view, header);
  return bytes;
}

function expectIdxError(bytes: Uint8Array, pattern: RegExp) {
  let caught: unknown;
  try {
    parseIdx(bytes, { source: 'test.idx' });
  } catch (error) {
    caught = error;
  }
  expect(IdxFormatError.isInstance(caught)).toBe(true);
  expect((caught as Error).message).toMatch(/^cannot read test\.idx as IDX: /);
  expect((caught as Error).message).toMatch(pattern);
}

describe('parseIdx', () => {
  it('reads uint8 images (the MNIST layout: count x rows x columns)', () => {
    const bytes = idxBytes(
      0x08,
      [2, 2, 3],
      (view, offset) => {
        for (let k = 0; k < 12; k += 1) view.setUint8(offset + k, 20 * k);
      },
      1,
    );
    const { dataType, shape, data } = parseIdx(bytes);
    expect(dataType).toBe('uint8');
    expect(shape).toEqual([2, 2, 3]);
    expect([...data]).toEqual(Array.from({ length: 12 }, (_, k) => 20 * k));
  });

  it('converts every big-endian type to native numbers', () => {
    const cases = [
      [0x09, 1, (v: DataView, o: number) => v.setInt8(o, -7), -7, 'int8'],
      [0x0b, 2, (v: DataView, o: number) => v.setInt16(o, -1234, false), -1234, 'int16'],
      [0x0c, 4, (v: DataView, o: number) => v.setInt32(o, -123456789, false), -123456789, 'int32'],
      [0x0d, 4, (v: DataView, o: number) => v.setFloat32(o, 1.5, false), 1.5, 'float32'],
      [0x0e, 8, (v: DataView, o: number) => v.setFloat64(o, Math.PI, false), Math.PI, 'float64'],
    ] as const;
    for (const [code, width, write, value, name] of cases) {
      const { dataType, data } = parseIdx(idxBytes(code, [1], write, width));
      expect(dataType).toBe(name);
      expect(data[0]).toBe(value);
    }
  });

  it('refuses malformed and hostile input with an IdxFormatError, before allocating', () => {
    expectIdxError(new Uint8Array([0, 0, 8]), /shorter than the 4-byte magic number/);
    expectIdxError(new Uint8Array([0x1f, 0x8b, 8, 0]), /two zero bytes.*decompressed/);
    expectIdxError(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), /unknown type code 0x42/);
    expectIdxError(new Uint8Array([0, 0, 8, 0]), /zero dimensions/);
    expectIdxError(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 1]), /shorter than the 12-byte header/);
    expectIdxError(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]), /dimension 0 is 0/);
    // 2^16 x 2^16 x 2^16 elements announced in a 16-byte file: refused from the header alone.
    expectIdxError(
      new Uint8Array([0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]),
      /more than 2\^31 - 1 elements/,
    );
    expectIdxError(
      new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]),
      /needs 11 bytes, the input has 10 \(truncated\)/,
    );
    expectIdxError(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 1, 2]), /trailing bytes/);
  });
});
