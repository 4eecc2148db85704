/**
 * Writes model/model.json, the card GET /api/model serves with the model: how it
 * was trained (from train.py's metrics.json), its held-out synthetic metrics,
 * and how the product's reader (turned views included) reads the real photos and,
 * with --heldout, the held-out synthetic photos that model/training/heldout.py
 * writes, each read without its card count, as the page reads by default.
 * Usage: npx tsx scripts/model-card.ts METRICS_JSON[,METRICS_JSON...] "MACHINE" [--heldout LABELS_JSON] [--real LABELS_JSON]
 * A model trained in stages (each started from the previous one's weights with
 * train.py --init) lists every stage's metrics.json, oldest first: the training
 * totals add up, the held-out figures are the last stage's. The earlier stages
 * may instead be given as the model card they produced (a copy of the old
 * model/model.json), whose training totals are carried over; given alone (no
 * new detector stage), its corner metrics are carried over too.
 * --corner-reader METRICS_JSON adds the corner reader's training and validation
 * (model/training/train_classifier.py's metrics.json); --face-reader METRICS_JSON
 * the face reader's (train_classifier.py --net face). Without them, an earlier
 * model card's sections for either are carried over: given the card alone, only
 * the reader's figures (held-out and real photos) are read anew.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { settings } from '../api/src/settings.js';
import { summarizeScores } from '../api/src/vision/evaluate.js';
import { readLabelledPhotos } from '../api/src/vision/read-labelled.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    heldout: { type: 'string' },
    'corner-reader': { type: 'string' },
    'face-reader': { type: 'string' },
    real: { type: 'string', default: fileURLToPath(new URL('../../shared/real-photos/labels.json', import.meta.url)) },
  },
});
const [metricsPath, machine] = positionals;
if (!metricsPath || !machine) {
  console.error('usage: npx tsx scripts/model-card.ts METRICS_JSON[,METRICS_JSON...] "MACHINE" [--heldout LABELS_JSON] [--real LABELS_JSON]');
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
/** The earlier stages as an earlier model card records them (their metrics.json files are not kept). */
interface EarlierCard {
  trained: { stages_minutes: number[]; iterations: number; synthetic_photos_seen: number };
  synthetic_heldout: { photos: number; map50: number; photos_all_corners_right: number };
  /** Carried over as they are when no new metrics are given for them (a change of the reader alone). */
  corner_reader?: object;
  face_reader?: object;
}
/** What train_classifier.py writes (for the face reader, "corners" are card faces and there are no detector boxes). */
interface ClassifierMetrics {
  crops: number;
  corners_read_right: number;
  no_corner_right: number;
  iterations: number;
  crops_seen: number;
  minutes: number;
  params: number;
}
interface CornerReaderMetrics extends ClassifierMetrics {
  detector_boxes: number;
  detector_label_right: number;
  reader_label_right: number;
}
const inputs = metricsPath.split(',').map((path) => JSON.parse(readFileSync(path, 'utf8')) as StageMetrics | EarlierCard);
const earlier = inputs.filter((input): input is EarlierCard => 'trained' in input);
const stages = inputs.filter((input): input is StageMetrics => 'train_minutes' in input);
if (stages.length === 0 && earlier.length === 0) {
  console.error('give a stage metrics.json (train.py writes it) or an earlier model.json, or both');
  process.exit(2);
}
const last = stages.at(-1);
const corners = last
  ? { photos: last.n_photos, map50: last.mAP50, photos_all_corners_right: last.photos_all_right }
  : earlier.at(-1)!.synthetic_heldout;
const stagesMinutes = [...earlier.flatMap((card) => card.trained.stages_minutes), ...stages.map((stage) => stage.train_minutes)];
const total = (key: 'iters' | 'images') =>
  stages.reduce((sum, stage) => sum + stage[key], 0) +
  earlier.reduce((sum, card) => sum + (key === 'iters' ? card.trained.iterations : card.trained.synthetic_photos_seen), 0);

const scores = await readLabelledPhotos(values.real!);
const real = summarizeScores(scores);
const heldout = values.heldout ? summarizeScores(await readLabelledPhotos(values.heldout)) : undefined;
const { turnedViews, viewDegrees, viewScope } = settings();
const cornerReader = values['corner-reader'] ? (JSON.parse(readFileSync(values['corner-reader'], 'utf8')) as CornerReaderMetrics) : undefined;
const faceReader = values['face-reader'] ? (JSON.parse(readFileSync(values['face-reader'], 'utf8')) as ClassifierMetrics) : undefined;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const previous = earlier.at(-1);
const card = {
  architecture: 'Faster R-CNN (torchvision), from-scratch stride-8 conv backbone, 2.3 M parameters',
  classes_scheme: 'label 0 background; 1..31 upright corner index of each card; 32..62 the same rotated 180°',
  trained: {
    machine,
    minutes: Math.round(stagesMinutes.reduce((sum, m) => sum + m, 0)),
    stages_minutes: stagesMinutes.map((m) => Math.round(m)),
    iterations: total('iters'),
    synthetic_photos_seen: total('images'),
  },
  synthetic_heldout: {
    photos: corners.photos,
    map50: Math.round(corners.map50 * 1000) / 1000,
    photos_all_corners_right: Math.round(corners.photos_all_corners_right * 1000) / 1000,
    ...(heldout && {
      read_by_the_product: {
        photos: heldout.photos,
        photos_all_right: heldout.photosAllRight,
        photos_all_right_share: Math.round((heldout.photosAllRight / heldout.photos) * 1000) / 1000,
        cards_right_share: Math.round(heldout.accuracy * 1000) / 1000,
      },
    }),
  },
  ...(cornerReader
    ? {
        corner_reader: {
          architecture: 'a 7-layer CNN reading a 40×40 crop around each box the detector finds unsurely (model/training/classifier.py)',
          params: cornerReader.params,
          trained: { machine, minutes: Math.round(cornerReader.minutes), iterations: cornerReader.iterations, crops_seen: cornerReader.crops_seen },
          validation: {
            crops: cornerReader.crops,
            corners_read_right: round3(cornerReader.corners_read_right),
            no_corner_right: round3(cornerReader.no_corner_right),
            on_the_detectors_boxes: {
              boxes: cornerReader.detector_boxes,
              detector_label_right: round3(cornerReader.detector_label_right),
              corner_reader_label_right: round3(cornerReader.reader_label_right),
            },
          },
        },
      }
    : previous?.corner_reader && { corner_reader: previous.corner_reader }),
  ...(faceReader
    ? {
        face_reader: {
          architecture:
            'a 7-layer fully convolutional CNN reading every 64×64 window of the photo, every 8 px, at four scales, when the corners read no card (model/training/face_reader.py)',
          params: faceReader.params,
          trained: { machine, minutes: Math.round(faceReader.minutes), iterations: faceReader.iterations, windows_seen: faceReader.crops_seen },
          validation: {
            windows: faceReader.crops,
            faces_read_right: round3(faceReader.corners_read_right),
            no_card_right: round3(faceReader.no_corner_right),
          },
        },
      }
    : previous?.face_reader && { face_reader: previous.face_reader }),
  reader: { turned_views: turnedViews, view_scope: viewScope, view_degrees: viewDegrees },
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
