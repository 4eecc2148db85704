/**
 * Loopback load tests of the running app server (a separate process, started
 * here and stopped after): /api/cards with a real photo and /api/game, each
 * with 2, 8 and 32 concurrent clients for 20 s (32: the reader's whole queue
 * and its two slots, so none should be shed). Reports requests/s, latency
 * percentiles, errors and the server's peak memory (VmHWM from /proc).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { PHOTO_DIR } from '../test/support/photos.js';
import { spawnServer, type ServerProcess } from '../test/support/server.js';
import { memoryMb } from '../test/support/soak.js';
import type { Row } from './stats.js';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);

async function load(server: ServerProcess, name: string, connections: number, request: autocannon.Request, target?: { p50: number }): Promise<Row[]> {
  const before = memoryMb(server.child.pid!, 'VmRSS');
  const result = await autocannon({ url: server.url, connections, duration: SECONDS, requests: [request] });
  const after = memoryMb(server.child.pid!, 'VmRSS');
  const errors = result.errors + result.timeouts + result.non2xx;
  const label = `${name}, ${connections} clients, ${SECONDS} s`;
  const rows: Row[] = [
    { what: `${label}: requests/s (mean)`, value: result.requests.average.toFixed(1) },
    {
      what: `${label}: latency p50 / p97.5 / p99`,
      value: `${result.latency.p50} / ${result.latency.p97_5} / ${result.latency.p99} ms`,
      ...(target ? { target: `p50 ≤ ${target.p50} ms`, ok: result.latency.p50 <= target.p50 } : {}),
    },
    { what: `${label}: errors (of ${result.requests.total})`, value: String(errors), target: '0', ok: errors === 0 },
    { what: `${label}: server RSS before → after`, value: `${before.toFixed(0)} → ${after.toFixed(0)} MB` },
  ];
  return rows;
}

export async function benchLoad(): Promise<Row[]> {
  const server = await spawnServer();
  try {
    const photo = readFileSync(PHOTO_DIR + 'hand-5.jpg').toString('base64');
    const cards: autocannon.Request = {
      method: 'POST',
      path: '/api/cards',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hand: photo, n_cards: 5, images: false }),
    };
    const game: autocannon.Request = {
      method: 'POST',
      path: '/api/game',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' }),
    };
    const rows = [
      ...(await load(server, '/api/cards', 2, cards, { p50: 300 })),
      ...(await load(server, '/api/cards', 8, cards)),
      ...(await load(server, '/api/cards', 32, cards)),
      ...(await load(server, '/api/game', 2, game)),
      ...(await load(server, '/api/game', 8, game)),
      ...(await load(server, '/api/game', 32, game)),
    ];
    rows.push({ what: 'server peak RSS over all runs', value: `${memoryMb(server.child.pid!, 'VmHWM').toFixed(0)} MB` });
    return rows;
  } finally {
    await server.stop();
  }
}
