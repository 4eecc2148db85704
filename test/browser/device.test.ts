/**
 * The assistant on the device, in Chromium: the page's worker reads the real
 * photos and solves turns with onnxruntime-web and the engine, and its answers
 * are the server's. The server's answers come over HTTP from this process; the
 * device's from the page (window.quiddler, the page's automation handle) and
 * through the page itself with "On this device" chosen.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { fullDeck, type Card } from '../../api/src/cards.js';
import type { CardsResponse, GameRequest, GameResponse } from '../../api/src/app/contract.js';
import { HAND_LIMITS } from '../../api/src/rules.js';
import { CHROMIUM, chips, ensureWebBuilt, launchChromium } from '../support/browser.js';
import { NEEDS_REAL_PHOTOS, PHOTO_DIR, realPhotos } from '../support/photos.js';
import { spawnServer, type ServerProcess } from '../support/server.js';

const LONG = 120_000; // the first read downloads the runtime and the model, on a busy 2-core machine

let server: ServerProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: npm test installs it (scripts/ensure-chromium.sh)`);
  await ensureWebBuilt();
  server = await spawnServer();
  browser = await launchChromium('/dev/null');
  const context = await browser.newContext();
  context.setDefaultTimeout(LONG);
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  page = await context.newPage();
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

type Automation = {
  read(photos: { hand?: string; deck?: string }, where: 'device' | 'server', handCount?: number | null): Promise<CardsResponse>;
  advise(request: GameRequest, where: 'device' | 'server'): Promise<GameResponse>;
  prepare(compute: string): Promise<void>;
  state: { reader: string; solver: string; threads: number };
};
declare const window: { quiddler: Automation; crossOriginIsolated: boolean };

async function serverJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${path} answered ${response.status}`);
  return (await response.json()) as T;
}

test('the device loads its reader (WASM threads: the page is cross-origin isolated) and its solver', { timeout: LONG }, async () => {
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, 'COOP/COEP make the page cross-origin isolated');
  await page.evaluate(() => window.quiddler.prepare('device'));
  const state = await page.evaluate(() => ({ ...window.quiddler.state }));
  assert.equal(state.reader, 'ready');
  assert.equal(state.solver, 'ready');
  assert.ok(state.threads >= 2, `the runtime uses the cores (${state.threads} threads)`);
});

test('the real photos read on the device give exactly the cards the server reads', { skip: NEEDS_REAL_PHOTOS, timeout: LONG * 3 }, async () => {
  for (const photo of realPhotos()) {
    const src = `data:image/jpeg;base64,${photo.bytes.toString('base64')}`;
    const onServer = await serverJson<CardsResponse>('/api/cards', { [photo.kind]: src, images: false });
    const onDevice = await page.evaluate(([kind, src]) => window.quiddler.read({ [kind]: src }, 'device'), [photo.kind, src] as const);
    const [s, d] = [onServer[photo.kind]!, onDevice[photo.kind]!];
    assert.deepEqual(d.tokens, s.tokens, `${photo.name}: the same cards`);
    assert.deepEqual(d.count, s.count, `${photo.name}: the same count`);
    assert.deepEqual([d.width, d.height, d.quarter_turns], [s.width, s.height, s.quarter_turns], `${photo.name}: the same frame`);
    d.details.forEach((card, i) => {
      assert.ok(Math.abs(card.score - s.details[i]!.score) < 0.05, `${photo.name} card ${i + 1}: scores ${card.score} vs ${s.details[i]!.score}`);
    });
    assert.deepEqual(onDevice.model, onServer.model, 'the same model (name and content hash)');
  }
});

test(
  'a photo stored turned, with its EXIF orientation, is read upright on the device as on the server',
  { skip: NEEDS_REAL_PHOTOS, timeout: LONG },
  async () => {
    const upright = realPhotos().find((p) => p.name === 'hand-5.jpg')!;
    // Stored a quarter turn anticlockwise, tagged "turn 90° clockwise to show" (EXIF orientation 6), as phones write portrait shots.
    const turned = await sharp(upright.bytes).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
    const src = `data:image/jpeg;base64,${turned.toString('base64')}`;
    const onServer = await serverJson<CardsResponse>('/api/cards', { hand: src, images: false });
    const onDevice = await page.evaluate((src) => window.quiddler.read({ hand: src }, 'device'), src);
    assert.deepEqual([onDevice.hand!.width, onDevice.hand!.height], [640, 480], 'the EXIF turn is applied');
    assert.deepEqual(onDevice.hand!.tokens, onServer.hand!.tokens);
    assert.equal(onDevice.hand!.quarter_turns, 0, 'no quarter turn was needed: the photo was upright once decoded');
  },
);

/** A small seeded generator (mulberry32): the same 30 turns every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 turns of every kind: hands of 3 to 10 cards, normal turns (some after a draw, some with seen cards) and last turns. */
function randomTurns(): GameRequest[] {
  const random = seeded(18);
  return Array.from({ length: 30 }, (_, i) => {
    const cards: Card[] = fullDeck();
    for (let k = cards.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [cards[k], cards[j]] = [cards[j]!, cards[k]!];
    }
    const n = 3 + (i % (HAND_LIMITS.max - 2));
    const phase = i % 3 === 2 ? 'last' : 'turn';
    return {
      hand: cards.slice(0, n).join('/'),
      deck: cards[n]!,
      phase,
      ...(phase === 'turn' && i % 4 === 1 ? { drawn: cards[n + 1]! } : {}),
      ...(i % 5 === 0 ? { seen: cards.slice(n + 2, n + 5) } : {}),
      alternatives: 4,
    } satisfies GameRequest;
  });
}

