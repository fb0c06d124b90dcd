/** The image pool's pixel work: pattern generation, area-average thumbnails and histograms. */
import type { RgbaImage } from './png';

export type Pattern = 'gradient' | 'checkerboard' | 'noise';

/** mulberry32: a small seeded generator, so `noise` images are reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateImage(width: number, height: number, pattern: Pattern, seed: number): RgbaImage {
  const pixels = new Uint8Array(width * height * 4);
  const random = seededRandom(seed);
  const cell = Math.max(1, Math.round(Math.min(width, height) / 8));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (pattern === 'gradient') {
        pixels[i] = Math.round((x / Math.max(1, width - 1)) * 255);
        pixels[i + 1] = Math.round((y / Math.max(1, height - 1)) * 255);
        pixels[i + 2] = (seed * 37) & 0xff;
      } else if (pattern === 'checkerboard') {
        const on = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0;
        pixels.fill(on ? 240 : 16, i, i + 3);
      } else {
        pixels[i] = Math.floor(random() * 256);
        pixels[i + 1] = Math.floor(random() * 256);
        pixels[i + 2] = Math.floor(random() * 256);
      }
      pixels[i + 3] = 255;
    }
  }
  return { width, height, pixels };
}

/**
 * Shrinks an image so its longer side is at most `maxSide`, averaging every source pixel that each
 * target pixel covers (box filter). Images already small enough come back unchanged.
 */
export function thumbnail(image: RgbaImage, maxSide: number): RgbaImage {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  if (scale === 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const pixels = new Uint8Array(width * height * 4);
  for (let ty = 0; ty < height; ty++) {
    const y0 = Math.floor((ty * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * image.height) / height));
    for (let tx = 0; tx < width; tx++) {
      const x0 = Math.floor((tx * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * image.width) / width));
      const sum = [0, 0, 0, 0];
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * image.width + x) * 4;
          for (let c = 0; c < 4; c++) sum[c]! += image.pixels[i + c]!;
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const o = (ty * width + tx) * 4;
      for (let c = 0; c < 4; c++) pixels[o + c] = Math.round(sum[c]! / count);
    }
  }
  return { width, height, pixels };
}

export interface Histogram {
  readonly bins: number;
  readonly red: number[];
  readonly green: number[];
  readonly blue: number[];
  /** Rec. 709 luma, 0..255, averaged over all pixels. */
  readonly meanLuminance: number;
}

/** Per-channel histograms with `bins` equal-width bins over 0..255. */
export function histogram(image: RgbaImage, bins: number): Histogram {
  const red = new Array<number>(bins).fill(0);
  const green = new Array<number>(bins).fill(0);
  const blue = new Array<number>(bins).fill(0);
  let luma = 0;
  const { pixels } = image;
  for (let i = 0; i < pixels.length; i += 4) {
    const r = pixels[i]!;
    const g = pixels[i + 1]!;
    const b = pixels[i + 2]!;
    red[(r * bins) >> 8]!++;
    green[(g * bins) >> 8]!++;
    blue[(b * bins) >> 8]!++;
    luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  return { bins, red, green, blue, meanLuminance: Math.round((luma / (pixels.length / 4)) * 100) / 100 };
}
