"""Train the card-corner Faster R-CNN on synthetic photos, with a wall-clock budget.

  /usr/bin/python3 model/training/train.py --minutes 100 --out model/runs/cpu1
  /usr/bin/python3 model/training/train.py --minutes 100 --out model/runs/cpu1 --resume
  /usr/bin/python3 model/training/train.py --minutes 100 --out model/runs/cpu2 --init model/runs/cpu1/final.pt
  /usr/bin/python3 model/training/train.py --eval-only model/runs/cpu1/last.pt

The learning rate follows warmup + cosine over the time budget (elapsed training
seconds / --minutes), so a resumed run continues the same schedule.
Checkpoints (model, optimizer, images seen, elapsed seconds) go to OUT/last.pt every
--ckpt-minutes, and the weights alone (no optimizer: a third of the size) to OUT/final.pt
at the end; the log is printed to stdout.

With --average-tail F, the weights of the last F of the schedule (its low-lr end) are
also averaged (every --average-every iterations, BatchNorm statistics included) and
saved as OUT/averaged.pt, a checkpoint like final.pt, evaluated into metrics-averaged.json:
an average of the points the low-lr end wanders between often generalises better than
its last point (stochastic weight averaging).
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from model import build_model, count_params  # noqa: E402


def box_iou(a, b):
    from torchvision.ops import box_iou as iou
    return iou(a, b)


def match_detections(pb, pl, ps, gb, gl):
    """Each detection, surest first, as (label, score, 1 if it is a true positive): matched to
    an unmatched ground-truth box of its label with IoU >= 0.5, else 0."""
    used = torch.zeros(len(gb), dtype=torch.bool)
    ious = box_iou(pb, gb) if len(pb) and len(gb) else torch.zeros(len(pb), len(gb))
    matches = []
    for k in torch.argsort(ps, descending=True).tolist():
        lab = int(pl[k])
        tp = 0
        if len(gb):
            cand = (gl == lab) & ~used
            if cand.any():
                io = ious[k].clone()
                io[~cand] = -1
                j = int(io.argmax())
                if io[j] >= 0.5:
                    used[j] = True
                    tp = 1
        matches.append((lab, float(ps[k]), tp))
    return matches


def photo_right(pb, pl, ps, gb, gl, score_thr=0.5):
    """Whether every corner of the photo is read right: the detections at score_thr or more
    are one per ground-truth box, each of its label with IoU >= 0.5, and nothing else."""
    keep = ps >= score_thr
    # As many sure detections as boxes, each matched to a box of its own: every box is matched.
    return int(keep.sum()) == len(gb) and all(tp for _, _, tp in match_detections(pb[keep], pl[keep], ps[keep], gb, gl))


@torch.no_grad()
def evaluate(model, device, n=200, score_thr=0.5, log=print, workers=0):
    """mAP@0.5 (VOC-style, all-point) over classes present, and the fraction of photos
    whose every corner is read right (each ground-truth box matched by a same-label
    detection with IoU>=0.5 and score>=score_thr, and no other detection above score_thr).
    The held-out photos are rendered by `workers` processes (0: this one), as training's
    are: on a GPU machine rendering, not the model, takes the time."""
    model.eval()
    ds = dataset.heldout(n)
    loader = torch.utils.data.DataLoader(ds, batch_size=1, num_workers=workers, collate_fn=dataset.collate)
    per_class = {}  # label -> list of (score, tp)
    npos = {}
    photos_ok = 0
    t0 = time.time()
    for (img,), (tgt,) in loader:
        out = model([img.to(device)])[0]
        pb, pl, ps = out["boxes"].cpu(), out["labels"].cpu(), out["scores"].cpu()
        gb, gl = tgt["boxes"], tgt["labels"]
        for l in gl.tolist():
            npos[l] = npos.get(l, 0) + 1
        for lab, score, tp in match_detections(pb, pl, ps, gb, gl):
            per_class.setdefault(lab, []).append((score, tp))
        if photo_right(pb, pl, ps, gb, gl, score_thr):
            photos_ok += 1
    aps = []
    for lab, n_pos in npos.items():
        dets = sorted(per_class.get(lab, []), key=lambda x: -x[0])
        tp = torch.tensor([d[1] for d in dets], dtype=torch.float32)
        if len(tp) == 0:
            aps.append(0.0)
            continue
        ctp = torch.cumsum(tp, 0)
        cfp = torch.cumsum(1 - tp, 0)
        rec = ctp / n_pos
        prec = ctp / torch.clamp(ctp + cfp, min=1)
        mrec = torch.cat([torch.tensor([0.0]), rec, torch.tensor([1.0])])
        mpre = torch.cat([torch.tensor([0.0]), prec, torch.tensor([0.0])])
        for k in range(len(mpre) - 2, -1, -1):
            mpre[k] = max(mpre[k], mpre[k + 1])
        idx = torch.nonzero(mrec[1:] != mrec[:-1]).flatten()
        aps.append(float(((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]).sum()))
    res = {"mAP50": sum(aps) / max(1, len(aps)), "photos_all_right": photos_ok / len(ds),
           "n_photos": len(ds), "n_boxes": sum(npos.values()), "eval_seconds": time.time() - t0}
    log("EVAL " + json.dumps(res))
    model.train()
    return res


def lr_at(progress, it, base_lr, warmup_iters):
    w = min(1.0, (it + 1) / warmup_iters)
    return base_lr * w * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="model/runs/default")
    ap.add_argument("--minutes", type=float, default=100.0, help="training time budget")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (torch 2.x GPU machines)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--workers", type=int, default=1, help="DataLoader workers rendering photos")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--width", type=int, default=96)
    ap.add_argument("--ckpt-minutes", type=float, default=5.0)
    ap.add_argument("--eval-n", type=int, default=200)
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument("--init", help="start from this checkpoint's weights with a fresh optimizer and schedule")
    ap.add_argument("--first-seed", type=int, default=0,
                    help="seed of the first photo rendered: a later stage starts past the earlier ones' to see new photos")
    ap.add_argument("--far-share", type=float,
                    help="train on this share of far scenes (small hands and deck cards) instead of the renderer's "
                         "render.FAR_SHARE; the held-out evaluation keeps the renderer's")
    ap.add_argument("--hard-seeds", help="comma-separated mine.py outputs: photos a detector read wrong, mixed into the stream")
    ap.add_argument("--hard-share", type=float, default=0.5, help="the share of the stream they make (with --hard-seeds)")
    ap.add_argument("--average-tail", type=float, default=0.0,
                    help="also average the weights over this last share of the schedule (0: no)")
    ap.add_argument("--average-every", type=int, default=10, help="iterations between two averaged points")
    ap.add_argument("--eval-only", help="evaluate this checkpoint and exit")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if args.eval_only:
        ck = dataset.load_checkpoint(args.eval_only)
        model = build_model(dataset.NUM_CLASSES, width=ck.get("width", args.width)).to(device)
        model.load_state_dict(ck["model"])
        evaluate(model, device, args.eval_n, workers=args.workers)
        return

    init = dataset.load_checkpoint(args.init) if args.init and not args.resume else None
    if init is not None and init.get("width", args.width) != args.width:
        # The weights decide the network's width: a stage started from a checkpoint continues that network.
        print("width %d, as in %s (not --width %d)" % (init["width"], args.init, args.width), flush=True)
        args.width = init["width"]
    model = build_model(dataset.NUM_CLASSES, width=args.width).to(device)
    print("params", count_params(model), flush=True)

    os.makedirs(args.out, exist_ok=True)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.wd)
    seen, it, elapsed = 0, 0, 0.0
    resumed_average = None
    ckpt_path = os.path.join(args.out, "last.pt")
    if args.resume and os.path.exists(ckpt_path):
        ck = dataset.load_checkpoint(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        seen, it, elapsed = ck["seen"], ck["iter"], ck["elapsed"]
        resumed_average = ck.get("averaged")
        print("resumed from %s: iter %d, %d images, %.1f min" % (ckpt_path, it, seen, elapsed / 60), flush=True)
    elif init is not None:
        model.load_state_dict(init["model"])
        print("initialised from %s (%d images seen there)" % (args.init, init["seen"]), flush=True)

    averaged = torch.optim.swa_utils.AveragedModel(model, use_buffers=True) if args.average_tail > 0 else None
    if averaged is not None and resumed_average is not None:
        averaged.load_state_dict(resumed_average)

    def save(path, weights=None):
        """last.pt holds all a --resume needs; final.pt and averaged.pt (`weights` given or
        not) only the weights, a third of the size: a later stage starts a fresh optimizer."""
        state = {"model": weights or model.state_dict(), "seen": seen, "iter": it, "elapsed": elapsed,
                 "args": vars(args), "width": args.width}
        if path == ckpt_path:
            state["opt"] = opt.state_dict()
            if averaged is not None:
                state["averaged"] = averaged.state_dict()
        torch.save(state, path + ".tmp")
        os.replace(path + ".tmp", path)

    stream = dataset.SyntheticCards(base_seed=args.first_seed, far_share=args.far_share)
    if args.hard_seeds:
        hard = [seed for path in args.hard_seeds.split(",") for seed in json.load(open(path))["seeds"]]
        if any(seed >= dataset.HELDOUT_SEED for seed in hard):
            sys.exit("train.py: a hard seed lies in the held-out range")
        print("%d hard photos, %.0f %% of the stream" % (len(hard), 100 * args.hard_share), flush=True)
        stream = dataset.HardMix(stream, hard, args.hard_share)
    ds = dataset.SkipDataset(stream, seen)
    dl_kw = dict(persistent_workers=True, prefetch_factor=2) if args.workers > 0 else {}
    dl = torch.utils.data.DataLoader(ds, batch_size=args.batch, num_workers=args.workers,
                                     collate_fn=dataset.collate, **dl_kw)
    budget = args.minutes * 60
    model.train()
    t_last = time.time()
    t_ckpt = time.time()
    run_loss, run_n = {}, 0
    t_log = time.time()
    for images, targets in dl:
        if elapsed >= budget:
            break
        images = [im.to(device) for im in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        lr = lr_at(elapsed / budget, it, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        losses = model(images, targets)
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
        it += 1
        seen += len(images)
        if averaged is not None and elapsed >= (1 - args.average_tail) * budget and it % args.average_every == 0:
            averaged.update_parameters(model)
        now = time.time()
        elapsed += now - t_last
        t_last = now
        for k, v in losses.items():
            run_loss[k] = run_loss.get(k, 0.0) + float(v)
        run_n += 1
        if it % 20 == 0:
            dt = (now - t_log) / run_n
            print("it %d seen %d min %.1f lr %.2e s/it %.2f loss %.3f %s" % (
                it, seen, elapsed / 60, lr, dt, sum(run_loss.values()) / run_n,
                " ".join("%s %.3f" % (k.replace("loss_", ""), v / run_n) for k, v in run_loss.items())),
                flush=True)
            run_loss, run_n, t_log = {}, 0, time.time()
        if now - t_ckpt > args.ckpt_minutes * 60:
            save(ckpt_path)
            t_ckpt = time.time()
            t_last = time.time()  # do not count checkpoint time
    save(ckpt_path)
    save(os.path.join(args.out, "final.pt"))
    print("done: iter %d, %d images, %.1f min" % (it, seen, elapsed / 60), flush=True)

    def write_metrics(net, name, **extra):
        res = evaluate(net, device, args.eval_n, workers=args.workers)
        with open(os.path.join(args.out, name), "w") as fh:
            json.dump(dict(res, iters=it, images=seen, train_minutes=elapsed / 60, **extra), fh, indent=1)

    write_metrics(model, "metrics.json")
    if averaged is not None and int(averaged.n_averaged) > 0:
        points = int(averaged.n_averaged)
        save(os.path.join(args.out, "averaged.pt"), averaged.module.state_dict())
        print("averaged %d points of the last %.0f %% of the schedule" % (points, 100 * args.average_tail), flush=True)
        write_metrics(averaged.module, "metrics-averaged.json", averaged_points=points)


if __name__ == "__main__":
    main()
