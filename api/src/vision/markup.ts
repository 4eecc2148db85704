/** Draws the cards read onto the photo: a box and a label per card, as a JPEG. */
import sharp from 'sharp';
import type { DecodedPhoto } from './image.js';
import type { ReadCard } from './postprocess.js';

/** The marked-up photo's long side at most. */
const MARKUP_LONG_SIDE = 960;

const escape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Draws on the pixels already decoded for the detector (no second decode that
 * could disagree about a damaged file); boxes are in the original photo's pixels.
 */
export async function markUp(image: DecodedPhoto, cards: readonly ReadCard[]): Promise<Buffer> {
  const { width: w, height: h } = image;
  const scale = w / image.originalWidth;
  const stroke = Math.max(2, Math.round(Math.max(w, h) / 300));
  const font = Math.max(12, Math.round(Math.max(w, h) / 40));
  const shapes = cards.map((card, i) => {
    const [x1, y1, x2, y2] = card.box.map((v) => v * scale) as [number, number, number, number];
    const colour = card.score >= 0.8 ? '#16a34a' : card.score >= 0.5 ? '#d97706' : '#dc2626';
    const label = `${i + 1}. ${card.token.toUpperCase()} ${Math.round(card.score * 100)}%`;
    const ty = y1 > font + 4 ? y1 - 4 : y2 + font;
    return (
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>` +
      `<text x="${x1}" y="${ty}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" font-weight="bold" ` +
      `fill="${colour}" stroke="#ffffff" stroke-width="${Math.max(1, stroke / 2)}" paint-order="stroke">${escape(label)}</text>`
    );
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${shapes.join('')}</svg>`;
  return sharp(image.rgb, { raw: { width: w, height: h, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .toBuffer()
    .then((drawn) =>
      // The working copy may be 1600 px: a page shows the marked-up photo at most this big.
      sharp(drawn, { raw: { width: w, height: h, channels: 3 } })
        .resize({ width: MARKUP_LONG_SIDE, height: MARKUP_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer(),
    );
}
