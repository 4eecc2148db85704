/**
 * A deliberately slow, independent reference solver for tests: tries every
 * partition of the cards into groups and every ordering of each group, and
 * looks words up in a plain Set of the word list (no word graph).
 */
import { points, type Card } from '../../api/src/cards.js';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]));
}

const spelled = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

/** Whether some ordering of `cards` spells a word in `words` (cached by the sorted cards). */
export function spellsWord(words: ReadonlySet<string>, cards: readonly Card[]): boolean {
  if (cards.length < 2) return false;
  let cache = spelled.get(words);
  if (!cache) spelled.set(words, (cache = new Map()));
  const key = [...cards].sort().join('/');
  let result = cache.get(key);
  if (result === undefined) {
    result = permutations(cards).some((order) => words.has(order.join('')));
    cache.set(key, result);
  }
  return result;
}

/** Best score laying down exactly `cards`: points in words minus points left unused. */
export function bruteBestScore(words: ReadonlySet<string>, cards: readonly Card[]): number {
  if (cards.length === 0) return 0;
  const [first, ...rest] = cards as [Card, ...Card[]];
  // The first card is either unused, or in a group with some subset of the rest.
  let best = -points([first]) + bruteBestScore(words, rest);
  const n = rest.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const group = [first, ...rest.filter((_, i) => mask & (1 << i))];
    if (!spellsWord(words, group)) continue;
    best = Math.max(
      best,
      points(group) +
        bruteBestScore(
          words,
          rest.filter((_, i) => !(mask & (1 << i))),
        ),
    );
  }
  return best;
}

/** Best score over every card that could be dropped from `cards`. */
export function bruteBestAfterDrop(words: ReadonlySet<string>, cards: readonly Card[]): number {
  return Math.max(...cards.map((_, i) => bruteBestScore(words, [...cards.slice(0, i), ...cards.slice(i + 1)])));
}

export interface BrutePlay {
  score: number;
  complete: boolean;
  words: Card[][];
  longest: number;
}

/** Every way to lay down exactly `cards` (each group spelling a word, the rest unused). */
export function brutePlays(words: ReadonlySet<string>, cards: readonly Card[]): BrutePlay[] {
  const plays: BrutePlay[] = [];
  const walk = (left: readonly Card[], groups: Card[][], unused: Card[]) => {
    if (left.length === 0) {
      const used = groups.reduce((sum, g) => sum + points(g), 0);
      plays.push({
        score: used - points(unused),
        complete: unused.length === 0,
        words: groups,
        longest: Math.max(0, ...groups.map((g) => g.join('').length)),
      });
      return;
    }
    const [first, ...rest] = left as [Card, ...Card[]];
    walk(rest, groups, [...unused, first]);
    for (let mask = 1; mask < 1 << rest.length; mask++) {
      const group = [first, ...rest.filter((_, i) => mask & (1 << i))];
      if (spellsWord(words, group))
        walk(
          rest.filter((_, i) => !(mask & (1 << i))),
          [...groups, group],
          unused,
        );
    }
  };
  walk(cards, [], []);
  return plays;
}
