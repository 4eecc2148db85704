/**
 * A minimal DAWG (directed acyclic word graph) packed into a Uint32Array.
 *
 * Each node is a run of edges stored next to each other; one edge is a u32:
 *   bits 0-4 letter (a=0..z=25) | bit 5 a word ends here | bit 6 last edge of
 *   the run | bits 7-31 index of the child's first edge (0 = no children).
 * The root's run starts at index 0 (the root is never a child, so 0 is free
 * to mean "none"). SOWPODS packs to about 0.5 MB and loads with no parsing.
 */

const LETTER_MASK = 0x1f;
const FINAL_BIT = 1 << 5;
const LAST_BIT = 1 << 6;
const CHILD_SHIFT = 7;
const MAX_CHILD = 2 ** 25 - 1;
const NO_EDGE = -1;

export const ROOT = 0;

export class WordGraph {
  constructor(
    readonly edges: Uint32Array,
    readonly wordCount: number,
  ) {}

  /** The edge leaving the run at `run` with `letter` (0..25), or -1. */
  edge(run: number, letter: number): number {
    const edges = this.edges;
    for (let i = run; ; i++) {
      const e = edges[i]!;
      if ((e & LETTER_MASK) === letter) return i;
      if (e & LAST_BIT) return NO_EDGE;
    }
  }

  /** Whether the word spelled by the path ending in `edge` is complete. */
  isFinal(edge: number): boolean {
    return (this.edges[edge]! & FINAL_BIT) !== 0;
  }

  /** The run of the node the edge leads to; 0 when it has no children. */
  child(edge: number): number {
    return this.edges[edge]! >>> CHILD_SHIFT;
  }

  /** Follows the letters of `text` (a-z) from `run`; -1 if the path leaves the graph. */
  follow(run: number, text: string): number {
    let edge = NO_EDGE;
    for (let i = 0; i < text.length; i++) {
      if (i > 0) {
        run = this.child(edge);
        if (run === 0) return NO_EDGE;
      }
      edge = this.edge(run, text.charCodeAt(i) - 97);
      if (edge === NO_EDGE) return NO_EDGE;
    }
    return edge;
  }

  has(word: string): boolean {
    if (!/^[a-z]+$/.test(word)) return false;
    const edge = this.follow(ROOT, word);
    return edge !== NO_EDGE && this.isFinal(edge);
  }

  /** Every word in the graph, in alphabetical order (for checks and exports). */
  *words(run = ROOT, prefix = ''): Generator<string> {
    if (this.edges.length === 0) return;
    for (let i = run; ; i++) {
      const e = this.edges[i]!;
      const word = prefix + String.fromCharCode(97 + (e & LETTER_MASK));
      if (e & FINAL_BIT) yield word;
      const child = e >>> CHILD_SHIFT;
      if (child) yield* this.words(child, word);
      if (e & LAST_BIT) return;
    }
  }
}

interface BuildNode {
  final: boolean;
  letters: number[];
  children: BuildNode[];
  id: number;
}

/**
 * Builds the minimal DAWG of `words` (Daciuk et al.'s incremental algorithm
 * for sorted input). Words are lower-cased; ones with characters outside a-z
 * are skipped, duplicates are ignored.
 */
export function buildWordGraph(words: Iterable<string>): WordGraph {
  const sorted = [...new Set([...words].map((w) => w.trim().toLowerCase()))].filter((w) => /^[a-z]+$/.test(w)).sort();
  let nextId = 0;
  const newNode = (): BuildNode => ({ final: false, letters: [], children: [], id: nextId++ });
  const root = newNode();
  const register = new Map<string, BuildNode>();
  const signature = (node: BuildNode) => (node.final ? '1' : '0') + node.letters.map((l, i) => `${l}:${node.children[i]!.id}`).join(',');

  // Replaces the last child of `node` (recursively) by an equivalent registered node.
  const minimize = (node: BuildNode) => {
    const last = node.children.length - 1;
    if (last < 0) return;
    const child = node.children[last]!;
    minimize(child);
    const key = signature(child);
    const twin = register.get(key);
    if (twin) node.children[last] = twin;
    else register.set(key, child);
  };

  let previous = '';
  for (const word of sorted) {
    let common = 0;
    while (common < word.length && common < previous.length && word[common] === previous[common]) common++;
    // Walk to the node at the end of the shared prefix, minimizing what follows it.
    let node = root;
    for (let i = 0; i < common; i++) node = node.children[node.children.length - 1]!;
    minimize(node);
    for (let i = common; i < word.length; i++) {
      const child = newNode();
      node.letters.push(word.charCodeAt(i) - 97);
      node.children.push(child);
      node = child;
    }
    node.final = true;
    previous = word;
  }
  minimize(root);
  return new WordGraph(pack(root), sorted.length);
}

/** Lays the nodes out breadth-first as runs of edges. */
function pack(root: BuildNode): Uint32Array {
  const runStart = new Map<BuildNode, number>();
  const order: BuildNode[] = [];
  let size = 0;
  const queue = [root];
  runStart.set(root, 0);
  size += root.letters.length;
  order.push(root);
  for (let q = 0; q < queue.length; q++) {
    for (const child of queue[q]!.children) {
      if (child.letters.length === 0 || runStart.has(child)) continue;
      runStart.set(child, size);
      size += child.letters.length;
      order.push(child);
      queue.push(child);
    }
  }
  if (size > MAX_CHILD) throw new Error(`word graph too large to pack (${size} edges)`);
  const edges = new Uint32Array(size);
  for (const node of order) {
    const start = runStart.get(node)!;
    node.letters.forEach((letter, i) => {
      const child = node.children[i]!;
      const last = i === node.letters.length - 1;
      edges[start + i] =
        letter | (child.final ? FINAL_BIT : 0) | (last ? LAST_BIT : 0) | (((child.letters.length ? runStart.get(child)! : 0) << CHILD_SHIFT) >>> 0);
    });
  }
  return edges;
}

const MAGIC = 0x47574451; // "QDWG" little-endian
const HEADER_BYTES = 12;

/** Serializes a graph: magic, word count, edge count, then the edges (little-endian). */
export function serializeWordGraph(graph: WordGraph): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + graph.edges.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, graph.wordCount, true);
  view.setUint32(8, graph.edges.length, true);
  for (let i = 0; i < graph.edges.length; i++) view.setUint32(HEADER_BYTES + i * 4, graph.edges[i]!, true);
  return out;
}

export function deserializeWordGraph(bytes: Uint8Array): WordGraph {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a packed word graph (bad magic number)');
  }
  const wordCount = view.getUint32(4, true);
  const edgeCount = view.getUint32(8, true);
  if (bytes.byteLength !== HEADER_BYTES + edgeCount * 4) throw new Error('packed word graph is truncated');
  const edges = new Uint32Array(edgeCount);
  // One copy: aligns the data and keeps it little-endian on any host.
  for (let i = 0; i < edgeCount; i++) edges[i] = view.getUint32(HEADER_BYTES + i * 4, true);
  return new WordGraph(edges, wordCount);
}
