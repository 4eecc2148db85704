/** Browser-test helpers: Debian's Chromium through playwright-core, a fake camera fed from a photo, the built page. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');

/**
 * Writes a one-frame Y4M video (4:2:0, BT.601 full range, as Chromium's
 * fake capture device reads it; it loops the frame) of the picture at
 * `image`, cropped to even sides. Returns the frame's size.
 */
export async function writeY4m(image: string, out: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(image).rotate().metadata();
  const width = (meta.autoOrient?.width ?? meta.width!) & ~1;
  const height = (meta.autoOrient?.height ?? meta.height!) & ~1;
  const { data } = await sharp(image).rotate().extract({ left: 0, top: 0, width, height }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 3;
      y[row * width + col] = clamp(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!);
    }
  }
  for (let row = 0; row < height; row += 2) {
    for (let col = 0; col < width; col += 2) {
      let r = 0,
        g = 0,
        b = 0;
      for (const [dy, dx] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ] as const) {
        const i = ((row + dy) * width + col + dx) * 3;
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      [r, g, b] = [r / 4, g / 4, b / 4];
      const j = (row / 2) * (width / 2) + col / 2;
      u[j] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[j] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  await writeFile(out, Buffer.concat([header, y, u, v]));
  return { width, height };
}

const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));

/** Mean absolute difference (0..255) between two pictures, both shrunk to 64×48 grey. */
export async function pictureDifference(a: Buffer | string, b: Buffer | string): Promise<number> {
  const small = (input: Buffer | string) => sharp(input).rotate().resize(64, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

export function launchChromium(videoFile: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--use-file-for-fake-video-capture=' + videoFile,
    ],
  });
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds web/dist (vite) unless it is newer than every source of the page. */
export async function ensureWebBuilt(): Promise<void> {
  const built = join(WEB, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'offline-plugin.ts'].map((p) => join(WEB, p)).filter(existsSync);
  // The page imports the card table and rules, and its device worker the reader, the engine, the model and the dictionary.
  sources.push(
    ...['api/src', 'model/quiddler.onnx', 'model/corner-reader.onnx', 'model/face-reader.onnx', 'dictionary/sowpods.dawg', 'package-lock.json'].map(
      (p) => join(ROOT, p),
    ),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  // As npm run build:web does: Static Web Apps reads its config from the built folder.
  await copyFile(join(ROOT, 'staticwebapp.config.json'), join(WEB, 'dist', 'staticwebapp.config.json'));
}

/** The tokens of a photo's chips, left to right. */
export async function chips(p: Page, kind: 'hand' | 'deck'): Promise<string[]> {
  return p.locator(`[data-testid=${kind}-chips] [data-token]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-token')!));
}

/** Waits for a photo to be read (or to fail), returning the status. */
export async function photoRead(p: Page, kind: 'hand' | 'deck'): Promise<string> {
  const panel = p.locator(`[data-testid=${kind}-panel]`);
  await p.waitForFunction((el) => ['done', 'error'].includes(el!.getAttribute('data-status')!), await panel.elementHandle());
  return (await panel.getAttribute('data-status'))!;
}
