/**
 * The fault and load harness behind `npm run soak` (long) and test/soak.test.ts
 * (short): mixed concurrent requests with known answers against the real
 * server on loopback, a slow uploader and a client that hangs up mid-upload
 * alongside, memory before and after, and a SIGTERM in the middle of load.
 * Bounded in count and time; it only talks to 127.0.0.1.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { QUIET_MS } from '../../api/src/idle-memory.js';
import { realPhotos } from './photos.js';
import { spawnServer, type ServerProcess } from './server.js';

export interface SoakOptions {
  requests: number;
  concurrency: number;
  /** Bounds on the warm-up rounds (default 3 to 8): the short soak in `npm test` takes fewer. */
  warmUpRounds?: { least: number; most: number };
}

interface Case {
  name: string;
  send: (url: string) => Promise<Response>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check reads the fields its own request returns
  check: (status: number, body: any) => boolean;
}

/** A process's resident memory now (VmRSS) or at its peak (VmHWM), in MB, from /proc. */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 1024;
}

/** A POST of `body` as JSON, serialized once (not per request: a 15 MB body would stall the client). */
function json(path: string, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (url: string) => fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
}

/**
 * Requests whose right answers are known: every class of bad input, game
 * calls, and the real photos, whose right answer is what the same server reads
 * in them with no load (`readings`): under load every answer must match it.
 */
export function mixedCases(readings: Record<string, string>): Case[] {
  const photos = realPhotos();
  const good: Case[] = photos.map((p) => ({
    name: `cards ${p.name}`,
    send: json('/api/cards', { [p.kind]: p.bytes.toString('base64'), n_cards: p.kind === 'hand' ? p.cards.length : undefined, images: false }),
    check: (status, body) => status === 200 && body[p.kind]?.cards === readings[p.name],
  }));
  const error = (name: string, path: string, body: unknown, status: number, code: string): Case => ({
    name,
    send: json(path, body),
    check: (s, b) => s === status && b?.error?.code === code,
  });
  return [
    ...good,
    {
      name: 'game seed',
      send: json('/api/game', { hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' }),
      check: (s, b) => s === 200 && b.go_out?.score === 58 && b.going_out,
    },
    { name: 'game get', send: (url) => fetch(`${url}/api/game?hand=x/u&deck=z&phase=last`), check: (s, b) => s === 200 && b.score === 16 },
    error('game bad token', '/api/game', { hand: 'a/zz', deck: 'n' }, 400, 'unknown_card'),
    error('game no deck', '/api/game', { hand: 'a/b' }, 400, 'missing_deck'),
    error('game bad json', '/api/game', '{"hand":', 400, 'invalid_json'),
    error('cards bad json', '/api/cards', '{"hand":', 400, 'invalid_json'),
    error('cards no image', '/api/cards', {}, 400, 'missing_image'),
    error('cards bad base64', '/api/cards', { hand: '!!!' }, 400, 'invalid_base64'),
    error('cards not image', '/api/cards', { hand: Buffer.from('plain text').toString('base64') }, 415, 'unsupported_image'),
    error('cards n_cards', '/api/cards', { hand: photos[0]!.bytes.toString('base64'), n_cards: 42 }, 400, 'invalid_n_cards'),
    error('cards loopback url', '/api/cards', { hand: 'http://127.0.0.1:1/x.jpg' }, 403, 'url_forbidden'),
    error('cards too large', '/api/cards', { hand: Buffer.alloc(11 * 1024 * 1024).toString('base64') }, 413, 'image_too_large'),
  ];
}

/** How long a client keeps trying again after 503s with Retry-After before it counts the 503 as an error. */
const RETRY_BUDGET_MS = 120_000;

/**
 * Sends `total` requests, `concurrency` at a time, cycling through the cases;
 * counts 5xx and wrong answers. A 503 with Retry-After is the server shedding
 * load, as designed: the client waits as told and tries again (counted as shed).
 */
export async function hammer(url: string, cases: Case[], total: number, concurrency: number) {
  let next = 0;
  const result = {
    sent: 0,
    shed: 0,
    serverErrors: 0,
    wrong: [] as string[],
    failedConnections: 0,
    failures: [] as string[],
    latencies: [] as number[],
  };
  const worker = async () => {
    while (next < total) {
      const c = cases[next++ % cases.length]!;
      const started = performance.now();
      try {
        let response = await c.send(url);
        const giveUp = Date.now() + RETRY_BUDGET_MS;
        while (response.status === 503 && response.headers.has('retry-after') && Date.now() < giveUp) {
          result.shed++;
          await response.arrayBuffer();
          // Wait as told, with jitter, as a well-behaved client does: shed clients do not all come back at the same moment.
          await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after')) * (0.5 + Math.random())));
          response = await c.send(url);
        }
        const body = await response.json().catch(() => undefined);
        result.sent++;
        if (response.status >= 500) result.serverErrors++;
        else if (!c.check(response.status, body)) result.wrong.push(`${c.name}: ${response.status} ${JSON.stringify(body).slice(0, 120)}`);
        result.latencies.push(performance.now() - started);
      } catch (error) {
        result.failedConnections++;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        result.failures.push(`${c.name}: ${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

/** A client that sends headers and a trickle of body, one byte every 200 ms, for `ms`. */
function slowUploader(url: string, ms: number): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/game HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`);
      const timer = setInterval(() => socket.write('{'), 200);
      setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        resolve();
      }, ms);
    });
    socket.on('error', () => resolve());
  });
}

