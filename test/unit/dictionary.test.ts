import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_DICTIONARY } from '../../api/src/settings.js';
import { loadDictionary } from '../../api/src/game/dictionary.js';
import { buildWordGraph, serializeWordGraph } from '../../api/src/game/word-graph.js';
import { sowpodsWords } from '../support/fixtures.js';

const words = sowpodsWords();

test('the packed dictionary holds exactly the 267,751 SOWPODS words', async () => {
  const graph = await loadDictionary();
  assert.equal(words.length, 267_751);
  assert.equal(graph.wordCount, 267_751);
  const missing = words.filter((w) => !graph.has(w));
  assert.deepEqual(missing, []);
  assert.deepEqual([...graph.words()], [...words].sort());
  for (const nonWord of ['qzx', 'inquirings', 'clothx', 'a', '', 'CLOTH', 'cl0th']) assert.equal(graph.has(nonWord), false, nonWord);
});

test('the committed dictionary file is what npm run dictionary builds', () => {
  const rebuilt = serializeWordGraph(buildWordGraph(words));
  assert.ok(Buffer.from(rebuilt).equals(readFileSync(DEFAULT_DICTIONARY)), 'dictionary/sowpods.dawg is stale: run npm run dictionary');
});

test('another word list can be loaded from a text file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'words-'));
  const file = join(dir, 'mini.txt');
  writeFileSync(file, 'Cloth\nmung\n\npiny\nnot-a-word\n');
  const graph = await loadDictionary(file);
  assert.equal(graph.wordCount, 3);
  assert.ok(graph.has('cloth') && graph.has('mung') && graph.has('piny'));
  assert.equal(graph.has('clot'), false);
  assert.equal(await loadDictionary(file), graph, 'loaded once per process');
});

test('a missing or corrupt dictionary file fails clearly', async () => {
  await assert.rejects(loadDictionary('/nonexistent/words.dawg'), /ENOENT/);
  const dir = mkdtempSync(join(tmpdir(), 'words-'));
  writeFileSync(join(dir, 'bad.dawg'), 'not a graph');
  await assert.rejects(loadDictionary(join(dir, 'bad.dawg')), /not a packed word graph/);
});
