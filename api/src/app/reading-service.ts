/**
 * The reading service: photos in (bytes, however they arrived), the cards
 * read from each out, as the wire contract's PhotoReadingJson. A hand photo
 * may come with the player's count as a hint; a deck photo is one card.
 * Transport-neutral: every problem is a DomainError.
 */
import type { Settings } from '../settings.js';
import { readPhoto, type Reading } from '../vision/detect.js';
import { markUp } from '../vision/markup.js';
import { PHOTO_KINDS, photoHint, type PhotoKind } from './photo-json.js';
import type { ReadOptions } from './read-options.js';

export { photoJson, PHOTO_KINDS, type PhotoKind } from './photo-json.js';
export { parseReadOptions } from './read-options.js';

export interface ReadRequest extends ReadOptions {
  photos: Partial<Record<PhotoKind, Uint8Array>>;
}

export interface PhotoResult {
  reading: Reading;
  /** The count this photo was read with as a hint (a deck photo: 1). */
  hint?: number;
  /** The photo with the cards drawn on it, as a data URL (when asked for). */
  image?: string;
}

export async function readPhotos(request: ReadRequest, settings: Settings): Promise<Partial<Record<PhotoKind, PhotoResult>>> {
  const results: Partial<Record<PhotoKind, PhotoResult>> = {};
  for (const kind of PHOTO_KINDS) {
    const bytes = request.photos[kind];
    if (!bytes) continue;
    const hint = photoHint(kind, request.nCards);
    const reading = await readPhoto(bytes, { expectedCount: hint, settings, deadlineMs: settings.readTimeoutMs });
    const result: PhotoResult = { reading, ...(hint !== undefined ? { hint } : {}) };
    if (request.images) {
      const jpeg = await markUp(reading.image, reading.cards);
      result.image = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    }
    results[kind] = result;
  }
  return results;
}
