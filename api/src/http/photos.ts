/** Reads the photos of a cards/play request with the detector, mapping image problems to HTTP errors. */
import { loadConfig } from '../config.js';
import { readPhoto, type Reading } from '../vision/detect.js';
import { ImageDecodeError } from '../vision/image.js';
import { markUp } from '../vision/markup.js';
import type { CardsRequest, PhotoKind } from './cards-request.js';
import { ApiError } from './errors.js';

export interface PhotoResult {
  reading: Reading;
  /** The photo with the cards drawn on it, as a data URL (when asked for). */
  image?: string;
}

export async function readPhotos(request: CardsRequest): Promise<Partial<Record<PhotoKind, PhotoResult>>> {
  const { maxImagePixels } = loadConfig();
  const results: Partial<Record<PhotoKind, PhotoResult>> = {};
  for (const kind of ['hand', 'deck'] as const) {
    const bytes = request.photos[kind];
    if (!bytes) continue;
    const hint = kind === 'deck' ? 1 : request.nCards;
    let reading: Reading;
    try {
      reading = await readPhoto(bytes, hint, maxImagePixels);
    } catch (error) {
      if (error instanceof ImageDecodeError) {
        throw error.reason === 'too_large'
          ? new ApiError(413, 'image_too_large', `"${kind}": ${error.message}`)
          : new ApiError(415, 'unsupported_image', `"${kind}": ${error.message}`);
      }
      throw error;
    }
    const result: PhotoResult = { reading };
    if (request.images) {
      const jpeg = await markUp(reading.image, reading.cards);
      result.image = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    }
    results[kind] = result;
  }
  return results;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function photoJson({ reading, image }: PhotoResult) {
  const tokens = reading.cards.map((c) => c.token);
  return {
    cards: tokens.join('/'),
    tokens,
    details: reading.cards.map((c) => ({ token: c.token, score: Math.round(c.score * 1000) / 1000, box: c.box })),
    width: reading.width,
    height: reading.height,
    // The turns (degrees) the detector looked at the photo with: more than [0] when a card was in doubt,
    // and what those turned views showed ('corners' in doubt, or the whole 'photo' when a card was missing).
    views: reading.views,
    second_look: reading.secondLook,
    timing_ms: { decode: round(reading.timing.decodeMs), inference: round(reading.timing.inferenceMs) },
    ...(image ? { image } : {}),
  };
}
