/**
 * The short form of `npm run attack` (issue 17): every class of costly or
 * malformed input answered with its 4xx at once, worst-case photos at once
 * with memory bounded and the other endpoints still quick, hang-ups dropped,
 * a SIGTERM during the worst decodes. Its inputs are made in code: it needs
 * nothing from ../shared.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { attack, percentile } from '../support/attack.js';
import { spawnServer } from '../support/server.js';

test('costly and malformed inputs: their 4xx at once, bounded memory, no 5xx, a prompt clean exit', { timeout: 120_000 }, async () => {
  const run = await attack({ short: true });

  for (const c of run.classes) {
    assert.equal(c.status, c.expected, `${c.name}: ${c.status} ${c.code}`);
    assert.ok(c.ms < 1500, `${c.name}: ${c.ms.toFixed(0)} ms`);
    assert.ok(c.nosniff, `${c.name}: X-Content-Type-Options: nosniff`);
    assert.ok(c.bytes < 2048, `${c.name}: a ${c.bytes} B answer echoes the input`);
  }

  const [flood] = run.floods;
  for (const answer of flood!.answers) assert.ok([200, 503].includes(answer.status), `a worst-case photo got ${answer.status}`);
  for (const answer of flood!.answers.filter((a) => a.status === 503)) assert.ok(Number(answer.retryAfter) > 0, 'a 503 says when to retry');
  assert.deepEqual(
    flood!.probeStatuses.filter((s) => s !== 200),
    [],
    'the game and a normal photo are answered while the worst decodes run',
  );
  assert.ok(flood!.peakMb <= 600, `peak RSS ${flood!.peakMb.toFixed(0)} MB`);
  assert.ok(percentile(flood!.gameMs, 99) <= 250, `/api/game p99 ${percentile(flood!.gameMs, 99).toFixed(0)} ms`);
  assert.ok(Math.max(...flood!.cardsMs) <= 2000, `a normal /api/cards took ${Math.max(...flood!.cardsMs).toFixed(0)} ms`);

  const shed = run.uploads.answers.filter((a) => a.status === 503);
  assert.ok(shed.length > 0 && shed.every((a) => Number(a.retryAfter) > 0), 'uploads past the body budget get 503 with Retry-After');
  for (const answer of run.uploads.answers) assert.ok([413, 503].includes(answer.status), `a 29 MB upload got ${answer.status}`);
  assert.ok(run.uploads.peakMb <= 600, `peak RSS ${run.uploads.peakMb.toFixed(0)} MB during the uploads`);

  assert.equal(run.hangs.stackLines, 0, 'a hang-up is one log line, not a stack trace');
  assert.ok(run.hangs.goneLines >= 1);
  assert.ok(run.alive);

  assert.equal(run.sigterm.exitCode, 0);
  assert.ok(run.sigterm.exitMs < 5000, `exit after ${run.sigterm.exitMs.toFixed(0)} ms`);
  for (const status of run.sigterm.statuses) assert.ok(status === 200 || status === 503, `a client during SIGTERM got ${status}`);
});

test(
  'photo work runs below the event loop and the game threads: every other thread is lowered, decodes the most',
  { skip: process.platform !== 'linux' && 'per-thread priorities are Linux only', timeout: 60_000 },
  async () => {
    const server = await spawnServer({ QUIDDLER_GAME_THREADS: '1' });
    try {
      const task = (tid: string, file: string) => readFileSync(`/proc/${server.child.pid}/task/${tid}/${file}`, 'utf8');
      // Field 19 of /proc/PID/task/TID/stat is the nice value; the name (field 2) may hold spaces, so count from its ')'.
      const nice = (tid: string) => Number(task(tid, 'stat').split(') ')[1]!.split(' ')[16]);
      const others = readdirSync(`/proc/${server.child.pid}/task`).filter((tid) => tid !== String(server.child.pid));
      const main = nice(String(server.child.pid));
      const turns = others.filter((tid) => task(tid, 'comm').trim() === 'quiddler-turns');
      const background = others.filter((tid) => !turns.includes(tid)).map(nice);
      assert.ok(turns.length >= 1, 'a game-solving thread');
      for (const tid of turns) assert.equal(nice(tid), main, "a game-solving thread at the event loop's priority");
      assert.ok(background.length > 4, `${background.length} other threads`);
      for (const value of background) assert.ok(value >= Math.min(19, main + 10), `a thread at nice ${value}, the event loop at ${main}`);
      assert.ok(background.includes(Math.min(19, main + 19)), 'the decoding pool at the lowest priority');
    } finally {
      await server.stop();
    }
  },
);
