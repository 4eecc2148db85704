/**
 * A reading in the photo's own pixels. The reader works on a copy of the photo
 * at most WORKING_LONG_SIDE a side; what leaves it (to the API, the CLI or the
 * page) is in the pixels of the photo as taken (after its EXIF turn). Pure:
 * the server's sharp edge and the browser's worker both end a reading here.
 */
import type { Quarter } from './pixels.js';
import type { Box, Detection, ReadCard } from './postprocess.js';
import type { PhotoAdvice } from './photo-advice.js';
import type { CountCertainty, ImageReading } from './reader.js';

export interface Size {
  width: number;
  height: number;
}

export interface PhotoReading {
  cards: ReadCard[];
  /** The photo's size (after EXIF rotation): boxes are in these pixels. */
  width: number;
  height: number;
  /** Every corner the model saw above its floor (merged over the views), for debugging and drawing. */
  detections: Detection[];
  /** The turns the detector looked at the photo with: [0] alone, or [0, +d, -d] when a card was in doubt. */
  views: number[];
  /** What the turned views showed: nothing (one look), the corners in doubt, or the whole photo. */
  secondLook: 'none' | 'corners' | 'photo' | 'faces';
  /** Quarter turns clockwise the photo was read at (a sideways photo: 1 or 3). */
  quarter: Quarter;
  /** The photo is a mirror image (a front camera's or a webcam app's selfie view), read mirrored back: boxes are still in its own pixels. */
  mirrored: boolean;
  /** The part of the photo read enlarged because the cards were small in it. */
  region?: Box;
  /** How sure the number of cards is. */
  count: CountCertainty;
  /** What would make the photo read better, when its reading leaves something in doubt. */
  advice?: PhotoAdvice;
  timing: { decodeMs: number; inferenceMs: number };
}

/** What a mirrored reading means, in words, for the page and the CLI. */
export const MIRRORED_TEXT = 'This photo is a mirror image (a selfie view): it was read mirrored back.';

/** Boxes leave in the original photo's pixels (the working copy may be smaller), to a tenth of a pixel. */
export function inPhotoPixels(reading: ImageReading, working: Size, original: Size, timing: PhotoReading['timing']): PhotoReading {
  const sx = original.width / working.width;
  const sy = original.height / working.height;
  const toPhoto = (box: Box): Box => [box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy].map((v) => Math.round(v * 10) / 10) as Box;
  return {
    cards: reading.cards.map((c) => ({ ...c, box: toPhoto(c.box) })),
    width: original.width,
    height: original.height,
    detections: reading.detections.map((d) => ({ ...d, box: toPhoto(d.box) })),
    views: reading.views,
    secondLook: reading.secondLook,
    quarter: reading.quarter,
    mirrored: reading.mirrored,
    ...(reading.region ? { region: toPhoto(reading.region) } : {}),
    count: reading.count,
    ...(reading.advice ? { advice: reading.advice } : {}),
    timing,
  };
}
