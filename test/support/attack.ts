/**
 * The abuse run behind `npm run attack` (long) and test/system/attack.test.ts
 * (short, in CI): every class of costly or malformed input from issue 17,
 * generated here (nothing from ../shared), sent to the real server on
 * loopback, with the status each must get, how fast, and the server's memory.
 * Bounded in count and time; it only talks to 127.0.0.1.
 */
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { cardArtPhoto } from './fixtures.js';
import { realPhotos } from './photos.js';
import { ALLOCATOR_ENV, spawnServer, type ServerProcess } from './server.js';
import { memoryMb } from './soak.js';

export interface AttackOptions {
  /** The CI form: fewer and cheaper rounds, a short settle instead of a minute. */
  short: boolean;
  /** The server's allocator settings (ALLOCATOR_ENV by default; {} for glibc's defaults). */
  allocator?: Record<string, string>;
}

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  nosniff: boolean;
  retryAfter: string | null;
  code?: string;
}

export interface ClassResult extends Answer {
  name: string;
  expected: number;
}

// ---- the inputs --------------------------------------------------------------------------

/** An SVG that takes libvips minutes to rasterise: huge, 200 blurred and dilated rectangles, 17 KB. */
export function svgBomb(): Buffer {
  const rects = Array.from(
    { length: 200 },
    (_, i) =>
      `<rect x="${(i * 29) % 6000}" y="${(i * 31) % 6600}" width="5000" height="5000" fill="#${(i * 4099).toString(16).slice(-6).padStart(6, '0')}" filter="url(#f)"/>`,
  );
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="6000" height="6600"><defs><filter id="f"><feGaussianBlur stdDeviation="400"/><feMorphology operator="dilate" radius="300"/></filter></defs>${rects.join('')}</svg>`,
  );
}

/** A PNG of width × height grey pixels, all zero: tiny compressed, whatever its size (made by hand: no encoder would take 1 × 39,000,000). */
export function flatPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, not interlaced
  const rows = Buffer.alloc((width + 1) * height); // each row: filter byte 0, then its pixels
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A JPEG whose markers announce `scans` scans: what a progressive-decoding bomb looks like to a scan counter. */
export function manyScanJpeg(scans: number): Buffer {
  const scan = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34]);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02]), ...Array.from({ length: scans }, () => scan), Buffer.from([0xff, 0xd9])]);
}

const flat = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#8a7f70' } });

/**
 * The costliest decodes the caps still allow, at 25 MP: a progressive 4:4:4
 * JPEG (its coefficients held whole, no shrink-on-load) and an interlaced 8-bit
 * RGBA PNG (held whole at 4 bytes a pixel, the most the caps let through). Flat
 * content keeps them small on the wire: what they cost is the decode.
 */
export function worstAllowed(): Promise<{ jpeg: Buffer; png: Buffer }> {
  worst ??= makeWorst();
  return worst;
}
let worst: Promise<{ jpeg: Buffer; png: Buffer }> | undefined;

async function makeWorst(): Promise<{ jpeg: Buffer; png: Buffer }> {
  const [width, height] = [6000, 4166];
  const jpeg = await flat(width, height).jpeg({ progressive: true, quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
  const png = await sharp({ create: { width, height, channels: 4, background: { r: 138, g: 127, b: 112, alpha: 1 } } })
    .png({ progressive: true })
    .toBuffer();
  return { jpeg, png };
}

/** An ordinary photo of cards: a real one when ../shared is here, else one drawn from the page's card art. */
async function normalPhoto(): Promise<Buffer> {
  return realPhotos().find((p) => p.name === 'hand-5.jpg')?.bytes ?? cardArtPhoto(['qu', 'a', 'th', 'er', 'z']);
}

// ---- sending -------------------------------------------------------------------------------

async function send(url: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url + path, init);
  return answerOf(response.status, (name) => response.headers.get(name), await response.text(), started);
}

/** What the checks look at in an answer: `header` gives a header's value by its lower-case name, or null. */
function answerOf(status: number, header: (name: string) => string | null, text: string, started: number): Answer {
  let code: string | undefined;
  try {
    code = JSON.parse(text)?.error?.code;
  } catch {
    code = undefined;
  }
  return {
    status,
    ms: performance.now() - started,
    bytes: Buffer.byteLength(text),
    nosniff: header('x-content-type-options') === 'nosniff',
    retryAfter: header('retry-after'),
    code,
  };
}

const json = (body: string | object, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': type },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const raw = (bytes: Buffer, type: string): RequestInit => ({ method: 'POST', headers: { 'Content-Type': type }, body: new Uint8Array(bytes) });

/** Each class of bad input, once, with the status it must get. */
export async function attackClasses(url: string): Promise<ClassResult[]> {
  const photo = await normalPhoto();
  const base64 = photo.toString('base64');
  const svg = svgBomb();
  const deep = `{"hand":"QUJD","deck":"QUJD","n_cards":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const progressive = await flat(6000, 6600).jpeg({ progressive: true, quality: 50 }).toBuffer();
  const cases: [string, string, RequestInit, number][] = [
    ['SVG bomb as image/svg+xml', '/api/cards', raw(svg, 'image/svg+xml'), 415],
    ['SVG bomb as base64 JSON', '/api/cards', json({ hand: svg.toString('base64') }), 415],
    ['SVG bomb as a data: URL', '/api/play', json({ hand: `data:image/svg+xml;base64,${svg.toString('base64')}`, deck: base64 }), 415],
    ['a PDF as octet-stream', '/api/cards', raw(Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n'), 'application/octet-stream'), 415],
    ['n_cards nested 5000 deep, /api/cards', '/api/cards', json(deep), 400],
    ['n_cards nested 5000 deep, /api/play', '/api/play', json(deep), 400],
    ['hand nested 5000 deep, /api/game', '/api/game', json(`{"hand":${'['.repeat(5000)}${']'.repeat(5000)},"deck":"n"}`), 400],
    [`progressive JPEG 6000×6600 (${(progressive.length / 1024).toFixed(0)} KB)`, '/api/cards', raw(progressive, 'image/jpeg'), 413],
    ['PNG 1×39,000,000', '/api/cards', raw(flatPng(1, 39_000_000), 'image/png'), 413],
    ['PNG 1×20,000,000 (under the pixel cap)', '/api/cards', json({ hand: flatPng(1, 20_000_000).toString('base64') }), 413],
    ['JPEG announcing 5000 scans', '/api/cards', raw(manyScanJpeg(5000), 'image/jpeg'), 413],
    ['AVIF of 14 MP (its cap is 12)', '/api/cards', raw(await flat(4000, 3500).avif({ effort: 0 }).toBuffer(), 'image/avif'), 413],
    ['n_cards a 12 MB string', '/api/cards', json({ hand: base64, n_cards: 'x'.repeat(12 * 1024 * 1024) }), 400],
    ...['5', '0x5', ' 5 ', '1e1'].map((n): [string, string, RequestInit, number] => [
      `n_cards "${n}" in JSON`,
      '/api/cards',
      json({ hand: base64, n_cards: n }),
      400,
    ]),
    ['n_cards "0x5" in a query', '/api/cards?n_cards=0x5', raw(photo, 'image/jpeg'), 400],
    ['GET /api/__proto__', '/api/__proto__', {}, 404],
    ['GET /api/constructor', '/api/constructor', {}, 404],
    ['GET /api', '/api', {}, 404],
    ['JSON as text/plain, /api/game', '/api/game', json({ hand: 'a/b', deck: 'n' }, 'text/plain'), 415],
    ['JSON as text/plain, /api/cards', '/api/cards', json({ hand: base64 }, 'text/plain'), 415],
    ['JSON as text/plain, /api/play', '/api/play', json({ hand: base64, deck: base64 }, 'text/plain'), 415],
    ...['[::7f00:1]', '[2002:7f00:1::]', '[::ffff:0:7f00:1]', '[::ffff:7f00:1]', '[::]', '127.0.0.1', '0.0.0.0', 'localhost', '169.254.169.254'].map(
      (host): [string, string, RequestInit, number] => [`URL http://${host}/`, '/api/cards', json({ hand: `http://${host}:9/x.jpg` }), 403],
    ),
    ['a 31 MB body', '/api/cards', json(`{"hand":"${'A'.repeat(31 * 1024 * 1024)}"}`), 413],
  ];
  const results: ClassResult[] = [];
  for (const [name, path, init, expected] of cases) results.push({ name, expected, ...(await send(url, path, init)) });
  return results;
}

// ---- load: the worst photos the caps allow, all at once ------------------------------------

/** Samples a process's resident memory every `ms` until stopped; the peak and the samples. */
function sampleMemory(pid: number, ms = 50) {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(memoryMb(pid)), ms);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(memoryMb(pid));
      return { peak: Math.max(...samples), samples };
    },
  };
}

