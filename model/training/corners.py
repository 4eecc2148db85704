"""Training crops for the corner reader (classifier.py), harvested from the detector.

  /usr/bin/python3 model/training/corners.py --ckpt model/checkpoints/cpu9-final.pt \
      --first-seed 700000 -n 4000 --out model/data/corners-a.npz

Each photo is rendered (render.render_photo, seeds from --first-seed: none of the
detector's stages saw them) and read by the detector as the product reads it, at
the model's size, with its output floor (score >= 0.05, at most 50 boxes). Every
box it finds becomes a crop, labelled by the rendered corners: the corner's class
where it overlaps one (IoU >= 0.5), "no corner" (class 0) where it overlaps none
(IoU < 0.25), left out in between. So the crops show the reader what the detector
really proposes: weak finds, look-alikes, and its false finds (points, art, the
table's print). Every box found that is kept is added again with its size
jittered (0.8-1.7 times, the centre moved by up to 12 %) and the same label, as
is each rendered corner, twice; and four boxes of a corner's size anywhere in
the photo, "no corner" where they overlap none. A photo whose corners are small
is, half the time, also read as the product reads far cards: the region around
them enlarged so a corner is about 56 px long (at most 4x), and its finds
harvested the same way.

Writes an .npz: crops uint8 [N, 40, 40, 3], labels int64 [N], score float32 [N]
(the detector's score for the box, -1 for an added box), det_label [N].
"""
import argparse
import math
import os
import random
import sys

import numpy as np
import torch
from PIL import Image
from torchvision.ops import box_iou, nms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import render  # noqa: E402
from classifier import cut_crops  # noqa: E402
from model import build_model  # noqa: E402

POSITIVE_IOU = 0.5
NEGATIVE_IOU = 0.25
TARGET_CORNER = 56
MAX_ZOOM = 4
SMALL_CORNER = 32


# A box is jittered in size by up to these factors: a detector's box on a real photo may
# hold more than the ink (the first reader, trained on boxes within 0.85-1.2 of the ink,
# read real corners as "no corner" once their box was 1.2 times larger).
SIZE_JITTER = (0.8, 1.7)


def jitter(boxes, pyr, copies=2):
    out = []
    for b in boxes:
        w, h = b[2] - b[0], b[3] - b[1]
        for _ in range(copies):
            cx = (b[0] + b[2]) / 2 + pyr.uniform(-0.12, 0.12) * w
            cy = (b[1] + b[3]) / 2 + pyr.uniform(-0.12, 0.12) * h
            s = math.exp(pyr.uniform(*map(math.log, SIZE_JITTER)))
            a = pyr.uniform(0.9, 1.1)
            out.append([cx - w * s * a / 2, cy - h * s / a / 2, cx + w * s * a / 2, cy + h * s / a / 2])
    return out


def negatives(boxes, W, H, pyr, anywhere=4, beside=0):
    """Boxes of a corner's size that are mostly no corner: anywhere in the photo, and
    (none by default) next to a rendered corner. Those taught the second reader that a
    corner with the next card's letters close beside it is no corner, which is what a
    tight fan of real cards shows; the detector seldom proposes such a place anyway."""
    sides = [(b[2] - b[0], b[3] - b[1]) for b in boxes] or [(24, 36)]
    out = []
    for _ in range(anywhere):
        w, h = pyr.choice(sides)
        s = pyr.uniform(0.7, 1.5)
        x, y = pyr.uniform(0, max(1, W - w * s)), pyr.uniform(0, max(1, H - h * s))
        out.append([x, y, x + w * s, y + h * s])
    for _ in range(beside if boxes else 0):
        b = pyr.choice(boxes)
        w, h = b[2] - b[0], b[3] - b[1]
        dx, dy = pyr.choice([(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1)])
        k = pyr.uniform(0.75, 1.2)
        out.append([b[0] + dx * k * w, b[1] + dy * k * h, b[2] + dx * k * w, b[3] + dy * k * h])
    return out


