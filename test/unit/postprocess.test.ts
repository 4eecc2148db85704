import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardIndex, CARDS, type Card } from '../../api/src/cards.js';
import { iou, orderAlongFan, readCards, suppress, type Box, type Detection } from '../../api/src/vision/postprocess.js';

const upright = (card: Card) => 1 + cardIndex(card);
const rotated = (card: Card) => 1 + CARDS.length + cardIndex(card);
const det = (label: number, score: number, box: Box): Detection => ({ label, score, box });
const tokens = (cards: { token: string }[]) => cards.map((c) => c.token).join('/');

test('iou of boxes', () => {
  assert.equal(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(iou([0, 0, 10, 10], [20, 20, 30, 30]), 0);
  assert.equal(iou([0, 0, 10, 10], [5, 0, 15, 10]), 50 / 150);
});

test('non-maximum suppression works across classes', () => {
  const kept = suppress(
    [det(upright('o'), 0.6, [10, 10, 30, 40]), det(upright('q'), 0.9, [11, 10, 31, 41]), det(upright('a'), 0.5, [100, 10, 120, 40])],
    0.4,
  );
  assert.deepEqual(
    kept.map((k) => k.label),
    [upright('q'), upright('a')],
  );
});

test('a fanned hand reads left to right, and the top card is counted once', () => {
  const detections = [
    det(upright('w'), 0.9, [300, 50, 330, 100]),
    det(upright('k'), 0.95, [100, 80, 130, 130]),
    det(upright('a'), 0.85, [400, 60, 430, 110]),
    det(upright('cl'), 0.9, [170, 60, 215, 110]),
    det(upright('er'), 0.8, [240, 50, 285, 100]),
    det(rotated('a'), 0.7, [560, 380, 590, 430]), // the top card's bottom-right corner
  ];
  assert.equal(tokens(readCards(detections)), 'k/cl/er/w/a');
  assert.equal(tokens(readCards(detections, { expectedCount: 5 })), 'k/cl/er/w/a');
});

test('a deck card shows two corners: one card', () => {
  const detections = [det(upright('e'), 0.9, [50, 50, 80, 100]), det(rotated('e'), 0.88, [300, 400, 330, 450])];
  assert.deepEqual(tokens(readCards(detections, { expectedCount: 1 })), 'e');
  assert.deepEqual(tokens(readCards(detections)), 'e');
});

test('an upside-down photo reads right to left with the rotated corners', () => {
  const detections = [
    det(rotated('r'), 0.9, [500, 300, 530, 350]),
    det(rotated('u'), 0.9, [400, 320, 430, 370]),
    det(rotated('th'), 0.9, [300, 330, 345, 380]),
    det(upright('th'), 0.6, [40, 20, 85, 70]), // the top card's other corner, now upright
  ];
  assert.equal(tokens(readCards(detections)), 'r/u/th');
});

test('with a count, the best n corners are kept; without, weak corners are dropped', () => {
  const detections = [
    det(upright('x'), 0.95, [10, 10, 40, 60]),
    det(upright('a'), 0.3, [60, 12, 90, 62]),
    det(upright('u'), 0.9, [110, 14, 140, 64]),
    det(upright('d'), 0.02, [160, 16, 190, 66]),
  ];
  assert.equal(tokens(readCards(detections)), 'x/u');
  assert.equal(tokens(readCards(detections, { expectedCount: 3 })), 'x/a/u');
  assert.equal(tokens(readCards(detections, { expectedCount: 4 })), 'x/a/u', 'never below the floor score');
});

test('a missing top-left corner is filled by the other corner of that card, given a count', () => {
  const detections = [
    det(upright('r'), 0.9, [10, 10, 40, 60]),
    det(upright('u'), 0.9, [60, 12, 90, 62]),
    det(rotated('th'), 0.8, [400, 300, 440, 350]), // its top-left was under a thumb
  ];
  assert.equal(tokens(readCards(detections, { expectedCount: 3 })), 'r/u/th');
});

test('a card read from its bottom-right corner alone is the front card: last along the fan', () => {
  const detections = [
    det(upright('k'), 0.9, [10, 100, 40, 150]),
    det(upright('i'), 0.9, [60, 80, 90, 130]),
    det(upright('s'), 0.9, [110, 70, 140, 120]),
    // the front card's top-left is under a thumb; its bottom-right lies below the middle of the fan
    det(rotated('u'), 0.8, [80, 400, 110, 450]),
  ];
  assert.equal(tokens(readCards(detections, { expectedCount: 4 })), 'k/i/s/u');
});

test('without a count, a sure lone corner of the other orientation that a weak top corner agrees with is the front card; one at most', () => {
  const fan = [det(upright('k'), 0.9, [10, 100, 40, 150]), det(upright('i'), 0.9, [60, 80, 90, 130]), det(upright('s'), 0.9, [110, 70, 140, 120])];
  // The front card's top corner was read too weakly to count; its bottom corner is sure.
  const weakTop = det(upright('a'), 0.45, [160, 60, 190, 110]);
  assert.equal(tokens(readCards([...fan, weakTop, det(rotated('a'), 0.97, [150, 400, 180, 450])])), 'k/i/s/a');
  assert.equal(tokens(readCards([...fan, weakTop, det(rotated('a'), 0.8, [150, 400, 180, 450])])), 'k/i/s', 'an unsure lone corner is not a card');
  assert.equal(tokens(readCards([...fan, det(rotated('a'), 0.97, [150, 400, 180, 450])])), 'k/i/s', 'a lone corner no weak top corner agrees with');
  const weakE = det(upright('e'), 0.3, [20, 60, 50, 110]);
  assert.equal(
    tokens(readCards([...fan, weakTop, weakE, det(rotated('a'), 0.97, [150, 400, 180, 450]), det(rotated('e'), 0.95, [20, 400, 50, 450])])),
    'k/i/s/a',
    'only the front card shows its other corner',
  );
  assert.equal(tokens(readCards([...fan, det(rotated('s'), 0.97, [150, 400, 180, 450])])), 'k/i/s', 'a card already read is not read twice');
  const deck = [det(upright('a'), 0.95, [10, 10, 40, 60]), det(rotated('j'), 0.93, [300, 400, 330, 450])];
  assert.equal(tokens(readCards(deck)), 'a', "a deck card's other corner misread is not a second card");
  // A deck card's corners read as Q and U, with a weak U at the Q's own corner: that U is the Q corner's rival reading, no top of its own.
  const misread = [
    det(upright('q'), 0.92, [408, 307, 431, 332]),
    det(upright('u'), 0.24, [410, 306, 432, 331]),
    det(rotated('u'), 0.9, [389, 395, 411, 417]),
  ];
  assert.equal(tokens(readCards(misread)), 'q', 'a weak find at a corner read as another card backs up no front card');
});

test('a fan running down the photo orders along its axis', () => {
  const boxes: Box[] = [
    [100, 100, 120, 130],
    [130, 160, 150, 190],
    [160, 220, 180, 250],
  ];
  assert.deepEqual(
    orderAlongFan(boxes.map((box, i) => ({ box, i })).reverse(), 'upright').map((c) => c.i),
    [0, 1, 2],
  );
});

test("a wide fan orders by each card's lean about its pivot, its outer cards below the pivot", () => {
  // The corners of a nine-card fan held wide (a held-out photo's): the first card
  // leans about 118° left, and the last two lie one below the other at the right.
  const boxes: Box[] = [
    [92, 443, 140, 470],
    [84, 361, 129, 389],
    [106, 286, 143, 326],
    [165, 219, 186, 261],
    [238, 185, 263, 231],
    [307, 185, 330, 232],
    [363, 217, 396, 260],
    [406, 275, 446, 309],
    [398, 356, 455, 390],
  ];
  const shuffled = [4, 8, 0, 6, 2, 7, 1, 5, 3].map((i) => ({ box: boxes[i]!, i }));
  assert.deepEqual(
    orderAlongFan(shuffled, 'upright').map((c) => c.i),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  // The same photo upside down (a half turn of its 640×480 frame) reads the same.
  const halfTurned = shuffled.map(({ box, i }) => ({ box: [640 - box[2], 480 - box[3], 640 - box[0], 480 - box[1]] as Box, i }));
  assert.deepEqual(
    orderAlongFan(halfTurned, 'rotated').map((c) => c.i),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
});

test('nothing found reads as no cards', () => {
  assert.deepEqual(readCards([]), []);
  assert.deepEqual(readCards([det(0, 0.99, [0, 0, 1, 1]), det(99, 0.99, [0, 0, 1, 1])]), []);
});
