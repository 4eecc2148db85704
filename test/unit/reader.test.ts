/**
 * The pure reader's pieces: views of a photo (crop, zoom, quarter turns) and
 * their box mapping, the sideways test, how sure a count is, and how a reading
 * is scored against the truth. No model needed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { cardIndex, CARDS } from '../../api/src/cards.js';
import { scorePhoto } from '../../api/src/vision/evaluate.js';
import {
  boxToImage,
  boxToView,
  mirrorBox,
  mirrorImage,
  renderView,
  viewSize,
  wholeView,
  type Quarter,
  type RgbImage,
} from '../../api/src/vision/pixels.js';
import type { Box, Detection, ReadCard } from '../../api/src/vision/postprocess.js';
import { countCertainty, isSideways, readImage, type Detect } from '../../api/src/vision/reader.js';
import { VARIANTS } from '../../bench/variants.js';

/** A small image whose every pixel is different, so a wrong turn or shift shows. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = 3 * (y * width + x);
      data[p] = (x * 37) % 256;
      data[p + 1] = (y * 53) % 256;
      data[p + 2] = (x * 11 + y * 7) % 256;
    }
  }
  return { data, width, height };
}

const toBytes = (tensor: Float32Array, plane: number) =>
  Uint8Array.from({ length: plane * 3 }, (_, i) => Math.round(tensor[(i % 3) * plane + Math.floor(i / 3)]! * 255));

test('a quarter-turned view is the image turned as sharp turns it', async () => {
  const image = gradient(7, 5);
  for (const quarter of [0, 1, 2, 3] as Quarter[]) {
    const view = { ...wholeView(image, 640), quarter };
    const { tensor, width, height } = renderView(image, view);
    const expected = await sharp(image.data, { raw: { width: 7, height: 5, channels: 3 } })
      .rotate(quarter * 90)
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([width, height], [expected.info.width, expected.info.height], `quarter ${quarter}: size`);
    assert.deepEqual(toBytes(tensor, width * height), new Uint8Array(expected.data), `quarter ${quarter}: pixels`);
  }
});

test('boxes go from a view to the image and back, for every turn, crop and zoom', () => {
  const box: Box = [40, 30, 70, 90];
  for (const quarter of [0, 1, 2, 3] as Quarter[]) {
    const view = { left: 20, top: 10, width: 160, height: 120, zoom: 2.5, quarter };
    const there = boxToView(view, box);
    const back = boxToImage(view, there);
    back.forEach((v, i) => assert.ok(Math.abs(v - box[i]!) < 1e-9, `quarter ${quarter}: ${back} vs ${box}`));
    const { width, height } = viewSize(view);
    assert.ok(there[0] >= 0 && there[2] <= width && there[1] >= 0 && there[3] <= height, 'inside the view');
  }
});

test('a zoomed crop shows the region enlarged; outside the photo is grey', () => {
  const image = gradient(40, 30);
  const view = { left: 10, top: 10, width: 10, height: 10, zoom: 3, quarter: 0 as const };
  const { tensor, width, height } = renderView(image, view);
  assert.deepEqual([width, height], [30, 30]);
  // The view's centre pixel shows the region's centre, (15, 15) in the image.
  const centre = 15 * width + 15;
  const source = 3 * (15 * 40 + 15);
  assert.ok(Math.abs(tensor[centre]! * 255 - image.data[source]!) < 20, 'red at the centre');
  const off = renderView(image, { left: -100, top: -100, width: 10, height: 10, zoom: 1, quarter: 0 });
  assert.ok(
    off.tensor.every((v) => Math.abs(v - 0.5) < 1e-6),
    'grey off the photo',
  );
});

const card = (token: string, score: number, box: Box): ReadCard => ({ token: token as ReadCard['token'], score, box });

test('a fan running up and down, or corners wider than tall, is sideways', () => {
  const across = [card('a', 0.9, [10, 10, 30, 50]), card('b', 0.9, [60, 15, 80, 55]), card('c', 0.9, [110, 12, 130, 52])];
  assert.equal(isSideways(across), false);
  const down = [card('a', 0.9, [10, 10, 50, 30]), card('b', 0.9, [15, 60, 55, 80]), card('c', 0.9, [12, 110, 52, 130])];
  assert.equal(isSideways(down), true);
  const wide: Detection[] = [
    { box: [0, 0, 50, 20], label: 1, score: 0.6 },
    { box: [100, 0, 150, 22], label: 2, score: 0.6 },
  ];
  assert.equal(isSideways([], wide), true);
  assert.equal(isSideways([card('a', 0.95, [0, 0, 20, 40])]), false, 'one card alone says nothing');
});

test('the count is sure, or in doubt with the counts it may be', () => {
  const cards = [card('a', 0.97, [0, 0, 20, 40]), card('b', 0.95, [40, 0, 60, 40])];
  assert.deepEqual(countCertainty(cards, []), { cards: 2, sure: true, maybe: [2], seen: 2 });
  // A weak find away from both cards: maybe one more.
  const extra: Detection[] = [{ box: [80, 0, 100, 40], label: 3, score: 0.35 }];
  assert.deepEqual(countCertainty(cards, extra), { cards: 2, sure: false, maybe: [2, 3], seen: 2 });
  // A weak find on a card read already is that card, not another.
  const same: Detection[] = [{ box: [1, 1, 21, 41], label: 3, score: 0.35 }];
  assert.equal(countCertainty(cards, same).sure, true);
  // A card read weakly: maybe one fewer.
  const weak = [...cards, card('c', 0.55, [80, 0, 100, 40])];
  assert.deepEqual(countCertainty(weak, []).maybe, [2, 3]);
  // A hint above what is seen: the count seen without the hint is among the possibilities.
  const filled = [...cards, card('c', 0.12, [80, 0, 100, 40])];
  const found: Detection[] = filled.map((c, i) => ({ box: c.box, label: 1 + i, score: c.score }));
  assert.deepEqual(countCertainty(filled, found, 3), { cards: 3, sure: false, maybe: [2, 3], seen: 2 });
  // A photo read as one card (a deck photo) that shows three.
  const three: Detection[] = [0, 40, 80].map((x, i) => ({ box: [x, 0, x + 20, 40], label: 1 + i, score: 0.9 }));
  assert.equal(countCertainty([card('a', 0.9, [0, 0, 20, 40])], three, 1).seen, 3);
});

test('a card read by its face: sure while the corners found fit one card (two places), in doubt past that', () => {
  const face = [card('j', 0.99, [50, 50, 100, 100])];
  const corner = (x: number, score: number, size = 20): Detection => ({ box: [x, 0, x + size, 2 * size], label: 3, score });
  assert.equal(countCertainty(face, [corner(0, 0.44), corner(200, 0.3)], undefined, true).sure, true, "the card's own two corners");
  assert.deepEqual(countCertainty(face, [corner(0, 0.44), corner(100, 0.36), corner(200, 0.29)], undefined, true).maybe, [1, 2]);
  // A far fan read by its front card's face: its other corners too small to read, found only faintly.
  assert.deepEqual(
    countCertainty(face, [corner(0, 0.15), corner(100, 0.12), corner(200, 0.17)], undefined, true).maybe,
    [1, 2],
    'faint finds in three places: more cards than the one read',
  );
  assert.equal(
    countCertainty(face, [corner(0, 0.08), corner(100, 0.08), corner(200, 0.08)], undefined, true).sure,
    true,
    'finds too faint to be corners',
  );
  assert.equal(
    countCertainty(face, [corner(0, 0.3), corner(2, 0.15, 24), corner(200, 0.2)], undefined, true).sure,
    true,
    'one corner found twice at different sizes is one place',
  );
});

test('a reading is scored by the cards it keeps in order: a missed card shifts no other', () => {
  assert.equal(scorePhoto('p', ['x', 'a', 'u', 'd'], ['a', 'u', 'd']).correct, 3);
  assert.equal(scorePhoto('p', ['x', 'a', 'u', 'd'], ['a', 'u', 'd']).allRight, false);
  assert.equal(scorePhoto('p', ['r', 'u', 'th'], ['th', 'r', 'u']).correct, 2, 'out of order costs the card out of place');
  assert.equal(scorePhoto('p', ['r', 'u', 'th'], ['r', 'u', 'th']).allRight, true);
});

/**
 * A stand-in detector that really looks at its input: every red blob is a
 * corner (label = 1 + its index left to right), found only when at least
 * 16 px long, and surer the bigger it is, as a small detector behaves.
 */
