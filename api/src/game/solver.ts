/**
 * The exact solver. Given the cards a player could hold after drawing, it finds
 * the best way to drop one card and lay the rest down as words.
 *
 * Each sub-multiset of the cards is an integer (see CardMultiset), and the best
 * partition of a set S is found by dynamic programming on the first card type
 * of S: either one copy of it stays unused, or it is in some word w ⊆ S, and
 * the rest S − w is solved the same way. That visits every partition, so the
 * answer is exact, never greedy.
 */
import { points, type Card } from '../cards.js';
import { roundScore } from '../rules.js';
import { CardMultiset, findCardWords, type CardWord } from './card-words.js';
import type { WordGraph } from './word-graph.js';

export type LengthUnit = 'letters' | 'cards';

export interface SolveOptions {
  /** How a word's length is measured for the longest-word bonus (default letters: a double card counts 2). */
  lengthUnit?: LengthUnit;
  /** Some tables never let a round score go below 0. Off by default. */
  clampAtZero?: boolean;
}

export interface Word {
  cards: Card[];
  text: string;
  points: number;
  length: number;
}

export interface Play {
  /** The card discarded (null when the play lays down every card it was given). */
  drop: Card | null;
  words: Word[];
  unused: Card[];
  score: number;
  /** Every card is in a word: the player can go out. */
  complete: boolean;
  longestWord: Word | null;
}

/** What a play is being chosen for; each aim orders plays by its own key, then the shared ties. */
export type Aim = 'score' | 'longestWord' | 'mostWords';

// Values packed into one number so that comparing numbers compares keys in order.
const LENGTH_SPAN = 64; // longest word ≤ 22 letters with 11 cards
const POINT_SPAN = 256; // word points ≤ 11 × 15
const COUNT_SHIFT = LENGTH_SPAN * POINT_SPAN;

/**
 * Solves one multiset of cards: every question asked of it (best partition of
 * any subset, by score or by number of words) shares one set of found words
 * and memo tables.
 */
export class CardSolver {
  private readonly wordPoints: Int32Array;
  private readonly wordLength: Int32Array;
  private readonly wordsByFirstType: Int32Array[];
  private readonly packed: Int32Array;
  private readonly guards: number;
  private readonly first: Int8Array;
  private readonly wordCodes: Int32Array;
  private readonly byScore: Int32Array;
  private readonly byScoreChoice: Int32Array;
  private byCount = new Int32Array(0);
  private byCountChoice = new Int32Array(0);

  /** Solves `cards` with words looked up in `graph`. */
  static of(graph: WordGraph, cards: readonly Card[], options: SolveOptions = {}): CardSolver {
    const set = new CardMultiset(cards);
    return new CardSolver(set, findCardWords(graph, set), options);
  }

  /** `words` must be every word that sub-multisets of `set` spell, coded in `set`. */
  constructor(
    readonly set: CardMultiset,
    private readonly words: CardWord[],
    private readonly options: SolveOptions = {},
  ) {
    this.wordPoints = Int32Array.from(this.words, (w) => w.points);
    this.wordLength = Int32Array.from(this.words, (w) => (options.lengthUnit === 'cards' ? w.cards.length : w.text.length));
    ({ packed: this.packed, guards: this.guards, firstType: this.first } = set.tables());
    const byFirst: number[][] = set.types.map(() => []);
    this.words.forEach((w, index) => byFirst[this.first[w.code]!]!.push(index));
    this.wordsByFirstType = byFirst.map((list) => Int32Array.from(list));
    this.wordCodes = Int32Array.from(this.words, (w) => w.code);
    this.byScore = new Int32Array(set.stateCount).fill(-1);
    this.byScoreChoice = new Int32Array(set.stateCount);
  }

  get wordCount(): number {
    return this.words.length;
  }

  /** The best play for `aim` over every choice of one card to drop. */
  bestPlay(aim: Aim = 'score'): Play {
    return pickBest(this.playsByDrop(aim), aim);
  }

  /** For each distinct card that could be dropped, the best play for `aim` without it. */
  playsByDrop(aim: Aim = 'score'): Play[] {
    return this.set.types.map((type, i) => this.bestPlayOf(this.set.full - this.set.strides[i]!, aim, type));
  }

  /** The best play laying down exactly the cards in `code` (a sub-multiset). */
  bestPlayOf(code: number, aim: Aim = 'score', drop: Card | null = null): Play {
    if (aim === 'longestWord') return this.longestWordPlay(code, drop);
    if (aim === 'score') this.scoreValue(code);
    else this.countValue(code);
    return this.makePlay(this.collectWords(code, aim === 'score' ? this.byScoreChoice : this.byCountChoice), code, drop);
  }

  /** The most points that words can take from the cards in `code` (the score is twice this less their total). */
  wordPointsOf(code: number): number {
    return Math.floor(this.scoreValue(code) / LENGTH_SPAN);
  }

  /** Whether sub-multiset `inner` lies within `outer`. */
  contains(outer: number, inner: number): boolean {
    return (((this.packed[outer]! | this.guards) - this.packed[inner]!) & this.guards) === this.guards;
  }

  private firstType(code: number): number {
    return this.first[code]!;
  }

  /** Max of (word points, longest word) over partitions of `code`, packed into one number. */
  private scoreValue(code: number): number {
    return this.solve(code, this.byScore, this.byScoreChoice, false);
  }

