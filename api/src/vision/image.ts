/** Decodes any photo into the detector's input: RGB floats in 0..1, channels first. */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { loadConfig } from '../config.js';

/** Photos are shrunk so their long side is at most this before detection (the model works at 640). */
export const MODEL_LONG_SIDE = 640;
/** The model scales its input so the short side is 480, unless that takes the long side past 640. */
export const MODEL_SHORT_SIDE = 480;

/** The scale the model reads a width × height input at (torchvision's resize inside the ONNX graph). */
export function modelScale(width: number, height: number): number {
  return Math.min(MODEL_SHORT_SIDE / Math.min(width, height), MODEL_LONG_SIDE / Math.max(width, height));
}

export class ImageDecodeError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

/** A photo decoded at the detector's size. */
export interface DecodedPhoto {
  /** 8-bit RGB, row by row: the one decoded copy, reused to draw the marked-up photo. */
  rgb: Buffer;
  width: number;
  height: number;
  /** The photo's size after its EXIF orientation is applied: boxes are reported in these pixels. */
  originalWidth: number;
  originalHeight: number;
}

export interface ModelInput extends DecodedPhoto {
  /** The same pixels as [3, height, width] floats in 0..1. */
  tensor: Float32Array;
}

/**
 * JPEG, PNG, WebP, GIF (first frame), TIFF or AVIF of any size: EXIF rotation
 * applied, alpha flattened onto white, grey expanded to RGB.
 */
export async function decodeForModel(bytes: Uint8Array, maxPixels = loadConfig().maxImagePixels): Promise<ModelInput> {
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
  const scale = Math.min(1, MODEL_LONG_SIDE / Math.max(width, height));
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
  const plane = info.width * info.height;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0, p = 0; p < plane; p++, i += info.channels) {
    tensor[p] = data[i]! / 255;
    tensor[plane + p] = data[i + 1]! / 255;
    tensor[2 * plane + p] = data[i + 2]! / 255;
  }
  return { tensor, rgb: data, width: info.width, height: info.height, originalWidth: width, originalHeight: height };
}

function classify(error: unknown, maxPixels: number): ImageDecodeError {
  const message = (error as Error).message ?? String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageDecodeError('too_large', `the image is over ${maxPixels / 1e6} megapixels`);
  }
  return new ImageDecodeError('unsupported', `not a supported image (JPEG, PNG, WebP, GIF, TIFF, AVIF): ${message}`);
}