const redBlobs: Detect = async (tensor, width, height) => {
  const plane = width * height;
  const red = (p: number) => tensor[p]! > 0.8 && tensor[plane + p]! < 0.2 && tensor[2 * plane + p]! < 0.2;
  const seen = new Uint8Array(plane);
  const blobs: Box[] = [];
  for (let start = 0; start < plane; start++) {
    if (seen[start] || !red(start)) continue;
    const box: Box = [width, height, 0, 0];
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = Math.floor(p / width);
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x + 1);
      box[3] = Math.max(box[3], y + 1);
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && !seen[q] && red(q)) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    blobs.push(box);
  }
  const scale = Math.min(480 / Math.min(width, height), 640 / Math.max(width, height));
  return blobs
    .filter((b) => Math.max(b[2] - b[0], b[3] - b[1]) * scale >= 16)
    .sort((a, b) => a[0] - b[0])
    .map((box, i) => ({ box, label: 1 + i, score: Math.min(0.99, (0.5 * Math.max(box[2] - box[0], box[3] - box[1]) * scale) / 20) }));
};

/** One look at a time, no turned views: the framing alone. */
const FRAMING_ONLY = { turnedViews: 'never', viewDegrees: 28, viewScope: 'corners' } as const;

/**
 * A 1600×1200 grey desk photo with a red block at each corner box, and with
 * `bar` a 3 px green bar just above or below each (barredBlobs reads it as the
 * way up the corner stands).
 */
