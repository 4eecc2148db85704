/**
 * Reading in the conditions a player meets (bench/variants.ts): every real
 * photo in ../shared/real-photos made into each variant, read without a card
 * count as the page reads by default. ROBUST_OUT=DIR also writes the variants
 * there, to look at.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPhoto } from '../api/src/vision/detect.js';
import { scorePhoto } from '../api/src/vision/evaluate.js';
import { realPhotos } from '../test/support/photos.js';
import { median, type Row } from './stats.js';
import { VARIANTS } from './variants.js';

/** Every variant must keep this share of the cards read right… */
const CARDS_TARGET = 0.95;
/** …and this share of all the variants' photos must be read fully right. */
const PHOTOS_TARGET = 0.9;

export async function benchRobust(): Promise<Row[]> {
  const photos = realPhotos();
  const out = process.env.ROBUST_OUT;
  if (out) await mkdir(out, { recursive: true });
  await readPhoto(photos[0]!.bytes); // warm
  const rows: Row[] = [];
  let photosRight = 0;
  let photosRead = 0;
  const misses: string[] = [];
  for (const variant of VARIANTS) {
    let right = 0;
    let cards = 0;
    let whole = 0;
    const times: number[] = [];
    for (const photo of photos) {
      const bytes = await variant.make(photo.bytes);
      if (out) await writeFile(join(out, `${variant.name.replace(/[^a-z0-9]+/gi, '-')}-${photo.name}`), bytes);
      const started = performance.now();
      const reading = await readPhoto(bytes);
      times.push(performance.now() - started);
      const score = scorePhoto(
        photo.name,
        photo.cards,
        reading.cards.map((c) => c.token),
      );
      right += score.correct;
      cards += score.truth.length;
      if (score.allRight) whole++;
      else misses.push(`${variant.name}: ${photo.name} read ${score.read.join('/') || '(none)'}, truth ${score.truth.join('/')}`);
    }
    photosRight += whole;
    photosRead += photos.length;
    rows.push({
      what: `${variant.name.padEnd(17)} ${variant.about}`,
      value: `${right}/${cards} cards, ${whole}/${photos.length} photos, ${median(times).toFixed(0)} ms`,
      target: `≥ ${CARDS_TARGET * 100} % of cards`,
      ok: right >= CARDS_TARGET * cards,
    });
  }
  rows.push({
    what: 'photos fully right, all variants',
    value: `${photosRight}/${photosRead}`,
    target: `≥ ${PHOTOS_TARGET * 100} %`,
    ok: photosRight >= PHOTOS_TARGET * photosRead,
  });
  for (const miss of misses) console.log(`  miss  ${miss}`);
  return rows;
}
