/**
 * A photo's reading as the wire contract's PhotoReadingJson. Pure: the
 * server's reading service and the page's on-device reader build the same
 * answer from the same reading.
 */
import type { PhotoReading } from '../vision/photo-reading.js';
import type { PhotoReadingJson } from './contract.js';

export type PhotoKind = 'hand' | 'deck';
export const PHOTO_KINDS: readonly PhotoKind[] = ['hand', 'deck'];

/** The count a photo is read with as a hint: a deck photo shows one card; a hand photo, what the player said (if anything). */
export function photoHint(kind: PhotoKind, handCount: number | undefined): number | undefined {
  return kind === 'deck' ? 1 : handCount;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function photoJson({ reading, image, hint }: { reading: PhotoReading; image?: string; hint?: number }): PhotoReadingJson {
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
    mirrored: reading.mirrored,
    ...(reading.region ? { region: reading.region } : {}),
    ...(reading.advice ? { advice: reading.advice } : {}),
    timing_ms: { decode: round(reading.timing.decodeMs), inference: round(reading.timing.inferenceMs) },
    ...(image ? { image } : {}),
  };
}
