import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADVISE_QUEUE, adviserFor, closeAdvisers } from '../../api/src/app/advise-pool.js';
import { answerTurn, parseGameInput } from '../../api/src/app/game-service.js';
import { DomainError } from '../../api/src/errors.js';
import { loadDictionary } from '../../api/src/game/dictionary.js';
import { DEFAULT_DICTIONARY } from '../../api/src/settings.js';

const turn = parseGameInput({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' });

test.after(() => closeAdvisers());

test("a turn answered in the game's threads is the turn answered here, over the real SOWPODS graph", async () => {
  const adviser = adviserFor(DEFAULT_DICTIONARY, 1);
  await adviser.warm();
  const here = answerTurn(await loadDictionary(DEFAULT_DICTIONARY), turn);
  assert.deepEqual(await adviser.advise(turn), here);
  assert.equal(here.phase, 'turn');
  assert.match(here.summary, /\w/);
});

test('a turn that breaks a rule is the same DomainError from a thread as in-process', async () => {
  // Past parseGameInput (which checks the copies too): the engine's own check, as a caller that built the input itself meets it.
  const tooMany = { ...turn, phase: 'last', hand: ['z', 'z', 'a'], deck: 'z' } as typeof turn;
  const expected = await Promise.resolve()
    .then(async () => answerTurn(await loadDictionary(DEFAULT_DICTIONARY), tooMany))
    .catch((error: unknown) => error);
  assert.ok(expected instanceof DomainError, 'in-process it is a DomainError');
  await assert.rejects(adviserFor(DEFAULT_DICTIONARY, 1).advise(tooMany), (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.kind, expected.kind);
    assert.equal(error.code, expected.code);
    assert.equal(error.message, expected.message);
    return true;
  });
});

test('past the queue a turn is refused at once as busy, and the queued ones are all answered', async () => {
  const adviser = adviserFor(DEFAULT_DICTIONARY, 1);
  const burst = Array.from({ length: ADVISE_QUEUE + 20 }, () => adviser.advise(turn));
  const settled = await Promise.allSettled(burst);
  const busy = settled.filter((s) => s.status === 'rejected' && s.reason instanceof DomainError && s.reason.kind === 'busy');
  const answered = settled.filter((s) => s.status === 'fulfilled');
  assert.ok(busy.length >= 10, `${busy.length} refused`);
  assert.equal(answered.length + busy.length, burst.length, 'every other turn answered');
  const { retry_after_s } = (busy[0] as PromiseRejectedResult).reason.details;
  assert.ok(Number.isInteger(retry_after_s) && retry_after_s > 0);
});

test('a queued turn whose signal aborts leaves the queue with its reason', async () => {
  const adviser = adviserFor(DEFAULT_DICTIONARY, 1);
  const ahead = Array.from({ length: 8 }, () => adviser.advise(turn));
  const gone = new AbortController();
  const waiting = adviser.advise(turn, gone.signal);
  gone.abort(new Error('the client went away'));
  await assert.rejects(waiting, /the client went away/);
  await Promise.all(ahead);
});
