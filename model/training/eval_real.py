"""Evaluate a checkpoint on the real photos in /work/shared/real-photos (evaluation only:
never train or tune on them).

  /usr/bin/python3 model/training/eval_real.py --ckpt model/runs/cpu1/final.pt [--draw /tmp/real-dets]

Reading rule (a simple reference decoder): keep detections with score >= --thr; the photo's
orientation is the majority of upright vs @180 corners; hand: cards = tokens of the
corners in that orientation, ordered left to right (right to left when upside down);
deck: the token of the best detection.
"""
import argparse
import json
import os
import sys

import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import render  # noqa: E402
from export import load  # noqa: E402

REAL = os.environ.get("REAL_PHOTOS", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "..", "..", "shared", "real-photos"))


def read_cards(boxes, labels, scores, kind, thr):
    keep = [i for i in range(len(scores)) if scores[i] >= thr]
    if not keep:
        return []
    names = [render.LABELS[int(labels[i])] for i in keep]
    up = sum(1 for n in names if not n.endswith("@180"))
    upright = up >= len(names) - up
    if kind == "deck":
        return [names[0].replace("@180", "")]
    sel = [(float(boxes[i][0] + boxes[i][2]) / 2, n) for i, n in zip(keep, names)
           if n.endswith("@180") != upright]
    sel.sort(key=lambda t: t[0], reverse=not upright)
    return [n.replace("@180", "") for _, n in sel]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--photos", default=REAL)
    ap.add_argument("--thr", type=float, default=0.5)
    ap.add_argument("--draw", help="save photos with detections drawn to this folder (outside the project)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model = load(args.ckpt)
    with open(os.path.join(args.photos, "labels.json")) as fh:
        photos = json.load(fh)["photos"]
    right = 0
    for name, info in photos.items():
        img = Image.open(os.path.join(args.photos, name)).convert("RGB")
        with torch.no_grad():
            out = model([dataset.to_tensor(img)])[0]
        b, l, s = out["boxes"].tolist(), out["labels"].tolist(), out["scores"].tolist()
        got = read_cards(b, l, s, info["kind"], args.thr)
        ok = got == info["cards"]
        right += ok
        print("%-11s %-5s expected %-28s read %-28s %s" % (name, info["kind"], "/".join(info["cards"]),
                                                        "/".join(got), "OK" if ok else "--"))
        if args.draw:
            os.makedirs(args.draw, exist_ok=True)
            k = [i for i in range(len(s)) if s[i] >= 0.3]
            render.draw_boxes(img, [b[i] for i in k], [l[i] for i in k], [s[i] for i in k]).save(
                os.path.join(args.draw, name[:-4] + ".png"))
    print("real photos read right: %d/%d" % (right, len(photos)))


if __name__ == "__main__":
    main()
