/**
 * Pixels in, cards out: where to look, how close, which way up, and when to
 * look again. Pure: the detector is a function passed in, so the same reader
 * runs over onnxruntime-node on the server and onnxruntime-web in a browser.
 *
 * 1. First look: the whole photo at the model's size.
 * 2. Far cards: when the cards are small (a desk shot, a deck card across the
 *    table) or nothing was found in a large photo, find where they are (from
 *    the first look, or from tiles of the photo read at a finer scale) and
 *    read that region enlarged so the corners are at a size the model reads well.
 * 3. Sideways photos: when the fan runs up and down, or a portrait frame
 *    leaves the reading in doubt (a photo stored without its EXIF turn), also
 *    read the view turned a quarter each way, and keep the way up the cards
 *    read best in.
 * 4. Second look at whatever is still in doubt (views.ts): the doubtful
 *    corners turned ±28° as tiles of one mosaic, or the whole view turned.
 * 5. A fanned hand's ends: where one more card would show its corner past
 *    either end of the fan, turned upright by the lean it would have (fan.ts).
 */
import { boxToImage, mirrorBox, mirrorImage, renderView, wholeView, type Quarter, type RgbImage, type ViewSpec } from './pixels.js';
import {
  boxCentre,
  DEFAULTS,
  iou,
  longSide,
  mainOrientation,
  readCards,
  suppress,
  type Box,
  type Corner,
  type Detection,
  type ReadCard,
} from './postprocess.js';
import { decodeLabel, halfTurnedLabel, type Orientation } from './classes.js';
import { readCardFaces, type FaceFind, type ReadFaces } from './face-reader.js';
import { fitFan, pastTheEnds, placeOnFan } from './fan.js';
import { median } from './stats.js';
import { photoAdvice, type PhotoAdvice } from './photo-advice.js';
import { HAND_LIMITS, ROUND_SIZES } from '../rules.js';
import {
  closeUp,
  fuseViews,
  mosaicViews,
  planMosaic,
  planTurnedMosaic,
  renderMosaic,
  rotateTensor,
  spotAround,
  boxBack,
  TILE_REACH,
  type View,
} from './views.js';

/** The detector: a [3, height, width] image in 0..1 in, corners out (boxes in its input's pixels). */
export type Detect = (tensor: Float32Array, width: number, height: number) => Promise<Detection[]>;

/** The model reads at most this long a side… */
export const MODEL_LONG_SIDE = 640;
/** …and scales its input so the short side is this, unless that takes the long side past MODEL_LONG_SIDE. */
export const MODEL_SHORT_SIDE = 480;

/** The scale the model reads a width × height input at (torchvision's resize inside the ONNX graph). */
export function modelScale(width: number, height: number): number {
  return Math.min(MODEL_SHORT_SIDE / Math.min(width, height), MODEL_LONG_SIDE / Math.max(width, height));
}

export interface ReaderOptions {
  /** The number of cards the photo is said to show: a hint. */
  expectedCount?: number;
  /** When the detector also reads turned views: only on doubt, always, or never. */
  turnedViews: 'doubt' | 'always' | 'never';
  viewDegrees: number;
  /** What a doubtful first look turns: the corners in doubt (a mosaic), or the whole view. */
  viewScope: 'corners' | 'photo';
}

/** How sure the reader is of the number of cards. */
export interface CountCertainty {
  /** Cards read. */
  cards: number;
  /** No weak extra find that could be one more card, and no card read so weakly it could be none. */
  sure: boolean;
  /** The counts the photo may show, `cards` among them (e.g. [7, 8]). */
  maybe: number[];
  /** Cards the photo shows read without any hint (score ≥ 0.5): fewer than a hint means it shows fewer, more means it shows more. */
  seen: number;
}

export interface ImageReading {
  /** Boxes in the image's pixels, left to right along the fan. */
  cards: ReadCard[];
  /** Every corner found above the model's floor (merged over the views), in the image's pixels. */
  detections: Detection[];
  /** The turns the second look used: [0] alone, or [0, +d, -d]. */
  views: number[];
  /** 'faces': the corners read no card surely, and the cards were read from their faces (face-reader.ts). */
  secondLook: 'none' | 'corners' | 'photo' | 'faces';
  /** Clockwise quarter turns of the photo the cards were read in (1: a sideways photo turned upright), after its mirroring if mirrored. */
  quarter: Quarter;
  /** The photo is a mirror image (a front camera's or a webcam app's selfie view), read mirrored back. */
  mirrored: boolean;
  /** The part of the image read enlarged, when the cards were small in it. */
  region?: Box;
  /** How many inferences the reading took. */
  inferences: number;
  count: CountCertainty;
  /** What would make the photo read better, when its reading leaves something in doubt (photo-advice.ts). */
  advice?: PhotoAdvice;
  /** Whether anything in the reading is in doubt: the count, a card read unsurely, or fewer cards seen than the hint. */
  inDoubt: boolean;
}

/**
 * Photos are decoded at most this long a side (sharp on the server,
 * createImageBitmap in a browser): the first look reads them at 640, and far
 * cards are read again from these finer pixels (a 35 % desk shot of a hand in
 * a 1600 px photo still has its corners ~20 px long).
 */
export const WORKING_LONG_SIDE = 1600;

