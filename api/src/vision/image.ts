/**
 * Decodes a photo into the reader's working copy: 8-bit RGB, at most
 * WORKING_LONG_SIDE a side. Only raster photo formats are read, and what a
 * decode may cost is bounded before it starts: the format is told from the
 * bytes (an SVG or a PDF never reaches a decoder), the header's size is
 * checked against the pixel cap and an aspect limit, and the decode itself
 * shrinks on load, reads sequentially and stops at a time limit.
 */
import { DomainError } from '../errors.js';
import sharp, { type Metadata, type OutputInfo } from 'sharp';

// Each photo is decoded once: libvips' operation cache would only keep decoded pixels alive.
sharp.cache(false);

import { FORMAT_NAMES, refusal, sizeProblem, sniffFormat, type PhotoFormat } from './photo-format.js';
import { WORKING_LONG_SIDE } from './reader.js';

export { MAX_ASPECT, PHOTO_FORMATS, sniffFormat, type PhotoFormat } from './photo-format.js';
export { WORKING_LONG_SIDE };

/** A progressive JPEG is decoded once per scan: real ones have about 10; thousands would make a small file cost minutes. */
export const MAX_JPEG_SCANS = 100;
/** libheif decodes an AVIF whole, at about 18 bytes a pixel and 0.1 s a megapixel: a smaller cap than the other formats. */
export const MAX_AVIF_PIXELS = 12_000_000;
/**
 * Decoders that hold the whole image (interlaced PNG, TIFF strips, GIF) hold
 * it at its own depth: a 16-bit RGBA or float TIFF is 8 to 16 bytes a pixel.
 * At most this many bytes a pixel at the pixel cap, i.e. 8-bit RGBA there.
 */
export const MAX_BYTES_PER_CAP_PIXEL = 4;
const SAMPLE_BYTES: Record<string, number> = {
  uchar: 1,
  char: 1,
  ushort: 2,
  short: 2,
  uint: 4,
  int: 4,
  float: 4,
  complex: 8,
  double: 8,
  dpcomplex: 16,
};
/** Above this many pixels decoded at full size (no shrink-on-load) a decode counts as heavy: heavy ones pass one at a time. */
export const HEAVY_PIXELS = 8_000_000;

/** A photo that cannot be read: not an image format we read, too many pixels, or too slow to decode. */
export class ImageDecodeError extends DomainError {
  constructor(
    readonly reason: 'unsupported' | 'too_large' | 'too_slow',
    message: string,
  ) {
    super(reason === 'unsupported' ? 'unsupported' : 'too_large', CODES[reason], message);
  }
}
const CODES = { unsupported: 'unsupported_image', too_large: 'image_too_large', too_slow: 'image_too_slow' } as const;

/** What the header says, checked: enough to refuse a photo, or to schedule its decode, before decoding it. */
export interface PhotoHeader {
  format: PhotoFormat;
  /** The size after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** Pixels the decoder works through at full size: only a baseline JPEG shrinks on load. */
  decodedPixels: number;
  /** Whether the decode is costly (decodedPixels over HEAVY_PIXELS): the reader lets one such decode run at a time. */
  heavy: boolean;
}

/** A photo decoded at its working size (long side at most WORKING_LONG_SIDE). */
export interface DecodedPhoto {
  /** 8-bit RGB, row by row: the one decoded copy, read by the detector and reused to draw the marked-up photo. */
  rgb: Buffer;
  width: number;
  height: number;
  /** The photo's size after its EXIF orientation is applied: boxes are reported in these pixels. */
  originalWidth: number;
  originalHeight: number;
}

export interface DecodeOptions {
  /** The header from inspectPhoto, when the caller already has it. */
  header?: PhotoHeader;
  /** libvips stops the decode after this many whole seconds (0: no limit). */
  timeoutSeconds?: number;
}

/**
 * The header, checked: a photo format (told from the bytes, and agreed by the
 * decoder), at most `maxPixels` (AVIF: MAX_AVIF_PIXELS) and as many bytes
 * decoded as 8-bit RGBA there, at most MAX_ASPECT times longer than wide, and
 * a JPEG of at most MAX_JPEG_SCANS scans.
 * Reads no pixels: cheap enough to run before a request waits for the reader.
 */
