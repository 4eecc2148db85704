/** Photo in, cards out: decode with sharp, then the pure reader (reader.ts) over the ONNX detector. */
import { settings as processSettings, type Settings } from '../settings.js';
import { Gate } from './gate.js';
import { decodePhoto, type DecodedPhoto } from './image.js';
import { loadDetector } from './model.js';
import type { Quarter } from './pixels.js';
import type { Box, Detection, ReadCard } from './postprocess.js';
import { readImage, type CountCertainty } from './reader.js';

export { SMALL_CORNER, SURE_SCORE } from './reader.js';

export interface Reading {
  cards: ReadCard[];
  /** The photo's size (after EXIF rotation): boxes are in these pixels. */
  width: number;
  height: number;
  /** Every corner the model saw above its floor (merged over the views), for debugging and drawing. */
  detections: Detection[];
  /** The turns the detector looked at the photo with: [0] alone, or [0, +d, -d] when a card was in doubt. */
  views: number[];
  /** What the turned views showed: nothing (one look), the corners in doubt, or the whole photo. */
  secondLook: 'none' | 'corners' | 'photo';
  /** Quarter turns clockwise the photo was read at (a sideways photo: 1 or 3). */
  quarter: Quarter;
  /** The part of the photo read enlarged because the cards were small in it. */
  region?: Box;
  /** How sure the number of cards is. */
  count: CountCertainty;
  timing: { decodeMs: number; inferenceMs: number };
  /** The decoded photo (at its working size), for drawing on. */
  image: DecodedPhoto;
}

/** Two photos in flight: one decoding while the other is in the (serialized) detector. */
const photoGate = new Gate(2);

export interface ReadOptions {
  /** The number of cards the photo shows, when the player said: a hint. */
  expectedCount?: number;
  /** The settings to read with (the model, the pixel cap, the turned views); the process's by default. */
  settings?: Settings;
}

export function readPhoto(bytes: Uint8Array, { expectedCount, settings = processSettings() }: ReadOptions = {}): Promise<Reading> {
  return photoGate.run(async () => {
    const started = performance.now();
    const image = await decodePhoto(bytes, settings.maxImagePixels);
    const decoded = performance.now();
    const detector = await loadDetector(settings.modelPath);
    const { turnedViews, viewDegrees, viewScope } = settings;
    const pixels = { data: image.rgb, width: image.width, height: image.height };
    const reading = await readImage(detector.detect, pixels, { expectedCount, turnedViews, viewDegrees, viewScope });
    const inferred = performance.now();
    // Boxes leave in the original photo's pixels (the working copy may be smaller).
    const sx = image.originalWidth / image.width;
    const sy = image.originalHeight / image.height;
    const toPhoto = (box: Box): Box => [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy].map((v) => Math.round(v * 10) / 10) as Box;
    return {
      cards: reading.cards.map((c) => ({ ...c, box: toPhoto(c.box) })),
      width: image.originalWidth,
      height: image.originalHeight,
      detections: reading.detections.map((d) => ({ ...d, box: toPhoto(d.box) })),
      views: reading.views,
      secondLook: reading.secondLook,
      quarter: reading.quarter,
      ...(reading.region ? { region: toPhoto(reading.region) } : {}),
      count: reading.count,
      timing: { decodeMs: decoded - started, inferenceMs: inferred - decoded },
      image,
    };
  });
}
