/**
 * The corner reader's part of a detection: every place where the detector found
 * a corner unsurely is read again by a small classifier from a crop of its own
 * (model/training/classifier.py), and the two readings are weighed together.
 * Pure: the classifier is a function passed in (onnxruntime-node or -web runs it).
 *
 * Why: the detector finds corners well but reads a weak, small or blurred one
 * unsurely, or as a look-alike (C/G, I/J). On held-out photos nine in ten of
 * the corners it misses have one of its boxes in the right place, only scored
 * below the cut or labelled wrong; a classifier that sees nothing but that
 * corner, at a normalised size, reads many of them right.
 */
import { iou, suppress, type Box, type Detection } from './postprocess.js';
import { SURE_SCORE, type Detect } from './reader.js';

/**
 * The classifier: the detector's input and K boxes in its pixels in, each
 * box's class probabilities out (K × classes, row by row; class 0: no corner).
 */
export type ReadCorners = (tensor: Float32Array, width: number, height: number, boxes: readonly Box[]) => Promise<Float32Array>;

/** Boxes overlapping this much are one place: the detector's boxes there for other labels are its other guesses. */
const PLACE_IOU = 0.5;
/** At most this many places are read again per inference, the likeliest first. */
const MAX_PLACES = 24;
/**
 * A label's score at a place: this much the classifier's probability, the rest
 * the detector's score for it there (0 if it did not name it). Chosen on
 * held-out synthetic photos among the weights that keep the real photos' floor
 * (model/README.md, "Corner reader"): the classifier alone read more held-out
 * photos right but fewer real cards, the two together are surer of both.
 */
export const READER_WEIGHT = 0.5;
/** Readings weaker than the detector's own output floor are dropped. */
const OUTPUT_FLOOR = 0.05;

/**
 * Where the detector found something and is not sure of it (below SURE_SCORE),
 * or found it at the edge of its input, one box per place, the likeliest first. A
 * place it is sure of elsewhere keeps its reading: reading those too cost about
 * 50 ms a look on this 2-core machine (the detect bench's median went from 97 to
 * 170 ms) for 2 more of 230 held-out tuning photos read right, within their
 * noise. A sure find at the edge is read again because the frame (the photo's,
 * or a closer region's) may have cut its corner (a half O is a sure C to the
 * detector); such finds are few, so the cost is not measurable (model/README.md,
 * "Corner reader").
 */
export function placesToRead(detections: readonly Detection[], width: number, height: number): Box[] {
  return suppress(detections, PLACE_IOU)
    .filter((d) => d.score < SURE_SCORE || cutByFrame(d.box, width, height))
    .slice(0, MAX_PLACES)
    .map((d) => d.box);
}

/** Within this many pixels of the edge of what the detector sees, a corner may be cut by the frame. */
const FRAME_MARGIN = 2;

/**
 * A box at the edge of the detector's input (the photo, or a region of it read
 * closer, whose edge cuts a corner alike): its corner may be cut, a half O read
 * surely as a C.
 */
function cutByFrame(box: Box, width: number, height: number): boolean {
  const [x0, y0, x1, y1] = box;
  return x0 <= FRAME_MARGIN || y0 <= FRAME_MARGIN || x1 >= width - FRAME_MARGIN || y1 >= height - FRAME_MARGIN;
}

/**
 * Each place's labels scored by both readers, weighed by READER_WEIGHT, with
 * the detector's box for that label there when it named it (its boxes are
 * fitted per label), else the place's: a label only the classifier names is
 * read at the place's box.
 */
export function readPlaces(detections: readonly Detection[], places: readonly Box[], probs: Float32Array): Detection[] {
  const classes = places.length > 0 ? probs.length / places.length : 0;
  const read: Detection[] = [];
  places.forEach((place, i) => {
    // The detector's likeliest box here for each label it named.
    const named = new Map<number, Detection>();
    for (const d of detections) {
      if (iou(d.box, place) >= PLACE_IOU && d.score > (named.get(d.label)?.score ?? -1)) named.set(d.label, d);
    }
    for (let label = 1; label < classes; label++) {
      const score = READER_WEIGHT * probs[i * classes + label]! + (1 - READER_WEIGHT) * (named.get(label)?.score ?? 0);
      if (score >= OUTPUT_FLOOR) read.push({ box: named.get(label)?.box ?? place, label, score });
    }
  });
  // A find at no place read again (a sure one, or one past MAX_PLACES) keeps the detector's reading.
  read.push(...detections.filter((d) => places.every((place) => iou(d.box, place) < PLACE_IOU)));
  return read.sort((a, b) => b.score - a.score);
}

/** The detector with every place it finds unsurely read again by the classifier. */
export function withCornerReader(detect: Detect, readCorners: ReadCorners): Detect {
  return async (tensor, width, height) => {
    const detections = await detect(tensor, width, height);
    const places = placesToRead(detections, width, height);
    if (places.length === 0) return detections;
    return readPlaces(detections, places, await readCorners(tensor, width, height, places));
  };
}
