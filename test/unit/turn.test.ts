/**
 * The normal-turn advice against a slow, independent brute force (every
 * partition, every ordering, the SOWPODS list as a plain Set): going out after
 * taking the discard, the chance a drawn card lets the player go out at once,
 * and every keep's chance to go out next turn, exactly, on random hands.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CARD_COPIES, points, type Card } from '../../api/src/cards.js';
import { unseenCounts } from '../../api/src/game/decide.js';
import { loadDictionary } from '../../api/src/game/dictionary.js';
import { adviseAfterDraw, turnAdvice, without, type Pool } from '../../api/src/game/turn.js';
import { spellsWord } from '../support/brute-force.js';
import { deal, seededRandom, sowpodsWords } from '../support/fixtures.js';

const graph = await loadDictionary();
const words = new Set(sowpodsWords());

const coverMemo = new Map<string, boolean>();
/** Whether every card is in some word: the first card with some subset of the rest spells a word, and the rest is covered. */
function covered(cards: readonly Card[]): boolean {
  if (cards.length === 0) return true;
  const key = [...cards].sort().join('/');
  const known = coverMemo.get(key);
  if (known !== undefined) return known;
  const [first, ...rest] = cards as [Card, ...Card[]];
  let yes = false;
  for (let mask = 1; mask < 1 << rest.length && !yes; mask++) {
    const group = [first, ...rest.filter((_, i) => mask & (1 << i))];
    yes = spellsWord(words, group) && covered(rest.filter((_, i) => !(mask & (1 << i))));
  }
  coverMemo.set(key, yes);
  return yes;
}

const drops = (cards: readonly Card[]) => cards.map((_, i) => [...cards.slice(0, i), ...cards.slice(i + 1)]);
/** The best points of going out with `cards` (drop one, all the rest in words), or null. */
function bruteOut(cards: readonly Card[]): number | null {
  const scores = drops(cards)
    .filter((rest) => rest.length > 0 && covered(rest))
    .map(points);
  return scores.length ? Math.max(...scores) : null;
}
function brutePOut(kept: readonly Card[], pool: Pool): number {
  let total = 0;
  let out = 0;
  for (const [card, remaining] of pool) {
    if (remaining <= 0) continue;
    total += remaining;
    if (bruteOut([...kept, card]) !== null) out += remaining;
  }
  return out / total;
}

const sameMultiset = (a: readonly Card[], b: readonly Card[]) => [...a].sort().join('/') === [...b].sort().join('/');

test(
  'going out, the chance to go out on the draw, and every keep match the brute force on 30 random hands of 3 to 6 cards',
  { timeout: 300_000 },
  () => {
    const random = seededRandom(1616);
    let withGoOut = 0;
    let keepsChecked = 0;
    for (let round = 0; round < 30; round++) {
      const size = 3 + (round % 4);
      const dealt = deal(random, size + 1 + 3);
      const hand = dealt.slice(0, size);
      const deck = dealt[size]!;
      const seen = dealt.slice(size + 1);
      const pool = unseenCounts([...hand, deck, ...seen]);
      const advice = turnAdvice(graph, hand, deck, pool);
      const what = `${hand.join('/')} + ${deck}`;

      // Going out after taking the discard.
      const out = bruteOut([...hand, deck]);
      assert.equal(advice.take.goOut?.score ?? null, out, `${what}: go_out`);
      if (advice.take.goOut) {
        withGoOut++;
        assert.equal(advice.take.goOut.complete, true);
        assert.ok(covered(advice.take.goOut.words.flatMap((w) => w.cards)));
      }

      // The chance that the drawn card lets the player go out at once.
      assert.ok(Math.abs(advice.draw.pOutNow - brutePOut(hand, pool)) < 1e-9, `${what}: p_out_now`);

      // Every keep after taking the discard.
      const cards = [...hand, deck];
      assert.equal(advice.take.keeps.length, new Set(cards).size, `${what}: one keep per distinct drop`);
      for (const keep of advice.take.keeps) {
        const kept = drops(cards).find((rest, i) => cards[i] === keep.drop)!;
        assert.ok(sameMultiset(keep.kept, kept), `${what}: kept cards after dropping ${keep.drop}`);
        assert.ok(Math.abs(keep.pOutNext - brutePOut(kept, pool)) < 1e-9, `${what}: p_out_next dropping ${keep.drop}`);
        keepsChecked++;
      }
      for (let i = 1; i < advice.take.keeps.length; i++)
        assert.ok(advice.take.keeps[i - 1]!.pOutNext >= advice.take.keeps[i]!.pOutNext, 'best first');
    }
    assert.ok(withGoOut > 0, 'some deal goes out at once');
    assert.ok(keepsChecked >= 120);
  },
);

test('the draw branch: each unseen card goes out when it can, else keeps best against the pool less that card', { timeout: 300_000 }, () => {
  const random = seededRandom(2323);
  for (let round = 0; round < 6; round++) {
    const hand = deal(random, 3 + (round % 2));
    const rest = unseenCounts(hand);
    const deck = [...rest].find(([, n]) => n > 0)![0] as Card;
    const pool = unseenCounts([...hand, deck]);
    const advice = turnAdvice(graph, hand, deck, pool);
    let weighted = 0;
    let total = 0;
    for (const outcome of advice.draw.outcomes) {
      const cards = [...hand, outcome.card];
      const out = bruteOut(cards);
      assert.equal(outcome.goOut?.score ?? null, out, `${hand.join('/')} + drawn ${outcome.card}`);
      const after = adviseAfterDraw(graph, hand, outcome.card, without(pool, outcome.card));
      assert.equal(after.goOut?.score ?? null, out, 'the same answer once the drawn card is known');
      const p = out !== null ? 1 : brutePOut(outcome.keep!.kept, without(pool, outcome.card));
      if (outcome.keep) assert.ok(Math.abs(outcome.keep.pOutNext - p) < 1e-9, `${hand.join('/')} + ${outcome.card}: keep odds`);
      if (outcome.keep) {
        const best = Math.max(...drops(cards).map((kept) => brutePOut(kept, without(pool, outcome.card))));
        assert.ok(Math.abs(outcome.keep.pOutNext - best) < 1e-9, 'the keep is the best one');
      }
      weighted += outcome.remaining * p;
      total += outcome.remaining;
    }
    assert.ok(Math.abs(advice.draw.pOut - weighted / total) < 1e-9, 'the draw branch value');
  }
});

test('a hand that can go out with the discard is told to take it, drop, and go out', () => {
  const hand: Card[] = ['a', 'cl', 'g', 'in', 'th', 'm', 'p', 'o', 'u', 'y'];
  const advice = turnAdvice(graph, hand, 'n', unseenCounts([...hand, 'n']));
  assert.equal(advice.action, 'take');
  assert.equal(advice.take.pOut, 1);
  assert.equal(advice.take.goOut!.complete, true);
  assert.equal(advice.drop, advice.take.goOut!.drop);
  assert.equal(advice.take.goOut!.score, 58);
});

test('copies in the pool count: the deck less the cards in view', () => {
  const hand: Card[] = ['q', 'z', 'x'];
  const pool = unseenCounts([...hand, 'j']);
  const total = [...pool.values()].reduce((s, n) => s + n, 0);
  assert.equal(total, Object.values(CARD_COPIES).reduce((s, n) => s + n, 0) - 4);
  const advice = turnAdvice(graph, hand, 'j', pool);
  assert.equal(advice.draw.unseen, total);
});
