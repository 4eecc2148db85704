"""The face reader: a small fully convolutional network that reads a card from its
face, the large central letter, where the corner index is too small to read.

A deck card across the table is 60-120 px tall in a 640 px photo: its corner
index is 9-15 px, which neither the detector (model.py) nor the corner reader
(classifier.py) can read, but its central letter is 30-60 px and stays legible
through blur, noise and dim light. This network is trained on WINDOW x WINDOW
crops with a card's face centred in them (CARD_IN_WINDOW px tall, give or take a
third) or no card centred at all (class 0), and it reads a whole image at once:
every convolution is unpadded, so its output at cell (i, j) is exactly what it
reads of the window whose top-left corner is (STRIDE * j, STRIDE * i) in its input.
The product runs it over the photo at a few scales and keeps the surest cell.

Classes are the detector's (classes.json): a card standing upright, within 90
degrees, is its token; turned further, `<token>@180`.
"""
import torch
from torch import nn

from classifier import MEAN, STD  # the same normalisation as the corner reader's

WINDOW = 64
STRIDE = 8
CARD_IN_WINDOW = 48


def conv_bn(cin, cout, stride=1, kernel=3):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, 0, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class FaceNet(nn.Module):
    """images [N, 3, H, W] in 0..1 -> logits [N, num_classes, (H - 64) // 8 + 1, (W - 64) // 8 + 1];
    a WINDOW x WINDOW crop gives one cell. Convolutions only (Debian's torch links the
    reference BLAS, where nn.Linear is far slower)."""

    def __init__(self, num_classes, width=16):
        super().__init__()
        w = width
        self.features = nn.Sequential(
            conv_bn(3, w, 2),  # 31
            conv_bn(w, w * 3 // 2),  # 29
            conv_bn(w * 3 // 2, 2 * w, 2),  # 14
            conv_bn(2 * w, 3 * w),  # 12
            conv_bn(3 * w, 4 * w, 2),  # 5
            conv_bn(4 * w, 6 * w, kernel=5),  # 1
        )
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Conv2d(6 * w, num_classes, 1)
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, images):
        x = (images - self.mean) / self.std
        return self.head(self.dropout(self.features(x)))


class CropFaceNet(nn.Module):
    """FaceNet over crops, for training: [K, 3, 64, 64] -> logits [K, num_classes]."""

    def __init__(self, num_classes, width=16):
        super().__init__()
        self.net = FaceNet(num_classes, width)

    def forward(self, crops):
        return self.net(crops).flatten(1)


class FaceReader(nn.Module):
    """What is exported: an image [3, H, W] in 0..1 (H, W >= WINDOW) in, each window's
    class probabilities out, [num_classes, rows, cols]."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        return torch.softmax(self.net(image[None]), dim=1)[0]
