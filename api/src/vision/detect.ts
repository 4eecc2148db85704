/** Photo in, cards out: decode, run the detector, post-process, and map boxes back to the photo. */
import { loadConfig } from '../config.js';
import { Gate } from './gate.js';
import { decodeForModel, modelScale, type DecodedPhoto } from './image.js';
import { loadDetector, type Detector } from './model.js';
import { DEFAULTS, iou, longSide, readCards, suppress, type Box, type Detection, type ReadCard } from './postprocess.js';
import { boxBack, closeUp, fuseViews, mosaicViews, planMosaic, renderMosaic, rotateTensor, spotAround, type View } from './views.js';

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
  timing: { decodeMs: number; inferenceMs: number };
  /** The decoded photo (at the detector's size), for drawing on. */
  image: DecodedPhoto;
}

/** A card read below this (or a hand short of its count) sends the photo for a second look. */
export const SURE_SCORE = 0.9;
/** A corner shorter than this (its long side, in the model's pixels) is never sure after one look. */
export const SMALL_CORNER = 32;

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
    const { turnedViews, viewDegrees, viewScope } = loadConfig();
    const turns = [viewDegrees, -viewDegrees];
    let secondLook: Reading['secondLook'] = 'none';
    const zoom = modelScale(width, height);
    // A corner this small in the photo is read at too few pixels to trust at any score.
    const smallSide = (SMALL_CORNER * sx) / zoom;
    const doubt = turnedViews === 'always' ? 'photo' : turnedViews === 'doubt' ? whatIsInDoubt(cards, expectedCount, smallSide) : [];
    if (doubt === 'photo' || doubt.length > 0) {
      const views: View[] = [{ degrees: 0, detections: first }];
      const unsure = doubt === 'photo' ? [] : unsureCorners(first, cards, doubt, sx, sy);
      const closer = closeUp(unsure, zoom);
      const spots = unsure.map((box) => spotAround(box, closer));
      const mosaic = viewScope === 'corners' ? planMosaic(spots, turns, zoom * closer) : undefined;
      if (mosaic) {
        const found = await detector.detect(renderMosaic(tensor, width, height, mosaic), mosaic.width, mosaic.height);
        views.push(...mosaicViews(mosaic, found));
        secondLook = 'corners';
      } else {
        for (const turn of turns) views.push(await turnedView(detector, tensor, width, height, turn));
        secondLook = 'photo';
      }
      detections = toPhoto(fuseViews(views, width, height));
      cards = readCards(detections, { expectedCount });
    }
    const inferred = performance.now();
    return {
      cards,
      width: image.originalWidth,
      height: image.originalHeight,
      detections,
      views: secondLook === 'none' ? [0] : [0, ...turns],
      secondLook,
      timing: { decodeMs: decoded - started, inferenceMs: inferred - decoded },
      // Without the float tensor (4 bytes a channel): only the 8-bit pixels are kept for drawing.
      image,
    };
  });
}

/**
 * What the first view leaves unsure: the whole photo when a card is missing
 * (no corner to look closer at), else the cards read weakly or from a corner
 * smaller than `smallSide` photo pixels (none: all sure).
 */
function whatIsInDoubt(cards: readonly ReadCard[], expectedCount: number | undefined, smallSide: number): 'photo' | ReadCard[] {
  if (cards.length === 0 || (expectedCount !== undefined && cards.length < expectedCount)) return 'photo';
  return cards.filter((c) => c.score < SURE_SCORE || longSide(c.box) < smallSide);
}

/** Finds this likely may be a card's other corner or a rival reading: a doubtful card's second look includes them. */
const SPOT_FLOOR = 0.3;
/** A rival find far weaker than every doubtful card (below this share of the weakest) is not worth a tile. */
const RIVAL_SHARE = 0.65;

/**
 * The places to look at again, in the detector's pixels: the doubtful cards'
 * corners and every other corner found unsurely (one per place) that is not a
 * card read surely, so a doubtful card's other corner and any rival reading
 * get their second look too, unless far weaker than the weakest doubtful card.
 */
function unsureCorners(first: readonly Detection[], cards: readonly ReadCard[], doubtful: readonly ReadCard[], sx: number, sy: number): Box[] {
  const toModel = ({ box }: ReadCard): Box => [box[0] / sx, box[1] / sy, box[2] / sx, box[3] / sy];
  const sure = cards.filter((c) => !doubtful.includes(c)).map(toModel);
  const inDoubt = doubtful.map(toModel);
  const weakest = Math.min(...doubtful.map((c) => c.score));
  // The doubtful cards' own corners always get a look, however weak.
  const floor = Math.min(weakest, Math.max(SPOT_FLOOR, RIVAL_SHARE * weakest));
  const unsure = (d: Detection) => d.score < SURE_SCORE || inDoubt.some((box) => iou(box, d.box) >= DEFAULTS.iouThreshold);
  return suppress(first.filter((d) => d.score >= floor && unsure(d)), DEFAULTS.iouThreshold)
    .filter((d) => sure.every((box) => iou(box, d.box) < DEFAULTS.iouThreshold))
    .map((d) => d.box);
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