/** Sends `request` back to back until `until` resolves; every latency, and the statuses. */
async function probe<T extends Answer>(until: Promise<unknown>, request: () => Promise<T>, pauseMs = 0) {
  let done = false;
  void until.then(() => (done = true));
  const answers: T[] = [];
  while (!done) {
    answers.push(await request());
    if (pauseMs) await sleep(pauseMs);
  }
  return answers;
}

const GAME_TURN = '/api/game?hand=a/cl/g/in/th/m/p/o/u/y&deck=n';
const GAME_LAST = `${GAME_TURN}&phase=last`;

/** /api/game latencies on a quiet server, one call at a time: the baseline for the figures under load. */
async function quietGame(url: string, calls: number) {
  const turn: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < calls; i++) {
    turn.push((await send(url, GAME_TURN)).ms);
    last.push((await send(url, GAME_LAST)).ms);
  }
  return { turn, last };
}

export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

export interface FloodResult {
  answers: Answer[];
  idleMb: number;
  peakMb: number;
  settledMb: number;
  settleSeconds: number;
  /** /api/game for the seed hand: the normal turn (the default), and the last turn (the exact take-or-draw solve). */
  gameMs: number[];
  gameLastMs: number[];
  cardsMs: number[];
  probeStatuses: number[];
  seconds: number;
}

