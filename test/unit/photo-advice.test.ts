/**
 * Advice for a better photo (api/src/vision/photo-advice.ts): measured on the
 * corners read, given only when the reading is in doubt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cornerLook, photoAdvice, BLURRED_EDGE, DIM_PAPER, FAR_CORNER } from '../../api/src/vision/photo-advice.js';
import type { RgbImage } from '../../api/src/vision/pixels.js';
import type { Box } from '../../api/src/vision/postprocess.js';

/**
 * A 200×200 photo of card paper (brightness `paper`, 0–255) with a dark L, its
 * strokes 12 px wide, in the corner box [70, 70, 130, 130] (a fifth of the box is
 * ink, as a letter and its points are), blurred by a box filter `blur` px wide
 * (0: sharp).
 */
function cornerPhoto(paper: number, blur = 0): RgbImage {
  const [width, height] = [200, 200];
  const ink = paper / 5;
  const stroke = (x: number, y: number) => (x >= 94 && x < 106 && y >= 80 && y < 120) || (x >= 80 && x < 120 && y >= 108 && y < 120);
  const sharp = (x: number, y: number) => (stroke(x, y) ? ink : paper);
  // A box filter across, then down: the blur of an unfocused lens, roughly.
  const reach = blur >> 1;
  const mean = (f: (d: number) => number) => {
    let sum = 0;
    for (let d = -reach; d <= reach; d++) sum += f(d);
    return sum / (2 * reach + 1);
  };
  const across = (x: number, y: number) => mean((d) => sharp(x + d, y));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.fill(Math.round(mean((d) => across(x, y + d))), 3 * (y * width + x), 3 * (y * width + x) + 3);
  }
  return { data, width, height };
}

const CORNER: Box = [70, 70, 130, 130];

test('a corner measured: its length, its paper and ink, and how wide its edges are', () => {
  const sharp = cornerLook(cornerPhoto(230), CORNER);
  assert.equal(sharp.length, 60);
  assert.ok(Math.abs(sharp.paper - 230 / 255) < 0.01, `paper ${sharp.paper}`);
  assert.ok(Math.abs(sharp.ink - 46 / 255) < 0.01, `ink ${sharp.ink}`);
  assert.ok(sharp.edge <= 2.5, `a sharp edge spans about 2 px: ${sharp.edge}`);
  const blurred = cornerLook(cornerPhoto(230, 15), CORNER);
  assert.ok(blurred.edge > 10, `blurred over 15 px: ${blurred.edge}`);
});

test('advice only when the reading is in doubt, and only what the corners show', () => {
  const advise = (image: RgbImage, box: Box = CORNER, inDoubt = true) => photoAdvice({ image, cards: [box], finds: [], inDoubt });
  assert.equal(advise(cornerPhoto(230)), undefined, 'sharp, bright and large: the doubt is not the photo');
  assert.equal(advise(cornerPhoto(0.8 * DIM_PAPER * 255), CORNER, false), undefined, 'a sure reading: no advice, however dim');
  assert.equal(advise(cornerPhoto(0.8 * DIM_PAPER * 255)), 'brighter');
  assert.equal(advise(cornerPhoto(230, Math.ceil(BLURRED_EDGE * 60 * 2))), 'steadier');
  const small: Box = [90, 90, 90 + FAR_CORNER - 2, 90 + FAR_CORNER - 2];
  assert.equal(advise(cornerPhoto(0.8 * DIM_PAPER * 255), small), 'closer', 'too small comes first: closer also makes it brighter');
});

test('no card read: the finds show where the corners are; with none, only the light is judged', () => {
  const dim = cornerPhoto(0.8 * DIM_PAPER * 255);
  const bright = cornerPhoto(230, 31);
  assert.equal(photoAdvice({ image: bright, cards: [], finds: [{ score: 0.3, box: CORNER }], inDoubt: true }), 'steadier');
  assert.equal(
    photoAdvice({ image: bright, cards: [], finds: [{ score: 0.1, box: CORNER }], inDoubt: true }),
    undefined,
    'too weak a find to judge by',
  );
  assert.equal(
    photoAdvice({ image: bright, cards: [], finds: [{ score: 0.1, box: CORNER }], findFloor: 0.1, inDoubt: true }),
    'steadier',
    'a card read by its face: faint finds are where its corners are',
  );
  assert.equal(photoAdvice({ image: dim, cards: [], finds: [], inDoubt: true }), 'brighter');
  assert.equal(photoAdvice({ image: bright, cards: [], finds: [], inDoubt: true }), undefined);
});
