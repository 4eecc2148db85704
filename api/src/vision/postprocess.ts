/**
 * Turns the detector's raw boxes into the cards a photo shows. Pure: no I/O.
 *
 * The model finds card corner indices (the letters and points printed in a
 * card's corner). Each label says the card and which way up the corner is:
 * upright (a top-left corner) or rotated 180° (a card's bottom-right corner,
 * or any corner of a photo taken upside down). A fanned hand shows the
 * top-left corner of every card and also the bottom-right of the top card; a
 * deck photo shows both corners of one card. So the corners of the photo's
 * main orientation are the cards, and the other orientation only repeats them.
 */
import type { Card } from '../cards.js';
import { decodeLabel, type Orientation } from './classes.js';
import { leansOnArc } from './fan.js';
import { median } from './stats.js';

/** [x1, y1, x2, y2] in image pixels. */
export type Box = [number, number, number, number];

export interface Detection {
  box: Box;
  label: number;
  score: number;
}

export interface Corner {
  card: Card;
  orientation: Orientation;
  score: number;
  box: Box;
}

export interface ReadCard {
  token: Card;
  score: number;
  box: Box;
}

export interface PostprocessOptions {
  /** The number of cards the photo is known to hold: the best n are returned. */
  expectedCount?: number;
  /** Without a count, corners scoring below this are ignored. */
  minScore?: number;
  /** With a count, corners below this are never used, even to fill the count. */
  floorScore?: number;
  /**
   * Without a count, the boxes of finds read as cards though under `minScore`:
   * something besides the detector puts a card there (its place on a fan).
   */
  admitted?: readonly Box[];
  /** Boxes overlapping more than this (intersection over union) are the same corner. */
  iouThreshold?: number;
}

export const DEFAULTS = { minScore: 0.5, floorScore: 0.05, iouThreshold: 0.4 } as const;

/**
 * Without a count, a card seen surely only by its other corner (the front card
 * of a fan, whose top corner was read too weakly to count) is read when that
 * corner scores at least this and the weak top corner, at least
 * LONE_CORNER_SUPPORT, reads the same card: two findings agree. A lone sure
 * corner alone is more often a deck card's other corner misread.
 */
export const LONE_CORNER_SCORE = 0.9;
export const LONE_CORNER_SUPPORT = 0.2;

/** A box's longer side: how big a corner looks, whichever way it is turned. */
/**
 * The detector's three outputs (boxes [N, 4], labels [N] as int64 or int32,
 * scores [N]) as detections: the same for onnxruntime-node and onnxruntime-web.
 */
export function detectionsFrom(boxes: Float32Array, labels: BigInt64Array | Int32Array, scores: Float32Array): Detection[] {
  return Array.from(scores, (score, i) => ({
    box: [boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!],
    label: Number(labels[i]),
    score,
  }));
}

/** A box's centre. */
export function boxCentre(box: Box): [number, number] {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
}

export function longSide(box: Box): number {
  return Math.max(box[2] - box[0], box[3] - box[1]);
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const area = (box: Box) => (box[2] - box[0]) * (box[3] - box[1]);
  return inter / (area(a) + area(b) - inter);
}

/** Greedy non-maximum suppression across classes: one label per place, the most confident. */
export function suppress<T extends { box: Box; score: number }>(items: readonly T[], threshold: number): T[] {
  const kept: T[] = [];
  for (const item of [...items].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, item.box) <= threshold)) kept.push(item);
  }
  return kept;
}

