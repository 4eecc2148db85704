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
import type { PhotoReadingJson } from './contract.js';

export type PhotoKind = 'hand' | 'deck';
export const PHOTO_KINDS: readonly PhotoKind[] = ['hand', 'deck'];

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

/** The options beside the photos: `n_cards` (a JSON integer, or digits in a form or query) and `images`. */
export function parseReadOptions(fields: Record<string, unknown>): Pick<ReadRequest, 'nCards' | 'images'> {
  return { nCards: readCount(fields.n_cards), images: readFlag(fields.images) };
}

export async function readPhotos(request: ReadRequest, settings: Settings): Promise<Partial<Record<PhotoKind, PhotoResult>>> {
  const results: Partial<Record<PhotoKind, PhotoResult>> = {};
  for (const kind of PHOTO_KINDS) {
    const bytes = request.photos[kind];
    if (!bytes) continue;
    const hint = kind === 'deck' ? 1 : request.nCards;
    const reading = await readPhoto(bytes, { expectedCount: hint, settings });
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

export function photoJson({ reading, image, hint }: PhotoResult): PhotoReadingJson {
  const tokens = reading.cards.map((c) => c.token);
  const { count } = reading;
  return {
    cards: tokens.join('/'),
    tokens,
    details: reading.cards.map((c) => ({ token: c.token, score: Math.round(c.score * 1000) / 1000, box: c.box })),
    count: {
      cards: count.cards,
      sure: count.sure,
      maybe: count.maybe,
      seen: count.seen,
      ...(hint !== undefined ? { hint, fewer_than_hint: count.seen < hint } : {}),
    },
    width: reading.width,
    height: reading.height,
    views: reading.views,
    second_look: reading.secondLook,
    quarter_turns: reading.quarter,
    ...(reading.region ? { region: reading.region } : {}),
    timing_ms: { decode: round(reading.timing.decodeMs), inference: round(reading.timing.inferenceMs) },
    ...(image ? { image } : {}),
  };
}

function readCount(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 10) return number;
  throw invalid('invalid_n_cards', `"n_cards" must be an integer from 1 to 10, got ${JSON.stringify(value)}`);
}

function readFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw invalid('invalid_option', '"images" must be true or false');
}
