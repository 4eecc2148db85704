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

test('POST /api/game answers the seed example', async () => {
  const { status, body, type } = await post({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n' });
  assert.equal(status, 200);
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
  const clamped = await call('/api/game?hand=q/x/z&deck=j&clamp_at_zero=true');
  assert.equal(clamped.body.score, 0);
  const inCards = await post({ hand: 'th/in', deck: 'k', length_unit: 'cards' });
  const inLetters = await post({ hand: 'th/in', deck: 'k' });
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