/** How the reader reads unless a setting says otherwise (the server's settings.ts; the page always reads so). */
export const READER_DEFAULTS = { turnedViews: 'doubt', viewDegrees: 28, viewScope: 'corners' } as const satisfies Omit<
  ReaderOptions,
  'expectedCount'
>;

/** A card read below this (or a hand short of its count) sends the photo for a second look. */
export const SURE_SCORE = 0.9;
/** A corner shorter than this (its long side, in the model's pixels) is never sure after one look. */
export const SMALL_CORNER = 32;
/** A region is read enlarged so that its corners' long side is about this many model pixels. */
export const TARGET_CORNER = 56;
/** Enlarging a region further than this (view pixels per image pixel) adds blur, not detail. */
const MAX_REGION_ZOOM = 4;
/** A closer look must enlarge at least this much to be worth an inference. */
const MIN_GAIN = 1.3;
/** Tiles read the photo this many times finer than the first look (at most the photo's own pixels). */
const TILE_GAIN = 2.5;
/**
 * When those find nothing, tiles twice as fine again, up to this zoom: a far
 * card's corners can be 7-14 px in the photo's own pixels, which the detector
 * cannot see at 1:1 but finds (if not yet reads) at 2:1.
 */
const MAX_FIND_ZOOM = 2;
/** Tiles overlap by a quarter, so a fan cut by one tile's edge is whole in the next. */
const TILE_STRIDE = 0.75;
/** At most this many closer looks, each framed from the last. */
const CLOSER_STEPS = 2;
/** Finds this likely mark where far cards are. */
const FIND_FLOOR = 0.3;
/** Corners of one hand or one card lie within this many corner lengths of each other. */
const CLUSTER_REACH = 6;
/** The region read around far corners reaches this many corner lengths past them: neighbours missed so far. */
const REGION_MARGIN = 4;
/** A sideways fan's reading in another quarter turn is preferred unless it scores under this share. */
const SIDEWAYS_SHARE = 0.8;
/** Cards read below this could be no card: the count is in doubt. */
const WEAK_CARD = 0.65;
/** Finds from this up to the reading floor, away from every card read, could be one more card. */
const EXTRA_FLOOR = 0.25;
/**
 * A find where the fan has room for a card is backed up by its place, so a
 * weaker one counts there (admitOnFan): a card half hidden in a tight fan is
 * often found, with its right label, at 0.2-0.25.
 */
const FAN_ROOM_FLOOR = 0.2;

interface Look {
  view: ViewSpec;
  tensor: Float32Array;
  width: number;
  height: number;
  /** In the view's pixels. */
  detections: Detection[];
  cards: ReadCard[];
}

/**
 * Reads the cards in an image. `readFaces`, the face reader, is the last
 * resort: when the corners read no card surely, the card whose face reads
 * surest is read from it if that is surer than the corners' reading (face-reader.ts).
 * A reading in doubt may be of a mirror image: the image is read mirrored too,
 * and that reading kept if it reads a hand surely (mayBeMirrored, readsMore).
 */
export async function readImage(detect: Detect, image: RgbImage, options: ReaderOptions, readFaces?: ReadFaces): Promise<ImageReading> {
  const reading = await readAsShown(detect, image, options, readFaces);
  if (!mayBeMirrored(reading, options.expectedCount)) return reading;
  const mirror = mirrorImage(image);
  const glance = await look(detect, mirror, mirroredView(reading, image));
  if (!readsMore(glance.cards, reading.cards)) return { ...reading, inferences: reading.inferences + 1 };
  // The glance at the whole mirror image is the full reading's first look: it is not made again.
  const first = sameView(glance.view, wholeView(mirror, MODEL_LONG_SIDE))
    ? { ...glance, cards: readCards(glance.detections, { expectedCount: options.expectedCount }) }
    : undefined;
  const mirrored = await readAsShown(detect, mirror, options, readFaces, first);
  const inferences = reading.inferences + 1 + mirrored.inferences;
  return readsMore(mirrored.cards, reading.cards) ? { ...mirroredBack(mirrored, image.width), inferences } : { ...reading, inferences };
}

/**
 * Whether a reading may be of a mirror image (a photo saved as a front camera
 * or a webcam app previews it: every letter reversed, each index at its card's
 * top right): it is in doubt, and the photo may be a hand (no hint, or a hint of
 * a round's size or more: one card read either way proves nothing, see
 * readsMore). A mirrored hand still reads its mirror-symmetric letters (A, H,
 * O, T, X…) surely, backwards along the fan, so a few sure cards do not rule it out.
 */
function mayBeMirrored(reading: ImageReading, expectedCount: number | undefined): boolean {
  return reading.inDoubt && (expectedCount ?? ROUND_SIZES.first) >= ROUND_SIZES.first;
}

/**
 * The view the reading's cards were read in, of the mirror image: one look
 * there (the whole photo as a first look sees it, or the region its far cards
 * were read in) tells whether the mirror image reads better, before reading it
 * all again.
 */
function mirroredView(reading: ImageReading, image: RgbImage): ViewSpec {
  // A quarter turn clockwise of a photo is a quarter turn anticlockwise of its mirror image.
  const quarter = ((4 - reading.quarter) % 4) as Quarter;
  if (!reading.region) return wholeView(image, MODEL_LONG_SIDE, quarter);
  const [left, top, right, bottom] = mirrorBox(reading.region, image.width);
  const [width, height] = [right - left, bottom - top];
  return { left, top, width, height, zoom: Math.min(MAX_REGION_ZOOM, modelScale(width, height)), quarter };
}