test('30 random turns solved on the device give exactly the server’s advice', { timeout: LONG * 2 }, async () => {
  for (const request of randomTurns()) {
    const onServer = await serverJson<GameResponse>('/api/game', request);
    const onDevice = await page.evaluate((r) => window.quiddler.advise(r, 'device'), request);
    assert.deepEqual(onDevice, onServer, `${request.hand} + ${request.deck} (${request.phase}${request.drawn ? `, drew ${request.drawn}` : ''})`);
  }
});

test('bad input is refused on the device as the server refuses it', { timeout: LONG }, async () => {
  const request = { hand: 'a/bb/c', deck: 'n' };
  const response = await fetch(`${server.url}/api/game`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const onServer = ((await response.json()) as { error: { message: string } }).error.message;
  const onDevice = await page.evaluate(
    (r) =>
      window.quiddler.advise(r, 'device').then(
        () => 'no error',
        (e: Error) => e.message,
      ),
    request,
  );
  assert.equal(onDevice, onServer);
  // Photos the server refuses before decoding, refused on the device in the same words: an SVG, and no image at all.
  const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>').toString('base64')}`;
  for (const src of [svg, 'data:image/jpeg;base64,bm90IGEgcGhvdG8=']) {
    const refused = await fetch(`${server.url}/api/cards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ hand: src }),
    });
    assert.equal(refused.status, 415);
    const onServer = ((await refused.json()) as { error: { message: string } }).error.message;
    const onDevice = await page.evaluate(
      (src) =>
        window.quiddler.read({ hand: src }, 'device').then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      src,
    );
    assert.equal(onDevice, onServer);
  }
});

test(
  '"On this device": the page reads a chosen photo and solves on the device, and says so',
  { skip: NEEDS_REAL_PHOTOS, timeout: LONG },
  async () => {
    await page.selectOption('[data-testid=compute]', 'device');
    await page.setInputFiles('[data-testid=hand-file]', `${PHOTO_DIR}hand-5.jpg`);
    await page.setInputFiles('[data-testid=deck-file]', `${PHOTO_DIR}deck-1.jpg`);
    await page.locator('[data-testid=deck-where][data-where=device]').waitFor();
    await page.locator('[data-testid=hand-where][data-where=device]').waitFor();
    assert.deepEqual(await chips(page, 'hand'), ['k', 'cl', 'er', 'w', 'a']);
    await page.locator('[data-testid=result][data-status=done] [data-testid=solved-where][data-where=device]').waitFor();
    assert.match((await page.locator('[data-testid=headline]').textContent())!, /\w/);
    await page.selectOption('[data-testid=compute]', 'server');
    await page.click('[data-testid=last-turn]');
    await page.locator('[data-testid=result][data-status=done] [data-testid=solved-where][data-where=server]').waitFor();
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  },
);
