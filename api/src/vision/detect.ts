/** Photo in, cards out: decode, run the detector, post-process, and map boxes back to the photo. */
import { loadConfig } from '../config.js';
import { Gate } from './gate.js';
import { decodeForModel, type DecodedPhoto } from './image.js';
import { loadDetector, type Detector } from './model.js';
import { readCards, type Box, type Detection, type ReadCard } from './postprocess.js';
import { boxBack, fuseViews, rotateTensor, type View } from './views.js';

export interface Reading {
  cards: ReadCard[];
  /** The photo's size (after EXIF rotation): boxes are in these pixels. */
  width: number;
  height: number;
  /** Every corner the model saw above its floor (merged over the views), for debugging and drawing. */
  detections: Detection[];
  /** The turns the detector looked at the photo with: [0] alone, or [0, +d, -d] when a card was in doubt. */
  views: number[];
  timing: { decodeMs: number; inferenceMs: number };
  /** The decoded photo (at the detector's size), for drawing on. */
  image: DecodedPhoto;
}

/** A card read below this (or a hand short of its count) sends the photo for a second look. */
export const SURE_SCORE = 0.9;

/** Two photos in flight: one decoding while the other is in the (serialized) detector. */
const photoGate = new Gate(2);

export function readPhoto(bytes: Uint8Array, expectedCount?: number, maxPixels?: number): Promise<Reading> {
  return photoGate.run(async () => {
    const started = performance.now();
    const { tensor, ...image } = await decodeForModel(bytes, maxPixels);
    const decoded = performance.now();
    const detector = await loadDetector();
    const { width, height } = image;
    const sx = image.originalWidth / width;
    const sy = image.originalHeight / height;
    const toPhoto = (found: readonly Detection[]): Detection[] =>
      found.map((d) => ({
        ...d,
        box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy].map((v) => Math.round(v * 10) / 10) as Box,
      }));
    const first = await detector.detect(tensor, width, height);
    let detections = toPhoto(first);
    let cards = readCards(detections, { expectedCount });
    const degrees = [0];
    const { turnedViews, viewDegrees } = loadConfig();
    if (turnedViews === 'always' || (turnedViews === 'doubt' && inDoubt(cards, expectedCount))) {
      const views: View[] = [{ degrees: 0, detections: first }];
      for (const turn of [viewDegrees, -viewDegrees]) views.push(await turnedView(detector, tensor, width, height, turn));
      detections = toPhoto(fuseViews(views, width, height));
      cards = readCards(detections, { expectedCount });
      degrees.push(viewDegrees, -viewDegrees);
    }
    const inferred = performance.now();
    return {
      cards,
      width: image.originalWidth,
      height: image.originalHeight,
      detections,
      views: degrees,
      timing: { decodeMs: decoded - started, inferenceMs: inferred - decoded },
      // Without the float tensor (4 bytes a channel): only the 8-bit pixels are kept for drawing.
      image,
    };
  });
}

/** Whether the first view's reading leaves a card unsure: one read weakly, or fewer than the hint. */
function inDoubt(cards: readonly ReadCard[], expectedCount: number | undefined): boolean {
  if (cards.length === 0 || (expectedCount !== undefined && cards.length < expectedCount)) return true;
  return cards.some((c) => c.score < SURE_SCORE);
}

/** The detector's view of the photo turned by `degrees`, its boxes brought back into the photo's frame. */
async function turnedView(detector: Detector, tensor: Float32Array, width: number, height: number, degrees: number): Promise<View> {
  const raw = await detector.detect(rotateTensor(tensor, width, height, degrees), width, height);
  const detections = raw.flatMap((d) => {
    const [x1, y1, x2, y2] = boxBack(d.box, width, height, degrees);
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    // A find centred where the turned view shows no photo is no corner of it.
    if (cx < 0 || cy < 0 || cx > width || cy > height) return [];
    const box: Box = [Math.max(0, x1), Math.max(0, y1), Math.min(width, x2), Math.min(height, y2)];
    return [{ ...d, box }];
  });
  return { degrees, detections };
}
