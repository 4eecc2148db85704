"""Write held-out synthetic photos with a labels.json in the format of
../shared/real-photos, so the product's own reader can score them:

  /usr/bin/python3 model/training/heldout.py --out /tmp/heldout -n 300
  npx tsx api/src/cli.ts read --eval /tmp/heldout/labels.json

The photos are the held-out set that train.py evaluates on (seeds from
dataset.HELDOUT_SEED, never trained on). A photo is kept only if a player could
tell its cards: every card of a hand shows a readable corner (not one a finger
covers), and a deck photo shows no corner of another card; how many were left
out is printed and stored in labels.json.

Two staged sets for the reader's framing logic (never for training):
  --desk      each photo shrunk to 30-45 % and laid on a 1600x1200 background
              drawn by the renderer, anywhere, upside down one time in four: a
              desk or tripod shot where the cards fill a small part of the frame
              (--desk-turn upright / down: every one upright / upside down, so
              the two ways can be compared on the same shots)
  --sideways  each photo turned a quarter either way (a portrait photo stored
              without its EXIF turn)
  --close     only photos whose corners are large (long side >= 40 px): close
              shots, which stay legible when --desk shrinks them
"""
import argparse
import json
import os
import random
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402
from dataset import HELDOUT_SEED  # noqa: E402


def desk_shot(img, seed, turn="any"):
    """The photo shrunk to 30-45 % on a 1600x1200 background of the renderer's, anywhere, upside down one time
    in four ("any"), never ("upright") or always ("down")."""
    pyr = random.Random(seed * 7 + 1)
    rng = np.random.default_rng(seed * 7 + 1)
    W, H = 1600, 1200
    table = render.background(rng, pyr, W, H)
    f = pyr.uniform(0.3, 0.45)
    small = img.resize((round(img.width * f), round(img.height * f)), Image.Resampling.BILINEAR)
    table.paste(small, (pyr.randint(0, W - small.width), pyr.randint(0, H - small.height)))
    down = pyr.random() < 0.25 if turn == "any" else turn == "down"
    return table.rotate(180) if down else table


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("-n", type=int, default=300, help="held-out seeds to render")
    ap.add_argument("--skip", type=int, default=0, help="start this many seeds into the held-out range (a further set)")
    ap.add_argument("--desk", action="store_true", help="shrink each photo onto a 1600x1200 background")
    ap.add_argument("--desk-turn", choices=["any", "upright", "down"], default="any",
                    help="with --desk: upside down one time in four (any), never, or always; the same shots either way")
    ap.add_argument("--sideways", action="store_true", help="turn each photo a quarter either way")
    ap.add_argument("--close", action="store_true", help="only photos whose corners' long side is at least 40 px")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    photos, unreadable = {}, []
    for i in range(args.skip, args.skip + args.n):
        img, boxes, _, cards = render.render_photo(HELDOUT_SEED + i)
        name = "heldout-%04d.png" % i
        if cards is None:
            unreadable.append(name)
            continue
        if args.close and min(max(b[2] - b[0], b[3] - b[1]) for b in boxes) < 40:
            continue
        if args.desk:
            img = desk_shot(img, HELDOUT_SEED + i, args.desk_turn)
        if args.sideways:
            img = img.transpose(Image.Transpose.ROTATE_90 if i % 2 else Image.Transpose.ROTATE_270)
        img.save(os.path.join(args.out, name))  # PNG: the reader sees exactly the rendered pixels
        photos[name] = {"kind": "hand" if len(cards) > 1 else "deck", "cards": cards}
    about = ("Held-out synthetic photos (seeds %d..%d); %d left out because a held card shows no "
             "readable corner or a deck photo shows other cards." % (HELDOUT_SEED + args.skip, HELDOUT_SEED + args.skip + args.n - 1, len(unreadable)))
    with open(os.path.join(args.out, "labels.json"), "w") as fh:
        json.dump({"about": about, "unreadable": unreadable, "photos": photos}, fh, indent=1)
    print(about)


if __name__ == "__main__":
    main()
