/** Decodes any photo into the detector's input: RGB floats in 0..1, channels first. */
import { DomainError } from '../errors.js';
import sharp, { type OutputInfo, type Sharp } from 'sharp';

/**
 * Photos are decoded at most this long a side: the first look reads them at
 * 640, and far cards are read again from these finer pixels (a 35 % desk shot
 * of a hand in a 1600 px photo still has its corners ~20 px long).
 */
export const WORKING_LONG_SIDE = 1600;

/** A photo that cannot be read: not an image format we read, or too many pixels. */
export class ImageDecodeError extends DomainError {
  constructor(
    readonly reason: 'unsupported' | 'too_large',
    message: string,
  ) {
    super(reason, reason === 'too_large' ? 'image_too_large' : 'unsupported_image', message);
  }
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

/**
 * JPEG, PNG, WebP, GIF (first frame), TIFF or AVIF of any size: EXIF rotation
 * applied, alpha flattened onto white, grey expanded to RGB.
 */
export async function decodePhoto(bytes: Uint8Array, maxPixels: number): Promise<DecodedPhoto> {
  let image: Sharp;
  let width: number;
  let height: number;
  try {
    image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new Error('no image size');
    const turned = (meta.orientation ?? 1) >= 5; // EXIF 5..8 swap width and height
    width = turned ? meta.height : meta.width;
    height = turned ? meta.width : meta.height;
  } catch (error) {
    throw classify(error, maxPixels);
  }
  if (width * height > maxPixels) {
    throw new ImageDecodeError('too_large', `the image is ${width}×${height}, over ${maxPixels / 1e6} megapixels`);
  }
  const scale = Math.min(1, WORKING_LONG_SIDE / Math.max(width, height));
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await image
      .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw classify(error, maxPixels);
  }
  const { data, info } = raw;
  return { rgb: data, width: info.width, height: info.height, originalWidth: width, originalHeight: height };
}

function classify(error: unknown, maxPixels: number): ImageDecodeError {
  const message = (error as Error).message ?? String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageDecodeError('too_large', `the image is over ${maxPixels / 1e6} megapixels`);
  }
  return new ImageDecodeError('unsupported', `not a supported image (JPEG, PNG, WebP, GIF, TIFF, AVIF): ${message}`);
}