function deskWithCorners(corners: readonly Box[], bar?: 'above' | 'below'): RgbImage {
  const width = 1600;
  const height = 1200;
  const data = new Uint8Array(width * height * 3).fill(128);
  const fill = (x1: number, y1: number, x2: number, y2: number, rgb: number[]) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) data.set(rgb, 3 * (y * width + x));
  };
  for (const [x1, y1, x2, y2] of corners) {
    fill(x1, y1, x2, y2, [255, 0, 0]);
    if (bar === 'above') fill(x1, y1 - 3, x2, y1, [0, 255, 0]);
    if (bar === 'below') fill(x1, y2, x2, y2 + 3, [0, 255, 0]);
  }
  return { data, width, height };
}

test('far cards: found in finer tiles of a large photo, then read from their region enlarged', async () => {
  const corners: Box[] = [
    [800, 600, 810, 620],
    [830, 602, 840, 622],
  ];
  const reading = await readImage(redBlobs, deskWithCorners(corners), FRAMING_ONLY);
  assert.equal(reading.cards.length, 2, 'both corners read');
  for (const [i, c] of reading.cards.entries()) {
    c.box.forEach((v, k) => assert.ok(Math.abs(v - corners[i]![k]!) < 1.5, `corner ${i} box ${c.box} vs ${corners[i]}`));
    assert.ok(c.score > 0.9, 'read sure once enlarged');
  }
  assert.ok(reading.region, 'a region was read enlarged');
  const [rx1, ry1, rx2, ry2] = reading.region!;
  assert.ok(rx1 <= 800 && ry1 <= 600 && rx2 >= 840 && ry2 >= 622 && rx2 - rx1 < 400, `region ${reading.region} frames the corners`);
  assert.ok(reading.inferences <= 12, `a bounded search (${reading.inferences} inferences)`);
});

test('far cards: a region read closer that cuts off the fan is framed again around all it read', async () => {
  // Three corners large enough to be found in the tiles, then two smaller ones the tiles miss: the first
  // near the enlarged region's edge, the second past it.
  const found: Box[] = [800, 830, 860].map((x) => [x, 600, x + 10, 620]);
  const missed: Box[] = [
    [934, 604, 940, 616],
    [968, 606, 974, 618],
  ];
  const reading = await readImage(redBlobs, deskWithCorners([...found, ...missed]), FRAMING_ONLY);
  assert.equal(reading.cards.length, 5, `all five read: ${reading.cards.map((c) => c.box.map(Math.round).join(','))}`);
  const [, , right] = reading.region!;
  assert.ok(right >= 974, `the region reaches the last corner: ${reading.region}`);
});

