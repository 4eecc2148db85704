import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ASSETS = fileURLToPath(new URL('../../web/dist/assets/', import.meta.url));
const BUDGET_KB = 150;

test(`the production page's JavaScript is at most ${BUDGET_KB} KB gzipped`, () => {
  const scripts = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
  assert.ok(scripts.length > 0, 'npm test builds the page first');
  const kb = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(ASSETS + name)).length, 0) / 1024;
  console.log(`page JavaScript: ${kb.toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
  assert.ok(kb <= BUDGET_KB, `${kb.toFixed(1)} KB`);
});
