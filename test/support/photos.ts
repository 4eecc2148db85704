/** The real photos in ../shared/real-photos and their labels (read in place, never copied). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCards, type Card } from '../../api/src/cards.js';

export const PHOTO_DIR = fileURLToPath(new URL('../../../shared/real-photos/', import.meta.url));
export const LABELS_PATH = PHOTO_DIR + 'labels.json';

export interface LabelledPhoto {
  name: string;
  kind: 'hand' | 'deck';
  cards: Card[];
  bytes: Buffer;
}

export function realPhotos(): LabelledPhoto[] {
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
 * What the committed model's card (model/model.json, written by
 * scripts/model-card.ts when the model was trained) says it reads in each real
 * photo. A photo the card reads right must stay read right: tests assert it.
 * A photo it does not read right yet is a todo, the aim the README tracks.
 */
export function cardReadsRight(photo: { name: string; cards: readonly string[] }): boolean {
  return modelCard().real_photos?.readings?.[photo.name] === photo.cards.join('/');
}

/** The real cards the model card says the committed model reads right. */
export function cardRealCardsRight(): number {
  return modelCard().real_photos?.cards_right ?? 0;
}

function modelCard(): { real_photos?: { cards_right?: number; readings?: Record<string, string> } } {
  return JSON.parse(readFileSync(new URL('../../model/model.json', import.meta.url), 'utf8'));
}

export const NOT_YET_READ = 'the model card (model/model.json) says the committed model does not read this photo right yet';
