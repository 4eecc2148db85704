/**
 * The face reader's part of the reading (vision/face-reader.ts): the grid a
 * network reads is brought back to the photo's pixels at every scale, one card
 * per place, and the reader falls back on it only when the corners read no card
 * surely. The network here is a fake that sees a red square as a card's face.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CARDS } from '../../api/src/cards.js';
import { FACE_STRIDE, FACE_WINDOW, readCardFaces, type ReadFaces } from '../../api/src/vision/face-reader.js';
import type { RgbImage } from '../../api/src/vision/pixels.js';
import { readImage, type Detect } from '../../api/src/vision/reader.js';

const CLASSES = 1 + 2 * CARDS.length;
const upright = (card: string) => 1 + CARDS.indexOf(card as (typeof CARDS)[number]);
const turned = (card: string) => upright(card) + CARDS.length;

/** A grey photo with red squares of the given sides, centred where given. */
function photo(width: number, height: number, squares: { x: number; y: number; side: number }[]): RgbImage {
  const data = new Uint8Array(width * height * 3).fill(128);
  for (const { x, y, side } of squares) {
    for (let v = Math.round(y - side / 2); v < y + side / 2; v++) {
      for (let u = Math.round(x - side / 2); u < x + side / 2; u++) data.set([230, 20, 20], 3 * (v * width + u));
    }
  }
  return { data, width, height };
}

/**
 * A network that reads a card (split between `card` upright and turned, the
 * way up it cannot tell) in the windows whose centre is red and whose size
 * holds a red square of about a card's size, 24–60 px across, and nothing elsewhere.
 */
function redFaces(card: string, sure = 0.9): ReadFaces & { calls: [number, number][] } {
  const calls: [number, number][] = [];
  const read: ReadFaces = async (tensor, width, height) => {
    calls.push([width, height]);
    const cols = Math.floor((width - FACE_WINDOW) / FACE_STRIDE) + 1;
    const rows = Math.floor((height - FACE_WINDOW) / FACE_STRIDE) + 1;
    const cells = rows * cols;
    const probs = new Float32Array(CLASSES * cells);
    const plane = width * height;
    const red = (x: number, y: number) =>
      tensor[Math.round(y) * width + Math.round(x)]! > 0.8 && tensor[plane + Math.round(y) * width + Math.round(x)]! < 0.2;
    for (let cell = 0; cell < cells; cell++) {
      const x = (cell % cols) * FACE_STRIDE + FACE_WINDOW / 2;
      const y = Math.floor(cell / cols) * FACE_STRIDE + FACE_WINDOW / 2;
      // A card's face fills the middle of the window, and stops before its edge.
      const card = [-12, 0, 12].every((d) => red(x + d, y) && red(x, y + d)) && [-30, 30].every((d) => !red(x + d, y) && !red(x, y + d));
      probs[cell] = card ? 1 - sure : 1;
      if (card) {
        probs[upright(cardName) * cells + cell] = sure * 0.6;
        probs[turned(cardName) * cells + cell] = sure * 0.4;
      }
    }
    return { probs, rows, cols };
  };
  const cardName = card;
  return Object.assign(read, { calls });
}

test('faces are found at the scale their size calls for, in the photo’s pixels, once each', async () => {
  // A 1280 × 960 photo (its model-sized view is half that) with a card face 100 px across.
  const image = photo(1280, 960, [{ x: 900, y: 300, side: 100 }]);
  const faces = redFaces('g');
  const finds = await readCardFaces(faces, image, 640);
  assert.equal(finds.length, 1, JSON.stringify(finds));
  const [find] = finds;
  assert.equal(find!.token, 'g');
  assert.ok(Math.abs(find!.score - 0.9) < 1e-6, 'its two ways up summed');
  const [x0, y0, x1, y1] = find!.box;
  // Within a cell of its centre (a cell is 8 px of the scale it was read at: 0.4 × the photo here, so 20 px).
  const near = (a: number, b: number) => Math.abs(a - b) <= 20;
  assert.ok(near((x0 + x1) / 2, 900) && near((y0 + y1) / 2, 300), `centred on the face: ${find!.box}`);
  // Read at several scales, never past twice the photo's own pixels.
  assert.ok(faces.calls.length >= 3, `${faces.calls.length} scales`);
  assert.ok(faces.calls.every(([w]) => w <= 2 * 1280));
});

test('a photo too small for a window at a scale skips that scale', async () => {
  const faces = redFaces('a');
  assert.deepEqual(await readCardFaces(faces, photo(100, 90, []), 640), []);
  assert.ok(faces.calls.every(([w, h]) => w >= FACE_WINDOW && h >= FACE_WINDOW));
});

const NOTHING: Detect = async () => [];
const OPTIONS = { turnedViews: 'never', viewDegrees: 28, viewScope: 'corners' } as const;

test('corners read nothing: the card is read from its face, and the reading says so', async () => {
  const image = photo(640, 480, [{ x: 200, y: 240, side: 40 }]);
  const reading = await readImage(NOTHING, image, OPTIONS, redFaces('q'));
  assert.equal(reading.secondLook, 'faces');
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['q'],
  );
  const [x0, , x1] = reading.cards[0]!.box;
  assert.ok(Math.abs((x0 + x1) / 2 - 200) <= 16, `at the face: ${reading.cards[0]!.box}`);
  assert.deepEqual(reading.count, { cards: 1, sure: true, maybe: [1], seen: 1 });
});

test('faces read: the surest alone is the card (a fan shows only its front card whole); a hint of more says the photo shows fewer', async () => {
  const image = photo(640, 480, [
    { x: 200, y: 240, side: 40 },
    { x: 450, y: 200, side: 40 },
  ]);
  const reading = await readImage(NOTHING, image, OPTIONS, redFaces('k'));
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['k'],
  );
  const hinted = await readImage(NOTHING, image, { ...OPTIONS, expectedCount: 5 }, redFaces('k'));
  assert.equal(hinted.cards.length, 1);
  assert.equal(hinted.count.seen, 1);
  assert.ok(hinted.count.maybe.includes(1));
});

test('faces read unsurely are no cards without a hint; a card the corners read surely is never read from its face', async () => {
  const image = photo(640, 480, [{ x: 200, y: 240, side: 40 }]);
  const weak = await readImage(NOTHING, image, OPTIONS, redFaces('q', 0.4));
  assert.deepEqual(weak.cards, []);
  assert.equal(weak.secondLook, 'none');
  const corner: Detect = async () => [{ box: [100, 100, 120, 130], label: upright('e'), score: 0.95 }];
  const faces = redFaces('q');
  const read = await readImage(corner, image, OPTIONS, faces);
  assert.deepEqual(
    read.cards.map((c) => c.token),
    ['e'],
  );
  assert.equal(faces.calls.length, 0, 'the face reader is not run');
});
