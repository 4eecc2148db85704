/** Run in a fresh process by bench/detect.ts: session creation and the first photo, timed, as JSON. */
import { readFileSync } from 'node:fs';
import { readPhoto } from '../api/src/vision/detect.js';
import { settings } from '../api/src/settings.js';
import { loadDetector } from '../api/src/vision/model.js';

const photo = readFileSync(process.argv[2]!);
const started = performance.now();
await loadDetector(settings());
const sessionMs = performance.now() - started;
const first = performance.now();
await readPhoto(photo);
console.log(JSON.stringify({ sessionMs, firstMs: performance.now() - first }));
