/**
 * The offline copy, at build time: once Vite has written web/dist, lists every
 * file there that the page may need (the bundle, the worker's chunk, the
 * model, the runtime's WASM, the dictionary, public/), hashes each, and writes
 * web/dist/sw.js: src/offline/sw.ts compiled, with that list and a version made
 * from it put in. Any changed file changes sw.js, so browsers update.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin, ResolvedConfig } from 'vite';
import type { PrecacheEntry } from './src/offline/messages.js';

/** The worker's file, at the site root so its scope is the whole site. */
export const SERVICE_WORKER_FILE = 'sw.js';
const SERVICE_WORKER_SOURCE = fileURLToPath(new URL('./src/offline/sw.ts', import.meta.url));

/**
 * Whether a file of web/dist (a path relative to it, with /) is kept for
 * offline use. Not: source maps (for debugging only), the Static Web App's
 * config (read by Azure, never by the page; npm run build:web copies it in
 * after the build anyway), and the worker itself (the browser keeps that).
 */
export function isPrecached(path: string): boolean {
  return !path.endsWith('.map') && path !== 'staticwebapp.config.json' && path !== SERVICE_WORKER_FILE;
}

export const sha256Hex = (content: Uint8Array | string) => createHash('sha256').update(content).digest('hex');

/** The precache list for the files of web/dist: kept files only, by URL under `base`, in a stable order. */
export function precacheList(files: { path: string; content: Uint8Array }[], base = '/'): PrecacheEntry[] {
  return files
    .filter((file) => isPrecached(file.path))
    .map((file) => ({ url: base + file.path, bytes: file.content.byteLength, hash: sha256Hex(file.content) }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** The cache's version: from every URL and hash, so a file that changes, comes or goes makes a new one. */
export function cacheVersion(entries: PrecacheEntry[]): string {
  return sha256Hex(entries.map((entry) => `${entry.url} ${entry.hash}`).join('\n')).slice(0, 12);
}

/** Compiles the service worker, with what it imports (src/shared/), into one classic script with the list put in. */
export async function serviceWorkerCode(entries: PrecacheEntry[]): Promise<string> {
  const version = cacheVersion(entries);
  const { outputFiles } = await build({
    entryPoints: [SERVICE_WORKER_SOURCE],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    logLevel: 'silent',
    define: { __PRECACHE__: JSON.stringify(entries), __CACHE_VERSION__: JSON.stringify(version) },
  });
  const code = outputFiles[0]!.text;
  const megabytes = (entries.reduce((sum, entry) => sum + entry.bytes, 0) / 1e6).toFixed(1);
  return `// Quiddler assistant service worker, version ${version}: ${entries.length} files, ${megabytes} MB (written by web/offline-plugin.ts)\n${code}`;
}

/** Every file under `dir`, as paths relative to it with /. */
async function filesUnder(dir: string): Promise<{ path: string; content: Uint8Array }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const full = join(entry.parentPath, entry.name);
      return {
        path: full
          .slice(dir.length + 1)
          .split('\\')
          .join('/'),
        content: await readFile(full),
      };
    }),
  );
}

/** Writes `dir`/sw.js for the files now in `dir`; returns the list. */
export async function writeServiceWorker(dir: string, base = '/'): Promise<PrecacheEntry[]> {
  const entries = precacheList(await filesUnder(dir), base);
  await writeFile(join(dir, SERVICE_WORKER_FILE), await serviceWorkerCode(entries));
  return entries;
}

export function offlinePlugin(): Plugin {
  let config: ResolvedConfig;
  let failed = false;
  return {
    name: 'quiddler-offline',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    buildEnd(error) {
      failed = !!error;
    },
    // closeBundle: after every file is written, public/ and the worker's own bundle included.
    async closeBundle() {
      if (failed || config.build.write === false) return;
      const entries = await writeServiceWorker(resolve(config.root, config.build.outDir), config.base);
      const megabytes = (entries.reduce((sum, entry) => sum + entry.bytes, 0) / 1e6).toFixed(1);
      config.logger.info(`offline: ${SERVICE_WORKER_FILE} keeps ${entries.length} files, ${megabytes} MB (version ${cacheVersion(entries)})`);
    },
  };
}
