/**
 * Reads every photo of a labels file (as in ../shared/real-photos) without
 * being told how many cards it shows; `withCount` gives each photo its true
 * count as the hint, and `asSent` reads each as the page and /api/cards do:
 * a hand photo without a count, a deck photo as the discard, one card.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { photoHint, type PhotoKind } from '../app/photo-json.js';
import { parseCards } from '../cards.js';
import { readPhoto } from './detect.js';
import { scorePhoto, type PhotoScore } from './evaluate.js';

export async function readLabelledPhotos(
  labelsPath: string,
  options: { withCount?: boolean; asSent?: boolean; onScore?: (score: PhotoScore) => void } = {},
): Promise<PhotoScore[]> {
  const labels = JSON.parse(await readFile(labelsPath, 'utf8')) as { photos: Record<string, { kind?: PhotoKind; cards: string[] }> };
  const scores = [];
  for (const [photo, { kind, cards }] of Object.entries(labels.photos)) {
    const truth = parseCards(cards);
    const hint = options.withCount ? truth.length : options.asSent ? photoHint(kind ?? 'hand', undefined) : undefined;
    const reading = await readPhoto(await readFile(join(dirname(labelsPath), photo)), { expectedCount: hint });
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