def zoomed(img, boxes):
    """The region around the corners, enlarged as the reader enlarges far cards; None if not worth it."""
    b = np.asarray(boxes, np.float32)
    side = float(np.median(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])))
    margin = 4 * side
    left, top = max(0.0, b[:, 0].min() - margin), max(0.0, b[:, 1].min() - margin)
    right, bottom = min(img.width, b[:, 2].max() + margin), min(img.height, b[:, 3].max() + margin)
    zoom = min(TARGET_CORNER / side, MAX_ZOOM, 480 / min(right - left, bottom - top), 640 / max(right - left, bottom - top))
    if zoom < 1.3:
        return None
    size = (max(1, round((right - left) * zoom)), max(1, round((bottom - top) * zoom)))
    region = img.resize(size, Image.Resampling.BILINEAR, box=(left, top, right, bottom))
    moved = [[(x0 - left) * zoom, (y0 - top) * zoom, (x1 - left) * zoom, (y1 - top) * zoom] for x0, y0, x1, y1 in boxes]
    return region, moved


@torch.no_grad()
def harvest_view(model, img, boxes, labels, pyr):
    x = dataset.to_tensor(img)
    out = model([x])[0]
    det_boxes, det_labels, det_scores = out["boxes"], out["labels"], out["scores"]
    gt = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    gl = torch.tensor(labels, dtype=torch.int64)
    # One crop per place the detector found (its boxes for other labels there add nothing new).
    unique = nms(det_boxes, det_scores, 0.9)
    det_boxes, det_labels, det_scores = det_boxes[unique], det_labels[unique], det_scores[unique]
    # The finds and the added negatives are labelled by what they overlap; a jittered copy
    # keeps its source's label (a box 1.7 times the ink overlaps it by IoU 0.35, yet shows it).
    negative = torch.tensor(negatives(boxes, img.width, img.height, pyr), dtype=torch.float32).reshape(-1, 4)
    found = torch.cat([det_boxes, negative])
    scores = torch.cat([det_scores, -torch.ones(len(negative))])
    dlabels = torch.cat([det_labels, torch.zeros(len(negative), dtype=torch.int64)])
    if len(found) == 0 and len(gt) == 0:
        return None
    if len(gt):
        best, idx = box_iou(found, gt).max(dim=1) if len(found) else (torch.zeros(0), torch.zeros(0, dtype=torch.int64))
        target = torch.where(best >= POSITIVE_IOU, gl[idx], torch.zeros_like(idx))
        keep = (best >= POSITIVE_IOU) | (best < NEGATIVE_IOU)
    else:
        target = torch.zeros(len(found), dtype=torch.int64)
        keep = torch.ones(len(found), dtype=torch.bool)
    found, target, scores, dlabels = found[keep], target[keep], scores[keep], dlabels[keep]
    # Each kept find also at another size: the reader must read a corner whatever its box holds besides the ink.
    finds = len(det_boxes) - int((~keep[:len(det_boxes)]).sum())
    copies = torch.tensor(jitter(found[:finds].tolist(), pyr, copies=1) + jitter(boxes, pyr), dtype=torch.float32).reshape(-1, 4)
    cand = torch.cat([found, copies])
    target = torch.cat([target, target[:finds], gl.repeat_interleave(2)])
    scores = torch.cat([scores, -torch.ones(len(copies))])
    dlabels = torch.cat([dlabels, torch.zeros(len(copies), dtype=torch.int64)])
    crops = cut_crops(x, cand)
    crops = (crops.clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
    return crops, target.numpy(), scores.numpy(), dlabels.numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--first-seed", type=int, required=True)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    ck = dataset.load_checkpoint(args.ckpt)
    model = build_model(dataset.NUM_CLASSES, width=ck.get("width", 128))
    model.load_state_dict(ck["model"])
    model.eval()
    parts = []
    for i in range(args.n):
        seed = args.first_seed + i
        img, boxes, labels, _ = render.render_photo(seed)
        pyr = random.Random(seed * 13 + 5)
        parts.append(harvest_view(model, img, boxes, labels, pyr))
        sides = [max(b[2] - b[0], b[3] - b[1]) for b in boxes]
        if sides and float(np.median(sides)) < SMALL_CORNER and pyr.random() < 0.5:
            z = zoomed(img, boxes)
            if z:
                parts.append(harvest_view(model, z[0], z[1], labels, pyr))
        if (i + 1) % 200 == 0:
            print("%d photos, %d crops" % (i + 1, sum(len(p[1]) for p in parts if p)), flush=True)
    parts = [p for p in parts if p]
    crops, target, scores, dlabels = (np.concatenate([p[k] for p in parts]) for k in range(4))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, crops=crops, labels=target, score=scores, det_label=dlabels)
    print("wrote %s: %d crops, %d of them corners" % (args.out, len(target), int((target > 0).sum())))


if __name__ == "__main__":
    main()
