/** What model is serving: its file, version (content hash), classes and input, for GET /api/model. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CARDS } from '../cards.js';
import type { ModelResponse } from '../app/contract.js';
import { PROJECT_ROOT, type Settings } from '../settings.js';
import { SMALL_CORNER, SURE_SCORE } from './detect.js';
import { MODEL_LONG_SIDE } from './reader.js';
import { loadDetector } from './model.js';
import { CLOSE_UP_SIDE } from './views.js';

const cached = new Map<Settings, Promise<ModelResponse>>();

/** What is serving under these settings: described once, then the same answer. */
export function modelInfo(settings: Settings): Promise<ModelResponse> {
  let info = cached.get(settings);
  if (!info) {
    info = describe(settings);
    cached.set(settings, info);
    info.catch(() => cached.delete(settings));
  }
  return info;
}

/**
 * What the readings depend on, as 12 hex digits: SHA-256 over the detector's
 * bytes, then the corner reader's, then the face reader's, those that serve
 * (the browser's device worker computes the same).
 */
export function modelVersion(detector: Uint8Array, ...readers: (Uint8Array | undefined)[]): string {
  const hash = createHash('sha256').update(detector);
  for (const reader of readers) if (reader) hash.update(reader);
  return hash.digest('hex').slice(0, 12);
}

const megabytes = (bytes: number) => Math.round((bytes / 1e6) * 100) / 100;

async function describe(settings: Settings): Promise<ModelResponse> {
  const detector = await loadDetector(settings);
  const { turnedViews, viewDegrees, viewScope } = settings;
  const bytes = await readFile(detector.path);
  const cornerBytes = detector.cornerReaderPath ? await readFile(detector.cornerReaderPath) : undefined;
  const faceBytes = detector.faceReaderPath ? await readFile(detector.faceReaderPath) : undefined;
  const card = await readFile(join(PROJECT_ROOT, 'model', 'model.json'), 'utf8').then(JSON.parse, () => ({}));
  // The card's corner_reader and face_reader sections (their training and validation) go with their files, and only while they serve.
  const { corner_reader: cornerCard, face_reader: faceCard, ...detectorCard } = card as { corner_reader?: object; face_reader?: object };
  return {
    name: basename(detector.path),
    version: modelVersion(bytes, cornerBytes, faceBytes),
    size_mb: megabytes(bytes.length + (cornerBytes?.length ?? 0) + (faceBytes?.length ?? 0)),
    architecture: 'Faster R-CNN',
    ...(cornerBytes ? { corner_reader: { name: basename(detector.cornerReaderPath!), size_mb: megabytes(cornerBytes.length), ...cornerCard } } : {}),
    ...(faceBytes ? { face_reader: { name: basename(detector.faceReaderPath!), size_mb: megabytes(faceBytes.length), ...faceCard } } : {}),
    input: { format: 'RGB float32 [3, H, W] in 0..1', long_side: MODEL_LONG_SIDE },
    turned_views: {
      when: turnedViews,
      turns: viewScope,
      degrees: [0, viewDegrees, -viewDegrees],
      sure_score: SURE_SCORE,
      small_corner: SMALL_CORNER,
      close_up_side: CLOSE_UP_SIDE,
    },
    cards: CARDS,
    classes: detector.labels,
    load_ms: Math.round(detector.loadMs),
    ...detectorCard,
  };
}
