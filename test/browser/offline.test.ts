/**
 * The installable, offline page in Chromium: the first visit keeps every file
 * (the model, the WASM runtime and the dictionary included) through the service
 * worker (web/src/offline/sw.ts), showing the download; the page is
 * cross-origin isolated and its manifest is served; a new deploy downloads
 * only what changed; then, with the server stopped, a reload still shows the
 * page, and the real photos and a random deal are read and solved on the device.
 *
 * Runs in order on one page of a fresh browser context (no worker, no cache
 * kept from before), against a server of its own that serves a copy of
 * web/dist (the "deploy" test changes that copy).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { cacheVersion, precacheList, writeServiceWorker } from '../../web/offline-plugin.js';
import { CHROMIUM, ensureWebBuilt, launchChromium, chips, photoRead } from '../support/browser.js';
import { NEEDS_REAL_PHOTOS, PHOTO_DIR } from '../support/photos.js';
import { spawnServer, type ServerProcess } from '../support/server.js';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const HAND = join(PHOTO_DIR, 'hand-5.jpg');
const DECK = join(PHOTO_DIR, 'deck-1.jpg');
const HAND_CARDS = ['k', 'cl', 'er', 'w', 'a'];
const DECK_CARD = 'a';
const LONG = 180_000; // the device reader warms up on a busy 2-core machine

/** The server's web root: a copy of web/dist. */
let webRoot: string;
let server: ServerProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

declare const window: {
  /** What the offline status line said, each time it changed (recorded by the init script below). */
  offlineTexts: string[];
  cspViolations: string[];
  crossOriginIsolated: boolean;
  /** The page's automation handle (composables/assistant.ts). */
  quiddler: { state: { threads: number } };
};

