/**
 * Writes model/model.json, the card GET /api/model serves with the model: how it
 * was trained (from train.py's metrics.json), its held-out synthetic metrics,
 * and how it reads the real photos (run here, with the card counts as hints).
 * Usage: npx tsx scripts/model-card.ts METRICS_JSON[,METRICS_JSON...] "MACHINE" [LABELS_JSON]
 * A model trained in stages (each started from the previous one's weights with
 * train.py --init) lists every stage's metrics.json, oldest first: the training
 * totals add up, the held-out figures are the last stage's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCards } from '../api/src/cards.js';
import { readPhoto } from '../api/src/vision/detect.js';
import { scorePhoto, summarizeScores } from '../api/src/vision/evaluate.js';

const [metricsPath, machine, labelsPath = fileURLToPath(new URL('../../shared/real-photos/labels.json', import.meta.url))] = process.argv.slice(2);
if (!metricsPath || !machine) {
  console.error('usage: npx tsx scripts/model-card.ts METRICS_JSON[,METRICS_JSON...] "MACHINE" [LABELS_JSON]');
  process.exit(2);
}
interface StageMetrics {
  mAP50: number;
  photos_all_right: number;
  n_photos: number;
  iters: number;
  images: number;
  train_minutes: number;
}
const stages = metricsPath.split(',').map((path) => JSON.parse(readFileSync(path, 'utf8')) as StageMetrics);
const metrics = stages.at(-1)!;
const total = (key: 'iters' | 'images' | 'train_minutes') => stages.reduce((sum, stage) => sum + stage[key], 0);
const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as { photos: Record<string, { cards: string[] }> };
const scores = [];
for (const [photo, { cards }] of Object.entries(labels.photos)) {
  const truth = parseCards(cards);
  const reading = await readPhoto(readFileSync(join(dirname(labelsPath), photo)), truth.length);
  scores.push(scorePhoto(photo, truth, reading.cards.map((c) => c.token)));
}
const real = summarizeScores(scores);
const card = {
  architecture: 'Faster R-CNN (torchvision), from-scratch stride-8 conv backbone, 2.3 M parameters',
  classes_scheme: 'label 0 background; 1..31 upright corner index of each card; 32..62 the same rotated 180°',
  trained: {
    machine,
    minutes: Math.round(total('train_minutes')),
    stages_minutes: stages.map((stage) => Math.round(stage.train_minutes)),
    iterations: total('iters'),
    synthetic_photos_seen: total('images'),
  },
  synthetic_heldout: {
    photos: metrics.n_photos,
    map50: Math.round(metrics.mAP50 * 1000) / 1000,
    photos_all_corners_right: Math.round(metrics.photos_all_right * 1000) / 1000,
  },
  real_photos: {
    cards_right: real.correct,
    cards: real.cards,
    photos_all_right: real.photosAllRight,
    photos: real.photos,
    readings: Object.fromEntries(scores.map((s) => [s.photo, s.read.join('/')])),
  },
};
const out = fileURLToPath(new URL('../model/model.json', import.meta.url));
writeFileSync(out, JSON.stringify(card, null, 2) + '\n');
console.log(JSON.stringify(card, null, 2));
