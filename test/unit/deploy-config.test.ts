import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = JSON.parse(readFileSync(root + 'staticwebapp.config.json', 'utf8'));
const read = (path: string) => readFileSync(root + path, 'utf8');

test('staticwebapp.config.json: Node API runtime, page fallback, security headers', () => {
  assert.equal(config.platform.apiRuntime, 'node:22', 'Node 20 is past its end of life: Azure runs the API on Node 22');
  assert.equal(config.navigationFallback.rewrite, '/index.html');
  for (const excluded of ['/api/*', '/assets/*']) assert.ok(config.navigationFallback.exclude.includes(excluded), excluded);
  const csp: string = config.globalHeaders['Content-Security-Policy'];
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(name + ' ')) ?? '';
  assert.match(directive('default-src'), /'self'/);
  assert.match(directive('connect-src'), /'self'/, 'the page may call /api');
  assert.match(directive('media-src'), /mediastream:|blob:/, 'the camera preview may play');
  assert.match(directive('img-src'), /data:/, 'captured photos are data URLs');
  // WebAssembly may compile (the on-device reader), but no string of script may be evaluated.
  assert.doesNotMatch(directive('script-src'), /'unsafe-eval'|'unsafe-inline'/);
  assert.match(directive('script-src'), /'wasm-unsafe-eval'/, 'the on-device reader compiles its WASM runtime');
  assert.match(config.globalHeaders['Permissions-Policy'], /camera=\(self\)/);
  // Only keys the Static Web Apps schema knows at the top level.
  const known = [
    '$schema',
    'routes',
    'navigationFallback',
    'responseOverrides',
    'globalHeaders',
    'mimeTypes',
    'platform',
    'networking',
    'auth',
    'forwardingGateway',
    'trailingSlash',
  ];
  for (const key of Object.keys(config)) assert.ok(known.includes(key), `unknown key ${key}`);
});

test('staticwebapp.config.json: what the offline, on-device page needs, and nothing more', () => {
  const headers: Record<string, string> = config.globalHeaders;
  const directives = new Map(
    headers['Content-Security-Policy']!.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources.join(' ')];
    }),
  );
  assert.equal(directives.get('script-src'), "'self' 'wasm-unsafe-eval'", 'own scripts, and WebAssembly may compile');
  // onnxruntime-web starts its threads from its own (same-origin) script URL; it makes a blob: worker only for a cross-origin script.
  assert.equal(directives.get('worker-src'), "'self'", 'the device worker, its WASM threads and the service worker');
  assert.equal(directives.get('connect-src'), "'self'", 'the API, and the model fetched by the worker');
  assert.equal(directives.get('manifest-src'), "'self'");
  // Cross-origin isolation: SharedArrayBuffer, so the WASM runtime may use threads.
  assert.equal(headers['Cross-Origin-Opener-Policy'], 'same-origin');
  assert.equal(headers['Cross-Origin-Embedder-Policy'], 'require-corp');
  assert.equal(headers['Cross-Origin-Resource-Policy'], 'same-origin');
  assert.deepEqual(config.mimeTypes, {
    '.webp': 'image/webp',
    '.wasm': 'application/wasm',
    '.onnx': 'application/octet-stream',
    '.dawg': 'application/octet-stream',
    '.webmanifest': 'application/manifest+json',
  });
  // The service worker is checked on every visit (a new one is how a deploy reaches the browser); it and the manifest are never the page.
  const route = (path: string) => config.routes.find((r: { route: string }) => r.route === path);
  assert.equal(route('/sw.js')?.headers['Cache-Control'], 'no-cache');
  const fallbackPattern = config.navigationFallback.exclude.find((e: string) => e.startsWith('*.{'));
  for (const extension of ['js', 'webmanifest']) assert.match(fallbackPattern, new RegExp(`[{,]${extension}[,}]`), extension);
});

test('the built page carries the config, as Static Web Apps reads it from the app folder', () => {
  assert.ok(existsSync(root + 'web/dist/index.html'), 'npm test builds the page first');
  assert.deepEqual(JSON.parse(read('web/dist/staticwebapp.config.json')), config);
});

test('the deploy workflow builds the Functions package and deploys page and API from this layout', () => {
  const workflow = read('.github/workflows/azure-static-web-apps.yml');
  assert.match(workflow, /uses: Azure\/static-web-apps-deploy@v1/);
  assert.match(workflow, /app_location: web\/dist/);
  assert.match(workflow, /api_location: \.deploy\/api/);
  assert.match(workflow, /run: npm run package/);
  assert.match(workflow, /action: close/, 'pull request environments are closed');
  assert.match(workflow, /AZURE_STATIC_WEB_APPS_API_TOKEN/);
  assert.match(read('.github/workflows/ci.yml'), /run: npm test/);
});

test('host.json and local.settings.json are a Functions v4 Node app', () => {
  const host = JSON.parse(read('host.json'));
  assert.equal(host.version, '2.0');
  assert.equal(host.extensionBundle.version, '[4.*, 5.0.0)');
  const settings = JSON.parse(read('local.settings.json'));
  assert.equal(settings.Values.FUNCTIONS_WORKER_RUNTIME, 'node');
  const pkg = JSON.parse(read('package.json'));
  // One entry point registers every function over settings read once.
  assert.equal(pkg.main, 'dist/api/src/azure.js');
  assert.match(read('api/src/azure.ts'), /app\.http\(name, options\)/);
  assert.ok(pkg.dependencies['@azure/functions']);
});
