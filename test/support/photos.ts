/** The real photos in ../shared/real-photos and their labels (read in place, never copied). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCards, type Card } from '../../api/src/cards.js';

export const PHOTO_DIR = fileURLToPath(new URL('../../../shared/real-photos/', import.meta.url));
export const LABELS_PATH = PHOTO_DIR + 'labels.json';

/** Whether ../shared/real-photos is beside the clone (CI has it; a plain clone may not). */
export const HAVE_REAL_PHOTOS = existsSync(LABELS_PATH);
/** The `skip` option of a test that reads the real photos: false when they are here, else the reason it is skipped. */
export const NEEDS_REAL_PHOTOS: false | string = HAVE_REAL_PHOTOS ? false : '../shared/real-photos is absent (a clone without the shared test data)';

export interface LabelledPhoto {
  name: string;
  kind: 'hand' | 'deck';
  cards: Card[];
  bytes: Buffer;
}

/** The labelled real photos; none when ../shared is absent (their tests skip). */
export function realPhotos(): LabelledPhoto[] {
  if (!HAVE_REAL_PHOTOS) return [];
  const labels = JSON.parse(readFileSync(LABELS_PATH, 'utf8')) as {
    photos: Record<string, { kind: 'hand' | 'deck'; cards: string[] }>;
  };
  return Object.entries(labels.photos).map(([name, { kind, cards }]) => ({
    name,
    kind,
    cards: parseCards(cards),
    bytes: readFileSync(PHOTO_DIR + name),
  }));
}

/**
 * Real photos the shipped model does not read right yet, and why: their tests
 * stay `todo` (they run and report, but do not fail) until a model reads them.
 * Written by hand when a model ships, never read from the model card.
 */
export const NOT_YET_READ: Readonly<Record<string, string>> = {};
