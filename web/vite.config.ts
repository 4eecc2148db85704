/**
 * The web page: `npm run build:web` writes web/dist (served by the local server
 * and the Static Web App); `npm run dev:web` serves it with hot reload and
 * sends /api/* to a local server on port 4280 (`npm start`). The build ends
 * with web/dist/sw.js, the offline copy's service worker (offline-plugin.ts).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { offlinePlugin } from './offline-plugin';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [vue(), offlinePlugin()],
  // The device worker loads the WASM runtime as a chunk of its own (its thread workers load that chunk alone).
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    // the card art lives in public/cards; everything else is one small bundle
    assetsInlineLimit: 4096,
  },
  server: {
    // the page imports the card table from api/src/cards.ts, one folder up
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': { target: 'http://127.0.0.1:4280', changeOrigin: false } },
  },
});
