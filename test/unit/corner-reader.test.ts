import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardIndex, CARDS, type Card } from '../../api/src/cards.js';
import { placesToRead, READER_WEIGHT, readPlaces, withCornerReader } from '../../api/src/vision/corner-reader.js';
import { readCards, type Box, type Detection } from '../../api/src/vision/postprocess.js';

const CLASSES = 1 + 2 * CARDS.length;
/** The detector's input, in pixels. */
const [W, H] = [640, 480];
const upright = (card: Card) => 1 + cardIndex(card);
const det = (label: number, score: number, box: Box): Detection => ({ label, score, box });
/** One row of class probabilities per place: `label` gets p, the rest of the mass goes to "no corner". */
const probsOf = (...rows: [label: number, p: number][]) => {
  const probs = new Float32Array(rows.length * CLASSES);
  rows.forEach(([label, p], i) => {
    probs[i * CLASSES + label] = p;
    probs[i * CLASSES] = 1 - p;
  });
  return probs;
};
const scoreOf = (detections: Detection[], label: number) => detections.find((d) => d.label === label)?.score ?? 0;

test('one place per corner: the detector boxes for other labels there are its other guesses', () => {
  const places = placesToRead(
    [det(upright('c'), 0.45, [10, 10, 30, 40]), det(upright('g'), 0.4, [11, 10, 31, 41]), det(upright('a'), 0.8, [100, 10, 120, 40])],
    W,
    H,
  );
  assert.deepEqual(places, [
    [100, 10, 120, 40],
    [10, 10, 30, 40],
  ]);
});

test('a corner the detector is sure of is not read again, and keeps its reading', () => {
  const detections = [det(upright('a'), 0.97, [100, 10, 120, 40]), det(upright('c'), 0.45, [10, 10, 30, 40])];
  const places = placesToRead(detections, W, H);
  assert.deepEqual(places, [[10, 10, 30, 40]]);
  const read = readPlaces(detections, places, probsOf([upright('c'), 0.9]));
  assert.equal(scoreOf(read, upright('a')), 0.97);
});

test("a sure find at the photo's edge is read again: its corner may be cut by the frame", () => {
  // A half O at the left edge reads surely as a C to the detector, its O a weak second guess (held-out judge photo 190).
  const detections = [
    det(upright('c'), 0.95, [1, 367, 63, 425]),
    det(upright('o'), 0.2, [2, 366, 63, 426]),
    det(upright('e'), 0.97, [100, 310, 160, 370]),
  ];
  const places = placesToRead(detections, W, H);
  assert.deepEqual(places, [[1, 367, 63, 425]]);
  const read = readPlaces(detections, places, probsOf([upright('o'), 0.99]));
  assert.deepEqual(
    readCards(read)
      .map((c) => c.token)
      .sort(),
    ['e', 'o'],
  );
  for (const edge of [
    [600, 10, 639, 60],
    [200, 0, 240, 50],
    [200, 430, 240, 479],
  ] as Box[]) {
    assert.equal(placesToRead([det(upright('a'), 0.97, edge)], W, H).length, 1, `a sure find at ${edge.join(',')} is read again`);
  }
});

test('a corner the detector reads unsurely and the classifier surely is read', () => {
  const detections = [det(upright('c'), 0.35, [10, 10, 30, 40]), det(upright('g'), 0.3, [11, 10, 31, 41])];
  assert.equal(readCards(detections).length, 0, 'the detector alone reads no card here');
  const places = placesToRead(detections, W, H);
  const read = readPlaces(detections, places, probsOf([upright('c'), 0.95]));
  assert.ok(Math.abs(scoreOf(read, upright('c')) - (READER_WEIGHT * 0.95 + (1 - READER_WEIGHT) * 0.35)) < 1e-6);
  assert.ok(scoreOf(read, upright('g')) < 0.5 * scoreOf(read, upright('c')), 'the classifier gives the look-alike nothing');
  assert.deepEqual(
    readCards(read).map((c) => c.token),
    ['c'],
  );
});

test('a look-alike the detector never named is added at its place', () => {
  const detections = [det(upright('i'), 0.45, [10, 10, 30, 40])];
  const read = readPlaces(detections, placesToRead(detections, W, H), probsOf([upright('j'), 0.97]));
  assert.ok(scoreOf(read, upright('j')) > scoreOf(read, upright('i')));
  assert.deepEqual(read.find((d) => d.label === upright('j'))?.box, [10, 10, 30, 40]);
  assert.deepEqual(
    readCards(read).map((c) => c.token),
    [],
    'neither reading is sure enough alone to make a card',
  );
});

test('a find the classifier sees no corner in loses its card', () => {
  const detections = [det(upright('o'), 0.7, [10, 10, 30, 40])];
  const read = readPlaces(detections, placesToRead(detections, W, H), probsOf([upright('o'), 0.02]));
  assert.ok(scoreOf(read, upright('o')) < 0.5);
  assert.equal(readCards(read).length, 0);
});

test('each label keeps the box the detector fitted for it', () => {
  const detections = [det(upright('m'), 0.6, [10, 10, 30, 40]), det(upright('w'), 0.3, [12, 11, 31, 42])];
  const read = readPlaces(detections, placesToRead(detections, W, H), probsOf([upright('w'), 0.9]));
  assert.deepEqual(read[0]?.box, [12, 11, 31, 42]);
});

test('the classifier is asked about every place in the detector’s pixels, once per inference', async () => {
  const asked: Box[][] = [];
  const detect = withCornerReader(
    async () => [det(upright('a'), 0.8, [10, 10, 30, 40]), det(upright('b'), 0.6, [60, 10, 80, 40])],
    async (_tensor, _width, _height, boxes) => {
      asked.push([...boxes]);
      return probsOf([upright('a'), 0.9], [upright('b'), 0.9]);
    },
  );
  const found = await detect(new Float32Array(3 * 4 * 4), 4, 4);
  assert.deepEqual(asked, [
    [
      [10, 10, 30, 40],
      [60, 10, 80, 40],
    ],
  ]);
  assert.deepEqual(
    readCards(found).map((c) => c.token),
    ['a', 'b'],
  );
});

test('no find, no question', async () => {
  let asked = 0;
  const detect = withCornerReader(
    async () => [],
    async () => {
      asked++;
      return new Float32Array();
    },
  );
  assert.deepEqual(await detect(new Float32Array(3), 1, 1), []);
  assert.equal(asked, 0);
});
