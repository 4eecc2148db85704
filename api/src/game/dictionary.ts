/** Loads a word list once per process: the packed SOWPODS graph by default, or any text list. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_DICTIONARY } from '../settings.js';
import { buildWordGraph, deserializeWordGraph, type WordGraph } from './word-graph.js';

const loaded = new Map<string, Promise<WordGraph>>();

/**
 * The word graph at `path`: a `.dawg` file made by `npm run dictionary`, or a
 * text file of one word per line (built into a graph on first use). Shared by
 * every caller in the process.
 */
export function loadDictionary(path = DEFAULT_DICTIONARY): Promise<WordGraph> {
  let graph = loaded.get(path);
  if (!graph) {
    graph = readDictionary(path);
    loaded.set(path, graph);
    graph.catch(() => loaded.delete(path)); // a failed load may be retried
  }
  return graph;
}

async function readDictionary(path: string): Promise<WordGraph> {
  const bytes = await readFile(path);
  if (path.endsWith('.dawg')) return deserializeWordGraph(bytes);
  const graph = buildWordGraph(bytes.toString('utf8').split(/\r?\n/));
  if (graph.wordCount === 0) throw new Error(`no words (a-z only) in ${path}`);
  return graph;
}