/** `count` worst-case photos at once (JPEG and PNG alternating), with /api/game and a normal /api/cards probed meanwhile. */
export async function flood(server: ServerProcess, count: number, settleSeconds: number): Promise<FloodResult> {
  const { jpeg, png } = await worstAllowed();
  const photo = await normalPhoto();
  const pid = server.child.pid!;
  const idleMb = memoryMb(pid);
  const memory = sampleMemory(pid);
  const started = performance.now();
  const all = Promise.all(
    Array.from({ length: count }, (_, i) => send(server.url, '/api/cards?images=false', raw(i % 2 ? png : jpeg, i % 2 ? 'image/png' : 'image/jpeg'))),
  );
  // One game client, alternating the two turns (two clients would mostly measure each other: both run on the event loop).
  let turn = 0;
  const [answers, game, cards] = await Promise.all([
    all,
    probe(all, async () => ({ ...(await send(server.url, turn % 2 ? GAME_LAST : GAME_TURN)), last: turn++ % 2 === 1 })),
    probe(all, () => send(server.url, '/api/cards?images=false', raw(photo, 'image/jpeg')), 100),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const { peak } = memory.stop();
  await sleep(settleSeconds * 1000);
  return {
    answers,
    idleMb,
    peakMb: peak,
    settledMb: memoryMb(pid),
    settleSeconds,
    gameMs: game.filter((a) => !a.last).map((a) => a.ms),
    gameLastMs: game.filter((a) => a.last).map((a) => a.ms),
    cardsMs: cards.map((a) => a.ms),
    probeStatuses: [...game, ...cards].map((a) => a.status),
    seconds,
  };
}

// ---- many large uploads at once --------------------------------------------------------------

/**
 * `clients` upload a 29 MB body each (under the 30 MB cap) at once: the
 * server holds a bounded number of bodies (server.ts MAX_BUFFERED_BYTES) and
 * sheds the rest with 503 as they arrive, so memory stays bounded however many upload.
 * Each client sends all but the body's last megabyte and waits until every
 * client has, so the server holds them all at once: sent whole, a quick 413
 * could give one body's bytes back before the next arrived, and whether any
 * was shed would hang on timing.
 */
export async function uploadsAtOnce(server: ServerProcess, clients: number) {
  const body = Buffer.alloc(29 * 1024 * 1024, 0xab);
  const pid = server.child.pid!;
  const memory = sampleMemory(pid);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const heldOne = () => {
    held += 1;
    // What a client has written may still sit in the kernel's buffers: a moment lets the server read it.
    if (held === clients) setTimeout(release, 500);
  };
  const answers = await Promise.all(
    Array.from({ length: clients }, () => uploadInTwo(server.url, '/api/cards?images=false', body, 'image/jpeg', heldOne, released)),
  );
  return { clients, answers, peakMb: memory.stop().peak };
}

/** Posts `bytes` as a raw image: all but the last megabyte, `held()` once that is written, the rest once `released` settles. */
function uploadInTwo(url: string, path: string, bytes: Buffer, type: string, held: () => void, released: Promise<void>): Promise<Answer> {
  const started = performance.now();
  const split = bytes.length - 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: 'POST', headers: { 'Content-Type': type, 'Content-Length': bytes.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const header = (name: string) => {
          const value = res.headers[name];
          return typeof value === 'string' ? value : null;
        };
        resolve(answerOf(res.statusCode ?? 0, header, Buffer.concat(chunks).toString('utf8'), started));
      });
    });
    req.on('error', reject);
    req.write(bytes.subarray(0, split), () => {
      held();
      void released.then(() => req.end(bytes.subarray(split)));
    });
  });
}

