/**
 * Advice for a normal turn, as Quiddler is played: take the face-up discard or
 * draw an unseen card, then drop one; lay the cards down only to go out (every
 * card but the dropped one in words). So a turn is judged by the chance of
 * being out by the player's next turn, then by the points going out scores.
 *
 * The unseen pool U is the 118-card deck less every card in view (the hand,
 * the discard, and any cards the player says were seen), each card type
 * weighted by its copies left. The model ignores opponents: the cards they
 * hold or take are unseen cards like any other, and the next discard they
 * leave is not counted on (the next turn draws from U).
 *
 * - Going out now: after taking the discard (or drawing), some drop leaves
 *   cards that partition into words.
 * - Keeping: each card that could be dropped leaves kept cards K; the chance
 *   to go out next turn is the weight of the cards y in U such that K + y
 *   can go out, over the weight of U.
 * - Drawing: each unseen x, weighted, either lets the player go out at once
 *   or is followed by the best keep against U less that x.
 */
import { CARD_POINTS, CARDS, cardIndex, type Card } from '../cards.js';
import { CardMultiset, findWordsWithExtraCard } from './card-words.js';
import { CardSolver, compare, type Play, type SolveOptions } from './solver.js';
import type { WordGraph } from './word-graph.js';

/** Copies of each card type left unseen. */
export type Pool = ReadonlyMap<Card, number>;

/** The chance of going out on the next turn with some kept cards, and the points that scores on average. */
export interface KeepOdds {
  /** The card dropped now. */
  drop: Card;
  /** The cards kept. */
  kept: Card[];
  /** Σ over unseen y of w(y)·[kept + y can go out], over Σ w(y). */
  pOutNext: number;
  /** The mean points of going out next turn, over the draws that go out (0 when none does). */
  expectedOutScore: number;
  /** The unseen cards that would let the player go out, with their copies left. */
  outCards: { card: Card; remaining: number }[];
}

/** What one set of n + 1 cards (the hand plus the card taken or drawn) allows. */
export interface TurnOptions {
  /** The best complete play: every card but the dropped one in words; null when none. */
  goOut: Play | null;
  /** Each distinct card that could be dropped, with the odds of the cards kept; best first. */
  keeps: KeepOdds[];
}

/** How a branch (take or draw) is valued: the chance to be out by the next turn, then the points. */
export interface BranchValue {
  pOut: number;
  expectedOutScore: number;
}

export interface DrawOutcome {
  card: Card;
  remaining: number;
  /** This card lets the player go out at once: the play; else null. */
  goOut: Play | null;
  /** Else the best keep against the pool less this card. */
  keep: KeepOdds | null;
}

export interface TurnAdvice {
  hand: Card[];
  deck: Card;
  action: 'take' | 'draw';
  /** The card to drop now (taking): the go-out play's drop or the best keep's; null when drawing (it depends on the card drawn). */
  drop: Card | null;
  take: TurnOptions & BranchValue;
  draw: BranchValue & {
    /** The chance the drawn card lets the player go out at once. */
    pOutNow: number;
    /** The mean score of going out at once, over the draws that allow it. */
    expectedOutNowScore: number;
    unseen: number;
    outcomes: DrawOutcome[];
  };
}

/** Probabilities this close are a tie (the take branch wins it). */
const TIE = 1e-12;

/** Everything the turn's questions need about one multiset of cards and the cards that could join it. */
class GoOutTable {
  readonly set: CardMultiset;
  private readonly solver: CardSolver;
  /** For each card type y: the codes `rest` such that rest + y spells a word. */
  private readonly restsWith: number[][];
  /** Memo of "S + y partitions into words", by S * 31 + y: 0 unknown, 1 yes, 2 no. */
  private readonly plusMemo: Uint8Array;

