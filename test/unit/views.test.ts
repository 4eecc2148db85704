import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardIndex, type Card } from '../../api/src/cards.js';
import { readCards, type Box, type Detection } from '../../api/src/vision/postprocess.js';
import {
  boxBack,
  CLOSE_UP_MAX,
  CLOSE_UP_SIDE,
  closeUp,
  fuseViews,
  MOSAIC_LONG_SIDE,
  mosaicViews,
  planMosaic,
  pointBack,
  renderMosaic,
  rotateTensor,
  spotAround,
} from '../../api/src/vision/views.js';

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
  assert.equal(
    readCards(fused)
      .map((c) => c.token)
      .join('/'),
    'x/a',
  );
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

test("a spot is a square a few times the corner's longer side, centred on it, within limits", () => {
  assert.deepEqual(spotAround([100, 100, 140, 160]), { x: 120, y: 130, size: 156 });
  assert.equal(spotAround([0, 0, 5, 5]).size, 128, 'a tiny corner still gets context around it');
  assert.equal(spotAround([0, 0, 300, 300]).size, 320);
});

test('a second look magnifies small corners up to a readable size, and never large ones or past its cap', () => {
  assert.equal(closeUp([[0, 0, 20, 16]], 1), CLOSE_UP_SIDE / 20, 'a 20 px corner is shown 40 px long');
  assert.equal(closeUp([[0, 0, 20, 16]], 2), 1, 'the model already shows it 40 px long');
  assert.equal(
    closeUp(
      [
        [0, 0, 10, 8],
        [0, 0, 32, 20],
      ],
      1,
    ),
    CLOSE_UP_SIDE / 32,
    'set by the largest: none grows past 40',
  );
  assert.equal(closeUp([[0, 0, 4, 4]], 1), CLOSE_UP_MAX);
  assert.equal(closeUp([[0, 0, 80, 50]], 1), 1);
  assert.equal(closeUp([], 1), 1);
  const spot = spotAround([0, 0, 20, 16], 2);
  assert.equal(spot.size, 64, 'magnified twice, the tile still spans TILE_MIN (128) mosaic pixels');
});

test('a mosaic lays each spot at each turn in rows 640 px wide, and gives up when over 640×480', () => {
  const spot = { x: 50, y: 40, size: 200 };
  const mosaic = planMosaic([spot], [28, -28])!;
  assert.equal(mosaic.width, MOSAIC_LONG_SIDE, "the long side at 640: the model reads it at the photo's scale");
  assert.equal(mosaic.height, 200);
  assert.deepEqual(
    mosaic.tiles.map((t) => [t.left, t.top, t.degrees]),
    [
      [0, 0, 28],
      [200, 0, -28],
    ],
  );
  assert.equal(planMosaic([spot, spot], [28, -28])!.height, 400, 'three tiles a row, so four take two rows');
  assert.equal(planMosaic([spot, spot, spot, spot], [28, -28]), undefined, 'eight tiles need three rows: 600 px');
  assert.equal(planMosaic([], [28, -28]), undefined);
});

