/**
 * The face reader's part of a reading: where the corners read nothing, a
 * card is read from its face, the large central letter
 * (model/training/face_reader.py). Pure: the network is a function passed in
 * (onnxruntime-node or -web runs it).
 *
 * Why: a deck card across the table is 60–120 px tall in a 640 px photo. Its
 * corner index is then 9–15 px, too small for the detector to find at all (on
 * held-out photos, most deck photos read as nothing are such cards), while
 * its central letter, four times taller, stays legible through blur and noise.
 */
import { CARDS, type Card } from '../cards.js';
import { decodeLabel } from './classes.js';
import { boxToImage, renderView, type RgbImage, type ViewSpec } from './pixels.js';
import { boxCentre, type Box } from './postprocess.js';

/** What the network reads of an image: `probs` [classes, rows, cols], one cell per FACE_STRIDE px of its input. */
export interface FaceGrid {
  probs: Float32Array;
  rows: number;
  cols: number;
}

/** The face reader: an image [3, height, width] in 0..1 in (both at least FACE_WINDOW), its grid out. */
export type ReadFaces = (tensor: Float32Array, width: number, height: number) => Promise<FaceGrid>;

/** Each cell reads the card face centred in the FACE_WINDOW × FACE_WINDOW window at FACE_STRIDE × its column and row… */
export const FACE_WINDOW = 64;
export const FACE_STRIDE = 8;
/** …when the card is about this tall in the network's pixels (it was trained on 0.75–1.3 times this). */
export const CARD_IN_WINDOW = 48;

/**
 * The scales the photo is read at, times its model-sized view (640 px long):
 * cards 18–125 px tall there, in steps the network's scale range overlaps.
 * Larger cards have corners the detector reads.
 */
export const FACE_ZOOMS = [0.5, 0.8, 1.3, 2] as const;
/** No scale enlarges the photo's own pixels more than this: past it there is no letter to read, only blur. */
const MAX_FACE_ZOOM = 2;
/** Cells surer than this that a card is there are read. */
const FACE_FLOOR = 0.3;

/** A card read from its face, in the image's pixels: its box is the central letter's. */
export interface FaceFind {
  token: Card;
  score: number;
  box: Box;
}

/**
 * Every card face the network reads in the photo, surest first, one per card
 * (finds at different scales or neighbouring cells whose centres lie within
 * half a card of a surer one are that card again).
 */
export async function readCardFaces(readFaces: ReadFaces, image: RgbImage, modelLongSide: number): Promise<FaceFind[]> {
  const base = Math.min(1, modelLongSide / Math.max(image.width, image.height));
  const finds: (FaceFind & { height: number })[] = [];
  const zooms = new Set(FACE_ZOOMS.map((scale) => Math.min(MAX_FACE_ZOOM, base * scale)));
  for (const zoom of zooms) {
    const view: ViewSpec = { left: 0, top: 0, width: image.width, height: image.height, zoom, quarter: 0 };
    const { tensor, width, height } = renderView(image, view);
    if (width < FACE_WINDOW || height < FACE_WINDOW) continue;
    const grid = await readFaces(tensor, width, height);
    finds.push(...cellFinds(grid, view));
  }
  finds.sort((a, b) => b.score - a.score);
  const kept: typeof finds = [];
  for (const find of finds) {
    const [x, y] = boxCentre(find.box);
    const same = kept.some((k) => {
      const [kx, ky] = boxCentre(k.box);
      return Math.hypot(x - kx, y - ky) < Math.max(k.height, find.height) / 2;
    });
    if (!same) kept.push(find);
  }
  return kept.map(({ token, score, box }) => ({ token, score, box }));
}

/** The grid's cells that read a card, each as its likeliest card (a card's two ways up summed), in the image's pixels. */
function cellFinds(grid: FaceGrid, view: ViewSpec): (FaceFind & { height: number })[] {
  const { probs, rows, cols } = grid;
  const cells = rows * cols;
  const classes = probs.length / cells;
  const finds: (FaceFind & { height: number })[] = [];
  for (let cell = 0; cell < cells; cell++) {
    if (1 - probs[cell]! < FACE_FLOOR) continue;
    const byCard = new Map<Card, number>();
    for (let label = 1; label < classes; label++) {
      const card = decodeLabel(label)?.card;
      if (card) byCard.set(card, (byCard.get(card) ?? 0) + probs[label * cells + cell]!);
    }
    let token: Card = CARDS[0]!;
    let score = -1;
    for (const [card, p] of byCard) if (p > score) [token, score] = [card, p];
    if (score < FACE_FLOOR) continue;
    const x = (cell % cols) * FACE_STRIDE + FACE_WINDOW / 2;
    const y = Math.floor(cell / cols) * FACE_STRIDE + FACE_WINDOW / 2;
    // The central letter spans about half the card's height.
    const half = CARD_IN_WINDOW / 4;
    const box = boxToImage(view, [x - half, y - half, x + half, y + half]);
    finds.push({ token, score, box, height: CARD_IN_WINDOW / view.zoom });
  }
  return finds;
}
