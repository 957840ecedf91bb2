import { deflateSync } from 'node:zlib';

/**
 * A grid of grey images as PNG bytes [png-spec] (8-bit greyscale, colour type 0, no interlace):
 * `rows x columns` tiles of `height x width` pixels, `gap` pixels of white between tiles. Tile
 * `(r, c)` is `images[r][c]`, a row-major float image in `[low, high]` (values outside are
 * clipped; `low` maps to black).
 *
 * @example
 * ```ts
 * await writeFile('grid.png', imageGridPng({ images: [[first, second]], height: 28, width: 28 }));
 * ```
 */
export function imageGridPng({
  images,
  height,
  width,
  low = -1,
  high = 1,
  gap = 2,
}: {
  readonly images: readonly (readonly ArrayLike<number>[])[];
  readonly height: number;
  readonly width: number;
  readonly low?: number;
  readonly high?: number;
  readonly gap?: number;
}): Uint8Array {
  const rows = images.length;
  const columns = Math.max(1, ...images.map((row) => row.length));
  const totalWidth = columns * width + (columns + 1) * gap;
  const totalHeight = rows * height + (rows + 1) * gap;
  // Each scanline starts with its filter type (0: none).
  const raw = new Uint8Array(totalHeight * (totalWidth + 1)).fill(255);
  for (let y = 0; y < totalHeight; y += 1) raw[y * (totalWidth + 1)] = 0;
  for (const [r, row] of images.entries()) {
    for (const [c, image] of row.entries()) {
      for (let y = 0; y < height; y += 1) {
        const line = (gap + r * (height + gap) + y) * (totalWidth + 1) + 1;
        for (let x = 0; x < width; x += 1) {
          const value = ((image[y * width + x] as number) - low) / (high - low);
          const clipped = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
          raw[line + gap + c * (width + gap) + x] = Math.round(255 * clipped);
        }
      }
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, totalWidth);
  view.setUint32(4, totalHeight);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, filter 0, no interlace
  return concatenate([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let k = 0; k < 4; k += 1) out[4 + k] = type.charCodeAt(k);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (polynomial 0xEDB88320), as PNG and zlib use. */
function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
