/** Photo in, cards out: decode, run the detector, post-process, and map boxes back to the photo. */
import { decodeForModel, type ModelInput } from './image.js';
import { loadDetector } from './model.js';
import { readCards, type Box, type Detection, type ReadCard } from './postprocess.js';

export interface Reading {
  cards: ReadCard[];
  /** The photo's size (after EXIF rotation): boxes are in these pixels. */
  width: number;
  height: number;
  /** Every corner the model saw above its floor, for debugging and drawing. */
  detections: Detection[];
  timing: { decodeMs: number; inferenceMs: number };
  /** The decoded photo (at the detector's size), for drawing on. */
  image: ModelInput;
}

export async function readPhoto(bytes: Uint8Array, expectedCount?: number, maxPixels?: number): Promise<Reading> {
  const started = performance.now();
  const input = await decodeForModel(bytes, maxPixels);
  const decoded = performance.now();
  const detector = await loadDetector();
  const raw = await detector.detect(input.tensor, input.width, input.height);
  const inferred = performance.now();
  const sx = input.originalWidth / input.width;
  const sy = input.originalHeight / input.height;
  const detections = raw.map((d) => ({
    ...d,
    box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy].map((v) => Math.round(v * 10) / 10) as Box,
  }));
  return {
    cards: readCards(detections, { expectedCount }),
    width: input.originalWidth,
    height: input.originalHeight,
    detections,
    timing: { decodeMs: decoded - started, inferenceMs: inferred - decoded },
    image: input,
  };
}
