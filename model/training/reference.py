"""Writes PyTorch's outputs on a few held-out synthetic photos, for checking the ONNX export.

  /usr/bin/python3 model/training/reference.py --ckpt model/runs/cpu1/final.pt --out /tmp/onnx-check
  npx tsx scripts/check-onnx.ts /tmp/onnx-check      # runs model/quiddler.onnx in onnxruntime-node and compares

Each photo is saved as PNG (lossless, so both sides see the same 8-bit pixels) next to
reference.json: per photo, the boxes, labels and scores PyTorch gives.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import render  # noqa: E402
from export import load  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("-n", type=int, default=4)
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    model = load(args.ckpt)
    photos = {}
    for i in range(args.n):
        img, _, _ = render.render_scene(dataset.HELDOUT_SEED + 500 + i)
        name = "photo-%d.png" % i
        img.save(os.path.join(args.out, name))
        with torch.no_grad():
            out = model([dataset.to_tensor(img)])[0]
        photos[name] = {k: out[k].tolist() for k in ("boxes", "labels", "scores")}
    with open(os.path.join(args.out, "reference.json"), "w") as fh:
        json.dump(photos, fh)
    print("wrote %d photos and reference.json to %s" % (args.n, args.out))


if __name__ == "__main__":
    main()