/**
 * Whether the mirror image's cards are a hand read surely where the photo's
 * as shown are not: a letter read backwards can pass for another (a reversed E
 * reads as QU), so one card read surely is no proof, a hand of them is.
 */
function readsMore(mirrored: readonly ReadCard[], shown: readonly ReadCard[]): boolean {
  return sureCards(mirrored) >= ROUND_SIZES.first && sureCards(mirrored) > sureCards(shown) && quality(mirrored) > quality(shown);
}

function sureCards(cards: readonly ReadCard[]): number {
  return cards.filter((c) => c.score >= SURE_SCORE).length;
}

/** A reading of the mirror image, in the photo's own pixels. */
function mirroredBack(reading: ImageReading, width: number): ImageReading {
  const back = <T extends { box: Box }>(item: T): T => ({ ...item, box: mirrorBox(item.box, width) });
  return {
    ...reading,
    cards: reading.cards.map(back),
    detections: reading.detections.map(back),
    ...(reading.region ? { region: mirrorBox(reading.region, width) } : {}),
    mirrored: true,
  };
}

/** Whether two views show the same pixels the same way, so a look made in one serves for the other. */
function sameView(a: ViewSpec, b: ViewSpec): boolean {
  return a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height && a.zoom === b.zoom && a.quarter === b.quarter;
}

/** Reads the cards in the image as it shows them; `first`, its first look at the whole image when one was made already. */
async function readAsShown(detect: Detect, image: RgbImage, options: ReaderOptions, readFaces?: ReadFaces, first?: Look): Promise<ImageReading> {
  let inferences = 0;
  const counted: Detect = (tensor, width, height) => {
    inferences++;
    return detect(tensor, width, height);
  };
  const { expectedCount } = options;
  let best = first ?? (await look(counted, image, wholeView(image, MODEL_LONG_SIDE), expectedCount));
  // Far cards: each closer look finds the corners at a better scale, so a second one can frame them better still.
  for (let step = 0; step < CLOSER_STEPS; step++) {
    const closer = await lookCloser(counted, image, best, expectedCount, step === 0);
    if (!closer || quality(closer.cards) <= quality(best.cards)) break;
    best = closer;
  }
  if (isSideways(best.cards, best.detections) || frontCardTurned(best.detections) || (isPortrait(best.view) && inDoubt(best)))
    best = await bestQuarter(counted, image, best, expectedCount);
  const pastEnds = await lookPastFanEnds(counted, best, await settle(counted, best, options), options);
  const settled = expectedCount === undefined ? admitOnFan(pastEnds, best) : pastEnds;
  const toImage = (d: Detection): Detection => ({ ...d, box: boxToImage(best.view, d.box) });
  const detections = settled.detections.map(toImage);
  let cards = settled.cards.map((c) => ({ ...c, box: boxToImage(best.view, c.box) }));
  if (readFaces && !cards.some((c) => c.score >= DEFAULTS.minScore)) {
    const counting: ReadFaces = (tensor, width, height) => {
      inferences++;
      return readFaces(tensor, width, height);
    };
    const faces = await readCardFaces(counting, image, MODEL_LONG_SIDE);
    const byFace = facesAsCards(faces, expectedCount);
    if (byFace.length > 0 && quality(byFace) > quality(cards)) {
      cards = byFace;
      settled.secondLook = 'faces';
    }
  }
  const whole = showsWholeImage(best.view, image);
  // Cards read from their faces: the corners found nothing surely (and the cards' boxes are faces, not corners); only how many places they were found at counts.
  const byFace = settled.secondLook === 'faces';
  const count = countCertainty(cards, detections, expectedCount, byFace);
  // In doubt: the count, a card read unsurely, or fewer cards seen than the player said.
  const doubtful = !count.sure || cards.length === 0 || cards.some((c) => c.score < SURE_SCORE) || count.seen < (expectedCount ?? 0);
  const advice = byFace
    ? photoAdvice({ image, cards: [], finds: detections, findFloor: FACE_CORNER_FLOOR, inDoubt: doubtful })
    : photoAdvice({ image, cards: cards.map((c) => c.box), finds: detections, inDoubt: doubtful });
  return {
    cards,
    detections,
    views: settled.views,
    secondLook: settled.secondLook,
    quarter: best.view.quarter,
    ...(whole ? {} : { region: [best.view.left, best.view.top, best.view.left + best.view.width, best.view.top + best.view.height] as Box }),
    inferences,
    count,
    ...(advice ? { advice } : {}),
    mirrored: false,
    inDoubt: doubtful,
  };
}

/**
 * The card read from its face: the surest face alone, as a photo whose corners
 * read nothing shows one face whole (a deck's top card, the front card of a
 * fan: the others hide behind it). Without a hint, only a face read as surely
 * as a corner must be to count.
 */
function facesAsCards(faces: readonly FaceFind[], expectedCount?: number): ReadCard[] {
  const surest = faces[0];
  if (!surest || (expectedCount === undefined && surest.score < DEFAULTS.minScore)) return [];
  return [{ token: surest.token, score: surest.score, box: surest.box }];
}

