/** Compares readings with labelled truth (pure). */
import type { Card } from '../cards.js';

export interface PhotoScore {
  photo: string;
  truth: Card[];
  read: Card[];
  /** Cards read right in their place along the fan. */
  correct: number;
  allRight: boolean;
}

export function scorePhoto(photo: string, truth: readonly Card[], read: readonly Card[]): PhotoScore {
  const correct = truth.filter((card, i) => read[i] === card).length;
  return {
    photo,
    truth: [...truth],
    read: [...read],
    correct,
    allRight: correct === truth.length && read.length === truth.length,
  };
}

export function summarizeScores(scores: readonly PhotoScore[]) {
  const cards = scores.reduce((sum, s) => sum + s.truth.length, 0);
  const correct = scores.reduce((sum, s) => sum + s.correct, 0);
  return {
    photos: scores.length,
    photosAllRight: scores.filter((s) => s.allRight).length,
    cards,
    correct,
    accuracy: cards ? correct / cards : 0,
  };
}
