/** Compares readings with labelled truth (pure). */
import type { Card } from '../cards.js';

export interface PhotoScore {
  photo: string;
  truth: Card[];
  read: Card[];
  /**
   * Cards read right and in order along the fan: the longest run of the truth
   * the reading keeps in order (a card missed or added shifts no other card).
   */
  correct: number;
  allRight: boolean;
}

export function scorePhoto(photo: string, truth: readonly Card[], read: readonly Card[]): PhotoScore {
  const correct = inOrder(truth, read);
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

/** The length of the longest common subsequence of two card lists. */
function inOrder(truth: readonly Card[], read: readonly Card[]): number {
  let previous = new Array<number>(read.length + 1).fill(0);
  for (const card of truth) {
    const row = [0];
    for (let j = 0; j < read.length; j++) row.push(card === read[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!));
    previous = row;
  }
  return previous[read.length]!;
}
