"""Training windows for the face reader (face_reader.py), cut from rendered deck photos.

  /usr/bin/python3 model/training/faces.py --first-seed 900000 -n 5000 --out model/data/faces-a.npz

Each photo is a rendered deck scene (render.render_photo, kind "deck", seeds from
--first-seed: no other model's training saw them), with far scenes at --far-share
(the renderer's own share is 0.2; far deck cards are what the face reader is for).
From each photo, WINDOW x WINDOW windows are cut (RoIAlign, averaging over the
photo's pixels when it shrinks them, as the product's resize does):

- the top card's face, its centre moved by up to POSITIVE_SHIFT of the window and
  its height CARD_IN_WINDOW times 0.75-1.3: the card's class (upright within 90
  degrees: its token, else `<token>@180`), unless a finger crosses its middle;
- windows of the same scales centred off the card: over its edge and corners
  (BESIDE_REACH card heights from its centre), and anywhere in the photo: "no card"
  (class 0), unless their centre lies near any card's centre (left out).

With --mine CKPT (a face reader trained on such windows), the photo is also read
as the product reads it (face-reader.ts: the whole photo at FACE_ZOOMS times its
640 px view, every cell) and up to MINED windows it reads a card in, surest first,
away from every card's centre, are added as "no card": the hard negatives the
first windows did not show (noise, print and clutter that look like a letter at
some scale). Photos are then hands as well as deck cards (--kind), the front
card of a fan being as readable a face as a deck's top card.

Writes an .npz: crops uint8 [N, 64, 64, 3], labels int64 [N], and, for the trainer's
validation, score float32 [N] (-1) and det_label [N] (0).
"""
import argparse
import math
import os
import random
import sys

import numpy as np
import torch
from torchvision.ops import roi_align

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import render  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from face_reader import CARD_IN_WINDOW, STRIDE, WINDOW, CropFaceNet  # noqa: E402

POSITIVES = 6
BESIDE = 6
ANYWHERE = 6
# A positive window's centre lies within half a cell of the card's: the product reads every STRIDE pixels.
POSITIVE_SHIFT = STRIDE / 2 / WINDOW
SCALE_JITTER = (0.75, 1.3)
# Windows centred this far from a card's centre (in card heights) show no card's face…
NEGATIVE_OFFSET = 0.3
# …and those centred nearer, but off by more than a positive's shift, are left out.
BESIDE_REACH = (0.3, 1.0)
# The product's scales (api/src/vision/face-reader.ts FACE_ZOOMS, MAX_FACE_ZOOM) and its view's long side.
FACE_ZOOMS = (0.5, 0.8, 1.3, 2.0)
MAX_FACE_ZOOM = 2.0
MODEL_LONG_SIDE = 640
MINED = 12
MINE_FLOOR = 0.3


