/**
 * Fuzzes the request parsers through the exported handlers (the same code
 * Azure and the local server run): random and mutated JSON, card strings,
 * base64, data URLs, multipart bodies and raw bodies. Every answer must be a
 * 2xx or a 4xx with a JSON error: never a 5xx, a throw or a hang.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import sharp from 'sharp';
import { CARDS } from '../../api/src/cards.js';
import { createServices } from '../../api/src/app/services.js';
import { apiFunctions } from '../../api/src/functions/index.js';
import { settings } from '../../api/src/settings.js';
import { readPhoto } from '../../api/src/vision/detect.js';
import { seededRandom } from '../support/fixtures.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const functions = apiFunctions(createServices(settings()));
const cards = functions.cards!.handler as (
  request: InstanceType<typeof HttpRequest>,
  context: InstanceType<typeof InvocationContext>,
) => Promise<HttpResponseInit>;
const game = functions.game!.handler as typeof cards;
const random = seededRandom(4242);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);

const context = () => new InvocationContext({ functionName: 'fuzz', logHandler: (level, ...args) => level === 'error' && console.error(...args) });

function request(path: string, method: string, body?: Uint8Array | string, contentType?: string) {
  return new HttpRequest({
    method,
    url: `http://localhost${path}`,
    headers: contentType ? { 'content-type': contentType } : {},
    body: body === undefined ? undefined : typeof body === 'string' ? { string: body } : { bytes: body },
  });
}

function assertClientError(response: HttpResponseInit, what: string): void {
  const status = response.status ?? 200;
  assert.ok(status < 500, `${what} → ${status} ${JSON.stringify(response.jsonBody)?.slice(0, 200)}`);
  if (status >= 400) {
    const error = (response.jsonBody as { error?: { code?: unknown; message?: unknown } }).error;
    assert.equal(typeof error?.code, 'string', what);
    assert.equal(typeof error?.message, 'string', what);
  }
}

const NASTY = [
  '',
  ' ',
  '/',
  '//',
  'a//b',
  '\u0000',
  '💥',
  'ǅ',
  'A'.repeat(5000),
  '../../../etc/passwd',
  'null',
  '{}',
  '[]',
  '-1',
  '1e309',
  'in/in/in',
  'qu/QU/Qu',
  'th /er',
  '\n',
  '%00',
  '\\',
  '"',
];

function randomCardString(): string {
  const parts = Array.from({ length: int(14) }, () => (random() < 0.8 ? pick(CARDS) : pick(NASTY)));
  return parts.join(pick(['/', '/', '/', ',', ' ', '', '//']));
}

function randomValue(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return randomCardString();
    case 1:
      return pick(NASTY);
    case 2:
      return int(100) - 50;
    case 3:
      return random() < 0.5;
    case 4:
      return null;
    case 5:
      return random() * 1e6;
    case 6:
      return Array.from({ length: int(12) }, () => (random() < 0.7 ? pick(CARDS) : randomValue(depth + 1)));
    case 7:
      return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['hand', 'deck', 'x', '__proto__']), randomValue(depth + 1)]));
    default:
      return [randomValue(depth + 1)];
  }
}

function mutate(text: string): string {
  let out = text;
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(out.length + 1);
    const op = int(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + int(3));
    else if (op === 1) out = out.slice(0, at) + pick(['{', '}', '"', ',', ':', '[', ']', '\\', 'x', '0', '/', ' ']) + out.slice(at);
    else
      out =
        out.slice(0, at) +
        out
          .slice(at, at + int(8))
          .split('')
          .reverse()
          .join('') +
        out.slice(at + 8);
  }
  return out;
}

test('game: random and mutated requests only ever get 2xx or 4xx', async () => {
  const valid = JSON.stringify({ hand: 'a/cl/g/in/th/m/p/o/u/y', deck: 'n', length_unit: 'letters', clamp_at_zero: false });
  for (let i = 0; i < 400; i++) {
    const fields = {
      hand: randomValue(),
      deck: randomValue(),
      length_unit: random() < 0.2 ? randomValue() : undefined,
      alternatives: random() < 0.2 ? randomValue() : undefined,
    };
    const bodies = [JSON.stringify(fields), mutate(valid), mutate(JSON.stringify(fields))];
    for (const body of bodies) assertClientError(await game(request('/api/game', 'POST', body, 'application/json'), context()), body.slice(0, 120));
    const query = new URLSearchParams({ hand: randomCardString(), deck: randomCardString() });
    assertClientError(await game(request(`/api/game?${query}`, 'GET'), context()), query.toString());
  }
});

test('cards: random JSON, base64, data URLs, forms and raw bodies only ever get 2xx or 4xx', { timeout: 240_000 }, async () => {
  const tiny = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#c8b' } })
    .png()
    .toBuffer();
  const tinyJpeg = await sharp(tiny).jpeg().toBuffer();
  const imageish = () => {
    const bytes = Buffer.from(pick([tiny, tinyJpeg]));
    for (let n = int(6); n > 0; n--) bytes[int(bytes.length)] = int(256); // corrupt a few bytes
    return random() < 0.3 ? bytes.subarray(0, int(bytes.length)) : bytes;
  };
  const imageValue = (): unknown =>
    pick([
      () => imageish().toString('base64'),
      () =>
        `data:${pick(['image/png', 'image/jpeg', 'text/plain', '', 'image/'])}${pick([';base64', '', ';charset=x;base64'])},${imageish().toString(pick(['base64', 'base64url', 'hex']))}`,
      () => mutate(tiny.toString('base64')),
      () =>
        `${pick(['http', 'https', 'ftp', 'file', 'gopher', 'javascript'])}://${pick(['127.0.0.1', '10.1.2.3', '[::1]', '169.254.169.254', '0.0.0.0', '192.168.1.1', 'localhost'])}:${int(65536)}/${pick(NASTY)}`,
      () => randomValue(),
    ])();
  for (let i = 0; i < 150; i++) {
    const fields = {
      hand: imageValue(),
      deck: random() < 0.5 ? imageValue() : undefined,
      n_cards: random() < 0.5 ? randomValue() : pick([1, 5, 10]),
      images: random() < 0.5 ? randomValue() : false,
    };
    const json = JSON.stringify(fields);
    assertClientError(await cards(request('/api/cards', 'POST', json, 'application/json'), context()), json.slice(0, 160));
    assertClientError(await cards(request('/api/cards', 'POST', mutate(json), 'application/json'), context()), 'mutated json');

    const boundary = 'fuzz' + int(1e6);
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="${pick(['hand', 'deck', 'n_cards', 'x'])}"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`;
    const form = Buffer.concat([Buffer.from(part), imageish(), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const formBody = random() < 0.5 ? form : Buffer.from(mutate(form.toString('latin1')), 'latin1');
    const formType = `multipart/form-data; boundary=${random() < 0.8 ? boundary : 'other'}`;
    assertClientError(await cards(request('/api/cards', 'POST', formBody, formType), context()), 'multipart');

    const rawType = pick(['image/png', 'image/jpeg', 'image/gif', 'application/octet-stream', 'text/plain', 'image/x-weird']);
    const query = random() < 0.5 ? `?n_cards=${encodeURIComponent(String(randomValue()))}` : `?photo=${pick(['hand', 'deck', 'moon'])}`;
    assertClientError(await cards(request(`/api/cards${query}`, 'POST', imageish(), rawType), context()), `raw ${rawType} ${query}`);
  }
});

test('deep nesting, huge strings and loose n_cards: a 4xx with a short message, never a throw', async () => {
  const play = functions.play!.handler as typeof cards;
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const costly: [typeof cards, string, string, string][] = [
    [cards, '/api/cards', `{"hand":"QUJD","n_cards":${deep(5000)}}`, 'invalid_json'],
    [play, '/api/play', `{"hand":"QUJD","deck":"QUJD","n_cards":${deep(5000)}}`, 'invalid_json'],
    [game, '/api/game', `{"hand":${deep(5000)},"deck":"n"}`, 'invalid_json'],
    [cards, '/api/cards', `{"hand":"QUJD","n_cards":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'invalid_json'],
    [cards, '/api/cards', JSON.stringify({ hand: 'QUJD', n_cards: 'x'.repeat(12 * 1024 * 1024) }), 'invalid_n_cards'],
    [play, '/api/play', JSON.stringify({ hand: 'QUJD', deck: 'QUJD', n_cards: 'x'.repeat(1024 * 1024) }), 'invalid_n_cards'],
  ];
  for (const [handler, path, body, code] of costly) {
    const response = await handler(request(path, 'POST', body, 'application/json'), context());
    assert.deepEqual([response.status, (response.jsonBody as { error: { code: string } }).error.code], [400, code], body.slice(0, 60));
    assert.ok(JSON.stringify(response.jsonBody).length < 600, 'the message quotes an excerpt at most');
  }
  // n_cards in JSON is a JSON integer; as text (a query or a form) only digits.
  for (const n of ['5', '0x5', ' 5 ', '1e1', [5], true, {}, 5.5, 0, 11]) {
    const response = await cards(request('/api/cards', 'POST', JSON.stringify({ hand: 'QUJD', n_cards: n }), 'application/json'), context());
    assert.equal((response.jsonBody as { error: { code: string } }).error.code, 'invalid_n_cards', JSON.stringify(n));
  }
  for (const n of ['0x5', ' 5 ', '1e1', '5.0', '-5']) {
    const response = await cards(request(`/api/cards?n_cards=${encodeURIComponent(n)}`, 'POST', Buffer.from('x'), 'image/png'), context());
    assert.equal((response.jsonBody as { error: { code: string } }).error.code, 'invalid_n_cards', n);
  }
});

test('JSON endpoints take only application/json bodies, and every answer says nosniff', async () => {
  const play = functions.play!.handler as typeof cards;
  for (const [handler, path] of [
    [game, '/api/game'],
    [cards, '/api/cards'],
    [play, '/api/play'],
  ] as const) {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const response = await handler(request(path, 'POST', '{"hand":"a/b","deck":"n"}', type), context());
      assert.deepEqual(
        [response.status, (response.jsonBody as { error: { code: string } }).error.code],
        [415, 'unsupported_media_type'],
        `${path} ${type}`,
      );
      assert.equal(new Headers(response.headers).get('x-content-type-options'), 'nosniff');
    }
  }
  const ok = await game(request('/api/game', 'POST', '{"hand":"a/b","deck":"n"}', 'application/json; charset=utf-8'), context());
  assert.equal(ok.status, 200);
  assert.equal(new Headers(ok.headers).get('x-content-type-options'), 'nosniff');
});

test('a photo not read by the deadline is a 503 with Retry-After; a read without a deadline (CLI, benchmarks) takes as long as it needs', async () => {
  const hurried = apiFunctions(createServices({ ...settings(), readTimeoutMs: 1 })).cards!.handler as typeof cards;
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#6a8f5a' } })
    .jpeg()
    .toBuffer();
  const response = await hurried(request('/api/cards', 'POST', new Uint8Array(photo), 'image/jpeg'), context());
  assert.equal(response.status, 503, JSON.stringify(response.jsonBody));
  assert.equal((response.jsonBody as { error: { code: string } }).error.code, 'read_timeout');
  assert.ok(Number(new Headers(response.headers).get('retry-after')) > 0);
  const reading = await readPhoto(photo, { settings: { ...settings(), readTimeoutMs: 1 } });
  assert.deepEqual(reading.cards, [], 'read to the end: a plain green photo shows no cards');
});