async function look(detect: Detect, image: RgbImage, view: ViewSpec, expectedCount?: number): Promise<Look> {
  const { tensor, width, height } = renderView(image, view);
  const detections = await detect(tensor, width, height);
  return { view, tensor, width, height, detections, cards: readCards(detections, { expectedCount }) };
}

/** How well a look reads: its cards' confidence summed (more cards read surely is better). */
function quality(cards: readonly ReadCard[]): number {
  return cards.reduce((sum, c) => sum + c.score, 0);
}

/** A corner's long side as the model sees it in a look. */
function modelSide(box: Box, current: Look): number {
  return longSide(box) * modelScale(current.width, current.height);
}

/**
 * The region holding far cards, read enlarged: found from the first look's
 * corners when it read some small ones, or from tiles of the photo read finer
 * when it read none, or again around all a closer look read when its region
 * cut the cards off (the tiles found only some of a fan). Undefined when that
 * would not enlarge them usefully.
 */
async function lookCloser(
  detect: Detect,
  image: RgbImage,
  current: Look,
  expectedCount: number | undefined,
  mayTile: boolean,
): Promise<Look | undefined> {
  // In the image's frame: boxes in its pixels, and labels the way up the corners stand in it (a view turned a half turn reads them the other way).
  const label = current.view.quarter === 2 ? halfTurnedLabel : (l: number) => l;
  const finds = current.detections
    .filter((d) => d.score >= FIND_FLOOR)
    .map((d) => ({ ...d, box: boxToImage(current.view, d.box), label: label(d.label) }));
  const read = current.cards.filter((c) => c.score >= DEFAULTS.minScore);
  const sides = read.map((c) => modelSide(c.box, current)).sort((a, b) => a - b);
  const small = sides.length > 0 && sides[sides.length >> 1]! < SMALL_CORNER;
  const tileZoom = Math.min(1, TILE_GAIN * current.view.zoom);
  // Nothing read surely in a photo with pixels to spare: the cards may be too small to see at this scale at all.
  const unsure = current.cards.every((c) => c.score < SURE_SCORE);
  let tiled = false;
  if (mayTile && unsure) {
    // The finer level only while nothing at all is found: it costs about four times the first.
    for (const [level, zoom] of [tileZoom, Math.min(MAX_FIND_ZOOM, 2 * tileZoom)].entries()) {
      if (zoom < MIN_GAIN * current.view.zoom || (level > 0 && finds.length > 0)) continue;
      finds.push(...(await tileFinds(detect, image, zoom)));
      tiled = true;
    }
  }
  // A region that cut its fan off is framed again around all it read, though that enlarges nothing.
  const cut = cutByView(current, image);
  if (!tiled && !small && !cut && read.length > 0) return undefined;
  const found = strongestCluster(finds);
  if (!found) return undefined;
  const cluster = found.map((f) => f.box);
  const side = medianSide(cluster);
  const margin = REGION_MARGIN * side;
  const left = Math.max(0, Math.min(...cluster.map((b) => b[0])) - margin);
  const top = Math.max(0, Math.min(...cluster.map((b) => b[1])) - margin);
  const right = Math.min(image.width, Math.max(...cluster.map((b) => b[2])) + margin);
  const bottom = Math.min(image.height, Math.max(...cluster.map((b) => b[3])) + margin);
  const width = right - left;
  const height = bottom - top;
  // Corners at the size the model reads best, unless the region must fit its input (then it fills it).
  const zoom = Math.min(TARGET_CORNER / side, MAX_REGION_ZOOM, modelScale(width, height));
  if (zoom < (cut ? 1 / MIN_GAIN : MIN_GAIN) * current.view.zoom) return undefined;
  // Upside-down cards are read turned upright: the detector reads small upright corners better than small turned ones.
  return look(detect, image, { left, top, width, height, zoom, quarter: upsideDown(found) ? 2 : 0 }, expectedCount);
}

/** Whether a view shows the whole image (framed nowhere), at whatever zoom or turn. */
function showsWholeImage(view: ViewSpec, image: RgbImage): boolean {
  return view.left === 0 && view.top === 0 && view.width === image.width && view.height === image.height;
}

/**
 * Whether a region read closer cut its cards off: a card read within the
 * region's margin of an edge of it that is not the photo's, where its
 * neighbours missed so far would lie outside it.
 */
function cutByView(current: Look, image: RgbImage): boolean {
  const { view } = current;
  if (showsWholeImage(view, image)) return false;
  const read = current.cards.filter((c) => c.score >= DEFAULTS.minScore).map((c) => boxToImage(view, c.box));
  if (read.length === 0) return false;
  const margin = (REGION_MARGIN / 2) * medianSide(read);
  const [l, t, r, b] = [view.left, view.top, view.left + view.width, view.top + view.height];
  return read.some(
    (box) =>
      (l > 0 && box[0] - l < margin) ||
      (t > 0 && box[1] - t < margin) ||
      (r < image.width && r - box[2] < margin) ||
      (b < image.height && b - box[3] < margin),
  );
}

/**
 * Whether the cards stand upside down in the image: more of the finds'
 * confidence reads them turned 180° than upright (a fan also shows its front
 * card's bottom corner, turned, so one turned find among upright ones is not enough).
 */
function upsideDown(finds: readonly Detection[]): boolean {
  const corners = finds.flatMap((f) => {
    const decoded = decodeLabel(f.label);
    return decoded ? [{ orientation: decoded.orientation, score: f.score }] : [];
  });
  return mainOrientation(corners) === 'rotated';
}

