/**
 * A fanned hand's geometry, from the corners read in it. Pure: no I/O.
 *
 * The cards of a fan turn about one pivot (where the player grips them), so
 * their top-left corners lie on an arc around it and each card leans along
 * its radius. From three or more corners the reader knows where a card missed
 * at either end of the fan would show its corner, and how far it leans: the
 * outer cards of a wide fan lean 50° and more, past what the detector reads
 * well, and a find there turned upright is read surely (lookPastFanEnds in reader.ts).
 * It also knows where the fan has room for a card missed between two others,
 * so a weak find there is one (placeOnFan; admitOnFan in reader.ts).
 */
import { median } from './stats.js';

/** A point in the frame where the cards stand upright (an upside-down photo's points turned a half turn). */
type Point = readonly [number, number];

export interface Fan {
  /** The pivot the cards turn about. */
  x: number;
  y: number;
  /** The angle between neighbouring cards, in radians. */
  step: number;
  /** The corners read, by lean: [lean in radians (0 upright, positive leaning right), distance from the pivot]. */
  cards: { lean: number; radius: number }[];
}

/** Neighbouring cards of a fan turn at least this much apart (radians): less is a row of cards, not a fan. */
const MIN_STEP = (2 * Math.PI) / 180;
/** …and at most this much: more, and the corners are no one fan. */
const MAX_STEP = (40 * Math.PI) / 180;
/** A fan's pivot lies within this many corner lengths of its corners: further, and the arc is too flat to tell leans. */
const MAX_RADIUS_IN_CORNERS = 40;

/**
 * The fan through the corners' centres (at least three, upright frame), or
 * undefined when they lie on no arc about a pivot below them (pivotBelow) or
 * their steps are no fan's.
 */
export function fitFan(points: readonly Point[], cornerSide: number): Fan | undefined {
  const pivot = pivotBelow(points, cornerSide);
  if (!pivot) return undefined;
  const { x, y } = pivot;
  const cards = points.map(([px, py]) => ({ lean: Math.atan2(px - x, y - py), radius: Math.hypot(px - x, py - y) })).sort((a, b) => a.lean - b.lean);
  const steps = cards.slice(1).map((c, i) => c.lean - cards[i]!.lean);
  const step = fanStep(steps);
  if (step < MIN_STEP || step > MAX_STEP) return undefined;
  return { x, y, step, cards };
}

/**
 * The centre of the circle through three or more corners, when it is a fan's
 * pivot: below the corners' middle (the grip is below the cards; a wide fan's
 * outer cards lean past 90°, their corners below the pivot) and within
 * MAX_RADIUS_IN_CORNERS of every corner (further, the arc is too flat to tell leans).
 */
function pivotBelow(points: readonly Point[], cornerSide: number): { x: number; y: number } | undefined {
  if (points.length < 3) return undefined;
  const circle = fitCircle(points);
  if (!circle) return undefined;
  const { x, y } = circle;
  const meanY = points.reduce((s, p) => s + p[1], 0) / points.length;
  if (y <= meanY || points.some(([px, py]) => Math.hypot(px - x, py - y) > MAX_RADIUS_IN_CORNERS * cornerSide)) return undefined;
  return circle;
}

/** A gap between corners read is a whole number of steps, give or take this share of a step (fans are not drawn with a ruler). */
const STEP_TOLERANCE = 0.3;
/** The most cards a gap between two corners read is taken to hide. */
const MOST_HIDDEN = 3;

/**
 * The angle between neighbouring cards, from the gaps between the corners read.
 * Where cards were missed, some gaps span two or more steps, and with many
 * missed their median is no step at all (N, O, _, _, IN, _, _, Q, N: gaps of 1,
 * 3, 3, 1 steps, median 2). The step is the widest angle that every gap is a
 * whole number of (within STEP_TOLERANCE), half the gaps at least being a
 * single step; failing that, the median gap.
 */
export function fanStep(gaps: readonly number[]): number {
  const candidates = gaps.flatMap((gap) => Array.from({ length: MOST_HIDDEN + 1 }, (_, k) => gap / (k + 1))).sort((a, b) => b - a);
  const whole = (gap: number, step: number) => Math.round(gap / step);
  // Neighbours read side by side show the step itself, and they must be at least half the gaps:
  // with fewer, some small divisor of the gaps would fit (one narrow gap between two cards
  // stacked at a wide fan's end would make every other gap three steps).
  const fits = (step: number) =>
    gaps.filter((gap) => whole(gap, step) === 1).length * 2 >= gaps.length &&
    gaps.every((gap) => whole(gap, step) >= 1 && whole(gap, step) <= MOST_HIDDEN + 1 && Math.abs(gap / step - whole(gap, step)) <= STEP_TOLERANCE);
  const step = candidates.find(fits);
  if (step === undefined) return median(gaps);
  // The median of the one-step gaps: the step as the fan shows it, not one gap's share of a wider one.
  return median(gaps.filter((gap) => whole(gap, step) === 1));
}