def windows(image, centres, sides):
    """image [3, H, W] in 0..1; centres [K, 2] and sides [K] in its pixels -> uint8 [K, 64, 64, 3]."""
    c = torch.tensor(centres, dtype=torch.float32).reshape(-1, 2)
    half = torch.tensor(sides, dtype=torch.float32).reshape(-1, 1) / 2
    rois = torch.cat([torch.zeros(len(c), 1), c - half, c + half], dim=1)
    crops = roi_align(image[None], rois, output_size=WINDOW, spatial_scale=1.0, sampling_ratio=0, aligned=True)
    return (crops.clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()


def finger_crosses(card, fingers):
    """Whether a finger passes over the middle of the card (its face hidden)."""
    h = render.CH * card.scale
    for x, y, ang, length, width in fingers:
        t = math.radians(ang)
        dx, dy = math.cos(t) * length, -math.sin(t) * length
        k = max(0.0, min(1.0, ((card.cx - x) * dx + (card.cy - y) * dy) / max(1e-6, dx * dx + dy * dy)))
        if math.hypot(card.cx - x - k * dx, card.cy - y - k * dy) < 0.3 * h + width / 2:
            return True
    return False


@torch.no_grad()
def mined_negatives(net, image, cards):
    """Windows the network reads a card in, as the product reads the photo, away from every card's centre."""
    _, H, W = image.shape
    base = min(1.0, MODEL_LONG_SIDE / max(W, H))
    found = []
    for zoom in sorted({min(MAX_FACE_ZOOM, base * z) for z in FACE_ZOOMS}):
        size = (round(H * zoom), round(W * zoom))
        if min(size) < WINDOW:
            continue
        view = F.interpolate(image[None], size=size, mode="bilinear", align_corners=False, antialias=zoom < 1)
        probs = torch.softmax(net.net(view), dim=1)[0]
        card = 1 - probs[0]
        rows, cols = card.shape
        for cell in torch.nonzero(card.flatten() >= MINE_FLOOR).flatten().tolist():
            i, j = divmod(cell, cols)
            x, y = (STRIDE * j + WINDOW / 2) / zoom, (STRIDE * i + WINDOW / 2) / zoom
            found.append((float(card[i, j]), x, y, WINDOW / zoom))
    found.sort(reverse=True)
    out = []
    for score, x, y, side in found:
        if len(out) >= MINED:
            break
        far = all(math.hypot(x - c.cx, y - c.cy) >= NEGATIVE_OFFSET * render.CH * c.scale for c in cards)
        near_kept = any(math.hypot(x - ox, y - oy) < side / 4 for ox, oy, _ in out)
        if far and not near_kept:
            out.append((x, y, side))
    return out


def harvest(seed, kind="deck", net=None):
    scene = {}
    img, _, _, _ = render.render_photo(seed, kind=kind, scene=scene)
    pyr = random.Random(seed * 7 + 3)
    W, H = img.size
    cards, top = scene["cards"], scene["cards"][-1]
    height = render.CH * top.scale
    side = lambda: height * WINDOW / (CARD_IN_WINDOW * pyr.uniform(*SCALE_JITTER))  # noqa: E731
    centres, sides, labels = [], [], []
    if not finger_crosses(top, scene["fingers"]):
        upright = -90.0 <= top.angle < 90.0
        for _ in range(POSITIVES):
            s = side()
            shift = POSITIVE_SHIFT * s
            centres.append((top.cx + pyr.uniform(-shift, shift), top.cy + pyr.uniform(-shift, shift)))
            sides.append(s)
            labels.append(render.class_id(top.token, upright))

    def off_every_card(x, y):
        return all(math.hypot(x - c.cx, y - c.cy) >= NEGATIVE_OFFSET * render.CH * c.scale for c in cards)

    for _ in range(BESIDE):
        r, t = height * pyr.uniform(*BESIDE_REACH), pyr.uniform(0, 2 * math.pi)
        x, y = top.cx + r * math.cos(t), top.cy + r * math.sin(t)
        if off_every_card(x, y):
            centres.append((x, y))
            sides.append(side())
            labels.append(0)
    for _ in range(ANYWHERE):
        x, y = pyr.uniform(0, W), pyr.uniform(0, H)
        if off_every_card(x, y):
            centres.append((x, y))
            sides.append(side() * pyr.uniform(0.6, 1.6))
            labels.append(0)
    image = dataset.to_tensor(img)
    if net is not None:
        for x, y, s in mined_negatives(net, image, cards):
            centres.append((x, y))
            sides.append(s)
            labels.append(0)
    if not labels:
        return None
    return windows(image, centres, sides), np.asarray(labels, np.int64)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--first-seed", type=int, required=True)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--far-share", type=float, default=0.6)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mine", help="a face reader checkpoint: add the windows it misreads as cards (hard negatives)")
    ap.add_argument("--kind", choices=["deck", "any"], default="deck", help="deck photos only, or the renderer's mix of hands and decks")
    args = ap.parse_args()
    torch.set_num_threads(1)
    render.FAR_SHARE = args.far_share
    net = None
    if args.mine:
        ck = dataset.load_checkpoint(args.mine)
        net = CropFaceNet(dataset.NUM_CLASSES, ck.get("width", 16))
        net.load_state_dict(ck["model"])
        net.eval()
    parts = []
    for i in range(args.n):
        part = harvest(args.first_seed + i, None if args.kind == "any" else "deck", net)
        if part:
            parts.append(part)
        if (i + 1) % 500 == 0:
            print("%d photos, %d windows" % (i + 1, sum(len(p[1]) for p in parts)), flush=True)
    crops, labels = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, crops=crops, labels=labels, score=-np.ones(len(labels), np.float32), det_label=np.zeros(len(labels), np.int64))
    print("wrote %s: %d windows, %d of them faces" % (args.out, len(labels), int((labels > 0).sum())))


if __name__ == "__main__":
    main()
