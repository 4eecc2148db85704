/**
 * Test-time views: the detector also looks at the photo turned a little each
 * way, and the views vote. Pure: no I/O.
 *
 * A small detector trained from scratch is sensitive to a corner's tilt: a
 * letter it misreads at one angle it often reads right at another. Voting
 * over a few turned views trades some time for steadier readings, so the
 * reader only asks for them when the first view leaves a card in doubt.
 */
import { boxCentre, iou, longSide, type Box, type Detection } from './postprocess.js';

/** Grey, the colour the turned view shows where the photo has no pixels. */
const FILL = 0.5;

/**
 * Turns a [3, height, width] image by `degrees` (clockwise on screen) about its
 * centre, keeping its size; bilinear sampling, grey outside the photo.
 */
export function rotateTensor(tensor: Float32Array, width: number, height: number, degrees: number): Float32Array {
  const out = new Float32Array(3 * width * height).fill(FILL);
  const block = { left: 0, top: 0, width, height, x: (width - 1) / 2, y: (height - 1) / 2, degrees, zoom: 1 };
  drawTurned(tensor, width, height, out, width, height, block);
  return out;
}

/**
 * A width × height block of an output image, with its top-left at (left, top),
 * showing the source image turned by `degrees` (clockwise on screen) about the
 * source point (x, y), which lands on the block's centre, and magnified by `zoom`.
 */
interface TurnedBlock {
  left: number;
  top: number;
  width: number;
  height: number;
  x: number;
  y: number;
  degrees: number;
  zoom: number;
}

/**
 * Draws a turned block of a [3, height, width] image into `out` ([3, outHeight,
 * outWidth]) by bilinear sampling; pixels whose source lies outside the image
 * are left as they were (the caller's fill).
 */
function drawTurned(
  tensor: Float32Array,
  width: number,
  height: number,
  out: Float32Array,
  outWidth: number,
  outHeight: number,
  block: TurnedBlock,
): void {
  const source = width * height;
  const plane = outWidth * outHeight;
  // The source of output offset (dx, dy) from the block's centre: turned back by -degrees, shrunk by the zoom.
  const t = (block.degrees * Math.PI) / 180;
  const cos = Math.cos(t) / block.zoom;
  const sin = Math.sin(t) / block.zoom;
  const { left, top, x, y } = block; // locals: the loop below runs per pixel
  const halfW = (block.width - 1) / 2;
  const halfH = (block.height - 1) / 2;
  for (let v = 0; v < block.height; v++) {
    const dy = v - halfH;
    const row = (top + v) * outWidth + left;
    for (let u = 0; u < block.width; u++) {
      const dx = u - halfW;
      const sx = x + cos * dx + sin * dy;
      const sy = y - sin * dx + cos * dy;
      if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const a = y0 * width + x0;
      const b = y0 * width + x1;
      const c = y1 * width + x0;
      const d = y1 * width + x1;
      const p = row + u;
      for (let ch = 0, o = 0; ch < 3; ch++, o += source) {
        const upper = tensor[o + a]! + (tensor[o + b]! - tensor[o + a]!) * fx;
        const lower = tensor[o + c]! + (tensor[o + d]! - tensor[o + c]!) * fx;
        out[ch * plane + p] = upper + (lower - upper) * fy;
      }
    }
  }
}

/** Where a point of the view turned by `degrees` lies in the original image. */
export function pointBack(x: number, y: number, width: number, height: number, degrees: number): [number, number] {
  const t = (degrees * Math.PI) / 180;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const dx = x - cx;
  const dy = y - cy;
  return [Math.cos(t) * dx + Math.sin(t) * dy + cx, -Math.sin(t) * dx + Math.cos(t) * dy + cy];
}

/** Where a point of the original image lies in the view turned by `degrees`. */
function pointInto(x: number, y: number, width: number, height: number, degrees: number): [number, number] {
  return pointBack(x, y, width, height, -degrees);
}

/**
 * A box found in a turned view, brought back to the original image: its centre
 * is turned back and its size kept, so it overlaps the same corner's box from
 * the upright view as a box of that view would.
 */
