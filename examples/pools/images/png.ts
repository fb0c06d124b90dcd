/**
 * PNG encoding and decoding in plain TypeScript over `node:zlib`: 8-bit, non-interlaced grayscale,
 * gray+alpha, RGB and RGBA, all five scanline filters, CRC-checked chunks. Enough for the image pool's
 * tools to do real work on real files without a native dependency.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** An image as 8-bit RGBA pixels, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Largest side the decoder accepts, so a tiny file cannot claim gigabytes of pixels. */
export const MAX_SIDE = 4096;
/** Channels per pixel for each supported PNG colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes RGBA pixels as a PNG (colour type 6, filter Sub on every row: small and fast). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 1; // Sub: each byte minus the byte one pixel to the left
    for (let x = 0; x < stride; x++) {
      const value = pixels[y * stride + x]!;
      raw[row + 1 + x] = (value - (x >= 4 ? pixels[y * stride + x - 4]! : 0)) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the scanline filters in place, row by row. */
function unfilter(data: Buffer, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[dst + x - bpp]! : 0;
      const up = y > 0 ? out[dst - stride + x]! : 0;
      const upLeft = y > 0 && x >= bpp ? out[dst - stride + x - bpp]! : 0;
      const value = data[src + x]!;
      switch (filter) {
        case 0:
          out[dst + x] = value;
          break;
        case 1:
          out[dst + x] = (value + left) & 0xff;
          break;
        case 2:
          out[dst + x] = (value + up) & 0xff;
          break;
        case 3:
          out[dst + x] = (value + ((left + up) >> 1)) & 0xff;
          break;
        case 4:
          out[dst + x] = (value + paeth(left, up, upLeft)) & 0xff;
          break;
        default:
          throw new Error(`row ${y} has an unknown PNG filter type ${filter}`);
      }
    }
  }
  return out;
}

/**
 * Decodes a PNG into RGBA.
 * @throws Error saying what is wrong or unsupported (bit depth, interlacing, palette, CRC, size).
 */
export function decodePng(file: Uint8Array): RgbaImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < SIGNATURE.length || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  let ended = false;
  while (offset + 12 <= buf.length && !ended) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > buf.length) throw new Error(`PNG chunk ${type} is truncated`);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (crc32(buf.subarray(offset + 4, offset + 8 + length)) !== buf.readUInt32BE(offset + 8 + length)) throw new Error(`PNG chunk ${type} fails its CRC check`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8) throw new Error(`PNG bit depth ${depth} is not supported (only 8)`);
      if (interlace !== 0) throw new Error('interlaced PNGs are not supported');
      channels = CHANNELS[colourType!] ?? 0;
      if (!channels) throw new Error(`PNG colour type ${colourType} is not supported (gray, gray+alpha, RGB, RGBA)`);
      if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) throw new Error(`PNG size ${width}×${height} is outside 1..${MAX_SIDE} per side`);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    }
    offset += 12 + length;
  }
  if (!channels) throw new Error('PNG has no IHDR chunk');
  if (!ended) throw new Error('PNG has no IEND chunk (truncated file?)');
  const stride = width * channels;
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height });
  } catch (error) {
    throw new Error(`PNG image data does not inflate: ${(error as Error).message}`);
  }
  if (inflated.length !== (stride + 1) * height) throw new Error(`PNG image data has ${inflated.length} bytes, expected ${(stride + 1) * height}`);
  const samples = unfilter(inflated, height, stride, channels);
  if (channels === 4) return { width, height, pixels: samples };
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < samples.length; i += channels, j += 4) {
    const gray = channels <= 2;
    pixels[j] = samples[i]!;
    pixels[j + 1] = gray ? samples[i]! : samples[i + 1]!;
    pixels[j + 2] = gray ? samples[i]! : samples[i + 2]!;
    pixels[j + 3] = channels === 2 ? samples[i + 1]! : 255;
  }
  return { width, height, pixels };
}
