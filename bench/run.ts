/**
 * npm run bench [-- SECTION...]: prints each section's medians against its targets.
 * Sections: game, detect, robust, load (BENCH_LOAD_SECONDS sets each load run's length), browser.
 */
import { cpus } from 'node:os';
import { benchBrowser } from './browser.js';
import { benchDetect } from './detect.js';
import { benchGame } from './game.js';
import { benchLoad } from './load.js';
import { benchRobust } from './robust.js';
import { printTable, type Row } from './stats.js';

const sections: Record<string, () => Promise<Row[]>> = {
  game: benchGame,
  detect: benchDetect,
  load: benchLoad,
  robust: benchRobust,
  browser: benchBrowser,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
console.log(`npm run bench${wanted.length ? ' -- ' + wanted.join(' ') : ''}  (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model})`);
let missed = 0;
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  const rows = await sections[name]!();
  printTable(name, rows);
  missed += rows.filter((r) => r.ok === false).length;
}
if (missed) console.log(`\n${missed} target(s) missed`);