/** A client that starts a 5 MB upload and hangs up half way. */
function quitter(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/cards HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{"hand":"`);
      socket.write(Buffer.alloc(2_000_000, 65), () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

/** Each real photo's reading by an idle server: the answer every loaded request must repeat. */
export async function quietReadings(url: string): Promise<Record<string, string>> {
  const readings: Record<string, string> = {};
  for (const p of realPhotos()) {
    const body = { [p.kind]: p.bytes.toString('base64'), n_cards: p.kind === 'hand' ? p.cards.length : undefined, images: false };
    const answer = await (await json('/api/cards', body)(url)).json();
    readings[p.name] = answer[p.kind].cards;
  }
  return readings;
}

/**
 * The server's resident size once it has given back a burst's garbage: after
 * its quiet time (idle-memory.ts QUIET_MS) it collects, and the freed pages go
 * back over the next seconds; sampled each second until it stops falling (two
 * samples within 1 %), 30 s at most.
 */
export async function settledMb(pid: number): Promise<number> {
  await sleep(QUIET_MS + 1000);
  let last = memoryMb(pid);
  for (let waited = 0; waited < 30; waited++) {
    await sleep(1000);
    const now = memoryMb(pid);
    if (now >= last * 0.99) return Math.min(now, last);
    last = now;
  }
  return last;
}

/** Requests in a round of the soak; the size is taken after each. */
const ROUND = 400;
/** How many warm-up rounds: at least `least`, at most `most`, stopping once the settled size stops rising. */
const WARM_UP_ROUNDS = { least: 3, most: 8 };
/** A warm-up round whose settled size is within this of the largest before it has not grown: the working size is reached. */
const WARM_UP_FLAT = 0.05;

/**
 * Warms the server up with rounds of the same concurrent mix until its settled
 * size stops rising, so "before" is the server at its working size (allocator
 * pools and arenas, JIT, the body budget's worth of uploads); growth after that
 * is a leak. Since the corner reader, three rounds no longer always reach it
 * (README, Soak: 289 MB after three, 384 from the next two on). A leak never
 * stops rising, so it runs the warm-up to its last round and still shows in
 * the measured rounds after it. Returns the settled size after each round.
 */
async function warmUp(url: string, pid: number, cases: Case[], options: SoakOptions): Promise<number[]> {
  const { least, most } = { ...WARM_UP_ROUNDS, ...options.warmUpRounds };
  const sizes: number[] = [];
  for (let round = 0; round < most; round++) {
    await hammer(url, cases, Math.min(options.requests, ROUND), options.concurrency);
    const size = await settledMb(pid);
    const grew = sizes.length === 0 || size > Math.max(...sizes) * (1 + WARM_UP_FLAT);
    sizes.push(size);
    if (sizes.length >= least && !grew) break;
  }
  return sizes;
}

export async function soak(options: SoakOptions) {
  const server: ServerProcess = await spawnServer();
  try {
    const cases = mixedCases(await quietReadings(server.url));
    const pid = server.child.pid!;
    const warmUpSizes = await warmUp(server.url, pid, cases, options);
    const before = warmUpSizes.at(-1)!;
    // The run in rounds, the size settled after each: a leak grows round on round, a working size does not.
    const rounds: Awaited<ReturnType<typeof hammer>>[] = [];
    const sizes: number[] = [];
    let seconds = 0;
    for (let sent = 0; sent < options.requests; sent += ROUND) {
      const roundStarted = performance.now();
      const [load] = await Promise.all([
        hammer(server.url, cases, Math.min(ROUND, options.requests - sent), options.concurrency),
        ...(sent === 0 ? [slowUploader(server.url, 3000), quitter(server.url), quitter(server.url)] : []),
      ]);
      seconds += (performance.now() - roundStarted) / 1000;
      rounds.push(load);
      sizes.push(await settledMb(pid));
    }
    const load = {
      sent: rounds.reduce((n, r) => n + r.sent, 0),
      shed: rounds.reduce((n, r) => n + r.shed, 0),
      serverErrors: rounds.reduce((n, r) => n + r.serverErrors, 0),
      wrong: rounds.flatMap((r) => r.wrong),
      failedConnections: rounds.reduce((n, r) => n + r.failedConnections, 0),
      failures: rounds.flatMap((r) => r.failures),
      latencies: rounds.flatMap((r) => r.latencies),
    };
    const alive = (await fetch(`${server.url}/api/game?hand=x/u&deck=z`)).status === 200;
    return {
      ...load,
      seconds,
      warmUpSizes,
      before,
      sizes,
      after: sizes.at(-1)!,
      alive,
      medianMs: median(load.latencies),
    };
  } finally {
    await server.stop();
  }
}

/** SIGTERM while requests are in flight: the server must exit 0, answer no 5xx, and start again cleanly. */
export async function restartUnderLoad(concurrency: number) {
  const server = await spawnServer();
  const cases = mixedCases(await quietReadings(server.url));
  const load = hammer(server.url, cases, concurrency * 10, concurrency);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const exitCode = await server.stop('SIGTERM');
  const during = await load;
  const again = await spawnServer();
  try {
    const after = await hammer(again.url, cases, cases.length, 4);
    return { exitCode, during, after };
  } finally {
    await again.stop();
  }
}

/** Time from starting the process to the first /api/cards answer, as a user of a cold instance sees it. */
export async function coldStartMs(): Promise<number> {
  const photo = realPhotos().find((p) => p.name === 'hand-3.jpg')!;
  const started = performance.now();
  const server = await spawnServer();
  try {
    const response = await json('/api/cards', { hand: photo.bytes.toString('base64'), n_cards: 3, images: false })(server.url);
    if (response.status !== 200) throw new Error(`cold /api/cards answered ${response.status}`);
    await response.json();
    return performance.now() - started;
  } finally {
    await server.stop();
  }
}
