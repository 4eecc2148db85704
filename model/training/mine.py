"""Find the photos a detector reads wrong, to train on them again (hard-example mining).

  /usr/bin/python3 model/training/mine.py --ckpt model/checkpoints/cpu13-final.pt \
      --first-seed 1500000 -n 2500 --out model/data/hard-a.json

Renders the training seeds [first-seed, first-seed + n) as train.py would (never the
held-out range) and reads each with the checkpoint; a photo is hard when not every
corner is read right (train.py photo_right: every corner found with its label at
0.5 or more, nothing else). Writes {"seeds": [the hard ones], ...} for train.py
--hard-seeds. Run two at a time over disjoint ranges on a 2-core machine.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from model import build_model  # noqa: E402
from train import photo_right  # noqa: E402


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--first-seed", type=int, required=True)
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    if args.first_seed + args.n > dataset.HELDOUT_SEED:
        sys.exit("mine.py: seeds reach the held-out range (%d on)" % dataset.HELDOUT_SEED)
    torch.set_num_threads(args.threads)
    ck = dataset.load_checkpoint(args.ckpt)
    model = build_model(dataset.NUM_CLASSES, width=ck.get("width", 96))
    model.load_state_dict(ck["model"])
    model.eval()
    photos = dataset.SyntheticCards(length=args.n, base_seed=args.first_seed)
    hard, t0 = [], time.time()
    for i in range(args.n):
        img, tgt = photos[i]
        out = model([img])[0]
        if not photo_right(out["boxes"], out["labels"], out["scores"], tgt["boxes"], tgt["labels"]):
            hard.append(args.first_seed + i)
        if (i + 1) % 250 == 0:
            print("%d photos, %d hard, %.1f min" % (i + 1, len(hard), (time.time() - t0) / 60), flush=True)
    with open(args.out, "w") as fh:
        json.dump({"ckpt": args.ckpt, "first_seed": args.first_seed, "n": args.n, "seeds": hard}, fh)
    print("%d of %d photos hard -> %s" % (len(hard), args.n, args.out), flush=True)


if __name__ == "__main__":
    main()
