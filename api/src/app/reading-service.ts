/**
 * The reading service: photos in (bytes, however they arrived), the cards
 * read from each out, as the wire contract's PhotoReadingJson. A hand photo
 * may come with the player's count as a hint; a deck photo is one card.
 * Transport-neutral: every problem is a DomainError.
 */
import { invalid } from '../errors.js';
import type { Settings } from '../settings.js';
import { readPhoto, type Reading } from '../vision/detect.js';
import { markUp } from '../vision/markup.js';
import { PHOTO_KINDS, photoHint, type PhotoKind } from './photo-json.js';

export { photoJson, PHOTO_KINDS, type PhotoKind } from './photo-json.js';

export interface ReadRequest {
  photos: Partial<Record<PhotoKind, Uint8Array>>;
  /** How many cards the hand photo shows (1..10), when the player said: a hint. */
  nCards?: number;
  /** Whether to return the marked-up photos. */
  images: boolean;
}

export interface PhotoResult {
  reading: Reading;
  /** The count this photo was read with as a hint (a deck photo: 1). */
  hint?: number;
  /** The photo with the cards drawn on it, as a data URL (when asked for). */
  image?: string;
}

/**
 * The options beside the photos: `n_cards` (a JSON integer; digits when the
 * fields came `fromText`, a form or a query string) and `images`.
 */
export function parseReadOptions(
  fields: Record<string, unknown>,
  { fromText = false }: { fromText?: boolean } = {},
): Pick<ReadRequest, 'nCards' | 'images'> {
  return { nCards: readCount(fields.n_cards, fromText), images: readFlag(fields.images) };
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

/** Strict: "5", "0x5", " 5 " or "1e1" in JSON are refused; the message quotes at most a short excerpt of what was sent. */
function readCount(value: unknown, fromText: boolean): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const count = typeof value === 'number' ? value : fromText && typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(count) && count >= 1 && count <= 10) return count;
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : Array.isArray(value)
          ? 'an array'
          : `a value of type ${typeof value}`;
  throw invalid('invalid_n_cards', `"n_cards" must be ${fromText ? 'a whole number' : 'a JSON integer'} from 1 to 10, got ${shown}`);
}

function readFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw invalid('invalid_option', '"images" must be true or false');
}
