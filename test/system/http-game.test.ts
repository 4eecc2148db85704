import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spawnServer, type ServerProcess } from '../support/server.js';

let server: ServerProcess;
before(async () => {
  server = await spawnServer();
});
after(async () => {
  await server?.stop();
});

async function call(path: string, init?: RequestInit) {
  const response = await fetch(server.url + path, init);
  const body = await response.json();
  return { status: response.status, body, type: response.headers.get('content-type') };
}

const post = (body: unknown) =>
  call('/api/game', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('the server says once that it runs the functions in-process, with no Functions-host warnings', () => {
  assert.match(server.output(), /Azure functions run in-process/);
  assert.doesNotMatch(server.output(), /runtime not detected|test mode/i);
});

test('POST /api/game: a normal turn that can go out is told to take, drop and go out', async () => {
  const { status, body } = await post({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' });
  assert.equal(status, 200);
  assert.equal(body.phase, 'turn');
  assert.deepEqual([body.action, body.drop, body.going_out, body.p_out], ['take', 'o', true, 1]);
  assert.equal(body.go_out.score, 58);
  assert.equal(body.summary, 'Take N, drop O and go out: UNCLAMPING THY, 58 points.');
  assert.equal(body.unseen_cards, 107);
  assert.equal(body.keep.length, 11, 'a keep for every distinct card that could be dropped');
});

test('a normal turn that cannot go out: draw or take and keep, with the odds; then the drawn card finishes the turn', async () => {
  const { body } = await post({ hand: 'q/z/x', deck: 'j' });
  assert.equal(body.go_out, null);
  assert.ok(['take', 'draw'].includes(body.action));
  assert.ok(body.draw.p_out >= 0 && body.draw.p_out <= 1);
  assert.ok(
    body.keep.every((k: { p_out_next: number }, i: number) => i === 0 || body.keep[i - 1].p_out_next >= k.p_out_next),
    'keeps best first',
  );
  const drawn = await post({ hand: 'q/z/x', deck: 'j', drawn: 'i' });
  assert.equal(drawn.body.action, 'drop');
  assert.equal(drawn.body.drawn, 'i');
  assert.equal(drawn.body.draw, undefined);
  assert.match(drawn.body.summary, /^Drop [A-Z]+ (and go out|and keep)/);
  const seen = await post({ hand: 'q/z/x', deck: 'j', seen: 'i/i/i/i/i/i/i' });
  assert.equal(seen.body.unseen_cards, body.unseen_cards - 7, 'seen cards leave the pool');
  const tooMany = await post({ hand: 'q/z/x', deck: 'j', seen: 'q/q' });
  assert.deepEqual([tooMany.status, tooMany.body.error.code], [400, 'too_many_copies']);
});

test('POST /api/game answers the seed example on the last turn', async () => {
  const { status, body, type } = await post({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n', phase: 'last' });
  assert.equal(status, 200);
  assert.equal(body.phase, 'last');
  assert.match(type!, /application\/json/);
  assert.equal(body.score, 58);
  assert.equal(body.complete, true);
  assert.equal(body.pick_up, 'n');
  assert.equal(body.action, 'take');
  assert.deepEqual(body.unused, []);
  assert.equal(body.words.join(' ').split(/[ /]/).length, 10, 'ten cards laid in words');
  assert.equal(typeof body.draw.expected_score, 'number');
  // Every card type still has a copy unseen; 118 − 11 cards in view remain.
  assert.equal(body.draw.outcomes.length, 31);
  assert.equal(body.draw.unseen_cards, 107);
  assert.ok(body.alternatives.some((p: { drop: string; score: number }) => p.drop === 'a' && p.score === 58));
  assert.match(body.summary, /^Take N and drop O: 58 points, going out/);
  assert.ok(body.bonus_plays.most_words.words.length > body.words.length);
});

test('GET /api/game takes the query string, and arrays of tokens work in JSON', async () => {
  const viaGet = await call('/api/game?hand=a/cl/g/in/th/m/p/o/u/y&deck=n');
  const viaArray = await post({ hand: ['A', 'CL', 'g', 'in', 'th', 'm', 'p', 'o', 'u', 'y'], deck: ['n'] });
  assert.equal(viaGet.status, 200);
  assert.equal(viaArray.status, 200);
  assert.deepEqual(viaGet.body, viaArray.body);
});

test('options: clamp at zero and length in cards', async () => {
  const clamped = await call('/api/game?hand=q/x/z&deck=j&clamp_at_zero=true&phase=last');
  assert.equal(clamped.body.score, 0);
  const inCards = await post({ hand: 'th/in', deck: 'k', length_unit: 'cards', phase: 'last' });
  const inLetters = await post({ hand: 'th/in', deck: 'k', phase: 'last' });
  assert.deepEqual(inCards.body.word_details, [{ cards: 'th/in', word: 'thin', points: 16, length: 2 }]);
  assert.equal(inLetters.body.word_details[0].length, 4);
});

const badRequests: [string, unknown, number, string, RegExp][] = [
  ['malformed JSON', '{"hand": "a/b"', 400, 'invalid_json', /not valid JSON/],
  ['an empty body', '', 400, 'missing_body', /send JSON/],
  ['a JSON array', '[1,2]', 400, 'invalid_body', /JSON object/],
  ['no hand', { deck: 'n' }, 400, 'missing_hand', /"hand" is required/],
  ['an empty hand', { hand: [], deck: 'n' }, 400, 'empty_hand', /empty/],
  ['an over-long hand', { hand: 'a/b/c/d/e/f/g/h/i/k/l', deck: 'n' }, 400, 'hand_too_long', /11 cards.*at most 10/],
  ['an unknown token', { hand: 'a/zz/c', deck: 'n' }, 400, 'unknown_card', /unknown card "zz"/],
  ['no deck', { hand: 'a/b/c' }, 400, 'missing_deck', /"deck" is required/],
  ['two deck cards', { hand: 'a/b/c', deck: 'n/o' }, 400, 'invalid_deck', /exactly one card/],
  ['too many copies', { hand: 'j/j', deck: 'j' }, 400, 'too_many_copies', /deck has only 2/],
  ['a bad option', { hand: 'a/b', deck: 'c', length_unit: 'miles' }, 400, 'invalid_option', /letters, cards/],
  ['a hand of numbers', { hand: 42, deck: 'c' }, 400, 'invalid_hand', /must be a string/],
  ['an unknown phase', { hand: 'a/b', deck: 'c', phase: 'first' }, 400, 'invalid_option', /turn, last/],
  ['two drawn cards', { hand: 'a/b', deck: 'c', drawn: 'd/e' }, 400, 'invalid_drawn', /one card/],
  ['a drawn card on the last turn', { hand: 'a/b', deck: 'c', drawn: 'd', phase: 'last' }, 400, 'invalid_option', /normal turn/],
];

for (const [what, body, status, code, message] of badRequests) {
  test(`bad input: ${what} → ${status} ${code}`, async () => {
    const response = await post(body);
    assert.equal(response.status, status);
    assert.equal(response.body.error.code, code);
    assert.match(response.body.error.message, message);
  });
}

test('an unknown token lists the valid cards', async () => {
  const { body } = await post({ hand: 'a/zz', deck: 'n' });
  assert.equal(body.error.valid_cards.length, 31);
  assert.ok(body.error.valid_cards.includes('qu'));
});

test('wrong method and unknown function get JSON errors', async () => {
  const del = await call('/api/game', { method: 'DELETE' });
  assert.deepEqual([del.status, del.body.error.code], [405, 'method_not_allowed']);
  const missing = await call('/api/nothing');
  assert.deepEqual([missing.status, missing.body.error.code], [404, 'not_found']);
});

test('the server logs each request with its status and time', async () => {
  await call('/api/game?hand=a/b&deck=c');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.match(server.output(), /GET \/api\/game\?hand=a\/b&deck=c 200 \d+\.\d ms/);
});

test('SIGTERM shuts the server down cleanly', async () => {
  const other = await spawnServer();
  assert.equal((await fetch(`${other.url}/api/game?hand=a/b&deck=c`)).status, 200);
  assert.equal(await other.stop('SIGTERM'), 0);
  assert.match(other.output(), /SIGTERM: shutting down/);
});
