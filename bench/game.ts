/**
 * The game engine's figures: dictionary load time and size (in fresh
 * processes), the last-turn take-vs-draw decision, and the full normal-turn
 * advice (go out, keep odds, both branches: game/turn.ts) on a fixed set of
 * random 10-card hands.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fullDeck, type Card } from '../api/src/cards.js';
import { decideTurn, unseenCounts } from '../api/src/game/decide.js';
import { turnAdvice } from '../api/src/game/turn.js';
import { loadDictionary } from '../api/src/game/dictionary.js';
import { median, percentile, type Row } from './stats.js';

const HANDS = 60;
const LOAD_RUNS = 7;

/** mulberry32: the same hands on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function dealHands(count: number): { hand: Card[]; deck: Card }[] {
  const next = random(118);
  return Array.from({ length: count }, () => {
    const deck = fullDeck();
    for (let i = deck.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [deck[i], deck[j]] = [deck[j]!, deck[i]!];
    }
    return { hand: deck.slice(0, 10), deck: deck[10]! };
  });
}

/** Loads the dictionary in a fresh Node process: what a cold function instance pays. */
function coldLoad(): { ms: number; mb: number; heapMb: number } {
  const probe = fileURLToPath(new URL('./load-dictionary.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', probe], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

export async function benchGame(): Promise<Row[]> {
  const loads = Array.from({ length: LOAD_RUNS }, coldLoad);
  const graph = await loadDictionary();
  const hands = dealHands(HANDS);
  for (const { hand, deck } of hands.slice(0, 5)) decideTurn(graph, hand, deck); // warm the JIT
  const times = hands.map(({ hand, deck }) => {
    const started = performance.now();
    decideTurn(graph, hand, deck);
    return performance.now() - started;
  });
  for (const { hand, deck } of hands.slice(0, 3)) turnAdvice(graph, hand, deck, unseenCounts([...hand, deck]));
  const turnTimes = hands.map(({ hand, deck }) => {
    const started = performance.now();
    turnAdvice(graph, hand, deck, unseenCounts([...hand, deck]));
    return performance.now() - started;
  });
  const turnMs = median(turnTimes);
  const turnP90 = percentile(turnTimes, 90);
  const loadMs = median(loads.map((l) => l.ms));
  const decideMs = median(times);
  return [
    { what: 'dictionary load, cold process (median of 7)', value: `${loadMs.toFixed(1)} ms`, target: '≤ 200 ms', ok: loadMs <= 200 },
    { what: 'dictionary size in memory (word graph)', value: `${loads[0]!.mb.toFixed(2)} MB` },
    { what: 'JS heap + buffers after load', value: `${loads[0]!.heapMb.toFixed(1)} MB` },
    { what: `last-turn decision, 10-card hand (median of ${HANDS})`, value: `${decideMs.toFixed(1)} ms`, target: '≤ 20 ms', ok: decideMs <= 20 },
    { what: 'decision, 10-card hand (p90)', value: `${percentile(times, 90).toFixed(1)} ms` },
    { what: 'decision, 10-card hand (max)', value: `${Math.max(...times).toFixed(1)} ms` },
    {
      what: `normal-turn advice, 10-card hand, both branches (median of ${HANDS})`,
      value: `${turnMs.toFixed(1)} ms`,
      target: '≤ 100 ms',
      ok: turnMs <= 100,
    },
    { what: 'normal-turn advice, 10-card hand (p90)', value: `${turnP90.toFixed(1)} ms`, target: '≤ 250 ms', ok: turnP90 <= 250 },
  ];
}
