import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCards, points, type Card } from '../../api/src/cards.js';
import { spellings } from '../../api/src/game/card-words.js';
import { decideTurn } from '../../api/src/game/decide.js';
import { loadDictionary } from '../../api/src/game/dictionary.js';
import { CardSolver, type Play } from '../../api/src/game/solver.js';
import { bruteBestAfterDrop, brutePlays } from '../support/brute-force.js';
import { deal, seededRandom, sowpodsWords } from '../support/fixtures.js';

const graph = await loadDictionary();
const wordSet = new Set(sowpodsWords());
const layAll = (cards: string) => {
  const solver = CardSolver.of(graph, parseCards(cards));
  return solver.bestPlayOf(solver.set.full);
};
const wordsOf = (play: Play) => play.words.map((w) => w.cards.join('/')).sort();

test("the seed's example: a/cl/g/in/th/m/p/o/u/y with n showing scores 58 and goes out", () => {
  const decision = decideTurn(graph, parseCards('a/cl/g/in/th/m/p/o/u/y'), 'n');
  assert.equal(decision.action, 'take');
  assert.equal(decision.take.score, 58);
  assert.equal(decision.take.complete, true);
  assert.deepEqual(decision.take.unused, []);
  // Dropping A (the seed's answer) and dropping O both score 58 and go out. The
  // tie goes to the longer longest word: UNCLAMPING (10 letters) beats any
  // play without the O. The drop-A play is the first alternative.
  assert.equal(decision.take.drop, 'o');
  assert.deepEqual(wordsOf(decision.take), ['th/y', 'u/n/cl/a/m/p/in/g']);
  const dropA = decision.alternatives[0]!;
  assert.deepEqual([dropA.drop, dropA.score, dropA.complete], ['a', 58, true]);
  // The seed's own partition is a valid 58-point play too.
  const seedPlay = ['cl/o/th', 'm/u/n/g', 'p/in/y'].map((w) => parseCards(w));
  for (const word of seedPlay) assert.ok(graph.has(word.join('')), word.join(''));
  assert.equal(
    seedPlay.reduce((sum, w) => sum + points(w), 0),
    58,
  );
});

test('INQUIRING can be laid 8 ways, from 36 to 46 points', () => {
  const ways = spellings('inquiring');
  assert.equal(ways.length, 8);
  assert.ok(ways.some((w) => w.join('/') === 'in/qu/i/r/in/g'));
  assert.ok(ways.some((w) => w.join('/') === 'i/n/q/u/i/r/i/n/g'));
  const scores = ways.map(points).sort((a, b) => a - b);
  assert.equal(scores[0], 36);
  assert.equal(scores.at(-1), 46);
  for (const way of ways) {
    const play = layAll(way.join('/'));
    assert.deepEqual([play.words.length, play.words[0]?.text, play.score, play.complete], [1, 'inquiring', points(way), true]);
  }
});

test('a hand that makes no word is a valid answer: minus its points', () => {
  const decision = decideTurn(graph, parseCards('q/x/z'), 'j');
  assert.deepEqual(decision.take.words, []);
  assert.equal(decision.take.drop, 'q'); // drop the dearest card
  assert.equal(decision.take.score, -(12 + 14 + 13));
  assert.equal(decision.take.complete, false);
  const clamped = decideTurn(graph, parseCards('q/x/z'), 'j', { clampAtZero: true });
  assert.equal(clamped.take.score, 0);
});

test('exact: matches a brute-force search on 300 random hands of 3 to 7 cards', () => {
  const random = seededRandom(2026);
  for (let round = 0; round < 300; round++) {
    const cards = deal(random, 3 + (round % 5) + 1); // the hand plus the card taken
    const play = CardSolver.of(graph, cards).bestPlay();
    assert.equal(play.score, bruteBestAfterDrop(wordSet, cards), cards.join('/'));
    // The play itself is real: its words are words and its cards are the hand's less the drop.
    for (const word of play.words) assert.ok(wordSet.has(word.cards.join('')), word.text);
    const laid = [...play.words.flatMap((w) => w.cards), ...play.unused, play.drop!].sort();
    assert.deepEqual(laid, [...cards].sort());
  }
});

test('bonus plays reach the best longest word and the most words, by brute force', () => {
  const random = seededRandom(7);
  let differed = 0;
  for (let round = 0; round < 120; round++) {
    const cards = deal(random, 7);
    const decision = decideTurn(graph, cards.slice(0, 6), cards[6]!);
    const all = cards.flatMap((drop, i) => brutePlays(wordSet, [...cards.slice(0, i), ...cards.slice(i + 1)]));
    const best = <T extends number[]>(key: (p: { score: number; complete: boolean; words: Card[][]; longest: number }) => T) =>
      all.map(key).reduce((a, b) => (compareKeys(b, a) > 0 ? b : a));
    const longest = decision.bonusPlays.longestWord ?? decision.take;
    const most = decision.bonusPlays.mostWords ?? decision.take;
    const length = (p: Play) => p.longestWord?.length ?? 0;
    assert.deepEqual(
      [length(longest), Number(longest.complete), longest.score],
      best((p) => [p.longest, Number(p.complete), p.score]),
      cards.join('/'),
    );
    assert.deepEqual(
      [most.words.length, Number(most.complete), most.score],
      best((p) => [p.words.length, Number(p.complete), p.score]),
      cards.join('/'),
    );
    if (decision.bonusPlays.longestWord || decision.bonusPlays.mostWords) differed++;
  }
  assert.ok(differed > 0, 'some hands should have bonus plays that differ from the top score');
});

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

test('word length counts letters by default, or cards as an option', () => {
  const letters = layAll('th/in');
  assert.deepEqual([letters.words[0]?.text, letters.longestWord?.length], ['thin', 4]);
  const solver = CardSolver.of(graph, parseCards('th/in'), { lengthUnit: 'cards' });
  assert.equal(solver.bestPlayOf(solver.set.full).longestWord?.length, 2);
});

test('ties prefer a complete play', () => {
  // Across drops, an incomplete play may tie a complete one on score; the complete one must win.
  const random = seededRandom(99);
  for (let round = 0; round < 100; round++) {
    const cards = deal(random, 8);
    const decision = decideTurn(graph, cards.slice(0, 7), cards[7]!);
    for (const alternative of decision.alternatives) {
      if (alternative.score === decision.take.score) assert.ok(decision.take.complete || !alternative.complete);
      assert.ok(alternative.score <= decision.take.score);
    }
  }
});
