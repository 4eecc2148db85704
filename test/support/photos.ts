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
