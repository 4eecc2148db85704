/**
 * The random demo: deal a hand and a discard from a shuffled 118-card deck and
 * draw them as photos from the project's own card art (web/public/cards, made
 * by model/training/render.py --faces), in the fan the detector was trained on.
 */
import { fullDeck, type Card } from '../../../api/src/cards';
import { loadImage } from './images';

export const PHOTO_W = 640;
export const PHOTO_H = 480;

export interface Deal {
  hand: Card[];
  deck: Card;
}

/** Fisher-Yates over the full deck; the first n cards are the hand, the next one the discard. */
export function deal(n: number, random: () => number = Math.random): Deal {
  const cards = fullDeck();
  for (let i = cards.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [cards[i], cards[j]] = [cards[j]!, cards[i]!];
  }
  return { hand: cards.slice(0, n), deck: cards[n]! };
}

const faces = new Map<string, Promise<HTMLImageElement>>();

function face(token: string): Promise<HTMLImageElement> {
  let img = faces.get(token);
  if (!img) {
    img = loadImage(`${import.meta.env.BASE_URL}cards/${token}.webp`);
    img.catch(() => faces.delete(token)); // let a later deal try again
    faces.set(token, img);
  }
  return img;
}

const gauss = (random: () => number, sd: number) => sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const uniform = (random: () => number, a: number, b: number) => a + (b - a) * random();

function table(ctx: CanvasRenderingContext2D, random: () => number): void {
  const hue = uniform(random, 95, 165); // felt green to teal
  const base = ctx.createRadialGradient(PHOTO_W * 0.45, PHOTO_H * 0.4, 40, PHOTO_W / 2, PHOTO_H / 2, PHOTO_W * 0.75);
  base.addColorStop(0, `hsl(${hue} 38% 36%)`);
  base.addColorStop(1, `hsl(${hue} 42% 16%)`);
  ctx.fillStyle = base;
  ctx.fillRect(0, 0, PHOTO_W, PHOTO_H);
  // cloth grain: a small noise tile stretched over the table
  const tile = document.createElement('canvas');
  tile.width = 160;
  tile.height = 120;
  const t = tile.getContext('2d')!;
  const pixels = t.createImageData(tile.width, tile.height);
  for (let i = 0; i < pixels.data.length; i += 4) {
    const v = random() * 255;
    pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = v;
    pixels.data[i + 3] = 28;
  }
  t.putImageData(pixels, 0, 0);
  ctx.drawImage(tile, 0, 0, PHOTO_W, PHOTO_H);
}

function drawCard(ctx: CanvasRenderingContext2D, img: HTMLImageElement, cx: number, cy: number, height: number, degreesCcw: number): void {
  const width = (img.naturalWidth / img.naturalHeight) * height;
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate((-degreesCcw * Math.PI) / 180); // canvas turns clockwise
  ctx.shadowColor = 'rgba(0, 0, 0, 0.45)';
  ctx.shadowBlur = 10;
  ctx.shadowOffsetX = 3;
  ctx.shadowOffsetY = 4;
  ctx.drawImage(img, -width / 2, -height / 2, width, height);
  ctx.restore();
}

function lighting(ctx: CanvasRenderingContext2D, random: () => number): void {
  const light = ctx.createLinearGradient(uniform(random, 0, PHOTO_W), 0, uniform(random, 0, PHOTO_W), PHOTO_H);
  light.addColorStop(0, 'rgba(255, 244, 220, 0.10)');
  light.addColorStop(1, 'rgba(0, 0, 0, 0.16)');
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, PHOTO_W, PHOTO_H);
}

/**
 * A hand held as a fan, as render.py's hand_scene lays it out: the cards turn
 * about a pivot below the fan, each one a few degrees more clockwise and
 * shifted right, left to right, so each top-left index shows and the last
 * (rightmost) card lies whole on top.
 */
export async function handPhoto(tokens: readonly string[], random: () => number = Math.random): Promise<string> {
  const images = await Promise.all(tokens.map(face));
  const canvas = document.createElement('canvas');
  canvas.width = PHOTO_W;
  canvas.height = PHOTO_H;
  const ctx = canvas.getContext('2d')!;
  table(ctx, random);
  const n = tokens.length;
  const cardH = (n <= 7 ? 300 : 260) * uniform(random, 0.95, 1.05);
  const cardW = cardH * (154 / 240);
  const step = uniform(random, 10, 13) * (n <= 6 ? 1 : 0.75);
  const lateral = uniform(random, 0.2, 0.26) * cardW * (n <= 6 ? 1 : 0.7);
  const dist = cardH * uniform(random, 0.28, 0.34);
  const base = gauss(random, 3);
  const px = PHOTO_W / 2 + uniform(random, -20, 20);
  const py = PHOTO_H / 2 + cardH * 0.08 + dist;
  images.forEach((img, i) => {
    const k = i - (n - 1) / 2;
    const angle = base - k * step + gauss(random, 0.8);
    const t = (angle * Math.PI) / 180;
    const [ux, uy] = [-Math.sin(t), -Math.cos(t)]; // the card's up, turned
    const [rx, ry] = [Math.cos(t), -Math.sin(t)]; // the card's right, turned
    const off = k * lateral;
    drawCard(ctx, img, px + ux * dist + rx * off, py + uy * dist + ry * off, cardH, angle);
  });
  lighting(ctx, random);
  return canvas.toDataURL('image/jpeg', 0.9);
}

/** The face-up discard: one card on the table, a little turned. */
export async function deckPhoto(token: string, random: () => number = Math.random): Promise<string> {
  const img = await face(token);
  const canvas = document.createElement('canvas');
  canvas.width = PHOTO_W;
  canvas.height = PHOTO_H;
  const ctx = canvas.getContext('2d')!;
  table(ctx, random);
  const cardH = uniform(random, 250, 300);
  drawCard(ctx, img, PHOTO_W / 2 + uniform(random, -50, 50), PHOTO_H / 2 + uniform(random, -20, 20), cardH, gauss(random, 6));
  lighting(ctx, random);
  return canvas.toDataURL('image/jpeg', 0.9);
}