/** Whether the detector's input shows a green pixel at (x, y): the marks the stand-in detectors below read. */
function greenAt(tensor: Float32Array, width: number, height: number): (x: number, y: number) => boolean {
  const plane = width * height;
  return (x, y) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const p = y * width + x;
    return tensor[p]! < 0.2 && tensor[plane + p]! > 0.8 && tensor[2 * plane + p]! < 0.2;
  };
}

/**
 * As redBlobs, but each corner shows which way up it stands: a green bar above
 * it is upright, below it turned 180°; a turned corner is read less surely, as
 * the model reads small turned corners.
 */
const barredBlobs: Detect = async (tensor, width, height) => {
  const green = greenAt(tensor, width, height);
  return (await redBlobs(tensor, width, height)).map((d) => {
    const x = Math.floor((d.box[0] + d.box[2]) / 2);
    const below = [0, 1, 2].some((k) => green(x, d.box[3] + k));
    return below ? { ...d, label: d.label + CARDS.length, score: 0.7 * d.score } : d;
  });
};

test('far cards upside down: their region is read turned upright', async () => {
  const corners: Box[] = [
    [800, 600, 810, 620],
    [830, 602, 840, 622],
  ];
  const reading = await readImage(barredBlobs, deskWithCorners(corners, 'below'), FRAMING_ONLY);
  assert.equal(reading.quarter, 2, 'read turned a half turn');
  assert.equal(reading.cards.length, 2, 'both corners read');
  for (const c of reading.cards) {
    assert.ok(c.score > 0.9, `read surely once upright (${c.score})`);
    const corner = corners.find((b) => b.every((v, k) => Math.abs(v - c.box[k]!) < 1.5));
    assert.ok(corner, `box ${c.box} is one of the corners, in the photo's pixels`);
  }
  // Upside down, the cards read from right to left in the photo.
  assert.ok(reading.cards[0]!.box[0] > reading.cards[1]!.box[0], 'in the order the cards stand');
  const upright = await readImage(barredBlobs, deskWithCorners(corners, 'above'), FRAMING_ONLY);
  assert.equal(upright.quarter, 0, 'the same cards standing the right way up are read as they are');
  assert.equal(upright.cards.length, 2);
});

/**
 * As redBlobs, but each corner has a 3 px green bar at one side, and is read
 * surely only with its bar on its left: with the bar on its right it is a mirror
 * image's corner, read weakly, as a reversed letter is.
 */
const handedBlobs: Detect = async (tensor, width, height) => {
  const green = greenAt(tensor, width, height);
  return (await redBlobs(tensor, width, height)).map((d) => {
    const y = Math.floor((d.box[1] + d.box[3]) / 2);
    return [0, 1, 2].some((k) => green(d.box[2] + k, y)) ? { ...d, score: 0.4 } : d;
  });
};

/** A 640×480 grey photo of corners 20×40 px along a row, each with its green bar on its left. */
function rowOfCorners(n: number): RgbImage {
  const [width, height] = [640, 480];
  const data = new Uint8Array(width * height * 3).fill(128);
  const fill = (x1: number, x2: number, rgb: number[]) => {
    for (let y = 200; y < 240; y++) for (let x = x1; x < x2; x++) data.set(rgb, 3 * (y * width + x));
  };
  for (let i = 0; i < n; i++) {
    fill(100 + 120 * i, 120 + 120 * i, [255, 0, 0]);
    fill(97 + 120 * i, 100 + 120 * i, [0, 255, 0]);
  }
  return { data, width, height };
}