// ---- clients that hang up -------------------------------------------------------------------

/** Posts `bytes` as a raw image and hangs up after `ms`, before the answer. */
function hangUp(url: string, bytes: Buffer, type: string, ms: number): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/cards?images=false HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\n\r\n`);
      socket.write(bytes);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, ms);
    });
    socket.on('error', () => resolve());
  });
}

/**
 * `clients` post an ordinary photo and hang up at 0.3 s, before most are
 * read; then how long the photo of a client that stays takes (it would wait
 * behind every abandoned reading if they were not dropped), and what the log said.
 */
export async function hangUps(server: ServerProcess, clients: number) {
  const photo = await normalPhoto();
  const logBefore = server.output().length;
  await Promise.all(Array.from({ length: clients }, () => hangUp(server.url, photo, 'image/jpeg', 300)));
  const next = await send(server.url, '/api/cards?images=false', raw(photo, 'image/jpeg'));
  await sleep(500);
  const lines = server.output().slice(logBefore).split('\n');
  return {
    clients,
    next,
    goneLines: lines.filter((line) => line.includes('the client went away')).length,
    stackLines: lines.filter((line) => /^\s+at /.test(line)).length,
  };
}

// ---- SIGTERM in the middle of the worst decodes ----------------------------------------------

export async function sigtermDuringDecode(env: Record<string, string>, heavy: number, normal: number) {
  const server = await spawnServer(env);
  const { jpeg, png } = await worstAllowed();
  const photo = await normalPhoto();
  const requests = [
    ...Array.from({ length: heavy }, (_, i) => raw(i % 2 ? png : jpeg, i % 2 ? 'image/png' : 'image/jpeg')),
    ...Array.from({ length: normal }, () => raw(photo, 'image/jpeg')),
  ].map((init) => send(server.url, '/api/cards?images=false', init).catch((error: Error) => error));
  await sleep(300);
  const started = performance.now();
  server.child.kill('SIGTERM');
  const [code] = (await once(server.child, 'exit')) as [number | null];
  const exitMs = performance.now() - started;
  const answers = await Promise.all(requests);
  return {
    exitCode: code,
    exitMs,
    statuses: answers.map((a) => (a instanceof Error ? `no answer (${a.message})` : a.status)),
  };
}

// ---- the whole run ---------------------------------------------------------------------------

export async function attack({ short, allocator = ALLOCATOR_ENV }: AttackOptions) {
  const server = await spawnServer(allocator);
  try {
    // Warm up the reader and the allocator, then call that the idle size.
    const photo = await normalPhoto();
    for (let i = 0; i < 3; i++) await send(server.url, '/api/cards?images=false', raw(photo, 'image/jpeg'));
    const quiet = await quietGame(server.url, short ? 20 : 50);
    const classes = await attackClasses(server.url);
    const floods = [];
    for (let round = 0; round < (short ? 1 : 3); round++) floods.push(await flood(server, short ? 8 : 16, short ? 5 : 60));
    const uploads = await uploadsAtOnce(server, short ? 8 : 16);
    const hangs = await hangUps(server, short ? 10 : 40);
    const alive = (await send(server.url, '/api/game?hand=x/u&deck=z')).status === 200;
    const sigterm = await sigtermDuringDecode(allocator, short ? 2 : 4, short ? 2 : 4);
    return { quiet, classes, floods, uploads, hangs, alive, sigterm };
  } finally {
    await server.stop();
  }
}
