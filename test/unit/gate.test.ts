import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Gate, Precedence, QueueFullError } from '../../api/src/vision/gate.js';

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

test('work stands aside for the whole of more urgent work under way, and stops waiting when its signal aborts', async () => {
  const precedence = new Precedence();
  const order: string[] = [];
  let finishLight!: () => void;
  const light = precedence.during(0, async () => {
    order.push('light starts');
    await new Promise<void>((resolve) => (finishLight = resolve));
    order.push('light ends');
  });
  // The heavy reading's step waits though nothing is queued: the light one is merely under way.
  const heavy = precedence.during(1, async () => {
    await precedence.clear(1);
    order.push('heavy step');
  });
  // Work of the same or a more urgent priority does not wait.
  await precedence.clear(0);
  const cancel = new AbortController();
  const abandoned = precedence.during(1, () => precedence.clear(1, cancel.signal));
  await sleep(5);
  assert.deepEqual(order, ['light starts']);
  cancel.abort(new Error('client gone'));
  await assert.rejects(abandoned, /client gone/);
  finishLight();
  await Promise.all([light, heavy]);
  assert.deepEqual(order, ['light starts', 'light ends', 'heavy step']);
  await precedence.clear(5);
});
