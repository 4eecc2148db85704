/**
 * Test-time views: the detector also looks at the photo turned a little each
 * way, and the views vote. Pure: no I/O.
 *
 * A small detector trained from scratch is sensitive to a corner's tilt: a
 * letter it misreads at one angle it often reads right at another. Voting
 * over a few turned views trades some time for steadier readings, so the
 * reader only asks for them when the first view leaves a card in doubt.
 */
import { iou, type Box, type Detection } from './postprocess.js';

/** Grey, the colour the turned view shows where the photo has no pixels. */
const FILL = 0.5;

/**
 * Turns a [3, height, width] image by `degrees` (clockwise on screen) about its
 * centre, keeping its size; bilinear sampling, grey outside the photo.
 */
export function rotateTensor(tensor: Float32Array, width: number, height: number, degrees: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The source of output pixel (x, y): turn it back by -degrees.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const p = y * width + x;
      if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) {
        out[p] = out[plane + p] = out[2 * plane + p] = FILL;
        continue;
      }
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
      for (let ch = 0, o = 0; ch < 3; ch++, o += plane) {
        const top = tensor[o + a]! + (tensor[o + b]! - tensor[o + a]!) * fx;
        const bottom = tensor[o + c]! + (tensor[o + d]! - tensor[o + c]!) * fx;
        out[o + p] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
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
    const boxFrom = members
      .filter((m) => m.label === label)
      .sort((a, b) => Math.abs(views[a.view]!.degrees) - Math.abs(views[b.view]!.degrees))[0]!;
    return { box: boxFrom.box, label, score: Math.min(1, score) };
  });
}
