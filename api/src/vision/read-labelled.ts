/**
 * Reads every photo of a labels file (as in ../shared/real-photos) as the page
 * does by default, without being told how many cards it shows; `withCount`
 * gives each photo its true count as the hint.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseCards } from '../cards.js';
import { readPhoto } from './detect.js';
import { scorePhoto, type PhotoScore } from './evaluate.js';

export async function readLabelledPhotos(
  labelsPath: string,
  options: { withCount?: boolean; onScore?: (score: PhotoScore) => void } = {},
): Promise<PhotoScore[]> {
  const labels = JSON.parse(await readFile(labelsPath, 'utf8')) as { photos: Record<string, { cards: string[] }> };
  const scores = [];
  for (const [photo, { cards }] of Object.entries(labels.photos)) {
    const truth = parseCards(cards);
    const reading = await readPhoto(await readFile(join(dirname(labelsPath), photo)), {
      expectedCount: options.withCount ? truth.length : undefined,
    });
    const score = scorePhoto(
      photo,
      truth,
      reading.cards.map((c) => c.token),
    );
    options.onScore?.(score);
    scores.push(score);
  }
  return scores;
}