test('a mirror image of a hand is read mirrored back: its cards in order, boxed where they are in it', async () => {
  const photo = rowOfCorners(4);
  const shown = await readImage(handedBlobs, photo, FRAMING_ONLY);
  assert.equal(shown.cards.length, 4);
  assert.equal(shown.mirrored, false);
  assert.equal(shown.inferences, 1, 'read surely: no look at its mirror image');
  const selfie = mirrorImage(photo);
  let calls = 0;
  const counted: Detect = (tensor, width, height) => {
    calls++;
    return handedBlobs(tensor, width, height);
  };
  const reading = await readImage(counted, selfie, FRAMING_ONLY);
  assert.equal(reading.mirrored, true);
  assert.equal(calls, 2, 'its own look, and one at its mirror image, which is also the first look of the mirrored reading');
  assert.equal(reading.inferences, calls);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    shown.cards.map((c) => c.token),
    'the same cards, in the order they stand',
  );
  reading.cards.forEach((c, i) => assert.deepEqual(c.box, mirrorBox(shown.cards[i]!.box, photo.width), 'boxed in the mirror image'));
  assert.equal(Buffer.compare(mirrorImage(selfie).data, photo.data), 0, 'mirroring twice is the photo');
  // One card read either way proves nothing (a reversed E reads as QU): a mirrored discard stays as read.
  const card = await readImage(handedBlobs, mirrorImage(rowOfCorners(1)), FRAMING_ONLY);
  assert.equal(card.mirrored, false);
});

test('every card sure but a weak find apart from them: the count is in doubt, so that find gets a second look', async () => {
  const image = gradient(640, 480);
  const sure = [0, 1, 2].map((i) => ({ box: [100 + 60 * i, 100, 130 + 60 * i, 150] as Box, label: 1 + i, score: 0.97 }));
  const weak = { box: [300, 100, 330, 150] as Box, label: 4, score: 0.4 };
  const looks: number[] = [];
  const detect: Detect = async (_tensor, width) => {
    looks.push(width);
    // The first look finds the weak corner; the second look (a mosaic of turned tiles) reads it surely.
    return looks.length === 1 ? [...sure, weak] : [];
  };
  const reading = await readImage(detect, image, { turnedViews: 'doubt', viewDegrees: 28, viewScope: 'corners' });
  assert.equal(looks.length, 2, 'one second look, at the weak find');
  assert.equal(reading.secondLook, 'corners');
  const without = await readImage(async () => sure, image, { turnedViews: 'doubt', viewDegrees: 28, viewScope: 'corners' });
  assert.equal(without.secondLook, 'none', 'no doubt, no second look');
});

test('a portrait frame read in doubt is also read a quarter turned, and kept turned when the cards read better so', async () => {
  const image = gradient(480, 640);
  const row = (n: number, score: number) =>
    Array.from({ length: n }, (_, i) => ({ box: [100 + 70 * i, 100, 140 + 70 * i, 160] as Box, label: 1 + i, score }));
  // Upright, the sideways fan reads as one doubtful card; turned a quarter, as three sure ones.
  const detect: Detect = async (_tensor, width, height) => (width > height ? row(3, 0.98) : row(1, 0.7));
  const reading = await readImage(detect, image, { turnedViews: 'never', viewDegrees: 28, viewScope: 'corners' });
  assert.notEqual(reading.quarter, 0);
  assert.equal(reading.cards.length, 3);
  const sure = await readImage(async (_t, width, height) => (width > height ? row(3, 0.98) : row(2, 0.97)), image, {
    turnedViews: 'never',
    viewDegrees: 28,
    viewScope: 'corners',
  });
  assert.equal(sure.quarter, 0, 'a sure reading of a portrait photo is not turned');
  assert.equal(sure.inferences, 1);
});

test('a small photo with nothing in it is searched once more, at 2:1, in a few tiles', async () => {
  const image = gradient(640, 480);
  let calls = 0;
  const reading = await readImage(
    async () => {
      calls++;
      return [];
    },
    image,
    { turnedViews: 'doubt', viewDegrees: 28, viewScope: 'corners' },
  );
  assert.deepEqual(reading.cards, []);
  // The first look, 9 tiles at 2:1 (640×480 at twice its size, a quarter overlap), at most the turned photo, one look at its mirror image.
  assert.ok(calls <= 13, `${calls} inferences`);
});

