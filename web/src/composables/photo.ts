/** One photo (the hand or the discard) and the cards read from it, as the player corrects them. */
import { reactive } from 'vue';
import type { CountJson, PhotoReadingJson } from './api';

export type Kind = 'hand' | 'deck';

export interface Chip {
  id: number;
  token: string;
  /** The detector's confidence; null once the player set the card. */
  score: number | null;
  box: [number, number, number, number] | null;
  /** Where a card without a score came from. */
  origin?: 'edited' | 'dealt';
}

export interface PhotoState {
  kind: Kind;
  src: string | null;
  source: 'camera' | 'file' | 'random' | null;
  status: 'empty' | 'reading' | 'done' | 'error';
  error: string;
  /** What "Try again" does after an error: read the photo again, or choose another file (this one was refused). */
  retry: 'read' | 'choose';
  width: number;
  height: number;
  chips: Chip[];
  /** The player's count for this photo, a hint to the reader; null: the reader counts. */
  hint: number | null;
  /** How sure the reader was of the count, as last read. */
  count: CountJson | null;
  /** What would make the photo read better, when the reading left something in doubt. */
  advice: PhotoReadingJson['advice'] | null;
  /** The photo was a mirror image (a selfie view), read mirrored back. */
  mirrored: boolean;
}

let nextId = 1;

export function newPhoto(kind: Kind): PhotoState {
  return reactive({
    kind,
    src: null,
    source: null,
    status: 'empty',
    error: '',
    retry: 'read',
    width: 0,
    height: 0,
    chips: [],
    hint: null,
    count: null,
    advice: null,
    mirrored: false,
  });
}

export function chip(token: string, score: number | null = null, box: Chip['box'] = null, origin?: Chip['origin']): Chip {
  return { id: nextId++, token, score, box, origin: score === null ? (origin ?? 'edited') : undefined };
}

export function applyReading(photo: PhotoState, reading: PhotoReadingJson): void {
  photo.width = reading.width;
  photo.height = reading.height;
  photo.chips = reading.details.map((d) => chip(d.token, d.score, d.box));
  photo.count = reading.count;
  photo.advice = reading.advice ?? null;
  photo.mirrored = reading.mirrored;
  photo.status = 'done';
  photo.error = '';
}