  /** Max of (number of words, word points, longest word) over partitions of `code`, packed. */
  private countValue(code: number): number {
    if (this.byCount.length === 0) {
      // Only the most-words aim needs these: made on first use.
      this.byCount = new Int32Array(this.set.stateCount).fill(-1);
      this.byCountChoice = new Int32Array(this.set.stateCount);
    }
    return this.solve(code, this.byCount, this.byCountChoice, true);
  }

  /**
   * Memoised: either one copy of the first card type of `code` stays unused,
   * or it is in a word w ⊆ code and the rest is solved the same way. `choice`
   * keeps the word taken (-1: unused). Only states reachable from the asked
   * code are visited, far fewer than all sub-multisets.
   */
  private solve(code: number, best: Int32Array, choice: Int32Array, countWords: boolean): number {
    const known = best[code]!;
    if (known >= 0) return known;
    let top = 0;
    let picked = -1;
    if (code !== 0) {
      const type = this.first[code]!;
      top = this.solve(code - this.set.strides[type]!, best, choice, countWords);
      const candidates = this.wordsByFirstType[type]!;
      const have = this.packed[code]! | this.guards;
      for (let c = 0; c < candidates.length; c++) {
        const w = candidates[c]!;
        const wordCode = this.wordCodes[w]!;
        if (((have - this.packed[wordCode]!) & this.guards) !== this.guards) continue;
        const rest = this.solve(code - wordCode, best, choice, countWords);
        const restPoints = Math.floor((rest % COUNT_SHIFT) / LENGTH_SPAN);
        let value = (restPoints + this.wordPoints[w]!) * LENGTH_SPAN + Math.max(rest % LENGTH_SPAN, this.wordLength[w]!);
        if (countWords) value += (Math.floor(rest / COUNT_SHIFT) + 1) * COUNT_SHIFT;
        if (value > top) {
          top = value;
          picked = w;
        }
      }
    }
    best[code] = top;
    choice[code] = picked;
    return top;
  }

  /**
   * Best play whose longest word is as long as possible: try each word as the
   * longest one, with the best-scoring partition of the rest. Candidates are
   * ranked by numbers first; only the winner is built into a Play.
   */
  private longestWordPlay(code: number, drop: Card | null): Play {
    const total = this.set.points(code);
    let bestWord = -1;
    let bestKey = [-1, 0, -Infinity];
    for (let w = 0; w < this.words.length; w++) {
      if (!this.contains(code, this.words[w]!.code)) continue;
      const rest = this.scoreValue(code - this.words[w]!.code);
      const wordPoints = Math.floor(rest / LENGTH_SPAN) + this.wordPoints[w]!;
      const key = [Math.max(rest % LENGTH_SPAN, this.wordLength[w]!), Number(wordPoints === total), 2 * wordPoints];
      if (isGreater(key, bestKey)) {
        bestKey = key;
        bestWord = w;
      }
    }
    if (bestWord < 0) return this.bestPlayOf(code, 'score', drop);
    const rest = code - this.words[bestWord]!.code;
    return this.makePlay([bestWord, ...this.collectWords(rest, this.byScoreChoice)], code, drop);
  }

  /** Follows the memo's choices from `code` to the words of its best partition. */
  private collectWords(code: number, choice: Int32Array): number[] {
    const picked: number[] = [];
    while (code !== 0) {
      const w = choice[code]!;
      if (w < 0) code -= this.set.strides[this.firstType(code)]!;
      else {
        picked.push(w);
        code -= this.words[w]!.code;
      }
    }
    return picked;
  }

  private makePlay(wordIndexes: number[], code: number, drop: Card | null): Play {
    const words = wordIndexes
      .map((w) => ({
        cards: this.words[w]!.cards,
        text: this.words[w]!.text,
        points: this.wordPoints[w]!,
        length: this.wordLength[w]!,
      }))
      .sort((a, b) => b.points - a.points || a.text.localeCompare(b.text));
    let used = 0;
    for (const w of wordIndexes) used += this.words[w]!.code;
    const unused = this.set.cards(code - used);
    const wordPoints = words.reduce((sum, w) => sum + w.points, 0);
    const longestWord = words.reduce<Word | null>((a, w) => (a && a.length >= w.length ? a : w), null);
    return {
      drop,
      words,
      unused,
      score: roundScore(wordPoints, points(unused), this.options.clampAtZero),
      complete: unused.length === 0,
      longestWord,
    };
  }
}

function isGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

/**
 * Orders two plays for an aim (positive when `a` is better). Each aim compares
 * its own measure first, then the shared ties: a complete play (the player goes
 * out), then the higher score, then the longer longest word, then more words.
 */
export function compare(a: Play, b: Play, aim: Aim): number {
  const longest = (p: Play) => p.longestWord?.length ?? 0;
  const first = aim === 'longestWord' ? longest(a) - longest(b) : aim === 'mostWords' ? a.words.length - b.words.length : 0;
  return (
    first ||
    (aim === 'score' ? a.score - b.score : 0) ||
    Number(a.complete) - Number(b.complete) ||
    a.score - b.score ||
    longest(a) - longest(b) ||
    a.words.length - b.words.length
  );
}

/** The best of `plays` for `aim`; among equals the first one (card-table order of the drop). */
export function pickBest(plays: readonly Play[], aim: Aim): Play {
  return plays.reduce((best, play) => (compare(play, best, aim) > 0 ? play : best));
}

export function samePlay(a: Play, b: Play): boolean {
  const key = (p: Play) =>
    `${p.drop}|${p.words
      .map((w) => w.cards.join('/'))
      .sort()
      .join(' ')}`;
  return key(a) === key(b);
}