test('corners too small to find at 1:1 are found in tiles at 2:1, then read enlarged', async () => {
  // 10 px long: under the fake detector's 16 at 1:1, found at 2:1, read surely at 4:1.
  const corners: Box[] = [
    [700, 500, 705, 510],
    [716, 501, 721, 511],
  ];
  const reading = await readImage(redBlobs, deskWithCorners(corners), FRAMING_ONLY);
  assert.equal(reading.cards.length, 2, 'both corners read');
  for (const c of reading.cards) assert.ok(c.score > 0.9, 'read sure once enlarged');
  assert.ok(reading.region, 'a region was read enlarged');
  // The first look, 9 tiles at 1:1, 49 at 2:1, the region: bounded.
  assert.ok(reading.inferences <= 62, `${reading.inferences} inferences`);
});

test('the bench variants are the same bytes on every run', async () => {
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  for (const variant of VARIANTS.filter((v) => v.name !== 'far, 35 %' && v.name !== 'far, upside down')) {
    const [a, b] = [await variant.make(photo), await variant.make(photo)];
    assert.ok(a.equals(b), variant.name);
  }
});

/** A grey 640×480 photo with a red bar 8×50 px centred at (x, y), leaning `lean` degrees (positive: to the right). */
function leaningBar(x: number, y: number, lean: number): RgbImage {
  const width = 640;
  const height = 480;
  const data = new Uint8Array(width * height * 3).fill(128);
  const [ux, uy] = [Math.sin((lean * Math.PI) / 180), -Math.cos((lean * Math.PI) / 180)];
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const along = (px - x) * ux + (py - y) * uy;
      const across = (px - x) * -uy + (py - y) * ux;
      if (Math.abs(along) <= 25 && Math.abs(across) <= 4) data.set([255, 0, 0], 3 * (py * width + px));
    }
  }
  return { data, width, height };
}

/** Five cards fanned 15° apart about a grip at (320, 560): where a card leaning `lean` degrees shows its corner. */
const onTheFan = (lean: number) => [320 + 300 * Math.sin((lean * Math.PI) / 180), 560 - 300 * Math.cos((lean * Math.PI) / 180)] as const;
const cornerAt = ([x, y]: readonly [number, number]): Box => [x - 20, y - 30, x + 20, y + 30];
const FIVE_FANNED = [-30, -15, 0, 15, 30].map((lean, i) => ({ box: cornerAt(onTheFan(lean)), label: 1 + i, score: 0.97 }));

/**
 * A detector that reads the five fanned cards in the photo, and a red bar as an
 * X (at `uprightScore`) only when it stands upright: leaning 45°, it finds
 * something there (a K at 0.1), as the real detector does with a corner leaning
 * past what it reads. `looks` records each input's height.
 */
function fanDetector(uprightScore: number, looks: number[] = [], fanned = FIVE_FANNED): Detect {
  return async (tensor, width, height) => {
    looks.push(height);
    const bars = (await redBlobs(tensor, width, height)).map(({ box: b }) => {
      const upright = b[3] - b[1] > 2.5 * (b[2] - b[0]);
      return { box: cornerAt([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]), label: upright ? 24 : 11, score: upright ? uprightScore : 0.1 };
    });
    return [...(height === 480 ? fanned : []), ...bars];
  };
}

const READING = { turnedViews: 'doubt', viewDegrees: 28, viewScope: 'corners' } as const;
/** Reads a 640×480 photo whose first look finds `finds` (and any other view nothing), in one look. */
function readFirstLook(finds: readonly Detection[]) {
  return readImage(async (_t, _w, height) => (height === 480 ? [...finds] : []), gradient(640, 480), FRAMING_ONLY);
}

