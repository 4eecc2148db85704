"""On-the-fly synthetic detection data for torchvision detection models.

Each index renders one photo with render.render_scene(seed=base_seed + index), so a
given (base_seed, index) always gives the same image and boxes.
Training uses seeds from 0 upwards; the held-out set uses seeds from HELDOUT_SEED.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402

HELDOUT_SEED = 1_000_000_000
NUM_CLASSES = len(render.LABELS)


def to_tensor(img):
    """PIL RGB -> float32 [3,H,W] in 0..1 (what the model and the ONNX export take)."""
    a = np.asarray(img, dtype=np.float32) / 255.0
    return torch.from_numpy(a).permute(2, 0, 1).contiguous()


def make_target(boxes, labels, index):
    b = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    return {"boxes": b, "labels": torch.tensor(labels, dtype=torch.int64),
            "image_id": torch.tensor(index)}


class SyntheticCards(torch.utils.data.Dataset):
    """far_share: the share of far scenes (a small hand or deck card) to train on, if not the renderer's own
    render.FAR_SHARE; set only while this dataset renders, so the held-out evaluation keeps the renderer's."""

    def __init__(self, length=1_000_000, base_seed=0, kind=None, far_share=None):
        self.length, self.base_seed, self.kind, self.far_share = length, base_seed, kind, far_share

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        return self.render(self.base_seed + index)

    def render(self, seed):
        """The photo of one seed, as this dataset renders it (its far share, its kind)."""
        own = render.FAR_SHARE
        if self.far_share is not None:
            render.FAR_SHARE = self.far_share
        try:
            img, boxes, labels = render.render_scene(seed, self.kind)
        finally:
            render.FAR_SHARE = own
        return to_tensor(img), make_target(boxes, labels, seed - self.base_seed)


class HardMix(torch.utils.data.Dataset):
    """A stream of fresh photos with the photos of `hard_seeds` (mine.py: seeds a detector read
    wrong) mixed in, `share` of them (cycling through the list): the same photo for an index
    every time, so a resumed stage continues the same stream."""

    def __init__(self, fresh, hard_seeds, share):
        if not 0 < share < 1 or not hard_seeds:
            raise ValueError("HardMix needs a share in (0, 1) and some hard seeds")
        self.fresh, self.hard, self.share = fresh, sorted(hard_seeds), share

    def __len__(self):
        return len(self.fresh)

    def __getitem__(self, index):
        before, after = int(index * self.share), int((index + 1) * self.share)
        if after > before:
            seed = self.hard[before % len(self.hard)]
            return self.fresh.render(seed)
        return self.fresh[index - before]


def heldout(n=200):
    """The fixed held-out set: seeds HELDOUT_SEED .. HELDOUT_SEED + n - 1."""
    return SyntheticCards(length=n, base_seed=HELDOUT_SEED)


def load_checkpoint(path):
    """torch.load for our checkpoints on torch 1.13 .. 2.x (2.6+ defaults to weights_only)."""
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:
        return torch.load(path, map_location="cpu")


def collate(batch):
    return tuple(zip(*batch))


class SkipDataset(torch.utils.data.Dataset):
    """Continue an on-the-fly stream after `start` images (for --resume)."""

    def __init__(self, ds, start):
        self.ds, self.start = ds, start

    def __len__(self):
        return len(self.ds) - self.start

    def __getitem__(self, i):
        return self.ds[self.start + i]
