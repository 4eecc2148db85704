/** Reads the photos of a cards/play request with the detector, mapping image problems to HTTP errors. */
import { loadConfig } from '../config.js';
import { readPhoto, type Reading } from '../vision/detect.js';
import { ImageDecodeError } from '../vision/image.js';
import { markUp } from '../vision/markup.js';
import type { CardsRequest, PhotoKind } from './cards-request.js';
import { ApiError } from './errors.js';

export interface PhotoResult {
  reading: Reading;
  /** The count the player gave as a hint for this photo (a deck photo: 1). */
  hint?: number;
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
    const result: PhotoResult = { reading, ...(hint !== undefined ? { hint } : {}) };
    if (request.images) {
      const jpeg = await markUp(reading.image, reading.cards);
      result.image = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    }
    results[kind] = result;
  }
  return results;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function photoJson({ reading, image, hint }: PhotoResult) {
  const tokens = reading.cards.map((c) => c.token);
  const { count } = reading;
  return {
    cards: tokens.join('/'),
    tokens,
    details: reading.cards.map((c) => ({ token: c.token, score: Math.round(c.score * 1000) / 1000, box: c.box })),
    width: reading.width,
    height: reading.height,
    // The turns (degrees) the detector looked at the photo with: more than [0] when a card was in doubt,
    // and what those turned views showed ('corners' in doubt, or the whole 'photo' when a card was missing).
    // How sure the number of cards is: `maybe` lists the counts the photo may show when it is in doubt,
    // and `fewer_than_hint` says the photo shows fewer cards surely than the count it was sent with.
    count: {
      cards: count.cards,
      sure: count.sure,
      maybe: count.maybe,
      seen: count.seen,
      ...(hint !== undefined ? { hint, fewer_than_hint: count.seen < hint } : {}),
    },
    views: reading.views,
    second_look: reading.secondLook,
    // Quarter turns (clockwise) the photo was read at: a sideways photo stored without its EXIF turn reads at 1 or 3.
    quarter_turns: reading.quarter,
    // The part of the photo read enlarged, [x1, y1, x2, y2], when its cards were small in it.
    ...(reading.region ? { region: reading.region } : {}),
    timing_ms: { decode: round(reading.timing.decodeMs), inference: round(reading.timing.inferenceMs) },
    ...(image ? { image } : {}),
  };
}
