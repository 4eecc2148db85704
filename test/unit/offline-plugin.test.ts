/** The offline copy's build step (web/offline-plugin.ts): which files are kept, their hashes, the version, the sw.js it writes. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheVersion, isPrecached, precacheList, writeServiceWorker } from '../../web/offline-plugin.js';

const file = (path: string, text: string) => ({ path, content: Buffer.from(text) });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('every file of the build is kept but source maps, the Static Web App config and sw.js itself', () => {
  for (const kept of [
    'index.html',
    'assets/index-abc.js',
    'assets/quiddler-abc.onnx',
    'cards/a.webp',
    'manifest.webmanifest',
    'icons/icon-192.png',
  ]) {
    assert.ok(isPrecached(kept), kept);
  }
  for (const left of ['assets/index-abc.js.map', 'staticwebapp.config.json', 'sw.js']) assert.ok(!isPrecached(left), left);
});

test('the list gives each kept file its URL, size and SHA-256, sorted by URL', () => {
  const list = precacheList([file('index.html', '<html>'), file('assets/b.js', 'bb'), file('assets/b.js.map', '{}'), file('assets/a.wasm', 'a')]);
  assert.deepEqual(list, [
    { url: '/assets/a.wasm', bytes: 1, hash: sha256('a') },
    { url: '/assets/b.js', bytes: 2, hash: sha256('bb') },
    { url: '/index.html', bytes: 6, hash: sha256('<html>') },
  ]);
  assert.equal(precacheList([file('index.html', 'x')], '/app/')[0]!.url, '/app/index.html', 'under the build base');
});

test('the version changes with any file, and only with the files', () => {
  const files = [file('index.html', 'page'), file('assets/quiddler-1.onnx', 'model')];
  const version = cacheVersion(precacheList(files));
  assert.match(version, /^[0-9a-f]{12}$/);
  assert.equal(cacheVersion(precacheList([...files].reverse())), version, 'the order files are found in does not matter');
  assert.notEqual(cacheVersion(precacheList([files[0]!, file('assets/quiddler-1.onnx', 'new model')])), version, 'new content');
  assert.notEqual(cacheVersion(precacheList([files[0]!, file('assets/quiddler-2.onnx', 'model')])), version, 'a renamed file');
  assert.notEqual(cacheVersion(precacheList(files.slice(0, 1))), version, 'a file gone');
  assert.equal(cacheVersion(precacheList([...files, file('assets/x.js.map', 'map')])), version, 'a source map is not part of it');
});

test('sw.js is the compiled worker with the list and the version put in', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'quiddler-offline-'));
  try {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-abc.js.map'), '{}');
    const entries = await writeServiceWorker(dir);
    assert.deepEqual(
      entries.map((e) => e.url),
      ['/assets/index-abc.js', '/index.html'],
    );
    const code = await readFile(join(dir, 'sw.js'), 'utf8');
    const version = cacheVersion(entries);
    assert.ok(code.includes(`"${version}"`), 'the version is in (the cache is named after it)');
    assert.ok(code.startsWith(`// Quiddler assistant service worker, version ${version}: 2 files`), code.slice(0, 120));
    for (const entry of entries) assert.ok(code.includes(entry.hash), `${entry.url}'s hash is in the list`);
    // The bundler's own comments name the placeholders it replaced ("// <define:__PRECACHE__>"): the code is what counts.
    const script = code.replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(script, /__PRECACHE__|__CACHE_VERSION__|import type|: string/, 'no placeholder or TypeScript is left');
    assert.doesNotMatch(script, /^\s*(import|export)\s/m, 'a classic script: the worker is registered without type: module');
    assert.match(script, /crypto\.subtle\.digest/, 'what it imports (src/shared/bytes.ts) is bundled in');
    // Written again over its own output, it does not list itself.
    assert.deepEqual(await writeServiceWorker(dir), entries);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