  constructor(graph: WordGraph, cards: readonly Card[], options: SolveOptions) {
    this.set = new CardMultiset(cards);
    const found = findWordsWithExtraCard(graph, this.set);
    this.solver = new CardSolver(
      this.set,
      found.filter((w) => w.extra === -1),
      options,
    );
    this.restsWith = CARDS.map(() => []);
    for (const word of found) {
      if (word.extra >= 0) this.restsWith[word.extra]!.push(word.code);
      else {
        // The joining card may stand for one copy of a type the word takes from the set.
        this.set.types.forEach((type, i) => {
          if (this.set.digit(word.code, i) > 0) this.restsWith[cardIndex(type)]!.push(word.code - this.set.strides[i]!);
        });
      }
    }
    this.plusMemo = new Uint8Array(this.set.stateCount * CARDS.length);
  }

  /** Whether the cards of `code` partition into words, leaving none unused. */
  coverable(code: number): boolean {
    return code !== 0 && this.solver.wordPointsOf(code) === this.set.points(code);
  }

  /** Whether the cards of `code` plus one card of type `y` partition into words. */
  coverableWith(code: number, y: number): boolean {
    const key = code * CARDS.length + y;
    const known = this.plusMemo[key]!;
    if (known) return known === 1;
    const yes = this.restsWith[y]!.some((rest) => this.solver.contains(code, rest) && (rest === code || this.coverable(code - rest)));
    this.plusMemo[key] = yes ? 1 : 2;
    return yes;
  }

  /** The best complete play dropping one card of the whole set, or null. */
  goOut(): Play | null {
    return bestComplete(this.solver);
  }

  /**
   * Whether the whole set plus one card of type `y` can go out, and the most
   * points it lays doing so: dropping y (the set is covered) or a card of the
   * set (the rest plus y is covered). Answers every drawn card from one table.
   */
  goOutWith(y: number): number | null {
    return this.outScore(this.set.full, y, this.coverable(this.set.full));
  }

  /** The odds of each distinct drop from the whole set, against `pool`; best first. */
  keeps(pool: Pool): KeepOdds[] {
    const odds = this.set.types.map((drop, i) => this.keepOdds(this.set.full - this.set.strides[i]!, drop, pool));
    return odds.sort(byOdds);
  }

  /** The chance that the cards of `kept` plus one unseen card can go out, and the mean points when they do. */
  private keepOdds(kept: number, drop: Card, pool: Pool): KeepOdds {
    const whole = this.coverable(kept);
    let total = 0;
    let out = 0;
    let scored = 0;
    const outCards: KeepOdds['outCards'] = [];
    for (const [card, remaining] of pool) {
      if (remaining <= 0) continue;
      total += remaining;
      const score = this.outScore(kept, cardIndex(card), whole);
      if (score === null) continue;
      out += remaining;
      scored += remaining * score;
      outCards.push({ card, remaining });
    }
    return {
      drop,
      kept: this.set.cards(kept),
      pOutNext: total ? out / total : 0,
      expectedOutScore: out ? scored / out : 0,
      outCards,
    };
  }

  /** The best points going out with `kept` + y (dropping y, or a kept card), or null when it cannot go out. */
  private outScore(kept: number, y: number, keptWhole: boolean): number | null {
    let best = keptWhole ? this.set.points(kept) : null;
    const yPoints = CARD_POINTS[CARDS[y]!];
    for (let i = 0; i < this.set.types.length; i++) {
      if (this.set.digit(kept, i) === 0) continue;
      const rest = kept - this.set.strides[i]!;
      if (!this.coverableWith(rest, y)) continue;
      const laid = this.set.points(rest) + yPoints;
      if (best === null || laid > best) best = laid;
    }
    return best;
  }
}

/** Keeps in order: likelier to go out, then more points going out, then the cheaper card dropped first in the table. */
function byOdds(a: KeepOdds, b: KeepOdds): number {
  return (
    b.pOutNext - a.pOutNext ||
    b.expectedOutScore - a.expectedOutScore ||
    CARD_POINTS[a.drop] - CARD_POINTS[b.drop] ||
    cardIndex(a.drop) - cardIndex(b.drop)
  );
}

/** The best complete play of `cards` (drop one, every other card in words), or null; plain words only, no wildcard search. */
function goOutPlay(graph: WordGraph, cards: readonly Card[], options: SolveOptions): Play | null {
  return bestComplete(CardSolver.of(graph, cards, options));
}

