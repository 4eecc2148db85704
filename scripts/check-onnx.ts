/**
 * Checks the exported ONNX model against PyTorch: runs model/quiddler.onnx
 * (or QUIDDLER_MODEL) in onnxruntime-node on the photos that
 * model/training/reference.py wrote, and compares the detections scoring
 * ≥ 0.3 with PyTorch's: the same detections (labels), boxes within 6 px and
 * scores within 0.1 (onnxruntime's RoIAlign and NMS differ from torchvision's
 * in the last digits, which moves a few proposals slightly).
 * Usage: npx tsx scripts/check-onnx.ts DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { settings } from '../api/src/settings.js';
import { loadDetector } from '../api/src/vision/model.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/check-onnx.ts DIR (made by model/training/reference.py)');
  process.exit(2);
}
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Record<
  string,
  { boxes: number[][]; labels: number[]; scores: number[] }
>;
// The detector alone: PyTorch's reference is the detector's raw output.
const detector = await loadDetector({ modelPath: settings().modelPath });
let worst = 0;
let worstScore = 0;
let mismatches = 0;
for (const [name, torch] of Object.entries(reference)) {
  const { data, info } = await sharp(join(dir, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const plane = info.width * info.height;
  const tensor = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) tensor[c * plane + p] = data[p * info.channels + c]! / 255;
  const onnx = (await detector.detect(tensor, info.width, info.height)).filter((d) => d.score >= 0.3);
  const expected = torch.scores.map((score, i) => ({ score, label: torch.labels[i]!, box: torch.boxes[i]! })).filter((d) => d.score >= 0.3);
  // Pair each PyTorch detection with the closest unused ONNX one of the same label (order may differ on ties).
  let same = onnx.length === expected.length;
  const used = new Set<number>();
  for (const b of expected) {
    if (!same) break;
    let best = -1;
    let bestDiff = Infinity;
    onnx.forEach((a, i) => {
      if (used.has(i) || a.label !== b.label) return;
      const diff = Math.max(...a.box.map((v, k) => Math.abs(v - b.box[k]!)));
      if (diff < bestDiff) [best, bestDiff] = [i, diff];
    });
    const scoreDiff = best >= 0 ? Math.abs(onnx[best]!.score - b.score) : Infinity;
    same = bestDiff <= 6 && scoreDiff <= 0.1;
    if (best >= 0) {
      used.add(best);
      worst = Math.max(worst, bestDiff);
      worstScore = Math.max(worstScore, scoreDiff);
    }
  }
  if (!same) mismatches++;
  console.log(`${same ? 'MATCH ' : 'DIFFER'} ${name}: ${expected.length} PyTorch detections, ${onnx.length} ONNX (score ≥ 0.3)`);
}
console.log(
  `${Object.keys(reference).length - mismatches}/${Object.keys(reference).length} photos match; largest differences: box ${worst.toFixed(2)} px, score ${worstScore.toFixed(3)}`,
);
process.exitCode = mismatches ? 1 : 0;
