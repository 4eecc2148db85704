/** The ONNX detector: one session per process, created and warmed once, shared by every caller. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { PROJECT_ROOT } from '../settings.js';
import { Gate } from './gate.js';
import type { Detection } from './postprocess.js';

export interface Detector {
  path: string;
  /** Class names by label id, from model/classes.json. */
  labels: string[];
  inputName: string;
  /** Milliseconds to create the session and run the warm-up. */
  loadMs: number;
  detect(tensor: Float32Array, width: number, height: number): Promise<Detection[]>;
}

const sessions = new Map<string, Promise<Detector>>();

export function loadDetector(path: string): Promise<Detector> {
  let detector = sessions.get(path);
  if (!detector) {
    detector = createDetector(path);
    sessions.set(path, detector);
    detector.catch(() => sessions.delete(path));
  }
  return detector;
}

async function createDetector(path: string): Promise<Detector> {
  const started = performance.now();
  const [session, classes] = await Promise.all([
    ort.InferenceSession.create(path, {
      intraOpNumThreads: availableParallelism(),
      graphOptimizationLevel: 'all',
    }),
    readFile(join(PROJECT_ROOT, 'model', 'classes.json'), 'utf8').then((text) => JSON.parse(text) as { labels: string[] }),
  ]);
  const inputName = session.inputNames[0]!;
  // Serialize runs: one session, one inference at a time, so concurrent requests queue instead of oversubscribing the cores.
  const oneAtATime = new Gate(1);
  const run = (tensor: Float32Array, width: number, height: number): Promise<Detection[]> =>
    oneAtATime.run(async () => toDetections(await session.run({ [inputName]: new ort.Tensor('float32', tensor, [3, height, width]) })));
  // Warm-up: the first run allocates and plans; pay that now, not on a user's request.
  await run(new Float32Array(3 * 480 * 640).fill(0.5), 640, 480);
  return { path, labels: classes.labels, inputName, loadMs: performance.now() - started, detect: run };
}

function toDetections(output: ort.InferenceSession.OnnxValueMapType): Detection[] {
  const boxes = output.boxes!.data as Float32Array;
  const labels = output.labels!.data as BigInt64Array | Int32Array;
  const scores = output.scores!.data as Float32Array;
  return Array.from(scores, (score, i) => ({
    box: [boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!],
    label: Number(labels[i]),
    score,
  }));
}
