import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { asWork, IdleCollector, QUIET_MS } from '../../api/src/idle-memory.js';

test('a thread collects once, a quiet time after its last work, and not while work is under way', async () => {
  let collections = 0;
  const collector = new IdleCollector(() => collections++, 30);
  let finish!: () => void;
  const long = collector.during(() => new Promise<void>((resolve) => (finish = resolve)));
  await collector.during(async () => {});
  await sleep(60);
  assert.equal(collections, 0, 'the long task is still under way');
  finish();
  await long;
  await sleep(60);
  assert.equal(collections, 1);
  await sleep(60);
  assert.equal(collections, 1, 'a thread without work since is not collected again');
});

test('the real collection gives a burst of buffers back', async () => {
  const rss = () => process.memoryUsage().rss;
  await asWork(async () => {
    const burst = Array.from({ length: 40 }, () => Buffer.alloc(4_000_000, 1));
    assert.equal(burst.length, 40);
  });
  const held = rss();
  await sleep(QUIET_MS + 500);
  // 160 MB became garbage; without a collection an idle process keeps it.
  assert.ok(rss() < held - 80_000_000, `RSS ${(held / 1e6).toFixed(0)} → ${(rss() / 1e6).toFixed(0)} MB`);
});