export function boxBack(box: Box, width: number, height: number, degrees: number): Box {
  const [x, y] = pointBack((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, width, height, degrees);
  const hw = (box[2] - box[0]) / 2;
  const hh = (box[3] - box[1]) / 2;
  return [x - hw, y - hh, x + hw, y + hh];
}

export interface View {
  /** How far this view was turned, in degrees clockwise; 0 is the photo itself. */
  degrees: number;
  /** Its detections, boxes already in the original image's pixels. */
  detections: readonly Detection[];
  /** Whether this view shows a point of the photo; without it, the whole photo turned by `degrees`. */
  sees?: (x: number, y: number) => boolean;
}

/**
 * Merges the views' detections: boxes that overlap (IoU above `iouThreshold`)
 * are one place; each label's score there is its best score in each view,
 * averaged over the views that could see the place (a place near the edge may
 * be turned out of a view's frame). One detection per place comes back, with
 * the label that has the best averaged score, and the box from the least
 * turned view that saw it.
 */
export function fuseViews(views: readonly View[], width: number, height: number, iouThreshold = 0.4): Detection[] {
  const all = views.flatMap((view, v) => view.detections.map((d) => ({ ...d, view: v })));
  all.sort((a, b) => b.score - a.score || Math.abs(views[a.view]!.degrees) - Math.abs(views[b.view]!.degrees));
  const places: { anchor: Box; members: typeof all }[] = [];
  for (const d of all) {
    const place = places.find((p) => iou(p.anchor, d.box) > iouThreshold);
    if (place) place.members.push(d);
    else places.push({ anchor: d.box, members: [d] });
  }
  return places.map(({ anchor, members }) => {
    const cx = (anchor[0] + anchor[2]) / 2;
    const cy = (anchor[1] + anchor[3]) / 2;
    const seeing = views.filter((view) => {
      if (view.sees) return view.sees(cx, cy);
      const [x, y] = pointInto(cx, cy, width, height, view.degrees);
      return x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
    }).length;
    const best = new Map<number, number[]>(); // label -> best score in each view
    for (const m of members) {
      const perView = best.get(m.label) ?? new Array<number>(views.length).fill(0);
      perView[m.view] = Math.max(perView[m.view]!, m.score);
      best.set(m.label, perView);
    }
    let label = members[0]!.label;
    let score = -1;
    for (const [l, perView] of best) {
      const mean = perView.reduce((s, x) => s + x, 0) / Math.max(1, seeing);
      if (mean > score) [label, score] = [l, mean];
    }
    const boxFrom = members.filter((m) => m.label === label).sort((a, b) => Math.abs(views[a.view]!.degrees) - Math.abs(views[b.view]!.degrees))[0]!;
    return { box: boxFrom.box, label, score: Math.min(1, score) };
  });
}

/*
 * Close-up turned views. Turning the whole photo costs a full detector run per
 * turn; when only a few cards are in doubt, the turned views of just those
 * corners are laid side by side as tiles of one small mosaic, read in one run.
 * The mosaic is 640 px along one side so the model reads it at the photo's scale.
 */

/** A corner to look at again: its centre and the side of the square around it, in the image's pixels. */
export interface Spot {
  x: number;
  y: number;
  size: number;
}

/**
 * One tile: the square around a spot (`size` is its side in the mosaic's
 * pixels), turned by `degrees`, with its top-left at (left, top) in the mosaic.
 */
export interface Tile extends Spot {
  degrees: number;
  left: number;
  top: number;
}

export interface Mosaic {
  width: number;
  height: number;
  /** Mosaic pixels per image pixel: the scale the model reads the image at, so corners look the same size in both. */
  zoom: number;
  tiles: Tile[];
}

/** The model reads an image at scale 1 when its long side is this and its short side at most 480. */
export const MOSAIC_LONG_SIDE = 640;
const MOSAIC_MAX_SHORT_SIDE = 480;
/** A tile shows this many times the corner's longer side: the corner, turned, plus the context the detector needs. */
export const TILE_PER_CORNER = 2.6;
const TILE_MIN = 128;
const TILE_MAX = 320;
/** Only finds centred this close to a tile's centre (a fraction of its side) belong to the spot. */
export const TILE_REACH = 0.3;

/** A corner's longer side, in the model's pixels, that a second look magnifies small corners up to. */
export const CLOSE_UP_SIDE = 40;
/** The most a second look magnifies: past this, bilinear upsampling adds blur, not detail. */
export const CLOSE_UP_MAX = 2.5;

/**
 * How much to magnify the tiles of a second look beyond the model's own scale:
 * enough that the largest corner (long side `side` in the model's pixels) is
 * CLOSE_UP_SIDE long. Small corners (a deck card lying far away) are the ones
 * misread most, and the detector reads letters best at the sizes it saw most.
 */
export function closeUp(boxes: readonly Box[], modelZoom: number): number {
  if (boxes.length === 0) return 1;
  const side = Math.max(...boxes.map(longSide)) * modelZoom;
  return Math.min(CLOSE_UP_MAX, Math.max(1, CLOSE_UP_SIDE / side));
}

/**
 * The square to look at again around a corner box (`perCorner` times its
 * longer side), in image pixels. Magnified by `closer`, a tile of it stays
 * between TILE_MIN and TILE_MAX mosaic pixels at the model's scale.
 */
export function spotAround(box: Box, closer = 1, perCorner = TILE_PER_CORNER): Spot {
  const size = Math.round(Math.min(TILE_MAX / closer, Math.max(TILE_MIN / closer, longSide(box) * perCorner)));
  const [x, y] = boxCentre(box);
  return { x, y, size };
}

/**
 * Lays out each spot turned by each of `turns` in rows across a mosaic 640 px
 * wide (tiles sized alike: the largest spot's side, times `zoom`). Undefined
 * when they do not fit in 640 × 480: then turning the whole photo is as cheap.
 */
export function planMosaic(spots: readonly Spot[], turns: readonly number[], zoom = 1): Mosaic | undefined {
  return planTurnedMosaic(
    spots.flatMap((spot) => turns.map((degrees) => ({ ...spot, degrees }))),
    zoom,
  );
}

/** The same for spots each turned its own way (`degrees`): each is one tile. */
export function planTurnedMosaic(spots: readonly (Spot & { degrees: number })[], zoom = 1): Mosaic | undefined {
  if (spots.length === 0) return undefined;
  const side = Math.round(Math.max(...spots.map((s) => s.size)) * zoom);
  const perRow = Math.floor(MOSAIC_LONG_SIDE / side);
  const height = Math.ceil(spots.length / perRow) * side;
  if (perRow === 0 || height > MOSAIC_MAX_SHORT_SIDE) return undefined;
  return {
    width: MOSAIC_LONG_SIDE,
    height,
    zoom,
    tiles: spots.map((spot, i) => ({ ...spot, size: side, left: (i % perRow) * side, top: Math.floor(i / perRow) * side })),
  };
}

/** Draws the mosaic from a [3, height, width] image: bilinear, grey where a tile leaves the photo. */
export function renderMosaic(tensor: Float32Array, width: number, height: number, mosaic: Mosaic): Float32Array {
  const out = new Float32Array(3 * mosaic.width * mosaic.height).fill(FILL);
  for (const tile of mosaic.tiles) {
    const block = { ...tile, width: tile.size, height: tile.size, zoom: mosaic.zoom };
    drawTurned(tensor, width, height, out, mosaic.width, mosaic.height, block);
  }
  return out;
}

/** The image point shown at offset (dx, dy) mosaic pixels from a tile's centre. */
function tilePointBack(tile: Tile, zoom: number, dx: number, dy: number): [number, number] {
  const t = (tile.degrees * Math.PI) / 180;
  return [tile.x + (Math.cos(t) * dx + Math.sin(t) * dy) / zoom, tile.y + (-Math.sin(t) * dx + Math.cos(t) * dy) / zoom];
}

/**
 * The mosaic's finds brought back to the image, one view per turn: a find
 * counts only near its tile's centre (the spot it was laid out to show), and
 * each view sees only the neighbourhoods of its tiles' spots.
 */
export function mosaicViews(mosaic: Mosaic, found: readonly Detection[]): View[] {
  const { zoom } = mosaic;
  const reach = (tile: Tile) => tile.size * TILE_REACH; // in mosaic pixels
  const turns = [...new Set(mosaic.tiles.map((t) => t.degrees))];
  return turns.map((degrees) => {
    const tiles = mosaic.tiles.filter((t) => t.degrees === degrees);
    const detections = found.flatMap((d) => {
      const cx = (d.box[0] + d.box[2]) / 2;
      const cy = (d.box[1] + d.box[3]) / 2;
      const tile = tiles.find((t) => cx >= t.left && cx < t.left + t.size && cy >= t.top && cy < t.top + t.size);
      if (!tile) return [];
      const half = (tile.size - 1) / 2;
      const dx = cx - tile.left - half;
      const dy = cy - tile.top - half;
      if (Math.hypot(dx, dy) > reach(tile)) return [];
      const [x, y] = tilePointBack(tile, zoom, dx, dy);
      const hw = (d.box[2] - d.box[0]) / 2 / zoom;
      const hh = (d.box[3] - d.box[1]) / 2 / zoom;
      return [{ ...d, box: [x - hw, y - hh, x + hw, y + hh] as Box }];
    });
    const sees = (x: number, y: number) => tiles.some((t) => Math.hypot(x - t.x, y - t.y) * zoom <= reach(t));
    return { degrees, detections, sees };
  });
}