test("a card past a fan's end, leaning too far to be read, is read turned upright", async () => {
  const looks: number[] = [];
  const reading = await readImage(fanDetector(0.95, looks), leaningBar(...onTheFan(-45), -45), READING);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'the leaning card read, first along the fan',
  );
  const x = reading.cards[0]!.box;
  const [ex, ey] = onTheFan(-45);
  assert.ok(Math.hypot((x[0] + x[2]) / 2 - ex, (x[1] + x[3]) / 2 - ey) < 3, `found where it is: ${x}`);
  assert.ok(reading.count.sure, 'six cards, surely');
  // The first look, and one past the left end, where something was found (nothing was, past the right end or past the X).
  assert.deepEqual(looks, [480, 180], `${looks.length} inferences`);

  const plain = await readImage(fanDetector(0.95), gradient(640, 480), READING);
  assert.equal(plain.cards.length, 5, 'nothing past the ends: the five');
  assert.equal(plain.inferences, 1, 'nothing found past either end: no look there');
  const never = await readImage(fanDetector(0.95), leaningBar(...onTheFan(-45), -45), { ...READING, turnedViews: 'never' });
  assert.equal(never.cards.length, 5, 'no turned views at all: no look past the ends either');
});

test("a wide fan's end card, leaning past 90° below the pivot, is read turned upright past that end", async () => {
  // Five cards 25° apart about a grip at (320, 300), the first leaning 100° left, its corner below the grip.
  const onWideFan = (lean: number) => [320 + 150 * Math.sin((lean * Math.PI) / 180), 300 - 150 * Math.cos((lean * Math.PI) / 180)] as const;
  const wide = [-100, -75, -50, -25, 0].map((lean, i) => ({ box: cornerAt(onWideFan(lean)), label: 1 + i, score: 0.97 }));
  const reading = await readImage(fanDetector(0.95, [], wide), leaningBar(...onWideFan(-125), -125), READING);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'the card leaning 125° read, first along the fan',
  );
});

test("a card read weakly past a fan's end, where the fan has room for it, is read with the count in doubt; a count given reads it too", async () => {
  const photo = leaningBar(...onTheFan(-45), -45);
  const reading = await readImage(fanDetector(0.4), photo, READING);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'read a step past the left end, where the next card would be',
  );
  assert.deepEqual(reading.count.maybe, [5, 6], 'read weakly: six cards, or five');
  const told = await readImage(fanDetector(0.4), photo, { ...READING, expectedCount: 6 });
  assert.deepEqual(
    told.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'the X read past the end outranks the K the first look filled the count with',
  );
});

test('a weak find in a gap of the fan is read as the card missed there; one off the fan only puts the count in doubt', async () => {
  // Four of the five fanned cards read surely: the upright one (lean 0°) is missed, and an upright bar there or elsewhere is read weakly as an X.
  const gapped = fanDetector(
    0.4,
    [],
    FIVE_FANNED.filter((_, i) => i !== 2),
  );
  // One look (this fake detector reads a bar only upright, so turned second looks would drown the find): the fan's shape needs no look.
  const inGap = await readImage(gapped, leaningBar(...onTheFan(0), 0), FRAMING_ONLY);
  assert.deepEqual(
    inGap.cards.map((c) => c.token),
    ['a', 'b', 'x', 'd', 'e'],
    'the weak find where the missed card is: read, in its place along the fan',
  );
  assert.deepEqual(inGap.count.maybe, [4, 5], 'read weakly: five cards, or four');
  // Inside the fan's arc, two corner lengths and more off it: no card of this fan shows its corner there.
  const [x, y] = onTheFan(0);
  const offArc = await readImage(gapped, leaningBar(x, y + 150, 0), FRAMING_ONLY);
  assert.deepEqual(
    offArc.cards.map((c) => c.token),
    ['a', 'b', 'd', 'e'],
  );
  assert.deepEqual(offArc.count.maybe, [4, 5], 'four cards, or five');
});

test("a weak find past a tight fan's end, overlapping the end card's corner, is read as the card there", async () => {
  // Five cards 6° apart: a far hand's corners overlap their neighbours' (IoU about 0.12 here), as the card past its end does.
  const tight = [-12, -6, 0, 6, 12].map((lean, i) => ({ box: cornerAt(onTheFan(lean)), label: 1 + i, score: 0.97 }));
  const reading = await readImage(fanDetector(0.4, [], tight), leaningBar(...onTheFan(-18), 0), FRAMING_ONLY);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'another letter a step past the left end: one more card',
  );
  assert.deepEqual(reading.count.maybe, [5, 6], 'read weakly: six cards, or five');

  // Two weak readings of that place: a K overlapping the A's corner, and a weaker X just apart from it. The one apart is read.
  const [ex, ey] = onTheFan(-18);
  const rivals = [
    { box: cornerAt([ex + 1, ey]), label: 11, score: 0.45 },
    { box: cornerAt([ex - 5, ey + 1]), label: 24, score: 0.35 },
  ];
  const rivalled = await readFirstLook([...tight, ...rivals]);
  assert.deepEqual(
    rivalled.cards.map((c) => c.token),
    ['x', 'a', 'b', 'c', 'd', 'e'],
    'the find apart from every card read outranks a surer one overlapping the end card',
  );
});

