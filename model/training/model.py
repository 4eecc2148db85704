"""Faster R-CNN with a small from-scratch stride-8 backbone for card corner indices.

Corner indices are small (about 15-40 px tall in a 640x480 photo), so the detector
works on a single stride-8 feature map (80x60 cells for 640x480) with anchors 16..96 px
and tall-ish aspect ratios (torchvision's ratio is height/width). No pretrained weights.
"""
import torch
from torch import nn
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign


def conv_bn(cin, cout, stride=1, dilation=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Backbone(nn.Module):
    """Plain VGG-like conv stack, output stride 8, receptive field about 135 px."""

    def __init__(self, width=96):
        super().__init__()
        self.body = nn.Sequential(
            conv_bn(3, 16, 2),                      # /2
            conv_bn(16, 32, 2), conv_bn(32, 32),    # /4
            conv_bn(32, 64, 2), conv_bn(64, width),  # /8
            conv_bn(width, width, dilation=2), conv_bn(width, width, dilation=4),
        )
        self.out_channels = width

    def forward(self, x):
        return self.body(x)


class ConvBoxHead(nn.Module):
    """TwoMLPHead written as convolutions (7x7 conv == fc6 on pooled features, 1x1 == fc7).

    Same maths as torchvision's MLP head, but runs on the conv (oneDNN) kernels: Debian's
    torch links the generic reference BLAS, where nn.Linear is ~30x slower.
    """

    def __init__(self, in_channels, resolution=7, representation_size=256):
        super().__init__()
        self.fc6 = nn.Conv2d(in_channels, representation_size, resolution)
        self.fc7 = nn.Conv2d(representation_size, representation_size, 1)

    def forward(self, x):
        return torch.relu(self.fc7(torch.relu(self.fc6(x))))


class ConvPredictor(nn.Module):
    """FastRCNNPredictor with 1x1 convolutions; input [N, C, 1, 1]."""

    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.cls_score = nn.Conv2d(in_channels, num_classes, 1)
        self.bbox_pred = nn.Conv2d(in_channels, num_classes * 4, 1)

    def forward(self, x):
        return self.cls_score(x).flatten(1), self.bbox_pred(x).flatten(1)


def build_model(num_classes, width=96, min_size=480, max_size=640):
    anchors = AnchorGenerator(sizes=((16, 24, 32, 48, 64, 96),), aspect_ratios=((0.8, 1.3, 2.2),))
    roi_pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
    backbone = Backbone(width)
    model = FasterRCNN(
        backbone, num_classes=None,
        box_head=ConvBoxHead(backbone.out_channels, 7, 256),
        box_predictor=ConvPredictor(256, num_classes),
        min_size=min_size, max_size=max_size,
        rpn_anchor_generator=anchors, box_roi_pool=roi_pool,
        rpn_pre_nms_top_n_train=1000, rpn_post_nms_top_n_train=500,
        rpn_pre_nms_top_n_test=500, rpn_post_nms_top_n_test=150,
        rpn_batch_size_per_image=256, box_batch_size_per_image=128,
        box_detections_per_img=50, box_score_thresh=0.05,
    )
    return model


def count_params(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    import time
    torch.set_num_threads(2)
    m = build_model(63).eval()
    print("params", count_params(m), "~%.1f MB fp32" % (count_params(m) * 4 / 1e6))
    x = [torch.rand(3, 480, 640)]
    with torch.no_grad():
        m(x)
        t = time.time()
        for _ in range(5):
            m(x)
    print("inference %.0f ms / 640x480" % ((time.time() - t) / 5 * 1000))