/** Reads the photo in overlapping model-sized tiles at `zoom`: the corners found, in the image's pixels. */
async function tileFinds(detect: Detect, image: RgbImage, zoom: number): Promise<Detection[]> {
  const tileWidth = Math.min(image.width, MODEL_LONG_SIDE / zoom);
  const tileHeight = Math.min(image.height, MODEL_SHORT_SIDE / zoom);
  const starts = (total: number, tile: number) => {
    const count = Math.max(1, Math.ceil((total - tile) / (TILE_STRIDE * tile)) + 1);
    return Array.from({ length: count }, (_, i) => (count === 1 ? 0 : ((total - tile) * i) / (count - 1)));
  };
  const found: Detection[] = [];
  for (const top of starts(image.height, tileHeight)) {
    for (const left of starts(image.width, tileWidth)) {
      const view: ViewSpec = { left, top, width: tileWidth, height: tileHeight, zoom, quarter: 0 };
      const { tensor, width, height } = renderView(image, view);
      for (const d of await detect(tensor, width, height)) {
        if (d.score >= FIND_FLOOR) found.push({ ...d, box: boxToImage(view, d.box) });
      }
    }
  }
  return suppress(found, DEFAULTS.iouThreshold);
}

/**
 * The finds that belong together with the most confident one: corners within
 * CLUSTER_REACH corner lengths of a member join it (a hand's corners, a deck
 * card's two corners), so stray finds elsewhere do not stretch the region.
 */
function strongestCluster<T extends { box: Box; score: number }>(finds: readonly T[]): T[] | undefined {
  if (finds.length === 0) return undefined;
  const sorted = [...finds].sort((a, b) => b.score - a.score);
  const members = [sorted[0]!];
  const rest = sorted.slice(1);
  const centre = ({ box }: T) => boxCentre(box);
  for (let grown = true; grown;) {
    grown = false;
    for (let i = rest.length - 1; i >= 0; i--) {
      const [x, y] = centre(rest[i]!);
      const near = members.some((m) => {
        const [mx, my] = centre(m);
        return Math.hypot(x - mx, y - my) <= CLUSTER_REACH * Math.max(longSide(m.box), longSide(rest[i]!.box));
      });
      if (near) {
        members.push(...rest.splice(i, 1));
        grown = true;
      }
    }
  }
  return members;
}

function medianSide(boxes: readonly Box[]): number {
  return median(boxes.map(longSide));
}

/** A corner index is taller than wide (letters over points); turned a quarter, its box is wider than tall. */
const SIDEWAYS_ASPECT = 1.15;

/**
 * Whether the cards stand sideways in the view, as in a portrait photo stored
 * without its EXIF turn: most corners found are wider than tall, or two or
 * more cards line up closer to vertical than to horizontal.
 */
export function isSideways(cards: readonly ReadCard[], detections: readonly Detection[] = []): boolean {
  const finds = detections.filter((d) => d.score >= FIND_FLOOR);
  if (finds.length >= 2) {
    const aspects = finds.map(({ box }) => (box[2] - box[0]) / Math.max(1e-6, box[3] - box[1])).sort((a, b) => a - b);
    if (aspects[aspects.length >> 1]! >= SIDEWAYS_ASPECT) return true;
  }
  const sure = cards.filter((c) => c.score >= DEFAULTS.minScore);
  if (sure.length < 2) return false;
  const xs = sure.map((c) => (c.box[0] + c.box[2]) / 2);
  const ys = sure.map((c) => (c.box[1] + c.box[3]) / 2);
  const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
  return spread(ys) > spread(xs);
}

/**
 * How far above its top corner (in its corner lengths) a front card's bottom
 * corner may lie before the card reads the wrong way up: a card leaning 60°
 * to the left has its bottom corner about 0.3 corner lengths above its top one.
 */
const FRONT_CARD_SLACK = 0.5;

/**
 * Whether a hand's front card, read by both its corners, stands the wrong way
 * up: in a hand held upright its top-left corner (the main way up) lies above
 * its bottom-right one (turned 180°), so one below it says the view is turned,
 * as in a sideways photo whose corners the detector read as upright and turned
 * the wrong way round. Only in a hand (two cards or more): a lone deck card
 * can lie at any angle.
 */
function frontCardTurned(detections: readonly Detection[]): boolean {
  const { corners, main } = sureCorners(detections);
  const tops = corners.filter((c) => c.orientation === main);
  if (new Set(tops.map((c) => c.card)).size < 2) return false;
  // Down the card, in the frame where the main way up is upright (an upside-down photo's y runs up).
  const down = main === 'upright' ? 1 : -1;
  return corners.some((bottom) => {
    if (bottom.orientation === main) return false;
    // Two cards of the same letter: only when it lies above both is the card turned.
    const same = tops.filter((c) => c.card === bottom.card);
    const above = (top: (typeof tops)[number]) => down * (boxCentre(bottom.box)[1] - boxCentre(top.box)[1]) < -FRONT_CARD_SLACK * longSide(top.box);
    return same.length > 0 && same.every(above);
  });
}

