/**
 * The assistant on the device, in headless Chromium on this machine: the
 * page's worker (onnxruntime-web + the engine) against the local server.
 * First use: a fresh browser profile reads one photo on the device (the WASM
 * runtime and the model downloaded from the local server, the session created
 * and warmed up, the photo read). Warm: the real photos at 640×480, as
 * `bench detect` reads them on the server, read in the page without a count;
 * the same photos read by the server from the page, for comparison. Solving:
 * the normal-turn advice for bench game's 60 fixed 10-card hands, asked of the
 * device as the page asks (a message to the worker and back).
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, ensureWebBuilt } from '../test/support/browser.js';
import { realPhotos } from '../test/support/photos.js';
import { spawnServer } from '../test/support/server.js';
import { dealHands } from './game.js';
import { median, percentile, type Row } from './stats.js';

const ROUNDS = 6;
const FIRST_USES = 3;

type Automation = {
  read(photos: { hand?: string; deck?: string }, where: 'device' | 'server'): Promise<unknown>;
  advise(request: unknown, where: 'device' | 'server'): Promise<unknown>;
  prepare(compute: string): Promise<void>;
  state: { threads: number; warmMs: number | null };
};
declare const window: { quiddler: Automation };

/** Milliseconds the page took to read a photo (timed in the page, so the test harness's transfer is left out). */
function timedRead(page: Page, src: string, where: 'device' | 'server'): Promise<number> {
  return page.evaluate(
    async ([src, where]) => {
      const started = performance.now();
      await window.quiddler.read({ hand: src }, where);
      return performance.now() - started;
    },
    [src, where] as const,
  );
}

async function firstUse(browser: Browser, url: string, src: string): Promise<number> {
  const context = await browser.newContext(); // a fresh profile: nothing cached
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await timedRead(page, src, 'device');
  } finally {
    await context.close();
  }
}

export async function benchBrowser(): Promise<Row[]> {
  await ensureWebBuilt();
  const server = await spawnServer();
  const browser = await launchChromium('/dev/null');
  try {
    const photos = await Promise.all(
      realPhotos().map(
        async (p) =>
          `data:image/jpeg;base64,${(await sharp(p.bytes).rotate().resize(640, 480, { fit: 'fill' }).jpeg().toBuffer()).toString('base64')}`,
      ),
    );
    const rows: Row[] = [];
    if (photos.length) {
      const firsts: number[] = [];
      for (let i = 0; i < FIRST_USES; i++) firsts.push(await firstUse(browser, server.url, photos[0]!));
      const first = median(firsts);
      rows.push({
        what: `first use: runtime + model download, session, first read (median of ${FIRST_USES} fresh profiles)`,
        value: `${first.toFixed(0)} ms`,
        target: '≤ 3000 ms',
        ok: first <= 3000,
      });
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(() => window.quiddler.prepare('device'));
    const { threads, warmMs } = await page.evaluate(() => ({ ...window.quiddler.state }));
    if (photos.length) {
      await timedRead(page, photos[0]!, 'device');
      const device: number[] = [];
      const viaServer: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const src of photos) {
          device.push(await timedRead(page, src, 'device'));
          viaServer.push(await timedRead(page, src, 'server'));
        }
      }
      const warm = median(device);
      rows.push(
        {
          what: `photo 640×480 read on the device, no count, warm (median of ${device.length}; ${threads} WASM threads)`,
          value: `${warm.toFixed(0)} ms`,
          target: '≤ 400 ms',
          ok: warm <= 400,
        },
        { what: 'photo 640×480 on the device, p90', value: `${percentile(device, 90).toFixed(0)} ms` },
        { what: 'the same photos read by the server, from the page (median)', value: `${median(viaServer).toFixed(0)} ms` },
        { what: 'the device’s warm-up inference (the automatic setting’s speed test)', value: `${warmMs} ms` },
      );
    }
    const hands = dealHands(60).map(({ hand, deck }) => ({ hand: hand.join('/'), deck, phase: 'turn', alternatives: 4 }));
    const solve = await page.evaluate(async (requests) => {
      for (const request of requests.slice(0, 3)) await window.quiddler.advise(request, 'device'); // warm the JIT
      const times: number[] = [];
      for (const request of requests) {
        const started = performance.now();
        await window.quiddler.advise(request, 'device');
        times.push(performance.now() - started);
      }
      return times;
    }, hands);
    const solveMs = median(solve);
    rows.push(
      {
        what: `normal-turn advice, 10-card hand, on the device (median of ${solve.length})`,
        value: `${solveMs.toFixed(1)} ms`,
        target: '≤ 150 ms',
        ok: solveMs <= 150,
      },
      { what: 'normal-turn advice on the device, p90', value: `${percentile(solve, 90).toFixed(1)} ms` },
    );
    await context.close();
    return rows;
  } finally {
    await browser.close();
    await server.stop();
  }
}
