/**
 * Draws the app's icons (web/public/icons/, linked from manifest.webmanifest
 * and index.html) with sharp: the page's "Q" logo, a cream card with a felt
 * border and a serif Q, on the felt green. Run once after a design change:
 * npx tsx scripts/make-icons.ts (the PNGs are committed).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const OUT = fileURLToPath(new URL('../web/public/icons/', import.meta.url));
// The page's colours (web/src/style.css): --felt, --felt-dark, --cream.
const FELT = '#1f4d3a';
const FELT_DARK = '#153628';
const CREAM = '#f8f2e3';

/**
 * The logo on a 512 unit square. `fullBleed`: felt to the edges (a maskable
 * icon, or Apple's, which the system rounds itself); else a rounded tile. The
 * card stays inside the maskable safe zone (a circle of 40 % of the side).
 */
function logo(fullBleed: boolean): string {
  const background = fullBleed ? `<rect width="512" height="512" fill="${FELT}"/>` : `<rect width="512" height="512" rx="96" fill="${FELT}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  ${background}
  <rect x="146" y="106" width="220" height="300" rx="26" fill="${CREAM}" stroke="${FELT_DARK}" stroke-width="14"/>
  <text x="256" y="330" font-size="220" text-anchor="middle" font-family="Georgia, 'Liberation Serif', 'DejaVu Serif', serif" fill="${FELT}">Q</text>
</svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, fullBleed: false },
  { file: 'icon-512.png', size: 512, fullBleed: false },
  { file: 'icon-maskable-512.png', size: 512, fullBleed: true },
  { file: 'apple-touch-icon.png', size: 180, fullBleed: true },
];

await mkdir(OUT, { recursive: true });
for (const { file, size, fullBleed } of ICONS) {
  await sharp(Buffer.from(logo(fullBleed)), { density: 72 * (size / 512) * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toFile(OUT + file);
  console.log(`web/public/icons/${file} (${size}×${size})`);
}
