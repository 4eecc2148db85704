#!/bin/bash
# One detector stage on a lent GPU machine, inside one `device` call: the project's
# device time is 15 minutes a session, a machine's start included, and one command
# may run 10 minutes, so the stage trains MINUTES (6) and brings back only what fits
# the call's files (16 MiB each): the stage's weights, its averaged weights, their
# held-out figures and the log. The ONNX export and the product's evaluations run
# back on the CPU machine, with the same exporter every earlier stage used.
#
# Before the call, on the CPU machine (the GPU machine has none of the renderer's fonts):
#   /usr/bin/python3 model/training/render.py --copy-fonts .device/fonts
# The call (device tool, carry [".device"], timeout_s 560):
#   bash model/training/gpu_stage.sh
# Settings (environment): INIT (model/checkpoints/cpu13-final.pt), FIRST_SEED (1400000),
# MINUTES (6), BATCH (32), LR (6e-4), EVAL_N (300), DEVICE (cuda), PYTHON (python3); OUT, where the
# device tool collects files.
set -euo pipefail
export PYTHONUNBUFFERED=1
init=${INIT:-model/checkpoints/cpu13-final.pt}
first_seed=${FIRST_SEED:-1400000}
minutes=${MINUTES:-6}
out=${OUT:?OUT: the folder whose files come back}
run=${RUN_DIR:-/tmp/gpu-stage}
fonts=$(pwd)/.device/fonts
[ -d "$fonts" ] || { echo "no $fonts: copy the renderer's fonts first (render.py --copy-fonts .device/fonts)" >&2; exit 2; }
export QUIDDLER_FONT_DIR=$fonts
# Every core but one renders photos: on a GPU machine rendering, not the model, sets the pace.
workers=$(($(nproc) - 1))
mkdir -p "$run" "$out"
{ nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || true; } | tee "$out/machine.txt"
${PYTHON:-python3} -c 'import torch, torchvision; print("torch", torch.__version__, "torchvision", torchvision.__version__)' | tee -a "$out/machine.txt"
${PYTHON:-python3} model/training/train.py --device "${DEVICE:-cuda}" --batch "${BATCH:-32}" --workers "$workers" \
  --minutes "$minutes" --lr "${LR:-6e-4}" --warmup 50 --eval-n "${EVAL_N:-300}" --init "$init" --first-seed "$first_seed" \
  --average-tail 0.3 --average-every 5 --out "$run" 2>&1 | tee "$out/train.log"
cp "$run/final.pt" "$run/metrics.json" "$out/"
if [ -f "$run/averaged.pt" ]; then cp "$run/averaged.pt" "$run/metrics-averaged.json" "$out/"; fi
ls -la "$out"
