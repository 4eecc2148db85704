/**
 * The rules of a Quiddler turn that the engine, the services and the page all
 * follow, in one place: how big a hand is, what makes a word, how a round scores.
 */
/** A word is laid down with at least this many cards (a double-letter card counts once). */
export const MIN_WORD_CARDS = 2;

/** Rounds deal 3 cards in the first and one more each round, up to 10 in the last. */
export const ROUND_SIZES = { first: 3, last: 10 } as const;

/** The cards the advice accepts in a hand: any 1 up to the last round's size (a hand met mid-turn may be short). */
export const HAND_LIMITS = { min: 1, max: ROUND_SIZES.last } as const;

/**
 * A round's score: the points of the cards laid down in words, less the
 * points of the cards left unused; on tables that play "never below zero",
 * clamped at 0.
 */
export function roundScore(wordPoints: number, unusedPoints: number, clampAtZero = false): number {
  const score = wordPoints - unusedPoints;
  return clampAtZero ? Math.max(0, score) : score;
}