/** The corners found surely (one per place, its likeliest reading), and the way up most of them stand. */
function sureCorners(detections: readonly Detection[]): { corners: Corner[]; main: Orientation } {
  const corners = suppress(
    detections.filter((d) => d.score >= DEFAULTS.minScore),
    DEFAULTS.iouThreshold,
  ).flatMap((d) => {
    const decoded = decodeLabel(d.label);
    return decoded ? [{ ...decoded, score: d.score, box: d.box }] : [];
  });
  return { corners, main: mainOrientation(corners) };
}

/** A view taller than wide: the frame of a portrait photo, which a photo stored without its EXIF turn also has. */
function isPortrait(view: ViewSpec): boolean {
  const upright = view.quarter % 2 === 0;
  return (upright ? view.height : view.width) > (upright ? view.width : view.height);
}

/** Whether a look leaves anything in doubt: no card, a card read unsurely, or a weak find that could be one more. */
function inDoubt(current: Look): boolean {
  return current.cards.length === 0 || current.cards.some((c) => c.score < SURE_SCORE) || extraFinds(current.cards, current.detections).length > 0;
}

/** The same view turned a quarter each way: the one whose cards read best, a sideways fan counting for less. */
async function bestQuarter(detect: Detect, image: RgbImage, current: Look, expectedCount?: number): Promise<Look> {
  const weigh = (l: Look) => quality(l.cards) * (isSideways(l.cards, l.detections) ? SIDEWAYS_SHARE : 1);
  let best = current;
  for (const quarter of [1, 3] as const) {
    const turned = await look(detect, image, { ...current.view, quarter }, expectedCount);
    if (weigh(turned) > weigh(best)) best = turned;
  }
  return best;
}

interface Settled {
  detections: Detection[];
  cards: ReadCard[];
  views: number[];
  secondLook: ImageReading['secondLook'];
}

/** The second look at what the chosen look leaves in doubt (boxes in the view's pixels). */
async function settle(detect: Detect, current: Look, options: ReaderOptions): Promise<Settled> {
  const { width, height, tensor, detections: first } = current;
  const { expectedCount, turnedViews, viewDegrees, viewScope } = options;
  const zoom = modelScale(width, height);
  const smallSide = SMALL_CORNER / zoom;
  const doubt = turnedViews === 'always' ? 'photo' : turnedViews === 'doubt' ? whatIsInDoubt(current.cards, expectedCount, smallSide) : [];
  // Every card sure, but a weak find apart from them could be one more card: the count is in doubt, so that find gets its look.
  const extras = turnedViews === 'doubt' && doubt !== 'photo' && doubt.length === 0 ? extraFinds(current.cards, first) : [];
  if (doubt !== 'photo' && doubt.length === 0 && extras.length === 0)
    return { detections: first, cards: current.cards, views: [0], secondLook: 'none' };
  const turns = [viewDegrees, -viewDegrees];
  const views: View[] = [{ degrees: 0, detections: first }];
  const unsure =
    doubt === 'photo'
      ? []
      : doubt.length > 0
        ? unsureCorners(first, current.cards, doubt)
        : suppress(extras, DEFAULTS.iouThreshold).map((d) => d.box);
  const closer = closeUp(unsure, zoom);
  const spots = unsure.map((box) => spotAround(box, closer));
  const mosaic = viewScope === 'corners' ? planMosaic(spots, turns, zoom * closer) : undefined;
  let secondLook: Settled['secondLook'];
  if (mosaic) {
    const found = await detect(renderMosaic(tensor, width, height, mosaic), mosaic.width, mosaic.height);
    views.push(...mosaicViews(mosaic, found));
    secondLook = 'corners';
  } else {
    for (const turn of turns) views.push(await turnedView(detect, tensor, width, height, turn));
    secondLook = 'photo';
  }
  const detections = fuseViews(views, width, height);
  return { detections, cards: readCards(detections, { expectedCount }), views: [0, ...turns], secondLook };
}

/**
 * What the first view leaves unsure: the whole view when a card is missing
 * (no corner to look closer at), else the cards read weakly or from a corner
 * smaller than `smallSide` view pixels (none: all sure).
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
 * The places to look at again: the doubtful cards' corners and every other
 * corner found unsurely (one per place) that is not a card read surely, so a
 * doubtful card's other corner and any rival reading get their second look
 * too, unless far weaker than the weakest doubtful card.
 */
function unsureCorners(first: readonly Detection[], cards: readonly ReadCard[], doubtful: readonly ReadCard[]): Box[] {
  const sure = cards.filter((c) => !doubtful.includes(c)).map((c) => c.box);
  const inDoubt = doubtful.map((c) => c.box);
  const weakest = Math.min(...doubtful.map((c) => c.score));
  // The doubtful cards' own corners always get a look, however weak.
  const floor = Math.min(weakest, Math.max(SPOT_FLOOR, RIVAL_SHARE * weakest));
  const unsure = (d: Detection) => d.score < SURE_SCORE || inDoubt.some((box) => iou(box, d.box) >= DEFAULTS.iouThreshold);
  return suppress(
    first.filter((d) => d.score >= floor && unsure(d)),
    DEFAULTS.iouThreshold,
  )
    .filter((d) => sure.every((box) => iou(box, d.box) < DEFAULTS.iouThreshold))
    .map((d) => d.box);
}

