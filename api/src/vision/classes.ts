import { CARD_TABLE, CARDS, type Card } from '../cards.js';

/** A detector label names a card and which way up its corner index is. */
export type Orientation = 'upright' | 'rotated';

export interface DetectorClasses {
  /** labels[i] is the name of label i; label 0 is the background. */
  labels: string[];
  cards: { token: Card; points: number; copies: number }[];
}

export const ROTATED_SUFFIX = '@180';

/** The class list, derived from the card table so the two cannot drift. */
export function detectorClasses(): DetectorClasses {
  return {
    labels: ['__background__', ...CARDS, ...CARDS.map((card) => card + ROTATED_SUFFIX)],
    cards: CARD_TABLE.map(([token, points, copies]) => ({ token, points, copies })),
  };
}

/** Maps a detector label id to its card and orientation. */
export function decodeLabel(label: number): { card: Card; orientation: Orientation } | undefined {
  if (label >= 1 && label <= CARDS.length) return { card: CARDS[label - 1]!, orientation: 'upright' };
  const rotated = label - 1 - CARDS.length;
  if (rotated >= 0 && rotated < CARDS.length) return { card: CARDS[rotated]!, orientation: 'rotated' };
  return undefined;
}

/** The label of the same corner seen turned a half turn (upright ↔ rotated 180°); the background stays. */
export function halfTurnedLabel(label: number): number {
  if (label < 1 || label > 2 * CARDS.length) return label;
  return label <= CARDS.length ? label + CARDS.length : label - CARDS.length;
}
