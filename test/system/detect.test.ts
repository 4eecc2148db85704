import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readPhoto } from '../../api/src/vision/detect.js';
import { scorePhoto, summarizeScores } from '../../api/src/vision/evaluate.js';
import { decodePhoto, ImageDecodeError } from '../../api/src/vision/image.js';
import { LABELS_PATH, NEEDS_REAL_PHOTOS, NOT_YET_READ, realPhotos } from '../support/photos.js';

const photos = realPhotos();
/**
 * The real cards that must be read right without being told how many each
 * photo shows: a fixed bar, not read from the model card. All 18 since the
 * reader looks past a fan's ends (reader.ts): hand-8's X, leaning about 55° at
 * the fan's left end, was missed by every model before.
 */
const REAL_CARDS_FLOOR = 18;

const tokens = async (bytes: Buffer, n?: number) => (await readPhoto(bytes, { expectedCount: n })).cards.map((c) => c.token);

for (const photo of photos) {
  test(`the real model reads ${photo.name} without a count: ${photo.cards.join('/')}`, { todo: NOT_YET_READ[photo.name] }, async () => {
    const reading = await readPhoto(photo.bytes);
    assert.deepEqual(
      reading.cards.map((c) => c.token),
      photo.cards,
    );
    assert.equal(reading.count.cards, photo.cards.length);
    assert.ok(reading.count.maybe.includes(photo.cards.length));
  });

  test(
    `${photo.name}: the true count as a hint reads the same; boxes inside the photo, scores in 0..1`,
    { todo: NOT_YET_READ[photo.name] },
    async () => {
      const reading = await readPhoto(photo.bytes, { expectedCount: photo.cards.length });
      assert.deepEqual(
        reading.cards.map((c) => c.token),
        photo.cards,
      );
      assert.equal(reading.count.seen, photo.cards.length, 'the photo shows as many cards as the hint');
      for (const card of reading.cards) {
        const [x1, y1, x2, y2] = card.box;
        assert.ok(0 <= x1 && x1 < x2 && x2 <= reading.width && 0 <= y1 && y1 < y2 && y2 <= reading.height, 'box inside the photo');
        assert.ok(card.score > 0 && card.score <= 1);
      }
    },
  );
}

test(`the model reads at least ${REAL_CARDS_FLOOR} of the 18 real cards right, without counts`, { skip: NEEDS_REAL_PHOTOS }, async () => {
  const scores = [];
  for (const photo of photos) scores.push(scorePhoto(photo.name, photo.cards, await tokens(photo.bytes)));
  const { correct, cards, photosAllRight } = summarizeScores(scores);
  assert.equal(cards, 18);
  assert.ok(correct >= REAL_CARDS_FLOOR, `${correct}/18 right: ${scores.map((s) => `${s.photo} ${s.read.join('/')}`).join(', ')}`);
  assert.equal(photosAllRight, 5 - Object.keys(NOT_YET_READ).length);
});

test('a hint above what the photo shows is filled with the weakest finds, and says so', { skip: NEEDS_REAL_PHOTOS }, async () => {
  const photo = photos.find((p) => p.name === 'hand-3.jpg')!;
  const reading = await readPhoto(photo.bytes, { expectedCount: 6 });
  assert.ok(reading.count.seen < 6, 'the photo shows fewer cards than the hint');
  assert.ok(reading.count.maybe.includes(reading.count.seen));
  for (const card of photo.cards)
    assert.ok(
      reading.cards.some((c) => c.token === card),
      `${card} is still read`,
    );
});

