import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardIndex, type Card } from '../api/src/cards.js';
import { readCards, type Box, type Detection } from '../api/src/vision/postprocess.js';
import { boxBack, fuseViews, pointBack, rotateTensor } from '../api/src/vision/views.js';

const upright = (card: Card) => 1 + cardIndex(card);
const det = (card: Card, score: number, box: Box): Detection => ({ label: upright(card), score, box });
const W = 64;
const H = 48;

/** A [3, H, W] image, black but for one white pixel at (x, y). */
function dot(x: number, y: number): Float32Array {
  const t = new Float32Array(3 * W * H);
  for (let c = 0; c < 3; c++) t[c * W * H + y * W + x] = 1;
  return t;
}

function brightest(t: Float32Array): [number, number] {
  let best = 0;
  for (let p = 1; p < W * H; p++) if (t[p]! > t[best]!) best = p;
  return [best % W, Math.floor(best / W)];
}

test('turning an image by 0 degrees leaves it as it is, and a turn keeps its size', () => {
  const image = dot(10, 20);
  assert.deepEqual(rotateTensor(image, W, H, 0), image);
  assert.equal(rotateTensor(image, W, H, 28).length, image.length);
});

test('a turned image shows grey where the photo has no pixels', () => {
  const turned = rotateTensor(new Float32Array(3 * W * H), W, H, 45);
  assert.equal(turned[0], 0.5, 'the corner of a 45° turn is outside the photo');
  assert.equal(turned[Math.floor(H / 2) * W + Math.floor(W / 2)], 0, 'the centre is the photo');
});

test('a pixel turned by the view maps back to where it was', () => {
  for (const degrees of [90, -28, 28]) {
    const turned = rotateTensor(dot(40, 30), W, H, degrees);
    const [x, y] = brightest(turned);
    const [bx, by] = pointBack(x, y, W, H, degrees);
    assert.ok(Math.hypot(bx - 40, by - 30) < 1.5, `${degrees}°: (${x}, ${y}) maps back to (${bx}, ${by})`);
  }
  // Clockwise on screen: a point right of the centre moves down.
  const [, y] = brightest(rotateTensor(dot(50, 24), W, H, 90));
  assert.ok(y > 30);
});

test('a box from a turned view comes back centred on the same place, its size kept', () => {
  const box: Box = [30, 20, 40, 36];
  const [x1, y1, x2, y2] = boxBack(box, W, H, 0);
  assert.deepEqual([x1, y1, x2, y2], box);
  const back = boxBack(box, W, H, 28);
  assert.ok(Math.abs(back[2] - back[0] - 10) < 1e-9 && Math.abs(back[3] - back[1] - 16) < 1e-9);
});

test('views vote: a corner misread in one view is read by the label the views agree on', () => {
  const place: Box = [10, 10, 30, 40];
  const fused = fuseViews(
    [
      { degrees: 0, detections: [det('n', 0.67, place), det('k', 0.38, place)] },
      { degrees: 28, detections: [det('k', 0.98, [11, 10, 31, 40])] },
      { degrees: -28, detections: [det('v', 0.68, [10, 11, 30, 41]), det('k', 0.4, place)] },
    ],
    W,
    H,
  );
  assert.equal(fused.length, 1);
  assert.equal(fused[0]!.label, upright('k'));
  assert.ok(Math.abs(fused[0]!.score - (0.38 + 0.98 + 0.4) / 3) < 1e-9);
  assert.deepEqual(fused[0]!.box, place, 'the box of the least turned view that read it');
});

test('separate corners stay separate, and each keeps its reading', () => {
  const fused = fuseViews(
    [
      { degrees: 0, detections: [det('x', 0.9, [0, 10, 10, 30]), det('a', 0.8, [20, 10, 30, 30])] },
      { degrees: 20, detections: [det('x', 0.7, [0, 10, 10, 30]), det('a', 0.9, [20, 10, 30, 30])] },
    ],
    W,
    H,
  );
  assert.equal(readCards(fused).map((c) => c.token).join('/'), 'x/a');
});

test('a place that a turned view cannot see is averaged over the views that can', () => {
  // Near a corner of the photo: turned 45°, that spot falls outside the view's frame.
  const fused = fuseViews(
    [
      { degrees: 0, detections: [det('e', 0.9, [0, 0, 6, 8])] },
      { degrees: 45, detections: [] },
    ],
    W,
    H,
  );
  assert.equal(fused[0]!.score, 0.9);
});