before(async () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: npm test installs it (scripts/ensure-chromium.sh)`);
  await ensureWebBuilt();
  webRoot = await mkdtemp(join(tmpdir(), 'quiddler-offline-'));
  await cp(DIST, webRoot, { recursive: true });
  server = await spawnServer({ QUIDDLER_WEB_ROOT: webRoot });
  browser = await launchChromium('/dev/null');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(LONG);
  context.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  context.on('weberror', (error) => consoleErrors.push(`uncaught: ${error.error().message}`));
  // The download is over in a moment on loopback: every text the status line shows is kept, to be checked after.
  await context.addInitScript(() => {
    const w = window as unknown as { offlineTexts: string[]; cspViolations: string[] };
    w.offlineTexts = [];
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=offline-status]')?.textContent?.replace(/\s+/g, ' ').trim();
      if (text && text !== w.offlineTexts.at(-1)) w.offlineTexts.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

/** The precache list for what the server serves now, as the build plugin makes it. */
async function servedList() {
  const paths = (await readdir(webRoot, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return precacheList(await Promise.all(paths.map(async (path) => ({ path: path.slice(webRoot.length + 1), content: await readFile(path) }))));
}

/** What the service worker keeps: cache names, and the paths in the (only) cache. */
function keptFiles(p: Page): Promise<{ names: string[]; urls: string[] }> {
  return p.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]!);
    return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname).sort() };
  });
}

/** The paths the server was asked for (its request log) after `from` characters of its output, the API left out. */
const pagesFetched = (from: number) =>
  [
    ...server
      .output()
      .slice(from)
      .matchAll(/^GET (\S+) \d{3}/gm),
  ]
    .map((m) => m[1]!)
    .filter((path) => !path.startsWith('/api/'));

const offlineState = (p: Page) => p.getAttribute('[data-testid=offline-status]', 'data-state');

test('the first visit keeps every built file for offline use, showing the download', { timeout: LONG }, async (t) => {
  await page.goto(server.url);
  await page.locator('[data-testid=offline-status][data-state=ready]').waitFor();
  const list = await servedList();
  const megabytes = (list.reduce((sum, entry) => sum + entry.bytes, 0) / 1e6).toFixed(1);
  const texts = await page.evaluate(() => window.offlineTexts);
  assert.ok(
    texts.some((t) => t.startsWith('Downloading for offline use:') && t.endsWith(`of ${megabytes} MB`)),
    `the download was shown against the ${megabytes} MB to keep: ${texts.join(' | ')}`,
  );
  assert.equal(texts[0], 'Getting ready for offline use…', 'never "cannot", where it can');
  assert.match(texts.at(-1)!, /^✓ ?Ready offline$/);
  t.diagnostic(`${list.length} files, ${megabytes} MB; the status line said: ${texts.join(' | ')}`);
  // 30 MB with the detector and the corner reader; the face reader (1.9 MB) raised it to 32.
  assert.ok(Number(megabytes) <= 32, `at most 32 MB to keep (${megabytes} MB)`);
  const kept = await keptFiles(page);
  const version = cacheVersion(list);
  assert.deepEqual(kept.names, [`quiddler-${version}`], 'one cache, named after the build');
  assert.deepEqual(
    kept.urls,
    list.map((entry) => entry.url),
    'every file of the build, and only those',
  );
  const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  assert.equal(controller, `${server.url}/sw.js`, 'the first page is controlled without a reload');
  assert.equal(await page.getAttribute('[data-testid=offline-status]', 'data-version'), version);
});

test('the page is cross-origin isolated (WASM threads), and nothing it loads is blocked by COEP or the CSP', async () => {
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(consoleErrors, [], 'no blocked resource, no error');
});

test('the manifest is linked and served, and its icons are what it says', async () => {
  const href = await page.$eval('link[rel=manifest]', (link) => (link as HTMLLinkElement).href);
  const response = await fetch(href);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/manifest+json');
  const manifest = (await response.json()) as Record<string, unknown> & { icons: { src: string; sizes: string; type: string }[] };
  assert.equal(manifest.name, 'Quiddler assistant');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.theme_color, await page.getAttribute('meta[name=theme-color]', 'content'));
  const sizes = manifest.icons.map((icon) => icon.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), sizes.join(', '));
  const appleIcon = await page.$eval('link[rel=apple-touch-icon]', (link) => (link as HTMLLinkElement).href);
  for (const [src, size] of [...manifest.icons.map((icon) => [new URL(icon.src, href).href, icon.sizes] as const), [appleIcon, '180x180'] as const]) {
    const icon = await fetch(src);
    assert.equal(icon.headers.get('content-type'), 'image/png', src);
    const { width, height } = await sharp(Buffer.from(await icon.arrayBuffer())).metadata();
    assert.equal(`${width}x${height}`, size, src);
  }
});

test('sw.js is checked on every visit, and the device files have their types', async () => {
  const worker = await fetch(`${server.url}/sw.js`);
  assert.equal(worker.headers.get('cache-control'), 'no-cache');
  assert.match(worker.headers.get('content-type')!, /^text\/javascript/);
  const types: Record<string, string> = { '.wasm': 'application/wasm', '.onnx': 'application/octet-stream', '.dawg': 'application/octet-stream' };
  const deviceFiles = (await servedList()).filter((entry) => Object.keys(types).some((ext) => entry.url.endsWith(ext)));
  assert.equal(deviceFiles.length, 5, `the runtime, the three models and the dictionary: ${deviceFiles.map((e) => e.url).join(', ')}`);
  for (const { url } of deviceFiles) {
    const response = await fetch(server.url + url, { method: 'HEAD' });
    assert.equal(response.headers.get('content-type'), types[url.slice(url.lastIndexOf('.'))], url);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', url);
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'same-origin', url);
  }
});

test('a new deploy downloads only the files that changed; the others are copied from the kept version', { timeout: LONG + 60_000 }, async (t) => {
  const oldVersion = cacheVersion(await servedList());
  const index = join(webRoot, 'index.html');
  await writeFile(index, (await readFile(index, 'utf8')).replace('</head>', '  <!-- redeployed -->\n  </head>'));
  const list = await writeServiceWorker(webRoot); // as the build does
  const newVersion = cacheVersion(list);
  assert.notEqual(newVersion, oldVersion);
  const logFrom = server.output().length;
  // Only the offline copy's own fetches are counted: the device stays unloaded (its automatic loading from the
  // offline copy could meet the old version's cache being deleted, and fetch a file itself).
  await setCompute(page, 'server');
  // The browser checks sw.js on navigation (its document is enough: in one CI run the load event of this reload never
  // came within 180 s, likely a fetch the old worker held, as below)…
  await visitAgain(t);
  // …unless it checked a moment ago (a busy machine can run the two close together): then the page's next check finds it.
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.update()));
  const newReady = page.locator(`[data-testid=offline-status][data-state=ready][data-version="${newVersion}"]`);
  // A new worker activates once the old one has no fetch of this page's under way; now and then one (a stream the
  // reload left open) holds it past the moment, and a later navigation, as a player's next visit, lets it take over.
  // Up to three more visits, 30 s apart (one was not always enough: the old worker's hold is not yet explained).
  const readyWithin = (ms: number) =>
    newReady.waitFor({ timeout: ms }).then(
      () => true,
      () => false,
    );
  for (let visit = 1; visit <= 3 && !(await readyWithin(30_000)); visit++) {
    t.diagnostic(`the new worker was still waiting after 30 s: visit ${visit} more`);
    await visitAgain(t);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.update()));
  }
  await newReady.waitFor({ timeout: 30_000 });
  // The new worker may say it is ready (its copy is complete) a moment before it has deleted the old copy.
  let kept = await keptFiles(page);
  for (const end = Date.now() + 10_000; kept.names.length > 1 && Date.now() < end; kept = await keptFiles(page)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(kept.names, [`quiddler-${newVersion}`], 'the old version is deleted');
  assert.deepEqual(
    kept.urls,
    list.map((entry) => entry.url),
  );
  // The navigation, the update check and the one changed file: not the 24 MB again.
  await waitFor(() => pagesFetched(logFrom).includes('/index.html'));
  assert.deepEqual([...new Set(pagesFetched(logFrom))].sort(), ['/', '/index.html', '/sw.js']);
  t.diagnostic(`fetched for the update: ${pagesFetched(logFrom).join(', ')}`);
  await setCompute(page, 'auto'); // for the next visit, as a player's page is by default
});

/**
 * Reloads the page as a player would, for the browser's update check: a reload whose
 * document has not come within a minute is given up and the page visited afresh, as a
 * player would (in a CI run, and in a fresh clone's test run, one reload never came within 180 s, and the
 * page stayed broken for the tests after it; not yet explained).
 */
async function visitAgain(t: TestContext): Promise<void> {
  try {
    await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    t.diagnostic('the reload stalled for 60 s: the page visited afresh');
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  }
}

/** The "Read and solve" setting for the page's next load. */
async function setCompute(p: Page, compute: 'auto' | 'server'): Promise<void> {
  await p.evaluate((compute) => localStorage.setItem('quiddler-assistant.settings', JSON.stringify({ compute })), compute);
}

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !condition();) {
    assert.ok(Date.now() < end, 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('with the server stopped, a reload still shows the page, still isolated and ready offline', { timeout: LONG }, async () => {
  await server.stop();
  await assert.rejects(fetch(server.url), 'the server is gone');
  const response = await page.reload();
  assert.ok(response?.fromServiceWorker(), 'the page came from the service worker');
  assert.match(await page.content(), /<!-- redeployed -->/, 'the kept page is the newest deploy');
  assert.equal(await page.title(), 'Quiddler assistant');
  await page.locator('[data-testid=random]').waitFor();
  assert.equal(await page.locator('h1').textContent(), 'Q Quiddler assistant');
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, 'the kept page has its COOP/COEP headers');
  await page.locator('[data-testid=offline-status][data-state=ready]').waitFor();
  assert.equal(await offlineState(page), 'ready');
});

test('offline, the real photos are read and solved on this device', { skip: NEEDS_REAL_PHOTOS, timeout: LONG * 2 }, async () => {
  await page.setInputFiles('[data-testid=hand-file]', HAND);
  await page.setInputFiles('[data-testid=deck-file]', DECK);
  assert.equal(await photoRead(page, 'hand'), 'done', 'the hand was read');
  assert.equal(await photoRead(page, 'deck'), 'done', 'the discard was read');
  await page.locator('[data-testid=hand-where][data-where=device]').waitFor();
  assert.deepEqual(await chips(page, 'hand'), HAND_CARDS);
  assert.deepEqual(await chips(page, 'deck'), [DECK_CARD]);
  await page.locator('[data-testid=result][data-status=done] [data-testid=headline]').waitFor();
  assert.match((await page.locator('[data-testid=headline]').textContent())!, /\w/, 'an advice headline');
  await page.locator('[data-testid=solved-where][data-where=device]').waitFor();
});

test('offline, Random deal is read and solved on this device', { timeout: LONG * 2 }, async () => {
  await page.click('[data-testid=random]');
  await page.locator('[data-testid=random]:not([disabled])').waitFor();
  assert.equal(await photoRead(page, 'hand'), 'done', 'the dealt hand was read');
  await page.locator('[data-testid=result][data-status=done] [data-testid=headline]').waitFor();
  assert.match((await page.locator('[data-testid=headline]').textContent())!, /\w/, 'an advice headline');
  await page.locator('[data-testid=solved-where][data-where=device]').waitFor();
});

test('offline, the device read with WASM threads (started from the same-origin chunk the CSP allows), breaking no rule', async () => {
  // A thread the CSP refused would have failed the reader's start, and so the readings above.
  assert.ok((await page.evaluate(() => window.quiddler.state.threads)) >= 2, 'the runtime ran threads');
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
});
