/**
 * The service worker: keeps every file of the built page (the model, the WASM
 * runtime and the dictionary included) so the page opens and reads cards with
 * no connection after the first visit.
 *
 * web/offline-plugin.ts compiles this file into web/dist/sw.js at the end of
 * each build, with the list of files (url, bytes, SHA-256) and a version made
 * from their hashes put in for __PRECACHE__ and __CACHE_VERSION__. A deploy
 * that changes any file changes sw.js, so the browser installs the new worker.
 *
 * - install: every listed file into the cache `quiddler-<version>`; a file whose
 *   hash is already in an older quiddler cache is copied from there, the rest are
 *   downloaded with progress posted to the page ({type:'offline-progress'}).
 * - activate: older quiddler caches go, this worker takes the open pages, and
 *   tells them {type:'offline-ready'}.
 * - fetch: same-origin GETs only, never /api/*. Pages: network first, the kept
 *   /index.html when the network fails. Listed files: from the cache. Else: network.
 * - message {type:'offline-status'}: answered with offline-ready once the cache
 *   is complete (missing files, say evicted, are fetched again first).
 */
import { readStream, sha256Hex } from '../shared/bytes';
import type { FromServiceWorker, PrecacheEntry, ToServiceWorker } from './messages';

declare const self: ServiceWorkerGlobalScope;
/** Put in by web/offline-plugin.ts (esbuild `define`). */
declare const __PRECACHE__: PrecacheEntry[];
declare const __CACHE_VERSION__: string;

const CACHE_PREFIX = 'quiddler-';
const CACHE_NAME = CACHE_PREFIX + __CACHE_VERSION__;
/** Each kept response carries its file's hash, so a later version can tell which files it may copy. */
const HASH_HEADER = 'X-Quiddler-Hash';
/** A few downloads at once: the 31 card faces are small, the model and runtime are most of the bytes. */
const PARALLEL_DOWNLOADS = 4;
/** Progress is posted at most this often (a 14 MB file arrives in hundreds of chunks). */
const PROGRESS_INTERVAL_MS = 150;
/** Where a page falls back to when the network fails. */
const PAGE_URL = '/index.html';

const PRECACHED = new Map(__PRECACHE__.map((entry) => [entry.url, entry]));

self.addEventListener('install', (event) => {
  event.waitUntil(
    precacheOnce()
      // A new version takes over at once: its files are all kept, so the page loses nothing.
      .then(() => self.skipWaiting())
      .catch(async (error: unknown) => {
        await broadcast({ type: 'offline-error', message: messageOf(error) });
        throw error; // the install fails; the browser tries again on a later visit
      }),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await deleteOlderCaches();
      // The first page (which installed this worker) is controlled from now on, without a reload.
      await self.clients.claim();
      await broadcast({ type: 'offline-ready', version: __CACHE_VERSION__ });
    })(),
  );
});

self.addEventListener('message', (event) => {
  const message = event.data as ToServiceWorker | undefined;
  if (message?.type === 'take-over') return void self.skipWaiting();
  if (message?.type !== 'offline-status') return;
  const client = event.source as Client | null;
  event.waitUntil(
    precacheOnce().then(
      () => client?.postMessage({ type: 'offline-ready', version: __CACHE_VERSION__ } satisfies FromServiceWorker),
      (error: unknown) => client?.postMessage({ type: 'offline-error', message: messageOf(error) } satisfies FromServiceWorker),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const answer = respond(event.request);
  if (answer) event.respondWith(answer);
});

// ---- fetch ----------------------------------------------------------------

/** The answer for a request this worker handles, or undefined to leave it to the network. */
function respond(request: Request): Promise<Response> | undefined {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  // The API is always live (photos read, hands solved on the server): never from a cache.
  if (url.origin !== self.location.origin || isApi(url.pathname)) return undefined;
  if (request.mode === 'navigate') return networkFirst(request);
  if (PRECACHED.has(url.pathname) && !url.search) return cacheFirst(request, url.pathname);
  return undefined;
}

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

/** A page: the server's (the newest), else the kept one, so a reload with no connection still shows the page. */
async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.open(CACHE_NAME).then((cache) => cache.match(PAGE_URL));
    if (kept) return kept;
    throw error;
  }
}