/** Over every card to drop, the best play that lays down all the others; null when none does. */
function bestComplete(solver: CardSolver): Play | null {
  const { set } = solver;
  let best: Play | null = null;
  set.types.forEach((type, i) => {
    const rest = set.full - set.strides[i]!;
    if (rest === 0 || solver.wordPointsOf(rest) !== set.points(rest)) return;
    const play = solver.bestPlayOf(rest, 'score', type);
    if (!best || compare(play, best, 'score') > 0) best = play;
  });
  return best;
}

/** Going out and keeping, for the hand plus one card (taken or drawn), against `pool`. */
export function turnOptions(graph: WordGraph, cards: readonly Card[], pool: Pool, options: SolveOptions = {}): TurnOptions {
  const table = new GoOutTable(graph, cards, options);
  const goOut = table.goOut();
  return { goOut, keeps: table.keeps(pool) };
}

/** A branch's value: certain when it goes out now, else its best keep's odds. */
function branchValue({ goOut, keeps }: TurnOptions): BranchValue {
  if (goOut) return { pOut: 1, expectedOutScore: goOut.score };
  const best = keeps[0];
  return { pOut: best?.pOutNext ?? 0, expectedOutScore: best?.expectedOutScore ?? 0 };
}

/** The pool less one copy of `card`. */
export function without(pool: Pool, card: Card): Map<Card, number> {
  const less = new Map(pool);
  less.set(card, (less.get(card) ?? 0) - 1);
  return less;
}

/** The full advice for a normal turn: take or draw, what to drop, going out or which cards to keep. */
export function turnAdvice(graph: WordGraph, hand: readonly Card[], deck: Card, pool: Pool, options: SolveOptions = {}): TurnAdvice {
  const take = turnOptions(graph, [...hand, deck], pool, options);
  const takeValue = branchValue(take);
  let unseen = 0;
  let outNow = 0;
  let outNowScore = 0;
  let pOut = 0;
  let outScore = 0;
  const outcomes: DrawOutcome[] = [];
  // One table over the hand answers "can hand + x go out" for every x; only the draws that cannot go out need their own table for the keeps.
  const handTable = new GoOutTable(graph, hand, options);
  for (const [card, remaining] of pool) {
    if (remaining <= 0) continue;
    unseen += remaining;
    const canGoOut = handTable.goOutWith(cardIndex(card)) !== null;
    const drawn = canGoOut
      ? { goOut: goOutPlay(graph, [...hand, card], options), keeps: [] }
      : turnOptions(graph, [...hand, card], without(pool, card), options);
    const value = branchValue(drawn);
    if (drawn.goOut) {
      outNow += remaining;
      outNowScore += remaining * drawn.goOut.score;
    }
    pOut += remaining * value.pOut;
    outScore += remaining * value.pOut * value.expectedOutScore;
    outcomes.push({ card, remaining, goOut: drawn.goOut, keep: drawn.goOut ? null : (drawn.keeps[0] ?? null) });
  }
  const draw = {
    pOut: unseen ? pOut / unseen : 0,
    expectedOutScore: pOut ? outScore / pOut : 0,
    pOutNow: unseen ? outNow / unseen : 0,
    expectedOutNowScore: outNow ? outNowScore / outNow : 0,
    unseen,
    outcomes,
  };
  const takeWins =
    takeValue.pOut > draw.pOut + TIE || (Math.abs(takeValue.pOut - draw.pOut) <= TIE && takeValue.expectedOutScore >= draw.expectedOutScore - TIE);
  return {
    hand: [...hand],
    deck,
    action: takeWins ? 'take' : 'draw',
    drop: takeWins ? (take.goOut?.drop ?? take.keeps[0]?.drop ?? null) : null,
    take: { ...take, ...takeValue },
    draw,
  };
}

/** After drawing `drawn`: go out if the hand plus it can, else the best keep against the pool (which no longer holds it). */
export function adviseAfterDraw(graph: WordGraph, hand: readonly Card[], drawn: Card, pool: Pool, options: SolveOptions = {}): TurnOptions {
  return turnOptions(graph, [...hand, drawn], pool, options);
}