/** The detector's view turned by `degrees`, its boxes brought back into the view's frame. */
async function turnedView(detect: Detect, tensor: Float32Array, width: number, height: number, degrees: number): Promise<View> {
  const raw = await detect(rotateTensor(tensor, width, height, degrees), width, height);
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

/** At most this many looks past a fan's ends: each can find one more card at either end. */
const FAN_END_LOOKS = 2;
/** A look past a fan's end shows this many corner lengths around where the next corner would be: the guess is rough. */
const FAN_END_TILE = 3;

type FanEnd = 'left' | 'right';

/**
 * Looks past each end of a fanned hand for one more card: the outer cards of
 * a wide fan lean 50° and more, which the detector reads poorly or not at all,
 * so where the next card's corner would be is read turned upright by the lean
 * it would have there (fan.ts), as tiles of one small mosaic. Only an end
 * where the detector found something, however weakly, is looked past (an
 * inference costs about as much for a small mosaic as for a photo); a card
 * read there surely is added, and that end is looked past again; one read
 * there weakly may be one more card (countCertainty).
 */
async function lookPastFanEnds(detect: Detect, current: Look, settled: Settled, { expectedCount, turnedViews }: ReaderOptions): Promise<Settled> {
  // Its tiles are turned views too: a reader told never to read those (one look per view) reads none.
  if (turnedViews === 'never') return settled;
  let { detections, cards } = settled;
  let ends = new Set<FanEnd>(['left', 'right']);
  for (let round = 0; round < FAN_END_LOOKS && ends.size > 0; round++) {
    // A count filled with weak finds is not full: a sure card past the fan's end outranks them.
    const sure = cards.filter((c) => c.score >= DEFAULTS.minScore);
    if (sure.length >= (expectedCount ?? HAND_LIMITS.max)) break;
    const { probes, closer } = fanEndProbes(detections, sure, current, ends);
    const mosaic = planTurnedMosaic(
      probes.map((p) => p.spot),
      modelScale(current.width, current.height) * closer,
    );
    if (!mosaic) break;
    const views = mosaicViews(mosaic, await detect(renderMosaic(current.tensor, current.width, current.height, mosaic), mosaic.width, mosaic.height));
    const added: Detection[] = [];
    ends = new Set();
    for (const [i, probe] of probes.entries()) {
      // Each tile is turned its own way (the two ends lean apart), so each is a view of its own: its surest new card read upright in it.
      const surest = views[i]!.detections.filter(
        (d) => decodeLabel(d.label)?.orientation === 'upright' && d.score >= EXTRA_FLOOR && anotherCard(sure, d),
      ).sort((a, b) => b.score - a.score)[0];
      if (!surest) continue;
      // A card read there weakly is kept as a find: it puts the count in doubt (the page asks), and a count given fills from it.
      added.push({ ...surest, label: probe.halfTurned ? halfTurnedLabel(surest.label) : surest.label });
      if (surest.score >= DEFAULTS.minScore) ends.add(probe.end);
    }
    if (added.length === 0) break;
    detections = [...detections, ...added];
    cards = readCards(detections, { expectedCount });
  }
  return { ...settled, detections, cards };
}

/**
 * Where to look past the fan's `ends`, in the look's pixels: the squares
 * around where one more card's corner would be, each turned so that card would
 * stand upright, where the detector found something that is no card read.
 * None unless three or more corners read surely make a fan.
 */
function fanEndProbes(detections: readonly Detection[], sure: readonly ReadCard[], current: Look, ends: ReadonlySet<FanEnd>) {
  const none = { probes: [], closer: 1 };
  const shape = fanShape(detections, current);
  if (!shape) return none;
  const { fan, upright, side, halfTurned, corners } = shape;
  const { width, height } = current;
  const closer = closeUp(
    corners.map((c) => c.box),
    modelScale(width, height),
  );
  const probes = pastTheEnds(fan).flatMap(({ side: end, x, y, lean }) => {
    const [vx, vy] = upright([x, y]);
    if (!ends.has(end) || vx < 0 || vy < 0 || vx > width || vy > height) return [];
    const spot = spotAround([vx - side / 2, vy - side / 2, vx + side / 2, vy + side / 2], closer, FAN_END_TILE);
    const seen = (d: Detection) => {
      const [x, y] = boxCentre(d.box);
      return Math.hypot(x - vx, y - vy) <= TILE_REACH * spot.size;
    };
    if (!detections.some((d) => seen(d) && anotherCard(sure, d))) return [];
    const degrees = (halfTurned ? 180 : 0) - (lean * 180) / Math.PI;
    return [{ end, halfTurned, spot: { ...spot, degrees } }];
  });
  return { probes, closer };
}

/**
 * The fan that three or more corners read surely make, in the frame where its
 * cards stand upright (an upside-down photo's points turned a half turn; `upright`
 * maps a point either way, being its own inverse), with the corner length.
 */
function fanShape(detections: readonly Detection[], current: Look) {
  const { corners: sureOnes, main } = sureCorners(detections);
  const corners = sureOnes.filter((c) => c.orientation === main);
  if (corners.length < 3) return undefined;
  const halfTurned = main === 'rotated';
  const { width, height } = current;
  const upright = ([x, y]: readonly [number, number]) => (halfTurned ? ([width - x, height - y] as const) : ([x, y] as const));
  const side = medianSide(corners.map((c) => c.box));
  const fan = fitFan(
    corners.map((c) => upright(boxCentre(c.box))),
    side,
  );
  return fan && { fan, upright, side, main, halfTurned, corners };
}

/**
 * Without a count, a weak find lying where the fan has room for one more card
 * (a gap between two cards read, or a step past an end) is read as that card:
 * its place on the fan backs up what the detector saw. Read under the count's
 * weak mark, it still leaves the count in doubt (countCertainty). The find may
 * overlap a neighbour's corner a little while reading another letter, as the
 * cards of a far or tight fan do.
 */
function admitOnFan(settled: Settled, current: Look): Settled {
  const shape = fanShape(settled.detections, current);
  if (!shape) return settled;
  const { fan, upright, side, main } = shape;
  const onTheFan = (d: Detection) => decodeLabel(d.label)?.orientation === main && placeOnFan(fan, upright(boxCentre(d.box)), side) !== undefined;
  const apart = suppress(extraFinds(settled.cards, settled.detections, FAN_ROOM_FLOOR), DEFAULTS.iouThreshold).filter(onTheFan);
  // A find beside a card read is another card only where no find apart from every card lies (the likelier reading of that place).
  const beside = suppress(
    settled.detections.filter((d) => isWeakFind(d, FAN_ROOM_FLOOR) && anotherCard(settled.cards, d) && !apart.includes(d)),
    DEFAULTS.iouThreshold,
  ).filter((d) => onTheFan(d) && apart.every((a) => iou(a.box, d.box) <= DEFAULTS.iouThreshold));
  const onFan = [...apart, ...beside];
  if (onFan.length === 0) return settled;
  return { ...settled, cards: readCards(settled.detections, { admitted: onFan.map((d) => d.box) }) };
}

/**
 * Whether a find past a fan's end is a card not read yet: apart from every
 * card read, or overlapping one a little (neighbouring corners of a tight fan
 * do, and a box brought back from a turned tile is wider than the corner)
 * while reading another card.
 */
function anotherCard(cards: readonly ReadCard[], d: Detection): boolean {
  const card = decodeLabel(d.label)?.card;
  return cards.every((c) => {
    const overlap = iou(c.box, d.box);
    return overlap < 0.1 || (c.token !== card && overlap < DEFAULTS.iouThreshold && !overlapsMuch(c.box, d.box));
  });
}

/**
 * How sure the count is: a weak find away from every card read could be one
 * more card, and a card read weakly could be none; either puts the count in doubt.
 * A card read by its face (`byFace`) is in doubt when corners were found in more
 * places than one card shows.
 */
export function countCertainty(cards: readonly ReadCard[], detections: readonly Detection[], expectedCount?: number, byFace = false): CountCertainty {
  const n = cards.length;
  // What the photo shows without the hint: a deck photo read as one card may show several, a hint may ask for more than there are.
  const seen = expectedCount === undefined || byFace ? cards.filter((c) => c.score >= DEFAULTS.minScore).length : readCards(detections).length;
  // A card read by its face has no corner box to set finds apart from; corners found in more places than it shows are more cards.
  const extra = byFace ? cornerPlaces(detections) > CORNERS_PER_CARD * n : extraFinds(cards, detections).length > 0;
  const weak = cards.some((c) => c.score < WEAK_CARD);
  const maybe = new Set([n]);
  if (extra && (expectedCount === undefined || n < expectedCount)) maybe.add(n + 1);
  if (weak && n > 1) maybe.add(n - 1);
  if (expectedCount !== undefined && seen < expectedCount) maybe.add(seen);
  const sorted = [...maybe].sort((a, b) => a - b);
  return { cards: n, sure: sorted.length === 1, maybe: sorted, seen };
}

/** The index corners a card shows at most: its top-left and, turned, its bottom-right. */
const CORNERS_PER_CARD = 2;
/**
 * When a card is read by its face the corners were too small or blurred to read,
 * so a faint find (from this score on) still marks a corner: a far fan read by
 * its front card's face shows weak finds in three places and more, a lone deck
 * card in two at most (model/README.md, "Face reader").
 */
const FACE_CORNER_FLOOR = 0.1;

/** Faint finds of one corner differ in size more than sure ones: boxes overlapping this much are one place. */
const FAINT_PLACE_IOU = 0.3;

/** The places where the detector found something that could be a corner (from FACE_CORNER_FLOOR on), one per place. */
function cornerPlaces(detections: readonly Detection[]): number {
  return suppress(
    detections.filter((d) => d.score >= FACE_CORNER_FLOOR),
    FAINT_PLACE_IOU,
  ).length;
}

/** Finds too weak to be read as cards, lying apart from every card read: each could be one more card. */
function extraFinds(cards: readonly ReadCard[], detections: readonly Detection[], floor = EXTRA_FLOOR): Detection[] {
  const apart = (d: Detection) => cards.every((c) => iou(c.box, d.box) < 0.1 && !overlapsMuch(c.box, d.box));
  return detections.filter((d) => isWeakFind(d, floor) && apart(d));
}

/** A find too weak to be read as a card on its own, yet likely something: one more card, where its place backs it up. */
function isWeakFind(d: Detection, floor = EXTRA_FLOOR): boolean {
  return d.score >= floor && d.score < DEFAULTS.minScore;
}

/** Whether most of the smaller box lies inside the other (a corner found twice at different sizes). */
function overlapsMuch(a: Box, b: Box): boolean {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return false;
  const area = (box: Box) => (box[2] - box[0]) * (box[3] - box[1]);
  return (w * h) / Math.min(area(a), area(b)) > 0.5;
}
