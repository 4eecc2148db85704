"""Export a trained checkpoint to model/quiddler.onnx and check it.

  /usr/bin/python3 model/training/export.py --ckpt model/runs/cpu1/final.pt --out model/quiddler.onnx

ONNX graph: input "image" float32 [3, H, W] in 0..1 (H, W dynamic; resizing to the
480..640 working size and normalisation happen inside the graph); outputs "boxes"
[N, 4] (x0, y0, x1, y1 in input pixels), "labels" [N] int64 (index into
classes.json "labels"), "scores" [N] float32, at most 50 detections with score >= 0.05.
Uses the TorchScript-based exporter (dynamo=False on torch 2.x), opset 11.

  /usr/bin/python3 model/training/export.py --reader --ckpt model/runs/reader1/final.pt --out model/corner-reader.onnx

With --reader, the corner reader (classifier.py): inputs "image" float32 [3, H, W]
(the detector's input) and "boxes" float32 [K, 4] (boxes in its pixels, K >= 1);
output "probs" float32 [K, 63]: each box's class probabilities, class 0 "no corner".
Several --ckpt, comma-separated, export their ensemble (the mean of their
probabilities) as one file; a shipped reader's .onnx may be one of them, with
--calibration CROPS.npz (a corners.py file) to rebuild its folded BatchNorms.

  /usr/bin/python3 model/training/export.py --face --ckpt model/runs/face1/final.pt --out model/face-reader.onnx

With --face, the face reader (face_reader.py): input "image" float32 [3, H, W] in 0..1
(H, W >= 64); output "probs" float32 [63, (H - 64) // 8 + 1, (W - 64) // 8 + 1]: the
class probabilities of the card face centred in each 64 x 64 window, every 8 px,
class 0 "no card".
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from classifier import CornerReader, CropNet  # noqa: E402
from face_reader import CropFaceNet, FaceReader  # noqa: E402
from model import build_model  # noqa: E402


class Wrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, image):
        out = self.model([image])[0]
        return out["boxes"], out["labels"], out["scores"]


def load(ckpt):
    ck = dataset.load_checkpoint(ckpt)
    model = build_model(dataset.NUM_CLASSES, width=ck.get("width", 96))
    model.load_state_dict(ck["model"])
    return model.eval()


def reader_net(path, calibration):
    """A corner reader's network from a checkpoint (.pt), or from a shipped reader's ONNX file, whose
    folded BatchNorms are rebuilt over the crops of a corners.py file (train_classifier.init_from_onnx)."""
    if not path.endswith(".onnx"):
        ck = dataset.load_checkpoint(path)
        net = CropNet(dataset.NUM_CLASSES, ck.get("width", 32))
        net.load_state_dict(ck["model"])
        return net.eval()
    if not calibration:
        raise SystemExit("reading a reader from %s needs --calibration CROPS.npz (a corners.py file)" % path)
    from train_classifier import init_from_onnx
    crops = np.load(calibration)["crops"]
    pick = np.random.default_rng(0).choice(len(crops), min(4096, len(crops)), replace=False)
    return init_from_onnx(CropNet(dataset.NUM_CLASSES), path, crops[np.sort(pick)]).eval()


def export_reader(ckpts, out, opset, kw, calibration=None):
    reader = CornerReader(*(reader_net(path, calibration) for path in ckpts.split(","))).eval()
    image = dataset.heldout(1)[0][0]
    boxes = torch.tensor([[100.0, 80.0, 130.0, 125.0], [300.0, 200.0, 340.0, 260.0]])
    torch.onnx.export(reader, (image, boxes), out, opset_version=opset, input_names=["image", "boxes"],
                      output_names=["probs"], dynamic_axes={"image": {1: "height", 2: "width"}, "boxes": {0: "k"},
                                                            "probs": {0: "k"}}, do_constant_folding=True, **kw)
    print("wrote %s (%.2f MB)" % (out, os.path.getsize(out) / 1e6))
    import onnx
    onnx.checker.check_model(onnx.load(out))
    print("onnx.checker: OK (onnx %s)" % onnx.__version__)
    with torch.no_grad():
        print("probs of the example boxes (top class, p):", [(int(p.argmax()), round(float(p.max()), 3)) for p in reader(image, boxes)])


def export_face_reader(ckpt, out, opset, kw):
    ck = dataset.load_checkpoint(ckpt)
    crop_net = CropFaceNet(dataset.NUM_CLASSES, ck.get("width", 16))
    crop_net.load_state_dict(ck["model"])
    reader = FaceReader(crop_net.net).eval()
    image = dataset.heldout(1)[0][0]
    torch.onnx.export(reader, (image,), out, opset_version=opset, input_names=["image"], output_names=["probs"],
                      dynamic_axes={"image": {1: "height", 2: "width"}, "probs": {1: "rows", 2: "cols"}},
                      do_constant_folding=True, **kw)
    print("wrote %s (%.2f MB)" % (out, os.path.getsize(out) / 1e6))
    import onnx
    onnx.checker.check_model(onnx.load(out))
    print("onnx.checker: OK (onnx %s)" % onnx.__version__)
    with torch.no_grad():
        probs = reader(image)
        cell = int((1 - probs[0]).flatten().argmax())
        print("probs", tuple(probs.shape), "surest card cell", divmod(cell, probs.shape[2]), "p %.3f" % float(1 - probs[0].flatten()[cell]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True,
                    help="the checkpoint; with --reader, one or more, comma-separated (.pt, or a shipped reader's .onnx): "
                         "their ensemble is exported, its probabilities the mean of theirs")
    ap.add_argument("--calibration", help="with --reader and an .onnx among --ckpt: a corners.py .npz whose crops "
                                          "rebuild that reader's folded BatchNorms")
    ap.add_argument("--reader", action="store_true", help="export the corner reader (classifier.py), not the detector")
    ap.add_argument("--face", action="store_true", help="export the face reader (face_reader.py), not the detector")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quiddler.onnx"))
    ap.add_argument("--opset", type=int, default=11)
    ap.add_argument("--check-n", type=int, default=4)
    args = ap.parse_args()
    torch.set_num_threads(2)
    kw = {"dynamo": False} if int(torch.__version__.split(".")[0]) >= 2 else {}
    if args.reader:
        return export_reader(args.ckpt, args.out, args.opset, kw, args.calibration)
    if args.face:
        return export_face_reader(args.ckpt, args.out, args.opset, kw)
    model = load(args.ckpt)
    wrapper = Wrapper(model).eval()
    ds = dataset.heldout(args.check_n + 1)
    example = ds[0][0]
    torch.onnx.export(wrapper, (example,), args.out, opset_version=args.opset,
                      input_names=["image"], output_names=["boxes", "labels", "scores"],
                      dynamic_axes={"image": {1: "height", 2: "width"}, "boxes": {0: "n"},
                                    "labels": {0: "n"}, "scores": {0: "n"}},
                      do_constant_folding=True, **kw)
    print("wrote %s (%.2f MB)" % (args.out, os.path.getsize(args.out) / 1e6))

    try:
        import onnx
        onnx.checker.check_model(onnx.load(args.out))
        print("onnx.checker: OK (onnx %s)" % onnx.__version__)
    except ImportError:
        print("onnx not importable: checker skipped")
    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not importable in Python: ONNX-vs-PyTorch output comparison skipped")
        return
    sess = ort.InferenceSession(args.out, providers=["CPUExecutionProvider"])
    for i in range(1, args.check_n + 1):
        img = ds[i][0]
        with torch.no_grad():
            tb, tl, ts = wrapper(img)
        t = time.time()
        ob, ol, os_ = sess.run(None, {"image": img.numpy()})
        dt = time.time() - t
        keep = ts.numpy() > 0.3
        okeep = os_ > 0.3
        same = keep.sum() == okeep.sum() and np.array_equal(tl.numpy()[keep], ol[okeep]) and \
            np.allclose(tb.numpy()[keep], ob[okeep], atol=1.0)
        print("image %d %s: torch %d dets, onnx %d dets (score>0.3), max|dbox| %.3f, %.0f ms" % (
            i, tuple(img.shape), keep.sum(), okeep.sum(),
            float(np.abs(tb.numpy()[keep] - ob[okeep]).max()) if same and keep.any() else -1, dt * 1000),
            "MATCH" if same else "DIFFER")


if __name__ == "__main__":
    main()