export async function inspectPhoto(bytes: Uint8Array, maxPixels: number): Promise<PhotoHeader> {
  const format = sniffFormat(bytes);
  if (!format) throw new ImageDecodeError('unsupported', refusal(bytes));
  if (format === 'jpeg') {
    const scans = countJpegScans(bytes);
    if (scans > MAX_JPEG_SCANS) throw new ImageDecodeError('too_large', `the JPEG has ${scans} scans; at most ${MAX_JPEG_SCANS} are read`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, inputOptions(maxPixels)).metadata();
  } catch (error) {
    throw classify(error, maxPixels);
  }
  if (meta.format !== format) throw new ImageDecodeError('unsupported', `the image is not a readable ${format.toUpperCase()}`);
  if (format === 'heif' && meta.compression !== 'av1') throw new ImageDecodeError('unsupported', 'only AVIF is read of the HEIF family; send a JPEG');
  const { width, height } = meta.autoOrient ?? meta;
  if (!width || !height) throw new ImageDecodeError('unsupported', 'the image has no size');
  const cap = format === 'heif' ? Math.min(maxPixels, MAX_AVIF_PIXELS) : maxPixels;
  const oversize = sizeProblem(width, height, cap);
  if (oversize) throw new ImageDecodeError('too_large', oversize);
  const decodedBytes = width * height * (meta.channels ?? 4) * (SAMPLE_BYTES[meta.depth ?? ''] ?? 16);
  if (decodedBytes > MAX_BYTES_PER_CAP_PIXEL * maxPixels) {
    throw new ImageDecodeError(
      'too_large',
      `the image decodes to ${(decodedBytes / 1e6).toFixed(0)} MB; at most ${(MAX_BYTES_PER_CAP_PIXEL * maxPixels) / 1e6} MB`,
    );
  }
  const shrink = format === 'jpeg' && !meta.isProgressive ? jpegShrink(Math.max(width, height)) : 1;
  const decodedPixels = Math.ceil(width / shrink) * Math.ceil(height / shrink);
  return { format, width, height, decodedPixels, heavy: decodedPixels > HEAVY_PIXELS };
}

/**
 * JPEG, PNG, WebP, GIF (first frame), TIFF (first page) or AVIF: checked as
 * inspectPhoto does, then decoded with the EXIF rotation applied, alpha
 * flattened onto white, grey expanded to RGB, at the working size.
 */
export async function decodePhoto(bytes: Uint8Array, maxPixels: number, { header, timeoutSeconds = 0 }: DecodeOptions = {}): Promise<DecodedPhoto> {
  const { width, height } = header ?? (await inspectPhoto(bytes, maxPixels));
  const scale = Math.min(1, WORKING_LONG_SIDE / Math.max(width, height));
  let raw: { data: Buffer; info: OutputInfo };
  try {
    // Resizing in the same pipeline lets libjpeg and libwebp decode at the smaller size (shrink-on-load).
    raw = await sharp(bytes, inputOptions(maxPixels))
      .timeout({ seconds: timeoutSeconds })
      .rotate()
      .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw classify(error, maxPixels, timeoutSeconds);
  }
  const { data, info } = raw;
  return { rgb: data, width: info.width, height: info.height, originalWidth: width, originalHeight: height };
}

const inputOptions = (maxPixels: number) => ({ limitInputPixels: Math.floor(maxPixels), sequentialRead: true, failOn: 'error' as const });

/** The largest DCT scaling (1, 2, 4 or 8) that keeps the long side at least WORKING_LONG_SIDE: what libjpeg decodes at. */
function jpegShrink(longSide: number): number {
  let shrink = 1;
  while (shrink < 8 && longSide / (shrink * 2) >= WORKING_LONG_SIDE) shrink *= 2;
  return shrink;
}

/** Start-of-scan markers: inside entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker, so each FF DA is a scan. */
function countJpegScans(bytes: Uint8Array): number {
  let scans = 0;
  for (let i = bytes.indexOf(0xff); i !== -1 && i < bytes.length - 1; i = bytes.indexOf(0xff, i + 1)) {
    if (bytes[i + 1] === 0xda) scans++;
  }
  return scans;
}

function classify(error: unknown, maxPixels: number, timeoutSeconds = 0): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error;
  const message = (error as Error).message ?? String(error);
  if (/pixel limit/i.test(message)) return new ImageDecodeError('too_large', `the image is over ${maxPixels / 1e6} megapixels`);
  if (/timeout/i.test(message)) {
    return new ImageDecodeError('too_slow', `the image took over ${timeoutSeconds} s to decode; send a smaller photo (a JPEG reads fastest)`);
  }
  // The decoder's own words are kept short: they can quote the input.
  return new ImageDecodeError('unsupported', `not a readable image (${FORMAT_NAMES}): ${message.slice(0, 120)}`);
}
