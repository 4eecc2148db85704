import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/api/src/cli.js', import.meta.url));
const quiddler = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('quiddler play answers a normal turn in one line a player can act on', () => {
  const run = quiddler('play', 'a/cl/g/in/th/m/p/o/u/y', '--deck', 'n');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'Take N, drop O and go out: UNCLAMPING THY, 58 points.');
  const drawn = quiddler('play', 'q/z/x', '--deck', 'j', '--drawn', 'i');
  assert.equal(drawn.status, 0, drawn.stderr);
  assert.match(drawn.stdout.trim(), /^Drop [A-Z]+ (and go out: .*points\.|and keep [A-Z/]+: \d+ % to go out next turn\.)$/);
});

test("quiddler play --last prints the last turn's best words", () => {
  const run = quiddler('play', 'a/cl/g/in/th/m/p/o/u/y', '--deck', 'n', '--last');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Take N and drop O: 58 points, going out/);
  assert.match(run.stdout, /UNCLAMPING\s+U\/N\/CL\/A\/M\/P\/IN\/G\s+45 pts/);
});

test('quiddler play --json prints the same JSON as the game function', () => {
  const run = quiddler('play', 'x/u', '--deck', 'z', '--json', '--last');
  assert.equal(run.status, 0, run.stderr);
  const body = JSON.parse(run.stdout);
  assert.deepEqual([body.score, body.drop, body.words, body.action], [16, 'z', ['x/u'], 'draw']);
  const turn = JSON.parse(quiddler('play', 'x/u', '--deck', 'z', '--json', '--seen', 'a/a').stdout);
  assert.equal(turn.phase, 'turn');
  assert.equal(turn.seen, 'a/a');
});

test('quiddler play --words uses another word list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  writeFileSync(join(dir, 'words.txt'), 'zax\n');
  const run = quiddler('play', 'z/a/e', '--deck', 'x', '--words', join(dir, 'words.txt'), '--json', '--last');
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout).words, ['z/a/x']);
  const turn = JSON.parse(quiddler('play', 'z/a/e', '--deck', 'x', '--words', join(dir, 'words.txt'), '--json').stdout);
  assert.deepEqual([turn.action, turn.drop, turn.go_out.words], ['take', 'e', ['z/a/x']]);
});

test('--help on every command exits 0 with its usage; --version prints the version', () => {
  for (const [args, usage] of [
    [['--help'], /usage: quiddler <command>/],
    [['play', '--help'], /usage: quiddler play HAND --deck CARD/],
    [['read', '-h'], /usage: quiddler read PHOTO/],
  ] as const) {
    const run = quiddler(...args);
    assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stdout, usage);
  }
  const version = quiddler('--version');
  assert.equal(version.status, 0);
  assert.match(version.stdout.trim(), /^quiddler \d+\.\d+\.\d+$/);
  const none = quiddler();
  assert.equal(none.status, 2, 'no command is a usage error');
  assert.match(none.stderr, /give a command/);
});

test('bad input exits non-zero with a message', () => {
  const cases: [string[], RegExp][] = [
    [['play', 'a/zz', '--deck', 'n'], /unknown card "zz"/],
    [['play', 'a/b'], /"deck" is required/],
    [['play', '--deck', 'n'], /exactly one HAND/],
    [['play', 'a/b', '--deck', 'n', '--length', 'miles'], /length_unit/],
    [['play', 'a/b', '--deck', 'n', '--bogus'], /Unknown option/],
    [['play', 'a/b', '--deck', 'n', '--words', '/nonexistent.txt'], /ENOENT/],
    [['fly'], /unknown command "fly"/],
  ];
  for (const [args, message] of cases) {
    const run = quiddler(...args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
