/** What a photo may cost, checked from its bytes and header before any pixel is decoded (issue 17). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodePhoto, ImageDecodeError, inspectPhoto, MAX_JPEG_SCANS, sniffFormat } from '../../api/src/vision/image.js';
import { flatPng, manyScanJpeg, svgBomb } from '../support/attack.js';

const CAP = 25_000_000;
const refused = (reason: ImageDecodeError['reason'], pattern: RegExp) => (error: unknown) =>
  error instanceof ImageDecodeError && error.reason === reason && pattern.test(error.message);
const flat = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#777' } });

test('only raster photo formats are read: SVG, PDF, HEIC and text are refused from their bytes', async () => {
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(16)]);
  for (const [bytes, pattern] of [
    [svgBomb(), /SVG/],
    [Buffer.from('<?xml version="1.0"?><svg/>'), /SVG/],
    [Buffer.from('%PDF-1.7\n'), /PDF/],
    [heic, /HEIC/],
    [Buffer.from('just text'), /no image format that is read/],
  ] as const) {
    assert.equal(sniffFormat(bytes), undefined);
    await assert.rejects(inspectPhoto(bytes, CAP), refused('unsupported', pattern));
    await assert.rejects(decodePhoto(bytes, CAP), refused('unsupported', pattern));
  }
  for (const format of ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const) {
    const bytes = await flat(40, 30).toFormat(format).toBuffer();
    assert.equal(sniffFormat(bytes), format === 'avif' ? 'heif' : format, format);
    const photo = await decodePhoto(bytes, CAP, { timeoutSeconds: 2 });
    assert.deepEqual([photo.width, photo.height, photo.rgb.length], [40, 30, 40 * 30 * 3], format);
  }
});

test('the header is checked: pixels, aspect, JPEG scans, AVIF size', async () => {
  await assert.rejects(inspectPhoto(flatPng(1, 39_000_000), CAP), refused('too_large', /megapixels/));
  await assert.rejects(inspectPhoto(flatPng(1, 20_000_000), CAP), refused('too_large', /8 times longer than wide/));
  await assert.rejects(inspectPhoto(manyScanJpeg(MAX_JPEG_SCANS + 1), CAP), refused('too_large', /scans/));
  const avif = await flat(4000, 3500).avif({ effort: 0 }).toBuffer();
  await assert.rejects(inspectPhoto(avif, CAP), refused('too_large', /over 12 megapixels/));
});

test('large decodes are told apart from cheap ones: a baseline JPEG shrinks on load, a progressive one does not', async () => {
  const baseline = await flat(6000, 4000).jpeg().toBuffer();
  const progressive = await flat(6000, 4000).jpeg({ progressive: true }).toBuffer();
  const small = await flat(640, 480).png().toBuffer();
  assert.deepEqual(await inspectPhoto(baseline, CAP), { format: 'jpeg', width: 6000, height: 4000, decodedPixels: 6_000_000, heavy: false });
  assert.equal((await inspectPhoto(progressive, CAP)).heavy, true);
  assert.equal((await inspectPhoto(small, CAP)).heavy, false);
  const decoded = await decodePhoto(baseline, CAP);
  assert.deepEqual([decoded.width, decoded.height, decoded.originalWidth, decoded.originalHeight], [1600, 1067, 6000, 4000]);
});

test('deep pixels count: a 16-bit RGBA PNG at the pixel cap decodes to 8 bytes a pixel and is refused', async () => {
  const deep = await sharp({ create: { width: 5000, height: 5000, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
  assert.equal((await sharp(deep).metadata()).depth, 'ushort');
  await assert.rejects(inspectPhoto(deep, CAP), refused('too_large', /decodes to 200 MB/));
  const rgba = await flat(5000, 5000).ensureAlpha().png().toBuffer();
  assert.equal((await inspectPhoto(rgba, CAP)).heavy, true, '8-bit RGBA at the cap is allowed');
});