test('a card half hidden where a tight fan closes is read from a weak find in its narrow gap', async () => {
  // Cards 10° apart, the last gap 14°: the card hidden there shows a sliver, found with its right label at 0.22.
  const closing = [-20, -10, 0, 10, 24].map((lean, i) => ({ box: cornerAt(onTheFan(lean)), label: 1 + i, score: 0.97 }));
  const hidden = { box: cornerAt(onTheFan(17)), label: 24, score: 0.22 };
  const reading = await readFirstLook([...closing, hidden]);
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['a', 'b', 'c', 'd', 'x', 'e'],
    'the X between the D and the front card, though its gap is only 1.4 steps',
  );
  assert.deepEqual(reading.count.maybe, [5, 6], 'read weakly: six cards, or five');
  // The same find where the cards stand one step apart lies on no room: it is a neighbour's corner seen again.
  const even = [-20, -10, 0, 10, 20].map((lean, i) => ({ box: cornerAt(onTheFan(lean)), label: 1 + i, score: 0.97 }));
  const crowded = { box: cornerAt(onTheFan(15)), label: 24, score: 0.22 };
  const evenReading = await readFirstLook([...even, crowded]);
  assert.deepEqual(
    evenReading.cards.map((c) => c.token),
    ['a', 'b', 'c', 'd', 'e'],
  );
});

test("a hand whose front card's bottom corner reads above its top one is read a quarter turned too", async () => {
  // A sideways photo of R, U, TH: the detector read its corners as upright, and TH's two corners the wrong way round.
  const sideways = [
    { box: [6, 360, 87, 453] as Box, label: 1 + cardIndex('th'), score: 0.93 },
    { box: [249, 77, 324, 145] as Box, label: 1 + cardIndex('r'), score: 0.97 },
    { box: [322, 144, 415, 191] as Box, label: 1 + cardIndex('u'), score: 0.97 },
    { box: [377, 287, 450, 381] as Box, label: 1 + CARDS.length + cardIndex('th'), score: 0.9 },
  ];
  // Turned upright, the three read surely, along the fan.
  const upright = [
    { box: [78, 156, 144, 236] as Box, label: 1 + cardIndex('r'), score: 0.99 },
    { box: [143, 68, 191, 162] as Box, label: 1 + cardIndex('u'), score: 0.99 },
    { box: [292, 34, 390, 130] as Box, label: 1 + cardIndex('th'), score: 0.99 },
  ];
  const detect: Detect = async (_tensor, width, height) =>
    width === 640 && height === 480 ? sideways : width === 480 && height === 640 ? upright : [];
  const reading = await readImage(detect, gradient(640, 480), READING);
  assert.notEqual(reading.quarter, 0, 'read turned a quarter');
  assert.deepEqual(
    reading.cards.map((c) => c.token),
    ['r', 'u', 'th'],
  );
  // The same hand with TH's bottom corner below its top one, as a front card's is: no quarter turn.
  const below = sideways.map((d, i) => (i === 3 ? { ...d, box: [120, 400, 170, 478] as Box } : d));
  const sizes: string[] = [];
  const plain = await readImage(
    async (_tensor, width, height) => {
      sizes.push(`${width}×${height}`);
      return width === 640 && height === 480 ? below : [];
    },
    gradient(640, 480),
    READING,
  );
  assert.equal(plain.quarter, 0);
  assert.ok(!sizes.includes('480×640'), `no quarter-turned look (${sizes.join(', ')})`);
});
