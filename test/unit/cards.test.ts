import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CARD_COPIES, CARD_POINTS, CARDS, DECK_SIZE, fullDeck, parseCards, points } from '../../api/src/cards.js';
import { decodeLabel, detectorClasses } from '../../api/src/vision/classes.js';

test('the card table has 31 types and sums to the 118-card deck', () => {
  assert.equal(CARDS.length, 31);
  assert.equal(DECK_SIZE, 118);
  assert.equal(fullDeck().length, 118);
  assert.equal(
    Object.values(CARD_COPIES).reduce((a, b) => a + b, 0),
    118,
  );
});

test('points and copies match the printed cards', () => {
  const expectedPoints = 'a2 b8 c8 d5 e2 f6 g6 h7 i2 j13 k8 l3 m5 n5 o2 p6 q15 r5 s3 t3 u4 v11 w10 x12 y4 z14 cl10 er7 in7 qu9 th9';
  const expectedCopies = 'a10 b2 c2 d4 e12 f2 g4 h2 i8 j2 k2 l4 m2 n6 o8 p2 q2 r6 s4 t6 u6 v2 w2 x2 y4 z2 cl2 er2 in2 qu2 th2';
  const table = (text: string) => Object.fromEntries(text.split(' ').map((e) => [e.replace(/\d+/, ''), Number(e.replace(/\D+/, ''))]));
  assert.deepEqual(CARD_POINTS, table(expectedPoints));
  assert.deepEqual(CARD_COPIES, table(expectedCopies));
});

test('hands parse from "/"-separated text or token arrays', () => {
  assert.deepEqual(parseCards('a/CL/ g /in'), ['a', 'cl', 'g', 'in']);
  assert.deepEqual(parseCards(['Qu', 'th']), ['qu', 'th']);
  assert.equal(points(parseCards('in/qu/i/r/in/g')), 36);
  assert.throws(() => parseCards('a/zz'), /unknown card "zz".*valid cards: a b c/);
  assert.throws(() => parseCards('a//b'), /card 2 is empty/);
});

test('the detector class list is the card table, upright then rotated', () => {
  const onDisk = JSON.parse(readFileSync(new URL('../../model/classes.json', import.meta.url), 'utf8'));
  assert.deepEqual(onDisk, detectorClasses(), 'model/classes.json is stale: run npm run classes');
  assert.equal(onDisk.labels.length, 1 + 2 * 31);
  assert.deepEqual(decodeLabel(1), { card: 'a', orientation: 'upright' });
  assert.deepEqual(decodeLabel(31), { card: 'th', orientation: 'upright' });
  assert.deepEqual(decodeLabel(32), { card: 'a', orientation: 'rotated' });
  assert.equal(decodeLabel(0), undefined);
  assert.equal(decodeLabel(63), undefined);
});
