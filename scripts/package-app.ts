/**
 * npm run package: builds the Functions app as Azure Static Web Apps deploys
 * it, into .deploy/api (and .deploy/api.zip to report its size):
 * compiled code, the model, the dictionary, host.json, a package.json and
 * production dependencies only, with onnxruntime-node's binaries pruned to
 * Linux x64 (the package ships six platforms; SWA refuses function content
 * over 100 MB compressed).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.deploy', 'api');
const zip = join(root, '.deploy', 'api.zip');

function copy(relative: string): void {
  const from = join(root, relative);
  if (!existsSync(from)) throw new Error(`${relative} is missing: run npm run build (and train/export the model) first`);
  cpSync(from, join(out, relative), { recursive: true, filter: (path) => !path.endsWith('.map') });
}

function folderBytes(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + folderBytes(join(path, name)), 0);
}

rmSync(join(root, '.deploy'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const path of [
  'dist/api',
  'model/quiddler.onnx',
  'model/corner-reader.onnx',
  'model/face-reader.onnx',
  'model/classes.json',
  'model/model.json',
  'dictionary/sowpods.dawg',
  'host.json',
  '.npmrc',
  'package-lock.json',
]) {
  if (path === 'model/model.json' && !existsSync(join(root, path))) continue;
  copy(path);
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deployed = {
  name: manifest.name,
  version: manifest.version,
  private: true,
  type: manifest.type,
  main: manifest.main,
  engines: manifest.engines,
  dependencies: manifest.dependencies,
};
writeFileSync(join(out, 'package.json'), JSON.stringify(deployed, null, 2) + '\n');

// Production dependencies only, exactly as locked; no install scripts (onnxruntime's would download GPU binaries).
execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
rmSync(join(out, 'package-lock.json'));

// onnxruntime-node: keep the Linux x64 binaries the Functions host runs on.
const napi = join(out, 'node_modules', 'onnxruntime-node', 'bin');
for (const version of readdirSync(napi)) {
  for (const platform of readdirSync(join(napi, version))) {
    const folder = join(napi, version, platform);
    if (platform !== 'linux') rmSync(folder, { recursive: true });
    else for (const arch of readdirSync(folder)) if (arch !== 'x64') rmSync(join(folder, arch), { recursive: true });
  }
}

execFileSync('zip', ['-q', '-r', '-9', zip, '.'], { cwd: out });
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(`packaged ${out}: ${mb(folderBytes(out))} MB on disk, ${mb(statSync(zip).size)} MB zipped (${zip})`);