test('a mosaic tile shows its spot turned, and a find in it maps back to where it is in the photo', () => {
  const Wp = 300;
  const Hp = 200;
  const photo = new Float32Array(3 * Wp * Hp);
  const [px, py] = [150, 90]; // one white pixel, 8 px right of the spot's centre
  for (let c = 0; c < 3; c++) photo[c * Wp * Hp + py * Wp + px] = 1;
  const mosaic = planMosaic([{ x: 142, y: 90, size: 128 }], [90, -90])!;
  const image = renderMosaic(photo, Wp, Hp, mosaic);
  assert.equal(image.length, 3 * mosaic.width * mosaic.height);
  assert.equal(image[mosaic.height * mosaic.width - 1], 0.5, 'grey where no tile is');
  const finds = mosaic.tiles.map((tile) => {
    let best = 0;
    for (let p = 0; p < mosaic.width * mosaic.height; p++) {
      const x = p % mosaic.width;
      if (x >= tile.left && x < tile.left + tile.size && image[p]! > image[best]!) best = p;
    }
    const x = best % mosaic.width;
    const y = Math.floor(best / mosaic.width);
    return { tile, x, y };
  });
  // Turned 90° clockwise, a point right of the centre shows below it; turned back the other way, above it.
  assert.ok(finds[0]!.y > finds[0]!.tile.top + 64 + 4);
  assert.ok(finds[1]!.y < finds[1]!.tile.top + 64 - 4);
  const found: Detection[] = finds.map(({ x, y }) => det('e', 0.9, [x - 5, y - 5, x + 5, y + 5]));
  const views = mosaicViews(mosaic, found);
  assert.deepEqual(
    views.map((v) => v.degrees),
    [90, -90],
  );
  for (const view of views) {
    const [box] = view.detections;
    assert.ok(Math.hypot((box!.box[0] + box!.box[2]) / 2 - px, (box!.box[1] + box!.box[3]) / 2 - py) < 1.5);
    assert.ok(view.sees!(px, py) && !view.sees!(10, 10), 'a tile sees only around its spot');
  }
});

test("a find far from its tile's centre belongs to no spot and is dropped", () => {
  const mosaic = planMosaic([{ x: 100, y: 100, size: 200 }], [28])!;
  const views = mosaicViews(mosaic, [det('e', 0.9, [0, 0, 20, 20]), det('a', 0.9, [95, 95, 105, 105])]);
  assert.deepEqual(
    views[0]!.detections.map((d) => d.label),
    [upright('a')],
  );
});

test('a place only a close-up tile sees is averaged over the views that see it', () => {
  const place: Box = [90, 90, 110, 110];
  const sees = (x: number, y: number) => Math.hypot(x - 100, y - 100) < 30;
  const fused = fuseViews(
    [
      { degrees: 0, detections: [det('n', 0.6, place), det('e', 0.95, [200, 10, 220, 30])] },
      { degrees: 28, detections: [det('k', 0.9, place)], sees },
      { degrees: -28, detections: [det('k', 0.8, place)], sees },
    ],
    640,
    480,
  );
  const byLabel = new Map(fused.map((d) => [d.label, d.score]));
  assert.ok(Math.abs(byLabel.get(upright('k'))! - (0.9 + 0.8) / 3) < 1e-9);
  assert.equal(byLabel.get(upright('e')), 0.95, 'a place no tile shows keeps its first reading');
});

test("a small photo's mosaic is zoomed as the model zooms the photo, and finds map back at the photo's scale", () => {
  const Wp = 120;
  const Hp = 90;
  const photo = new Float32Array(3 * Wp * Hp);
  for (let c = 0; c < 3; c++) photo[c * Wp * Hp + 40 * Wp + 68] = 1; // 8 px right of the spot's centre (60, 40)
  const mosaic = planMosaic([{ x: 60, y: 40, size: 64 }], [90], 2)!;
  assert.equal(mosaic.tiles[0]!.size, 128);
  const image = renderMosaic(photo, Wp, Hp, mosaic);
  let best = 0;
  for (let p = 0; p < mosaic.width * mosaic.height; p++) if (image[p]! > image[best]!) best = p;
  const [x, y] = [best % mosaic.width, Math.floor(best / mosaic.width)];
  assert.ok(Math.abs(y - 63.5 - 16) <= 1.5 && Math.abs(x - 63.5) <= 1.5, `shown at (${x}, ${y}), 16 px below the centre`);
  const [view] = mosaicViews(mosaic, [det('e', 0.9, [x - 10, y - 6, x + 10, y + 6])]);
  const [box] = view!.detections;
  assert.ok(Math.hypot((box!.box[0] + box!.box[2]) / 2 - 68, (box!.box[1] + box!.box[3]) / 2 - 40) < 1);
  assert.ok(Math.abs(box!.box[2] - box!.box[0] - 10) < 1e-9, "the box shrinks back to the photo's scale");
});
