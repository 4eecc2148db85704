/** Photo in, cards out: decode, run the detector, post-process, and map boxes back to the photo. */
import { Gate } from './gate.js';
import { decodeForModel, type DecodedPhoto } from './image.js';
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
  image: DecodedPhoto;
}

/** Two photos in flight: one decoding while the other is in the (serialized) detector. */
const photoGate = new Gate(2);

export function readPhoto(bytes: Uint8Array, expectedCount?: number, maxPixels?: number): Promise<Reading> {
  return photoGate.run(async () => {
    const started = performance.now();
    const { tensor, ...image } = await decodeForModel(bytes, maxPixels);
    const decoded = performance.now();
    const detector = await loadDetector();
    const raw = await detector.detect(tensor, image.width, image.height);
    const inferred = performance.now();
    const sx = image.originalWidth / image.width;
    const sy = image.originalHeight / image.height;
    const detections = raw.map((d) => ({
      ...d,
      box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy].map((v) => Math.round(v * 10) / 10) as Box,
    }));
    return {
      cards: readCards(detections, { expectedCount }),
      width: image.originalWidth,
      height: image.originalHeight,
      detections,
      timing: { decodeMs: decoded - started, inferenceMs: inferred - decoded },
      // Without the float tensor (4 bytes a channel): only the 8-bit pixels are kept for drawing.
      image,
    };
  });
}
