/**
 * What would make a photo read better, when its reading leaves something in
 * doubt: a player told "move closer", "more light" or "hold still" takes a photo the reader
 * can read, where a player told nothing takes the same photo again. Pure: no I/O.
 *
 * Each is measured on the corners the reader found (the card's index and the
 * paper around it), so a dark table, a busy background or a wide photo of a
 * near hand draws no advice.
 */
import type { RgbImage } from './pixels.js';
import { longSide, type Box } from './postprocess.js';
import { median } from './stats.js';

export type PhotoAdvice = 'closer' | 'brighter' | 'steadier';

/**
 * Corners shorter than this (in the pixels the reader reads, at most 1600 a side) are a
 * few strokes of ink: the detector was trained on corners down to about this size
 * (far cards 90 px tall in a 640 px photo), and a player's eye reads no smaller.
 */
export const FAR_CORNER = 16;
/** Card paper darker than this share of full white is a dim photo: the print's contrast is lost in its noise. */
export const DIM_PAPER = 0.3;
/**
 * Ink that turns to paper over more than this share of the corner's length is
 * blurred past reading. A corner's box holds its letter and points (the letter
 * about half its length, strokes about an eighth of the letter), and a letter is
 * lost once the blur (σ) reaches its stroke width: σ ≈ length / 16, and an edge
 * blurred by σ spans about 2.5 σ, so about 0.15 of the length.
 */
export const BLURRED_EDGE = 0.15;
/** The paper is the brightest pixels of a corner's box, the ink the darkest: these quantiles of their luma. */
const PAPER_QUANTILE = 0.9;
const INK_QUANTILE = 0.1;
/** The steepest edges of a corner: this quantile of its pixels' gradients. */
const EDGE_QUANTILE = 0.95;

export interface AdviceInput {
  image: RgbImage;
  /** The boxes of the cards read, in the image's pixels. */
  cards: readonly Box[];
  /** Every find, boxes in the image's pixels: where corners are when no card was read. */
  finds: readonly { score: number; box: Box }[];
  /** Finds from this score on show where the corners are when no card's corner was read (default FIND_FLOOR). */
  findFloor?: number;
  /** Whether the reading leaves anything in doubt (the reader's call): only then is there advice. */
  inDoubt: boolean;
}

/** The advice in words, for the page and the CLI. */
export const ADVICE_TEXT: Readonly<Record<PhotoAdvice, string>> = {
  closer: 'The cards look small in this photo: move the camera closer (or zoom in) so their corner letters are bigger.',
  brighter: 'This photo is dim: more light on the cards will make them easier to read.',
  steadier: 'This photo is blurred: hold the camera still and let it focus on the cards.',
};

/** Finds this likely show where the cards are, when none was read. */
const FIND_FLOOR = 0.25;

/**
 * When the reading is in doubt: 'closer' when the corners are too small to
 * read, else 'brighter' when their paper is dim, else 'steadier' when their
 * ink is blurred; nothing when none of these explains the doubt.
 */
export function photoAdvice({ image, cards, finds, findFloor = FIND_FLOOR, inDoubt }: AdviceInput): PhotoAdvice | undefined {
  if (!inDoubt) return undefined;
  const boxes = cards.length > 0 ? cards : finds.filter((f) => f.score >= findFloor).map((f) => f.box);
  // No corner found at all: only the light can be judged, from the whole photo's brightest pixels.
  if (boxes.length === 0) return cornerLook(image, [0, 0, image.width, image.height]).paper < DIM_PAPER ? 'brighter' : undefined;
  const looks = boxes.map((box) => cornerLook(image, box));
  if (median(looks.map((l) => l.length)) < FAR_CORNER) return 'closer';
  if (median(looks.map((l) => l.paper)) < DIM_PAPER) return 'brighter';
  if (median(looks.map((l) => l.edge / l.length)) > BLURRED_EDGE) return 'steadier';
  return undefined;
}

export interface CornerLook {
  /** The box's longer side, px. */
  length: number;
  /** The paper's and the ink's brightness, 0–1. */
  paper: number;
  ink: number;
  /** Over how many pixels its ink turns to paper at its steepest edges. */
  edge: number;
}

/** A box is measured on at most this many bins a side: a whole photo (no corner found) costs no more than a large corner. */
const MAX_BINS = 128;

/**
 * A corner's box, measured: its length, its paper and ink (quantiles of its
 * pixels' luma), and how wide its sharpest edges are: the ink-to-paper
 * contrast over the steepest gradients, taken on bins of 2×2 pixels or more so
 * that sensor noise does not pass for an edge (a sharp edge spans about one
 * bin so measured).
 */
export function cornerLook(image: RgbImage, box: Box): CornerLook {
  const [x0, y0] = [Math.max(0, Math.floor(box[0])), Math.max(0, Math.floor(box[1]))];
  const [x1, y1] = [Math.min(image.width, Math.ceil(box[2])), Math.min(image.height, Math.ceil(box[3]))];
  const length = longSide(box);
  const bin = Math.max(2, Math.ceil(Math.max(x1 - x0, y1 - y0) / MAX_BINS));
  const [w, h] = [Math.floor(Math.max(0, x1 - x0) / bin), Math.floor(Math.max(0, y1 - y0) / bin)];
  if (w < 2 || h < 2) return { length, paper: 1, ink: 0, edge: 0 };
  const bins = new Float32Array(w * h);
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < w; bx++) {
      let sum = 0;
      for (let y = y0 + by * bin; y < y0 + (by + 1) * bin; y++) {
        for (let x = x0 + bx * bin; x < x0 + (bx + 1) * bin; x++) {
          const i = 3 * (y * image.width + x);
          // Rec. 601 luma, as JPEG stores it (0–255).
          sum += 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
        }
      }
      bins[by * w + bx] = sum / (bin * bin);
    }
  }
  const steps = new Float32Array((w - 1) * (h - 1));
  for (let by = 0; by < h - 1; by++) {
    for (let bx = 0; bx < w - 1; bx++) {
      const v = bins[by * w + bx]!;
      steps[by * (w - 1) + bx] = Math.max(Math.abs(bins[by * w + bx + 1]! - v), Math.abs(bins[(by + 1) * w + bx]! - v));
    }
  }
  bins.sort();
  steps.sort();
  const paper = quantile(bins, PAPER_QUANTILE);
  const ink = quantile(bins, INK_QUANTILE);
  // A step spans one bin: the contrast over the steepest step's rise per pixel.
  const steepest = quantile(steps, EDGE_QUANTILE);
  const edge = steepest > 0 ? (paper - ink) / (steepest / bin) : length;
  return { length, paper: paper / 255, ink: ink / 255, edge };
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
