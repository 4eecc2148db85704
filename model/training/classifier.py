"""The corner reader: a small CNN that reads one corner index from a crop around a
box the detector found, and says "no corner" when there is none.

The detector (model.py) finds corners well but reads a weak or blurred one
unsurely, or as a look-alike (C/G, I/J): of the corners it misses on held-out
photos, nine in ten have one of its boxes in the right place, below the cut or
with the wrong letter. This network reads every such box again from a crop of
its own, normalised in size, so the product can re-score the detector's finds.

The crop is part of the exported graph (`CornerReader.forward(image, boxes)`):
a square around the box's centre, CROP_MARGIN times its long side, sampled to
CROP_SIZE x CROP_SIZE by RoIAlign, so the product, the harvest of training
crops (corners.py) and training all cut crops the same way.
"""
import torch
from torch import nn
from torchvision.ops import roi_align

CROP_SIZE = 40
CROP_MARGIN = 1.2
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def crop_squares(boxes):
    """[K, 4] boxes -> [K, 4] squares around their centres, CROP_MARGIN times their long side."""
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    half = torch.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) * (CROP_MARGIN / 2)
    return torch.stack([cx - half, cy - half, cx + half, cy + half], dim=1)


def cut_crops(image, boxes):
    """image [3, H, W] in 0..1, boxes [K, 4] in its pixels -> crops [K, 3, CROP_SIZE, CROP_SIZE] in 0..1."""
    squares = crop_squares(boxes)
    # The batch index column, 0 for every box (written from the boxes so the export keeps K dynamic).
    rois = torch.cat([squares[:, :1] * 0, squares], dim=1)
    return roi_align(image[None], rois, output_size=CROP_SIZE, spatial_scale=1.0, sampling_ratio=2, aligned=False)


def conv_bn(cin, cout, stride=1, kernel=3):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, kernel // 2 if kernel == 3 else 0, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class CropNet(nn.Module):
    """crops [K, 3, 40, 40] in 0..1 -> logits [K, num_classes]. Written with convolutions
    only: Debian's torch links the reference BLAS, where nn.Linear is far slower."""

    def __init__(self, num_classes, width=32):
        super().__init__()
        w = width
        self.features = nn.Sequential(
            conv_bn(3, w), conv_bn(w, w, 2),  # 20
            conv_bn(w, 2 * w), conv_bn(2 * w, 2 * w, 2),  # 10
            conv_bn(2 * w, 3 * w), conv_bn(3 * w, 4 * w, 2),  # 5
            conv_bn(4 * w, 6 * w, kernel=5),  # 1
        )
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Conv2d(6 * w, num_classes, 1)
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, crops):
        x = (crops - self.mean) / self.std
        return self.head(self.dropout(self.features(x))).flatten(1)


class CornerReader(nn.Module):
    """What is exported: the detector's input image and its boxes in, class probabilities out.

    Given several networks it is their ensemble: each reads the same crops and
    their probabilities are averaged (one file, so the product reads it unchanged).
    """

    def __init__(self, *nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, image, boxes):
        crops = cut_crops(image, boxes)
        return torch.stack([torch.softmax(net(crops), dim=1) for net in self.nets]).mean(0)

