import { createHash } from 'node:crypto';
import { IMAGE_TOOLS, startImagesPool, type PoolHandle } from '../../../examples/pools';
import { allText, connectLegacy, firstText } from '../support';

type ImageResult = { content: Array<{ type: string; data?: string; mimeType?: string; text?: string }> };

/** Width and height from a PNG's IHDR chunk, read independently of the pool's decoder. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('images example pool (SDK v1, stateless)', () => {
  let pool: PoolHandle;
  beforeAll(async () => {
    pool = await startImagesPool({ port: 0 });
  });
  afterAll(() => pool.close());

  test('GIVEN a generated image WHEN it is thumbnailed and measured THEN each step computes from the real pixels', async () => {
    const { client, transport } = await connectLegacy(pool.url);
    try {
      expect(transport.sessionId).toBeUndefined();
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual([...IMAGE_TOOLS]);

      const generated = (await client.callTool({ name: 'image_generate', arguments: { width: 300, height: 200, pattern: 'checkerboard' } })) as ImageResult;
      const image = generated.content.find((c) => c.type === 'image')!;
      expect(image.mimeType).toBe('image/png');
      const png = Buffer.from(image.data!, 'base64');
      expect(pngSize(png)).toEqual({ width: 300, height: 200 });
      expect(firstText(generated)).toMatchObject({ width: 300, height: 200, bytes: png.length, sha256: createHash('sha256').update(png).digest('hex') });

      const thumb = (await client.callTool({ name: 'image_thumbnail', arguments: { png_base64: image.data, max_side: 48 } })) as ImageResult;
      const thumbPng = Buffer.from(thumb.content.find((c) => c.type === 'image')!.data!, 'base64');
      expect(pngSize(thumbPng)).toEqual({ width: 48, height: 32 });

      const histogram = firstText(await client.callTool({ name: 'image_histogram', arguments: { png_base64: image.data, bins: 2 } })) as { red: number[]; meanLuminance: number };
      // A checkerboard of 240 and 16 in 37-pixel cells: the dark and light halves are counted exactly.
      expect(histogram.red.reduce((a, b) => a + b)).toBe(300 * 200);
      expect(histogram.red[0]! + histogram.red[1]!).toBe(60_000);
      expect(histogram.red[0]).toBeGreaterThan(25_000);
      expect(histogram.red[1]).toBeGreaterThan(25_000);
      expect(histogram.meanLuminance).toBeGreaterThan(16);
      expect(histogram.meanLuminance).toBeLessThan(240);
    } finally {
      await client.close();
    }
  });

  test('GIVEN the same seed WHEN noise is generated twice THEN the images are identical, and another seed differs', async () => {
    const { client } = await connectLegacy(pool.url);
    try {
      const hash = async (seed: number) => (firstText(await client.callTool({ name: 'image_generate', arguments: { width: 64, height: 64, pattern: 'noise', seed } })) as { sha256: string }).sha256;
      const [a, b, c] = [await hash(7), await hash(7), await hash(8)];
      expect(a).toBe(b);
      expect(a).not.toBe(c);
    } finally {
      await client.close();
    }
  });

  test('GIVEN data that is not a PNG WHEN measured THEN the tool says so', async () => {
    const { client } = await connectLegacy(pool.url);
    try {
      const result = await client.callTool({ name: 'image_histogram', arguments: { png_base64: Buffer.from('GIF89a').toString('base64') } });
      expect(result.isError).toBe(true);
      expect(allText(result)).toBe('not a PNG file (bad signature)');
    } finally {
      await client.close();
    }
  });

  test('GIVEN a stateless pool WHEN a GET stream is asked for THEN 405 with Allow: POST', async () => {
    const response = await fetch(pool.url, { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('GIVEN a running pool WHEN /health is asked THEN it answers 200 after a real ping', async () => {
    const response = await fetch(pool.healthUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', pool: 'images' });
  });
});
