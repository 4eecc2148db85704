"""Train the corner reader (classifier.py) on harvested crops (corners.py), or with
--net face the face reader (face_reader.py) on windows from faces.py.

  /usr/bin/python3 model/training/train_classifier.py --data model/data/corners-a.npz,model/data/corners-b.npz \
      --minutes 30 --out model/runs/reader1
  /usr/bin/python3 model/training/train_classifier.py --net face --width 20 \
      --data model/data/faces-a.npz,model/data/faces-b.npz --minutes 25 --out model/runs/face1

The last --val-share of each file (its last photos' crops: photos the rest never
shows) is kept for validation. Each batch is degraded again on the fly, so the
reader sees every crop in many captures: brightness, contrast and colour casts,
sensor noise, defocus, a low-resolution sensor, and half the time the crop turned
180 degrees with its label turned too (an upright corner upside down reads as
the same card's turned corner). AdamW, warmup then cosine over the time budget.
Writes OUT/final.pt and OUT/metrics.json.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402
from classifier import CropNet  # noqa: E402
from face_reader import CropFaceNet  # noqa: E402
from model import count_params  # noqa: E402

# The label of each class turned 180 degrees (background stays background).
TURNED = torch.tensor([0] + [render.flip_label(label) for label in range(1, len(render.LABELS))])


def load(paths, val_share):
    train, val = [], []
    for path in paths:
        d = np.load(path)
        n = len(d["labels"])
        cut = int(n * (1 - val_share))
        part = (d["crops"], d["labels"], d["score"], d["det_label"])
        train.append(tuple(a[:cut] for a in part))
        val.append(tuple(a[cut:] for a in part))
    join = lambda parts: tuple(np.concatenate([p[k] for p in parts]) for k in range(4))  # noqa: E731
    return join(train), join(val)


def to_batch(crops):
    return torch.from_numpy(crops).permute(0, 3, 1, 2).float() / 255


def blur(x, sigma):
    k = 7
    t = torch.arange(k, dtype=torch.float32) - k // 2
    g = torch.exp(-(t[None] ** 2) / (2 * sigma[:, None] ** 2))
    g = g / g.sum(1, keepdim=True)
    n, c, h, w = x.shape
    y = x.reshape(1, n * c, h, w)
    gx = g.repeat_interleave(c, 0)[:, None, None, :]
    gy = g.repeat_interleave(c, 0)[:, None, :, None]
    y = F.conv2d(F.pad(y, (k // 2, k // 2, 0, 0), mode="replicate"), gx, groups=n * c)
    y = F.conv2d(F.pad(y, (0, 0, k // 2, k // 2), mode="replicate"), gy, groups=n * c)
    return y.reshape(n, c, h, w)


def degrade(x, labels):
    """More captures of the same crops: light, colour, noise, focus, resolution, and 180 degrees."""
    n = len(x)
    u = lambda lo, hi, *shape: torch.empty(n, *shape).uniform_(lo, hi)  # noqa: E731
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = mean + (x - mean) * u(0.55, 1.25, 1, 1, 1)
    x = x * u(0.5, 1.3, 1, 1, 1) * u(0.85, 1.15, 3, 1, 1)
    soft = torch.rand(n) < 0.3
    if soft.any():
        x[soft] = blur(x[soft], torch.empty(int(soft.sum())).uniform_(0.5, 1.6))
    low = torch.rand(n) < 0.2
    if low.any():
        f = float(np.random.uniform(0.35, 0.7))
        small = F.interpolate(x[low], scale_factor=f, mode="area")
        x[low] = F.interpolate(small, size=x.shape[-2:], mode="bilinear", align_corners=False)
    x = x + torch.randn_like(x) * u(0, 0.06, 1, 1, 1) * (torch.rand(n, 1, 1, 1) < 0.6)
    turn = torch.rand(n) < 0.5
    x[turn] = x[turn].flip(-1, -2)
    labels = torch.where(turn, TURNED[labels], labels)
    return x.clamp(0, 1), labels


def frame_cut(x, share):
    """Black out a band along one side of a share of the crops: a corner cut by the
    photo's edge, where the product's crop (RoIAlign past the frame) reads zeros. The
    band is 10-35 % of the crop; the crop is 1.2 times the box's long side, so that
    hides at most about a third of the corner's ink, within the 40 % a corner may
    lose and still be labelled (render.compose). Negatives are cut alike, so a dark
    band says nothing about the label."""
    n, _, h, w = x.shape
    for i in torch.nonzero(torch.rand(n) < share).flatten().tolist():
        k = int(round(np.random.uniform(0.1, 0.35) * w))
        side = np.random.randint(4)
        if side == 0:
            x[i, :, :, :k] = 0
        elif side == 1:
            x[i, :, :, w - k:] = 0
        elif side == 2:
            x[i, :, :k, :] = 0
        else:
            x[i, :, h - k:, :] = 0
    return x


@torch.no_grad()
def init_from_onnx(net, path, crops):
    """Load a shipped reader's weights from its ONNX file (model/corner-reader.onnx, model/face-reader.onnx).

    The export folds each BatchNorm into its convolution, so each conv gets the
    folded weight and its BatchNorm is set to give back exactly the folded bias:
    gamma and the running variance from the std of the conv's output over these
    crops, beta and the running mean from its mean. The network then computes what
    the ONNX file does, in eval mode and (over batches like these) in training.
    """
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    inner = getattr(net, "net", net)  # a CropFaceNet holds its FaceNet; a CropNet is the network itself
    blocks = list(inner.features)
    assert len(convs) == len(blocks) + 1, "the ONNX file is not a CropNet of this shape"
    inner.head.weight.copy_(weights[convs[-1].input[1]])
    inner.head.bias.copy_(weights[convs[-1].input[2]])
    x = (to_batch(crops) - inner.mean) / inner.std
    for block, node in zip(blocks, convs):
        conv, bn = block[0], block[1]
        conv.weight.copy_(weights[node.input[1]])
        z = conv(x)
        mean, var = z.mean(dim=(0, 2, 3)), z.var(dim=(0, 2, 3), unbiased=False).clamp_min(1e-4)
        bn.weight.copy_(var.sqrt())
        bn.bias.copy_(mean + weights[node.input[2]])
        bn.running_mean.copy_(mean)
        bn.running_var.copy_(var - bn.eps)
        x = torch.relu(bn.eval()(z))
    return net.train()


@torch.no_grad()
def evaluate(net, val, batch=1024):
    net.eval()
    crops, labels, score, det_label = val
    preds = []
    for i in range(0, len(labels), batch):
        preds.append(net(to_batch(crops[i:i + batch])).argmax(1).numpy())
    pred = np.concatenate(preds)
    corner = labels > 0
    found = score >= 0
    res = {
        "crops": int(len(labels)),
        "accuracy": float((pred == labels).mean()),
        "corners_read_right": float((pred[corner] == labels[corner]).mean()),
        "no_corner_right": float((pred[~corner] == 0).mean()),
    }
    if (found & corner).any():  # the corner reader's crops: on the detector's own boxes over corners, who reads them right
        res.update({
            "detector_boxes": int((found & corner).sum()),
            "detector_label_right": float((det_label[found & corner] == labels[found & corner]).mean()),
            "reader_label_right": float((pred[found & corner] == labels[found & corner]).mean()),
        })
    net.train()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="comma-separated .npz files from corners.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--net", choices=["corner", "face"], default="corner", help="the corner reader or the face reader")
    ap.add_argument("--width", type=int, help="channels of the first layer (corner reader 32, face reader 16 unless given)")
    ap.add_argument("--val-share", type=float, default=0.08)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init", help="start from this checkpoint's weights (a .pt, or a shipped .onnx reader)")
    ap.add_argument("--frame-cut", type=float, default=0.0,
                    help="share of crops with one side blacked out, as a corner cut by the photo's edge reads")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)
    train, val = load(args.data.split(","), args.val_share)
    print("train %d crops (%d corners), val %d" % (len(train[1]), int((train[1] > 0).sum()), len(val[1])), flush=True)
    if args.width is None:
        args.width = 32 if args.net == "corner" else 16
    net = (CropNet if args.net == "corner" else CropFaceNet)(len(render.LABELS), args.width)
    if args.init and args.init.endswith(".onnx"):
        init_from_onnx(net, args.init, train[0][np.random.choice(len(train[1]), min(4096, len(train[1])), replace=False)])
    elif args.init:
        net.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    print("params", count_params(net), flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.wd)
    os.makedirs(args.out, exist_ok=True)
    budget, start, it, seen = args.minutes * 60, time.time(), 0, 0
    crops, labels = train[0], torch.from_numpy(train[1])
    loss_sum, loss_n = 0.0, 0
    while time.time() - start < budget:
        for idx in torch.randperm(len(labels)).split(args.batch):
            progress = (time.time() - start) / budget
            if progress >= 1:
                break
            lr = args.lr * min(1.0, (it + 1) / 200) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = degrade(to_batch(crops[idx.numpy()]), labels[idx])
            if args.frame_cut > 0:
                x = frame_cut(x, args.frame_cut)
            loss = F.cross_entropy(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            seen += len(idx)
            loss_sum, loss_n = loss_sum + float(loss), loss_n + 1
            if it % 200 == 0:
                print("it %d seen %d lr %.2e loss %.4f %.1f min" % (it, seen, lr, loss_sum / loss_n, (time.time() - start) / 60), flush=True)
                loss_sum, loss_n = 0.0, 0
            if it % 1000 == 0:
                print("VAL " + json.dumps(evaluate(net, val)), flush=True)
                torch.save({"model": net.state_dict(), "net": args.net, "width": args.width, "iter": it}, os.path.join(args.out, "last.pt"))
    metrics = evaluate(net, val)
    metrics.update({"iterations": it, "crops_seen": seen, "minutes": (time.time() - start) / 60, "params": count_params(net),
                    "args": vars(args)})
    print("VAL " + json.dumps(metrics), flush=True)
    torch.save({"model": net.state_dict(), "net": args.net, "width": args.width, "iter": it}, os.path.join(args.out, "final.pt"))
    with open(os.path.join(args.out, "metrics.json"), "w") as fh:
        json.dump(metrics, fh, indent=1)


if __name__ == "__main__":
    main()
