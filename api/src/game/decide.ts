/**
 * The turn decision: take the face-up discard or draw an unseen card, which
 * card to drop, and which words to lay down.
 */
import { CARDS, CARD_COPIES, CARD_POINTS, cardIndex, points, type Card } from '../cards.js';
import { DomainError } from '../errors.js';
import { HAND_LIMITS, roundScore } from '../rules.js';
import { CardMultiset, findWordsWithExtraCard } from './card-words.js';
import { CardSolver, compare, pickBest, samePlay, type Play, type SolveOptions } from './solver.js';
import type { WordGraph } from './word-graph.js';

export interface DrawOutcome {
  card: Card;
  /** Copies of this card not in view, out of `unseen`. */
  remaining: number;
  score: number;
  drop: Card;
}

export interface Decision {
  hand: Card[];
  deck: Card;
  /**
   * Whether taking the discard or drawing from the pile is expected to score
   * more. A tie takes the known card, unless the best take would drop that
   * card again: then drawing can only do as well or better.
   */
  action: 'take' | 'draw';
  /** take.score minus draw.expectedScore: positive favours taking. */
  margin: number;
  /** The best play after taking the discard. */
  take: Play;
  draw: { expectedScore: number; unseen: number; outcomes: DrawOutcome[] };
  /** Best plays for the round's bonuses, when they differ from `take`. */
  bonusPlays: { longestWord: Play | null; mostWords: Play | null };
  /** The best play for each other card that could be dropped, best first. */
  alternatives: Play[];
}

/** A turn that breaks the rules or the deck; `code` names the problem for API clients. */
export class GameInputError extends DomainError {
  constructor(code: string, message: string) {
    super('invalid', code, message);
  }
}

/** Checks a hand and deck card against the rules and the 118-card deck. */
export function validateTurn(hand: readonly Card[], deck: Card): void {
  if (hand.length < HAND_LIMITS.min) throw new GameInputError('empty_hand', `the hand is empty: give ${HAND_LIMITS.min} to ${HAND_LIMITS.max} cards`);
  if (hand.length > HAND_LIMITS.max) {
    throw new GameInputError('hand_too_long', `the hand has ${hand.length} cards; a hand holds at most ${HAND_LIMITS.max}`);
  }
  const inView = new Map<Card, number>();
  for (const card of [...hand, deck]) inView.set(card, (inView.get(card) ?? 0) + 1);
  for (const [card, count] of inView) {
    if (count > CARD_COPIES[card]) {
      throw new GameInputError('too_many_copies', `${count} "${card}" cards in hand and deck, but the deck has only ${CARD_COPIES[card]}`);
    }
  }
}

/** Copies of each card still unseen: the 118-card deck less the cards in view. */
export function unseenCounts(inView: readonly Card[]): Map<Card, number> {
  const left = new Map<Card, number>(CARDS.map((card) => [card, CARD_COPIES[card]]));
  for (const card of inView) left.set(card, left.get(card)! - 1);
  return left;
}

/**
 * Expected best score when drawing one unseen card, weighted by the copies of
 * each card left, and the best play for each card drawn.
 *
 * Every possible draw shares the hand's own sub-multisets, so the hand is
 * solved once. With card t drawn and X ⊆ hand kept beside it, either t stays
 * unused or it is in a word w ∋ t, leaving X + t − w ⊆ hand, whose best is
 * already known: best(X + t) = max(best(X), max over w of points(w) + best(X + t − w)).
 * One word search with a wildcard card finds the words with t for every t.
 */
export function drawExpectation(graph: WordGraph, hand: readonly Card[], deck: Card, options: SolveOptions = {}) {
  const set = new CardMultiset(hand);
  const found = findWordsWithExtraCard(graph, set);
  const solver = new CardSolver(
    set,
    found.filter((w) => w.extra === -1),
    options,
  );
  const handPoints = points(hand);
  // Kept cards score their words' points less the points of the rest (rules.ts).
  const score = (wordPoints: number, keptPoints: number) => roundScore(wordPoints, keptPoints - wordPoints, options.clampAtZero);
  const outcomes: DrawOutcome[] = [];
  let unseen = 0;
  let total = 0;
  for (const [card, remaining] of unseenCounts([...hand, deck])) {
    if (remaining <= 0) continue;
    const type = cardIndex(card);
    const position = set.types.indexOf(card);
    // Words that use t, each as (the hand cards beside one t, points).
    const withCard: { rest: number; points: number }[] = [];
    for (const word of found) {
      if (word.extra === type) withCard.push({ rest: word.code, points: word.points });
      else if (word.extra === -1 && position >= 0 && set.digit(word.code, position) > 0) {
        withCard.push({ rest: word.code - set.strides[position]!, points: word.points });
      }
    }
    // Dropping t itself leaves the hand as it was.
    let best = score(solver.wordPointsOf(set.full), handPoints);
    let drop = card;
    set.types.forEach((dropped, i) => {
      const rest = set.full - set.strides[i]!;
      let wordPoints = solver.wordPointsOf(rest);
      for (const w of withCard) {
        if (solver.contains(rest, w.rest)) wordPoints = Math.max(wordPoints, w.points + solver.wordPointsOf(rest - w.rest));
      }
      const kept = score(wordPoints, handPoints - CARD_POINTS[dropped] + CARD_POINTS[card]);
      if (kept > best) [best, drop] = [kept, dropped];
    });
    outcomes.push({ card, remaining, score: best, drop });
    unseen += remaining;
    total += remaining * best;
  }
  // The pile is never empty here (at most 11 of 118 cards are in view), but stay safe.
  const expectedScore = unseen ? total / unseen : -handPoints;
  return { expectedScore, unseen, outcomes };
}

export function decideTurn(graph: WordGraph, hand: readonly Card[], deck: Card, options: SolveOptions & { alternatives?: number } = {}): Decision {
  validateTurn(hand, deck);
  const solver = CardSolver.of(graph, [...hand, deck], options);
  const byDrop = solver.playsByDrop('score');
  const take = pickBest(byDrop, 'score');
  const longestWord = solver.bestPlay('longestWord');
  const mostWords = solver.bestPlay('mostWords');
  const draw = drawExpectation(graph, hand, deck, options);
  const margin = take.score - draw.expectedScore;
  return {
    hand: [...hand],
    deck,
    action: margin > 0 || (margin === 0 && take.drop !== deck) ? 'take' : 'draw',
    margin,
    take,
    draw,
    bonusPlays: {
      longestWord: samePlay(longestWord, take) ? null : longestWord,
      mostWords: samePlay(mostWords, take) ? null : mostWords,
    },
    alternatives: byDrop
      .filter((play) => play !== take)
      .sort((a, b) => compare(b, a, 'score'))
      .slice(0, options.alternatives ?? 4),
  };
}
