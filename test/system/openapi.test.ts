/**
 * GET /api/openapi.json, and real answers of the running server checked
 * against it: every path, success and error alike, must match the schema the
 * document gives for its status. Uses a photo made from the project's own card
 * art, so it needs nothing from ../shared.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { cardArtPhoto } from '../support/fixtures.js';
import { spawnServer, type ServerProcess } from '../support/server.js';

let server: ServerProcess;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
};
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
let photo: Buffer;

before(async () => {
  server = await spawnServer();
  doc = await fetch(`${server.url}/api/openapi.json`).then((r) => r.json());
  ajv.addSchema(doc, 'api');
  // A card from the page's own art on a table: a photo-like image, read like any other.
  photo = await cardArtPhoto(['qu']);
});
after(() => server?.stop());

/** The validator for what the document says `method path` answers with `status`. */
function schemaFor(path: string, method: string, status: number): ValidateFunction {
  const response = doc.paths[path]?.[method]?.responses[String(status)];
  assert.ok(response, `the document lists ${status} for ${method.toUpperCase()} ${path}`);
  const pointer = `api#/paths/${path.replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer);
  assert.ok(validate, `a JSON schema for ${method.toUpperCase()} ${path} ${status}`);
  return validate;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer is checked against the document, not typed
type Answer = any;

async function check(method: string, path: string, init: RequestInit & { query?: string } = {}, expected?: number): Promise<Answer> {
  const response = await fetch(`${server.url}${path}${init.query ?? ''}`, { ...init, method: method.toUpperCase() });
  const body: Answer = await response.json();
  if (expected !== undefined) assert.equal(response.status, expected, JSON.stringify(body).slice(0, 300));
  const validate = schemaFor(path, method, response.status);
  assert.ok(validate(body), `${method.toUpperCase()} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`);
  return body;
}

const json = (body: unknown): RequestInit => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('the document is OpenAPI 3.1 and names every function', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/cards', '/api/game', '/api/model', '/api/openapi.json', '/api/play']);
});

test('/api/game answers match the document: a play, a draw, and each kind of error', async () => {
  await check('get', '/api/game', { query: '?hand=a/cl/g/in/th/m/p/o/u/y&deck=n' }, 200);
  await check('post', '/api/game', json({ hand: ['q', 'z', 'x'], deck: 'j', clamp_at_zero: true, alternatives: 0 }), 200);
  await check('post', '/api/game', json({ hand: 'a/b/9', deck: 'n' }), 400);
  await check('post', '/api/game', json({ hand: 'q/q', deck: 'q' }), 400);
  await check('post', '/api/game', { headers: { 'Content-Type': 'application/json' }, body: '{"hand":' }, 400);
});

test('/api/cards answers match the document: JSON, form and raw photos, and errors', async () => {
  const read = await check('post', '/api/cards', json({ hand: photo.toString('base64'), deck: photo.toString('base64') }), 200);
  assert.ok(read.hand.image.startsWith('data:image/jpeg;base64,'));
  const form = new FormData();
  form.set('hand', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'card.jpg');
  form.set('n_cards', '3');
  const hinted = await check('post', '/api/cards', { body: form }, 200);
  assert.equal(hinted.hand.count.hint, 3);
  await check(
    'post',
    '/api/cards',
    { headers: { 'Content-Type': 'image/jpeg' }, body: new Uint8Array(photo), query: '?photo=deck&images=false' },
    200,
  );
  await check('post', '/api/cards', json({ hand: Buffer.from('not a photo').toString('base64') }), 415);
  await check('post', '/api/cards', json({ hand: photo.toString('base64'), n_cards: 0 }), 400);
  await check('post', '/api/cards', json({ hand: 'http://127.0.0.1:9/x.jpg' }), 403);
});

test('/api/play answers match the document, a 422 for cards that make no turn among them', async () => {
  const body = await check('post', '/api/play', json({ hand: photo.toString('base64'), deck: photo.toString('base64'), images: false }));
  if ('error' in body) assert.equal(body.error.code, 'unplayable_reading', 'one card read twice over is not a turn, or no card at all');
  await check('post', '/api/play', json({ hand: photo.toString('base64') }), 400);
  await check('post', '/api/play', json({ hand: photo.toString('base64'), deck: photo.toString('base64'), length_unit: 'feet' }), 400);
});

test('/api/model matches the document', async () => {
  await check('get', '/api/model', {}, 200);
});
