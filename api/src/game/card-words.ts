/**
 * Finds every way a multiset of cards spells dictionary words, and indexes the
 * sub-multisets of a hand so the solver can work on them as small integers.
 */
import { MIN_WORD_CARDS } from '../rules.js';
import { CARDS, CARD_POINTS, cardIndex, points, type Card } from '../cards.js';
import { ROOT, type WordGraph } from './word-graph.js';

/** The letters (0..25) each card type stands for, by type id. */
const CARD_LETTERS: readonly number[][] = CARDS.map((card) => [...card].map((ch) => ch.charCodeAt(0) - 97));

/**
 * The distinct card types of a hand and a mixed-radix code for each of its
 * sub-multisets: code = sum(count_i * stride_i), so a sub-multiset is one
 * integer in [0, stateCount) and removing cards is a subtraction.
 */
export class CardMultiset {
  readonly types: Card[] = [];
  readonly counts: number[] = [];
  readonly strides: number[] = [];
  readonly stateCount: number;
  readonly full: number;

  /** Position of each card type (by type id) among `types`, -1 when absent. */
  private readonly position = new Int8Array(CARDS.length).fill(-1);

  constructor(cards: readonly Card[]) {
    const counts = new Map<Card, number>();
    for (const card of cards) counts.set(card, (counts.get(card) ?? 0) + 1);
    const types = [...counts.keys()].sort((a, b) => cardIndex(a) - cardIndex(b));
    let stride = 1;
    let full = 0;
    for (const type of types) {
      this.position[cardIndex(type)] = this.types.length;
      this.types.push(type);
      this.counts.push(counts.get(type)!);
      this.strides.push(stride);
      full += counts.get(type)! * stride;
      stride *= counts.get(type)! + 1;
    }
    this.stateCount = stride;
    this.full = full;
  }

  /** How many cards of the i-th distinct type the sub-multiset `code` holds. */
  digit(code: number, i: number): number {
    return Math.floor(code / this.strides[i]!) % (this.counts[i]! + 1);
  }

  contains(outer: number, inner: number): boolean {
    for (let i = 0; i < this.types.length; i++) if (this.digit(inner, i) > this.digit(outer, i)) return false;
    return true;
  }

  /** The code of a sub-multiset given as cards (each must be in this multiset). */
  codeOf(cards: readonly Card[]): number {
    let code = 0;
    for (const card of cards) code += this.strides[this.position[cardIndex(card)]!]!;
    return code;
  }

  /**
   * Tables over every code, built by counting up like an odometer:
   * - packed[code]: the counts in bit fields, each with a guard bit above it,
   *   so "inner ⊆ outer" is one subtraction: ((packed[outer] | guards) -
   *   packed[inner]) & guards === guards (a field that borrows clears its guard).
   *   11 cards need at most 22 bits.
   * - firstType[code]: the first distinct type present (-1 for the empty set).
   */
  tables(): { packed: Int32Array; guards: number; firstType: Int8Array } {
    const k = this.types.length;
    const shifts: number[] = [];
    let guards = 0;
    let bit = 0;
    for (const count of this.counts) {
      shifts.push(bit);
      bit += 32 - Math.clz32(count); // bits to hold the count
      guards |= 1 << bit;
      bit += 1;
    }
    const packed = new Int32Array(this.stateCount);
    const firstType = new Int8Array(this.stateCount).fill(-1);
    const digits = new Uint8Array(k);
    for (let code = 1; code < this.stateCount; code++) {
      for (let i = 0; i < k; i++) {
        if (++digits[i]! <= this.counts[i]!) break;
        digits[i] = 0;
      }
      let value = 0;
      let first = -1;
      for (let i = k - 1; i >= 0; i--) {
        value |= digits[i]! << shifts[i]!;
        if (digits[i]) first = i;
      }
      packed[code] = value;
      firstType[code] = first;
    }
    return { packed, guards, firstType };
  }

