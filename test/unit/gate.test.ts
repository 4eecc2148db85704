import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Gate } from '../../api/src/vision/gate.js';

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
