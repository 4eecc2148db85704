import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Gate, QueueFullError } from '../../api/src/vision/gate.js';

test('a gate never runs more than its size at once, and lets tasks in by arrival', async () => {
  const gate = new Gate(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      gate.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await sleep(i % 3);
        running--;
        return i * i;
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.deepEqual(
    started,
    [...started].sort((a, b) => a - b),
  );
  assert.deepEqual(
    results,
    Array.from({ length: 12 }, (_, i) => i * i),
  );
  assert.equal(gate.waiting, 0);
});

test('a failing task gives its slot back', async () => {
  const gate = new Gate(1);
  await assert.rejects(
    gate.run(() => Promise.reject(new Error('bad photo'))),
    /bad photo/,
  );
  assert.equal(await gate.run(async () => 'next'), 'next');
  assert.throws(() => new Gate(0), RangeError);
});

test('past its queue limit a gate refuses at once instead of making the wait longer', async () => {
  const gate = new Gate(1);
  let release!: () => void;
  const running = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
  const queued = [gate.run(async () => 'a', { queueLimit: 2 }), gate.run(async () => 'b', { queueLimit: 2 })];
  await assert.rejects(
    gate.run(async () => 'c', { queueLimit: 2 }),
    (error: unknown) => error instanceof QueueFullError && error.waiting === 2,
  );
  assert.equal(gate.waiting, 2);
  release();
  await running;
  assert.deepEqual(await Promise.all(queued), ['a', 'b']);
});

test('a waiting task whose signal aborts leaves the queue without running', async () => {
  const gate = new Gate(1);
  let release!: () => void;
  const running = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
  const controller = new AbortController();
  let ran = false;
  const dropped = gate.run(
    async () => {
      ran = true;
    },
    { signal: controller.signal },
  );
  const next = gate.run(async () => 'next');
  controller.abort(new Error('client gone'));
  await assert.rejects(dropped, /client gone/);
  assert.equal(gate.waiting, 1);
  release();
  await running;
  assert.equal(await next, 'next');
  assert.equal(ran, false);
  await assert.rejects(
    gate.run(async () => 'late', { signal: AbortSignal.abort(new Error('already gone')) }),
    /already gone/,
  );
});

test('a more urgent task waits ahead of less urgent ones, in arrival order among equals', async () => {
  const gate = new Gate(1);
  let release!: () => void;
  const running = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
  const order: string[] = [];
  const task = (name: string, priority: number) => gate.run(async () => void order.push(name), { priority });
  const all = [task('heavy 1', 1), task('light 1', 0), task('heavy 2', 1), task('light 2', 0)];
  release();
  await Promise.all([running, ...all]);
  assert.deepEqual(order, ['light 1', 'light 2', 'heavy 1', 'heavy 2']);
});