  cards(code: number): Card[] {
    return this.types.flatMap((type, i) => Array<Card>(this.digit(code, i)).fill(type));
  }

  points(code: number): number {
    let sum = 0;
    for (let i = 0; i < this.types.length; i++) sum += this.digit(code, i) * CARD_POINTS[this.types[i]!];
    return sum;
  }

  size(code: number): number {
    let sum = 0;
    for (let i = 0; i < this.types.length; i++) sum += this.digit(code, i);
    return sum;
  }

  /** Index of the first distinct type present in `code` (-1 for the empty set). */
  firstType(code: number): number {
    for (let i = 0; i < this.types.length; i++) if (this.digit(code, i) > 0) return i;
    return -1;
  }
}

/** A word laid with specific cards, in spelling order. */
export interface CardWord {
  /** The sub-multiset of cards it uses (in the multiset it was found in). */
  code: number;
  /** The cards in the order that spells the word. */
  cards: Card[];
  text: string;
  points: number;
}

/** A word found with the help of one extra card of type `extra` (-1: none). */
export interface WildWord extends CardWord {
  extra: number;
}

/**
 * Every sub-multiset of `hand` (2+ cards) that spells a word, each with one
 * spelling (the first found; anagrams of the same cards score the same).
 */
export function findCardWords(graph: WordGraph, hand: CardMultiset): CardWord[] {
  return findWords(graph, hand, false);
}

/**
 * Like findCardWords, but the hand may also use one extra card of any type:
 * one search serves every card that could be drawn from the pile. A word's
 * `code` counts only the hand's cards.
 */
export function findWordsWithExtraCard(graph: WordGraph, hand: CardMultiset): WildWord[] {
  return findWords(graph, hand, true);
}

function findWords(graph: WordGraph, hand: CardMultiset, withExtra: boolean): WildWord[] {
  const found = new Map<string, WildWord>();
  const left = [...hand.counts];
  const typeIds = hand.types.map(cardIndex);
  const path: Card[] = [];
  let extra = -1;

  // Follows a card's letters from `run`; the final edge, or -1.
  const step = (run: number, type: number): number => {
    const letters = CARD_LETTERS[type]!;
    let edge = graph.edge(run, letters[0]!);
    for (let k = 1; k < letters.length && edge >= 0; k++) {
      const child = graph.child(edge);
      edge = child === 0 ? -1 : graph.edge(child, letters[k]!);
    }
    return edge;
  };

  const record = (edge: number, code: number) => {
    if (path.length < MIN_WORD_CARDS || !graph.isFinal(edge)) return;
    const key = `${code}:${extra}`;
    if (!found.has(key)) found.set(key, { code, cards: [...path], text: path.join(''), points: points(path), extra });
  };

  const visit = (run: number, code: number) => {
    for (let i = 0; i < left.length; i++) {
      if (left[i] === 0) continue;
      const edge = step(run, typeIds[i]!);
      if (edge < 0) continue;
      const next = code + hand.strides[i]!;
      left[i]!--;
      path.push(hand.types[i]!);
      record(edge, next);
      const child = graph.child(edge);
      if (child !== 0) visit(child, next);
      path.pop();
      left[i]!++;
    }
    if (!withExtra || extra >= 0) return;
    for (let type = 0; type < CARDS.length; type++) {
      const edge = step(run, type);
      if (edge < 0) continue;
      extra = type;
      path.push(CARDS[type]!);
      record(edge, code);
      const child = graph.child(edge);
      if (child !== 0) visit(child, code);
      path.pop();
      extra = -1;
    }
  };
  if (graph.edges.length > 0) visit(ROOT, 0);
  return [...found.values()];
}

/** Every way to lay `word` with cards (double-letter cards where they fit), as card lists. */
export function spellings(word: string): Card[][] {
  if (word === '') return [[]];
  const ways: Card[][] = [];
  for (const card of CARDS) {
    if (word.startsWith(card)) for (const rest of spellings(word.slice(card.length))) ways.push([card, ...rest]);
  }
  return ways;
}
