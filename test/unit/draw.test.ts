import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CARD_COPIES, CARD_POINTS, CARDS, parseCards } from '../../api/src/cards.js';
import { decideTurn, drawExpectation, unseenCounts } from '../../api/src/game/decide.js';
import { loadDictionary } from '../../api/src/game/dictionary.js';
import { CardSolver } from '../../api/src/game/solver.js';
import { bruteBestAfterDrop } from '../support/brute-force.js';
import { deal, seededRandom, sowpodsWords } from '../support/fixtures.js';

const graph = await loadDictionary();

test('one card in hand: no word is possible, so drawing keeps the cheaper card (checked by hand)', () => {
  // Hand Q, discard U in view: 116 unseen cards. Whatever is drawn, one card is
  // kept and scores minus its points: the player keeps the cheaper of Q (15) and it.
  const { expectedScore, unseen, outcomes } = drawExpectation(graph, ['q'], 'u');
  assert.equal(unseen, 116);
  let sum = 0;
  for (const card of CARDS) {
    const left = CARD_COPIES[card] - (card === 'q' ? 1 : 0) - (card === 'u' ? 1 : 0);
    sum += left * -Math.min(15, CARD_POINTS[card]);
  }
  assert.equal(expectedScore, sum / 116);
  assert.deepEqual(
    outcomes.find((o) => o.card === 'q'),
    { card: 'q', remaining: 1, score: -15, drop: 'q' },
  );
  assert.deepEqual(
    outcomes.find((o) => o.card === 'a'),
    { card: 'a', remaining: 10, score: -2, drop: 'q' },
  );
  assert.equal(outcomes.find((o) => o.card === 'u')?.remaining, 5);
});

test('two cards: X/U with Z showing; XU (16) is kept unless the draw pairs better', () => {
  const decision = decideTurn(graph, parseCards('x/u'), 'z');
  assert.deepEqual([decision.take.score, decision.take.drop, decision.take.words[0]?.text], [16, 'z', 'xu']);
  // No two-card word with X or U is worth more than 16 (X words: AX EX OX XI XU; U words score less), so every draw scores 16.
  assert.ok(decision.draw.outcomes.every((o) => o.score === 16));
  assert.equal(decision.draw.expectedScore, 16);
  // A tie, and the best take drops Z again: taking gains nothing, so draw.
  assert.equal(decision.action, 'draw');
});

test('the draw expectation equals a brute-force average over the unseen cards', () => {
  const words = new Set(sowpodsWords());
  const random = seededRandom(5);
  for (let round = 0; round < 8; round++) {
    const cards = deal(random, 4);
    const hand = cards.slice(0, 3);
    const deck = cards[3]!;
    let total = 0;
    let unseen = 0;
    for (const [card, left] of unseenCounts([...hand, deck])) {
      if (left <= 0) continue;
      total += left * bruteBestAfterDrop(words, [...hand, card]);
      unseen += left;
    }
    const { expectedScore } = drawExpectation(graph, hand, deck);
    assert.ok(Math.abs(expectedScore - total / unseen) < 1e-9, `${hand.join('/')} + ${deck}`);
  }
});

test('the decision says which is better and by how much', () => {
  const random = seededRandom(12);
  for (let round = 0; round < 20; round++) {
    const cards = deal(random, 9);
    const d = decideTurn(graph, cards.slice(0, 8), cards[8]!);
    assert.ok(Math.abs(d.margin - (d.take.score - d.draw.expectedScore)) < 1e-9);
    assert.equal(d.action, d.margin > 0 || (d.margin === 0 && d.take.drop !== d.deck) ? 'take' : 'draw');
    if (d.take.drop === d.deck) assert.ok(d.margin <= 0, 'dropping the card taken is never better than drawing');
    assert.equal(d.draw.unseen, 118 - 9);
  }
});

test('more copies in view than the deck holds is refused', () => {
  assert.throws(() => decideTurn(graph, parseCards('j/j'), 'j'), /3 "j" cards in hand and deck, but the deck has only 2/);
  assert.throws(() => decideTurn(graph, [], 'a'), /empty/);
  assert.throws(() => decideTurn(graph, parseCards('a/b/c/d/e/f/g/h/i/k/l'), 'a'), /at most 10/);
});

test('each draw outcome equals a full solve of the hand plus that card', () => {
  const random = seededRandom(31);
  for (let round = 0; round < 25; round++) {
    const size = 6 + (round % 5);
    const cards = deal(random, size + 1);
    const hand = cards.slice(0, size);
    for (const outcome of drawExpectation(graph, hand, cards[size]!).outcomes) {
      const play = CardSolver.of(graph, [...hand, outcome.card]).bestPlay();
      assert.equal(outcome.score, play.score, `${hand.join('/')} drawing ${outcome.card}`);
    }
  }
});