test(
  'a reading in doubt says what would make the photo better: nothing for a clear photo, more light for a dim one',
  { skip: NEEDS_REAL_PHOTOS },
  async () => {
    const photo = photos.find((p) => p.name === 'hand-3.jpg')!;
    const clear = await readPhoto(photo.bytes);
    assert.ok(clear.count.sure && clear.advice === undefined, 'read surely: no advice');
    // A hint of more cards than the photo shows puts the reading in doubt, so the reader looks for a cause.
    const doubted = await readPhoto(photo.bytes, { expectedCount: 6 });
    assert.ok(doubted.count.seen < 6);
    assert.equal(doubted.advice, undefined, 'in doubt, but the photo is sharp, bright and close: not its fault');
    // The same photo in a dim room: its cards' paper at a sixth of its brightness.
    const dim = await sharp(photo.bytes)
      .linear(1 / 6, 0)
      .jpeg()
      .toBuffer();
    const dimmed = await readPhoto(dim, { expectedCount: 6 });
    assert.equal(dimmed.advice, 'brighter');
    const cli = fileURLToPath(new URL('../../dist/api/src/cli.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'quiddler-'));
    writeFileSync(join(dir, 'dim.jpg'), dim);
    const run = spawnSync(process.execPath, [cli, 'read', join(dir, 'dim.jpg'), '--cards', '6'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /more light on the cards/);
  },
);

test(
  'a mirror image of a hand (a selfie view) is read mirrored back: its cards, in order, boxed on the photo as given',
  { skip: NEEDS_REAL_PHOTOS },
  async () => {
    const cli = fileURLToPath(new URL('../../dist/api/src/cli.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'quiddler-'));
    try {
      for (const photo of photos.filter((p) => p.kind === 'hand')) {
        const shown = await readPhoto(photo.bytes);
        assert.equal(shown.mirrored, false, `${photo.name} as taken is no mirror image`);
        const mirror = await sharp(photo.bytes).rotate().flop().jpeg({ quality: 92 }).toBuffer();
        const reading = await readPhoto(mirror);
        assert.equal(reading.mirrored, true, `${photo.name} mirrored`);
        assert.deepEqual(
          reading.cards.map((c) => c.token),
          photo.cards,
          `${photo.name} mirrored`,
        );
        // Each box lies on its card in the mirror image: where the photo's own box for that card lands when mirrored.
        for (const [i, card] of reading.cards.entries()) {
          const [x1, y1, x2, y2] = shown.cards[i]!.box;
          const expected = [reading.width - x2, y1, reading.width - x1, y2];
          const centre = (b: readonly number[]) => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2];
          const [dx, dy] = centre(card.box).map((v, k) => v - centre(expected)[k]!);
          assert.ok(Math.hypot(dx!, dy!) < (x2 - x1 + y2 - y1) / 2, `${photo.name} ${card.token}: box at its card`);
        }
      }
      const hand5 = photos.find((p) => p.name === 'hand-5.jpg')!;
      writeFileSync(join(dir, 'mirror.jpg'), await sharp(hand5.bytes).rotate().flop().jpeg().toBuffer());
      const run = spawnSync(process.execPath, [cli, 'read', join(dir, 'mirror.jpg')], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^K \(/);
      assert.match(run.stdout, /mirror image/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  },
);

test('readings do not depend on the file format, alpha or an EXIF rotation', { skip: NEEDS_REAL_PHOTOS }, async () => {
  const photo = photos.find((p) => p.name === 'hand-5.jpg')!;
  // The same pixels in other containers must read the same.
  const pixels = await sharp(photo.bytes).raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } } as const;
  const original = await tokens(await sharp(pixels.data, raw).png().toBuffer(), 5);
  const variants = {
    webp: await sharp(pixels.data, raw).webp({ lossless: true }).toBuffer(),
    opaqueAlpha: await sharp(pixels.data, raw).ensureAlpha(1).png().toBuffer(),
    tiff: await sharp(pixels.data, raw).tiff({ compression: 'lzw' }).toBuffer(),
    // Pixels stored turned 90° clockwise, EXIF orientation 8 says "turn me back".
    exif: await sharp(await sharp(pixels.data, raw).rotate(90).png().toBuffer())
      .withMetadata({ orientation: 8 })
      .png()
      .toBuffer(),
  };
  for (const [name, bytes] of Object.entries(variants)) assert.deepEqual(await tokens(bytes, 5), original, name);
  const turned = await readPhoto(variants.exif, { expectedCount: 5 });
  assert.deepEqual([turned.width, turned.height], [pixels.info.width, pixels.info.height], 'boxes are in the upright photo');
  // Lossy or resized copies still give a full reading.
  for (const bytes of [await sharp(photo.bytes).greyscale().jpeg().toBuffer(), await sharp(photo.bytes).resize(1920).jpeg().toBuffer()]) {
    assert.equal((await tokens(bytes, 5)).length, 5);
  }
});

test('non-images and huge images are refused clearly', async () => {
  await assert.rejects(
    decodePhoto(Buffer.from('hello, not a photo'), 40e6),
    (e: unknown) => e instanceof ImageDecodeError && e.reason === 'unsupported',
  );
  const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#777' } })
    .png()
    .toBuffer();
  await assert.rejects(decodePhoto(huge, 40e6), (e: unknown) => e instanceof ImageDecodeError && e.reason === 'too_large');
});

test('quiddler read --eval prints each photo against its labels and the accuracy', { skip: NEEDS_REAL_PHOTOS }, async () => {
  const cli = fileURLToPath(new URL('../../dist/api/src/cli.js', import.meta.url));
  const run = spawnSync(process.execPath, [cli, 'read', '--eval', LABELS_PATH, '--json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.photos.length, 5);
  let correct = 0;
  for (const photo of photos) {
    const row = report.photos.find((p: { photo: string }) => p.photo === photo.name);
    assert.deepEqual(row.read, await tokens(photo.bytes), photo.name);
    assert.deepEqual(row.truth, photo.cards);
    correct += row.correct;
  }
  assert.deepEqual([report.summary.correct, report.summary.cards], [correct, 18]);
  const text = spawnSync(process.execPath, [cli, 'read', '--eval', LABELS_PATH], { encoding: 'utf8' });
  assert.match(text.stdout, new RegExp(`^${correct}/18 cards right`, 'm'));
  // As the page sends them: a hand without a count, a deck photo as the one-card discard.
  const sent = JSON.parse(spawnSync(process.execPath, [cli, 'read', '--eval', LABELS_PATH, '--as-sent', '--json'], { encoding: 'utf8' }).stdout);
  for (const photo of photos) {
    const row = sent.photos.find((p: { photo: string }) => p.photo === photo.name);
    assert.deepEqual(row.read, await tokens(photo.bytes, photo.kind === 'deck' ? 1 : undefined), `${photo.name} as sent`);
  }
  const both = spawnSync(process.execPath, [cli, 'read', '--eval', LABELS_PATH, '--as-sent', '--with-count'], { encoding: 'utf8' });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--with-count or --as-sent, not both/);
});

test('quiddler read with bad input exits non-zero with a message', () => {
  const cli = fileURLToPath(new URL('../../dist/api/src/cli.js', import.meta.url));
  for (const [args, message] of [
    [['read', '/nonexistent.jpg'], /ENOENT/],
    [['read', fileURLToPath(new URL('../../package.json', import.meta.url))], /not a supported image/],
    [['read', 'photo.jpg', '--cards', '11'], /--cards must be an integer from 1 to 10/],
    [['read'], /exactly one PHOTO/],
  ] as const) {
    const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
