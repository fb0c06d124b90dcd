import { deflateSync } from 'node:zlib';
import { decodePng, encodePng } from '../../../examples/pools/images/png';
import { generateImage, histogram, thumbnail } from '../../../examples/pools/images/render';

/** The widely used 1×1 transparent PNG (gray+alpha), made by another encoder. */
const EXTERNAL_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('PNG codec', () => {
  test('GIVEN RGBA pixels WHEN encoded and decoded THEN every byte comes back', () => {
    const image = generateImage(37, 23, 'noise', 42);
    const decoded = decodePng(encodePng(image));
    expect(decoded.width).toBe(37);
    expect(decoded.height).toBe(23);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(image.pixels))).toBe(true);
  });

  test('GIVEN a PNG from another encoder WHEN decoded THEN its gray+alpha pixel becomes RGBA', () => {
    const decoded = decodePng(Buffer.from(EXTERNAL_1X1, 'base64'));
    expect({ width: decoded.width, height: decoded.height, pixels: [...decoded.pixels] }).toEqual({ width: 1, height: 1, pixels: [0, 0, 0, 0] });
  });

  test('GIVEN an RGB PNG using every scanline filter WHEN decoded THEN the filters are undone', () => {
    // Two rows of 2 RGB pixels; rows filtered Up then Paeth, built by hand from known pixel values.
    const rows = [
      [10, 20, 30, 40, 50, 60],
      [15, 25, 35, 45, 55, 65],
    ];
    const paeth = (a: number, b: number, c: number) => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const raw = [2, ...rows[0]!, 4, ...rows[1]!.map((v, x) => (v - paeth(x >= 3 ? rows[1]![x - 3]! : 0, rows[0]![x]!, x >= 3 ? rows[0]![x - 3]! : 0)) & 0xff)];
    const png = handMadePng(2, 2, 2, Buffer.from(raw));
    expect([...decodePng(png).pixels]).toEqual([10, 20, 30, 255, 40, 50, 60, 255, 15, 25, 35, 255, 45, 55, 65, 255]);
  });

  test.each([
    ['a GIF', Buffer.from('GIF89a'), /bad signature/],
    ['a corrupted chunk', corrupt(encodePng(generateImage(4, 4, 'gradient', 1))), /fails its CRC check/],
    ['a truncated file', encodePng(generateImage(4, 4, 'gradient', 1)).subarray(0, 40), /truncated/],
  ])('GIVEN %s WHEN decoded THEN the error says what is wrong', (_name, data, message) => {
    expect(() => decodePng(data)).toThrow(message);
  });
});

describe('pixel work', () => {
  test('GIVEN a 4×2 image WHEN thumbnailed to 2 THEN each target pixel averages its 2×2 source block', () => {
    const pixels = new Uint8Array(4 * 2 * 4);
    [0, 100, 200, 50, 20, 40, 60, 80].forEach((v, i) => pixels.set([v, v, v, 255], i * 4));
    const thumb = thumbnail({ width: 4, height: 2, pixels }, 2);
    expect({ width: thumb.width, height: thumb.height }).toEqual({ width: 2, height: 1 });
    expect(thumb.pixels[0]).toBe(Math.round((0 + 100 + 20 + 40) / 4));
    expect(thumb.pixels[4]).toBe(Math.round((200 + 50 + 60 + 80) / 4));
  });

  test('GIVEN a gradient WHEN histogrammed THEN the counts add up to the pixel count', () => {
    const h = histogram(generateImage(256, 10, 'gradient', 0), 4);
    expect(h.red).toEqual([640, 640, 640, 640]);
    expect(h.blue).toEqual([2560, 0, 0, 0]);
  });
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function handMadePng(width: number, height: number, colourType: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function corrupt(png: Buffer): Buffer {
  const copy = Buffer.from(png);
  copy[copy.length - 20] ^= 0xff;
  return copy;
}