/**
 * Each point's lean about the pivot of the arc through them (upright frame),
 * to order a fan's cards by; undefined when they lie on no arc about a pivot
 * below them. Looser than fitFan: the steps between them may be any.
 */
export function leansOnArc(points: readonly Point[], cornerSide: number): number[] | undefined {
  const pivot = pivotBelow(points, cornerSide);
  return pivot && points.map(([px, py]) => Math.atan2(px - pivot.x, pivot.y - py));
}

/** Where the corner of a card one step past each end of the fan would be, and its lean (upright frame). */
export function pastTheEnds(fan: Fan): { side: 'left' | 'right'; x: number; y: number; lean: number }[] {
  const first = fan.cards[0]!;
  const last = fan.cards[fan.cards.length - 1]!;
  const at = (lean: number, radius: number) => ({ x: fan.x + radius * Math.sin(lean), y: fan.y - radius * Math.cos(lean), lean });
  return [
    { side: 'left', ...at(first.lean - fan.step, first.radius) },
    { side: 'right', ...at(last.lean + fan.step, last.radius) },
  ];
}

/** A card missed inside a fan lies within this many corner lengths of the arc its neighbours' corners lie on. */
const ARC_SLACK = 1;
/**
 * A gap between neighbours holds a missed card when it is this many steps wide
 * or more: a card hidden in a tight fan (behind its neighbours, or where the
 * fan closes towards its front card) leaves a gap well under two steps.
 */
const GAP_STEPS = 1.3;
/** …and the card lies at least this many steps from either neighbour. */
const NEIGHBOUR_SLACK = 0.4;
/** A card one step past an end lies within this many steps of that place. */
const STEP_SLACK = 0.5;

/**
 * Where a corner at `point` (upright frame) lies on the fan: in a gap between
 * two cards read, wide enough for the card missed there, or one step past
 * either end; undefined when no card of this fan could show its corner there.
 */
export function placeOnFan(fan: Fan, point: Point, cornerSide: number): 'gap' | 'left' | 'right' | undefined {
  const lean = Math.atan2(point[0] - fan.x, fan.y - point[1]);
  const radius = Math.hypot(point[0] - fan.x, point[1] - fan.y);
  const { cards, step } = fan;
  const onArc = (expected: number) => Math.abs(radius - expected) <= ARC_SLACK * cornerSide;
  const first = cards[0]!;
  const last = cards[cards.length - 1]!;
  if (lean < first.lean) return Math.abs(first.lean - step - lean) <= STEP_SLACK * step && onArc(first.radius) ? 'left' : undefined;
  if (lean > last.lean) return Math.abs(last.lean + step - lean) <= STEP_SLACK * step && onArc(last.radius) ? 'right' : undefined;
  const after = cards.findIndex((c) => c.lean > lean);
  if (after < 1) return undefined;
  const [a, b] = [cards[after - 1]!, cards[after]!];
  const roomy = b.lean - a.lean >= GAP_STEPS * step && lean - a.lean >= NEIGHBOUR_SLACK * step && b.lean - lean >= NEIGHBOUR_SLACK * step;
  const share = (lean - a.lean) / (b.lean - a.lean);
  return roomy && onArc(a.radius + share * (b.radius - a.radius)) ? 'gap' : undefined;
}

/**
 * The least-squares circle through the points (Kåsa's fit: x² + y² + Dx + Ey
 * + F = 0, linear in D, E, F), about their mean for a well-conditioned system.
 */
function fitCircle(points: readonly Point[]): { x: number; y: number } | undefined {
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  // Normal equations A^T A [D E F] = -A^T b, rows [u, v, 1], b = u² + v².
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const r = [0, 0, 0];
  for (const [px, py] of points) {
    const row = [px - mx, py - my, 1];
    const b = row[0]! ** 2 + row[1]! ** 2;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) m[i]![j]! += row[i]! * row[j]!;
      r[i]! -= row[i]! * b;
    }
  }
  const solved = solve3(m, r);
  if (!solved) return undefined;
  return { x: mx - solved[0] / 2, y: my - solved[1] / 2 };
}

/** Cramer's rule for a 3×3 system; undefined when it is singular (collinear points). */
function solve3(m: number[][], r: number[]): [number, number, number] | undefined {
  const det = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  const scale = Math.max(...m.flat().map(Math.abs));
  if (!Number.isFinite(d) || Math.abs(d) <= 1e-12 * scale ** 3) return undefined;
  const column = (k: number) => det(m.map((row, i) => row.map((v, j) => (j === k ? r[i]! : v))));
  return [column(0) / d, column(1) / d, column(2) / d];
}