/** A listed file: its name carries its hash (or the list does), so the kept copy is the right one. */
async function cacheFirst(request: Request, path: string): Promise<Response> {
  const kept = await caches.open(CACHE_NAME).then((cache) => cache.match(path));
  return kept ?? fetch(request);
}

// ---- precaching -----------------------------------------------------------

let precaching: Promise<void> | undefined;

/** One precache at a time: the install and a page's status question may ask together. */
function precacheOnce(): Promise<void> {
  precaching ??= precache().finally(() => (precaching = undefined));
  return precaching;
}

/** Makes the cache hold every listed file: kept ones stay, older versions' copies are reused, the rest downloaded. */
async function precache(): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  const missing = await missingEntries(cache);
  if (missing.length === 0) return;
  const older = await olderCopiesByHash();
  const toDownload: PrecacheEntry[] = [];
  for (const entry of missing) {
    const copy = await older.get(entry.hash)?.();
    if (copy) await cache.put(entry.url, copy);
    else toDownload.push(entry);
  }
  await downloadAll(cache, toDownload);
}

async function missingEntries(cache: Cache): Promise<PrecacheEntry[]> {
  const kept = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  return __PRECACHE__.filter((entry) => !kept.has(entry.url));
}

/** For each hash kept in an older quiddler cache: how to get that response. */
async function olderCopiesByHash(): Promise<Map<string, () => Promise<Response | undefined>>> {
  const copies = new Map<string, () => Promise<Response | undefined>>();
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE_PREFIX) || name === CACHE_NAME) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const hash = (await cache.match(request))?.headers.get(HASH_HEADER);
      if (hash && !copies.has(hash)) copies.set(hash, () => cache.match(request));
    }
  }
  return copies;
}

async function downloadAll(cache: Cache, entries: PrecacheEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const progress = progressReporter(entries.reduce((sum, entry) => sum + entry.bytes, 0));
  const queue = [...entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) await download(cache, entry, progress.add);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, queue.length) }, worker));
  await progress.flush();
}

/** Downloads one file, checks it is the listed content, and keeps it with its hash. */
async function download(cache: Cache, entry: PrecacheEntry, onBytes: (n: number) => void): Promise<void> {
  // Past the HTTP cache: the page's device worker may be fetching the same large file at this moment, and two
  // readers of one entry that outgrows a private window's in-memory cache both fail midway ("network error").
  const response = await fetch(entry.url, { cache: 'no-store' });
  if (!response.ok || !response.body) throw new Error(`${entry.url} answered ${response.status}`);
  const body = await readStream(response.body, onBytes);
  // A deploy landing mid-install could serve a newer index.html than the one listed: keep nothing mismatched.
  if ((await sha256Hex(body)) !== entry.hash) throw new Error(`${entry.url} changed on the server during the download; reload to try again`);
  await cache.put(entry.url, keptResponse(response, body, entry.hash));
}

/** The response as kept: the server's headers (type, CSP, COOP/COEP…) and the file's hash, over the body already read. */
function keptResponse(response: Response, body: Uint8Array<ArrayBuffer>, hash: string): Response {
  const headers = new Headers(response.headers);
  // The body is decoded and whole: a transfer encoding or length of the wire form no longer applies.
  headers.delete('Content-Encoding');
  headers.delete('Content-Length');
  headers.set(HASH_HEADER, hash);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Counts downloaded bytes and posts them to the pages, at most every PROGRESS_INTERVAL_MS. */
function progressReporter(total: number): { add: (n: number) => void; flush: () => Promise<void> } {
  let loaded = 0;
  let lastSent = 0;
  const send = () => broadcast({ type: 'offline-progress', loaded, total });
  void send();
  return {
    add(n) {
      loaded += n;
      if (Date.now() - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = Date.now();
      void send();
    },
    flush: send,
  };
}

// ---- housekeeping ---------------------------------------------------------

async function deleteOlderCaches(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME).map((name) => caches.delete(name)));
}

/** To every window of the site, controlled or not: on the first visit the page is not controlled yet. */
async function broadcast(message: FromServiceWorker): Promise<void> {
  const windows = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const client of windows) client.postMessage(message);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