/** Reads the cards from raw detections, left to right along the fan as the player holds it. */
export function readCards(detections: readonly Detection[], options: PostprocessOptions = {}): ReadCard[] {
  const { expectedCount } = options;
  const minScore = options.minScore ?? DEFAULTS.minScore;
  const floor = expectedCount ? (options.floorScore ?? DEFAULTS.floorScore) : minScore;
  const admitted = options.admitted ?? [];
  const iouThreshold = options.iouThreshold ?? DEFAULTS.iouThreshold;
  const corners = suppress(
    detections.flatMap((d): Corner[] => {
      const decoded = decodeLabel(d.label);
      return decoded && (d.score >= floor || admitted.includes(d.box)) ? [{ ...decoded, score: d.score, box: d.box }] : [];
    }),
    iouThreshold,
  );
  if (corners.length === 0) return [];

  const main = mainOrientation(corners);
  const primary = corners.filter((c) => c.orientation === main);
  // A corner of the other orientation is a new card only if no main corner
  // already reads that card (its other corner is usually the one we have).
  const seen = new Set(primary.map((c) => c.card));
  const extra = corners.filter((c) => c.orientation !== main && !seen.has(c.card));

  let chosen: Corner[];
  if (expectedCount) {
    chosen = [...primary, ...extra].sort((a, b) => b.score - a.score).slice(0, expectedCount);
  } else {
    const read = primary.filter((c) => c.score >= minScore || admitted.includes(c.box));
    // Only the front card shows its other corner: at most one card is read from one. Its weak top
    // corner lies where no card is read: a weak find at a corner read as another card is that
    // corner's rival reading (a deck card's two corners read as Q and U, with a weak U at the Q).
    const weakTops = detections.flatMap((d) => {
      const decoded = d.score >= LONE_CORNER_SUPPORT ? decodeLabel(d.label) : undefined;
      const rival = read.some((c) => c.card !== decoded?.card && iou(c.box, d.box) > iouThreshold);
      return decoded?.orientation === main && !rival ? [decoded.card] : [];
    });
    const front = extra.filter((c) => c.score >= LONE_CORNER_SCORE && weakTops.includes(c.card)).sort((a, b) => b.score - a.score)[0];
    chosen = [...read, ...(front ? [front] : [])];
  }
  // Only the front card of a fan shows its other corner (the rest lie under
  // the card after them), and the front card is the last one along the fan:
  // a card read from that corner alone goes last, not where that corner lies.
  const ordered = [
    ...orderAlongFan(
      chosen.filter((c) => c.orientation === main),
      main,
    ),
    ...orderAlongFan(
      chosen.filter((c) => c.orientation !== main),
      main,
    ),
  ];
  return ordered.map((c) => ({ token: c.card, score: c.score, box: c.box }));
}

/** The orientation with the most confidence behind it: upright, unless the photo is upside down. */
export function mainOrientation(corners: readonly Pick<Corner, 'orientation' | 'score'>[]): Orientation {
  let upright = 0;
  let rotated = 0;
  for (const c of corners) {
    if (c.orientation === 'upright') upright += c.score;
    else rotated += c.score;
  }
  return rotated > upright ? 'rotated' : 'upright';
}

/**
 * Sorts corners along the fan, left to right as the cards stand (right to left
 * in an upside-down photo): by each card's lean about the fan's pivot when
 * three or more corners lie on an arc about one, as a held hand's do, else by
 * their projection on the corners' main axis (a row of cards, or too few to
 * tell an arc). A wide fan's outer cards lie one below the other, where a
 * projection on any one axis can put them out of order.
 */
export function orderAlongFan<T extends { box: Box }>(corners: readonly T[], orientation: Orientation): T[] {
  if (corners.length < 2) return [...corners];
  const centres = corners.map(({ box }) => boxCentre(box));
  // In the frame where the cards stand upright: an upside-down photo turned a half turn.
  const turn = orientation === 'upright' ? 1 : -1;
  const upright = centres.map(([x, y]) => [turn * x, turn * y] as const);
  const leans = leansOnArc(upright, median(corners.map(({ box }) => longSide(box))));
  const key = leans ? (i: number) => leans[i]! : projectionOnMainAxis(centres, turn);
  return corners
    .map((c, i) => [c, key(i)] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([c]) => c);
}

/** Each centre's place along the centres' principal axis, pointing rightwards in the cards' own frame (`turn` -1: upside down). */
function projectionOnMainAxis(centres: readonly [number, number][], turn: number): (i: number) => number {
  const mx = centres.reduce((s, c) => s + c[0], 0) / centres.length;
  const my = centres.reduce((s, c) => s + c[1], 0) / centres.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of centres) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  // Principal axis angle of the 2×2 covariance matrix.
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let ax = Math.cos(angle);
  let ay = Math.sin(angle);
  if (ax * turn < 0 || (ax === 0 && ay * turn > 0)) [ax, ay] = [-ax, -ay];
  return (i) => (centres[i]![0] - mx) * ax + (centres[i]![1] - my) * ay;
}
