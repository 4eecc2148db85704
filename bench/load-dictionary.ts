/** Run in a fresh process by bench/game.ts: prints the time and memory of one dictionary load as JSON. */
import { loadDictionary } from '../api/src/game/dictionary.js';

const before = process.memoryUsage();
const started = performance.now();
const graph = await loadDictionary();
const ms = performance.now() - started;
const after = process.memoryUsage();
const heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6;
console.log(JSON.stringify({ ms, mb: graph.edges.byteLength / 1e6, heapMb }));
