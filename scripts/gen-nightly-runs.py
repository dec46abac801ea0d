#!/usr/bin/env python3
"""Writes a folder of training runs for `diagnose nightly` (deterministic: same bytes every time).

    scripts/gen-nightly-runs.py OUT [COUNT=200] [STEPS=3000]

Kinds, in turn: healthy, spiky (a loss spike that recovers), diverged (loss climbs away), NaN (loss
turns nan), DeepSpeed fp16 (HF dicts with `[deepspeed] OVERFLOW!` lines, log-formats.md §2.4: the
start-up halving run, one every 400 steps, and in every other such run a storm at 60 %), Megatron
(fp16 iteration lines with a moving loss scale, §3; every other one diverges). Every tenth healthy run is an HF output_dir with checkpoint-N/
folders (trainer_state.json and a binary model.safetensors) instead of a console log. Nothing is
copied from a real log; the shapes follow log-formats.md.
"""
import json
import math
import random
import sys
from pathlib import Path

KINDS = ["healthy", "healthy", "spiky", "diverged", "nan", "healthy", "deepspeed-fp16", "megatron", "healthy", "spiky"]


def losses(kind, steps, rng):
    out = []
    for step in range(1, steps + 1):
        level = 2.2 + 3.0 * math.exp(-step / (steps / 8))
        if kind == "diverged" and step > steps * 0.6:
            level *= 1.004 ** (step - steps * 0.6)
        value = level * (1 + rng.gauss(0, 0.02))
        if kind == "spiky" and step == int(steps * 0.45):
            value *= 3.5
        if kind == "nan" and step > steps * 0.7:
            value = float("nan")
        out.append(value)
    return out


def hf_line(step, loss, grad, lr, epoch):
    text = "nan" if math.isnan(loss) else "%.4f" % loss
    return "{'loss': %s, 'grad_norm': %s, 'learning_rate': %r, 'epoch': %s}\n" % (text, "nan" if math.isnan(loss) else repr(round(grad, 5)), lr, epoch)


def lr_at(step, steps, peak=3e-4, warmup=100):
    return peak * step / warmup if step <= warmup else peak * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (steps - warmup)))


def write_hf(path, kind, steps, rng, deepspeed=False, storm_at=False):
    values = losses(kind, steps, rng)
    with open(path, "w") as out:
        out.write("[INFO|trainer.py:1969] 2024-05-01 00:00:01,000 >> ***** Running training *****\n")
        out.write("[INFO|trainer.py:1972] 2024-05-01 00:00:01,000 >>   Instantaneous batch size per device = 4\n")
        out.write("[INFO|trainer.py:1975] 2024-05-01 00:00:01,000 >>   Total train batch size (w. parallel, distributed & accumulation) = 64\n")
        out.write("[INFO|trainer.py:1976] 2024-05-01 00:00:01,000 >>   Gradient Accumulation steps = 4\n")
        out.write("[INFO|trainer.py:1977] 2024-05-01 00:00:01,000 >>   Total optimization steps = %d\n" % steps)
        scale = 2 ** 16
        storm = range(int(steps * 0.6), int(steps * 0.6) + 24, 2) if deepspeed and storm_at else ()
        for step, loss in enumerate(values, 1):
            if deepspeed and (step <= 3 or step % 400 == 0 or step in storm):
                out.write("[2024-05-01 00:%02d:00,000] [INFO] [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: %d, reducing to %d\n" % (step % 60, scale, scale // 2))
                scale //= 2
            grad = abs(0.8 + rng.gauss(0, 0.08)) * (4 if kind == "spiky" and step == int(steps * 0.45) - 1 else 1)
            out.write(hf_line(step, loss, grad, lr_at(step, steps), round(step / (steps * 1.1), 4)))


def write_megatron(path, kind, steps, rng):
    """fp16 Megatron: the loss scale halves on each overflow (a skipped iteration) and doubles back
    every 500 clean iterations."""
    values = losses(kind, steps, rng)
    scale, clean = 65536.0, 0
    with open(path, "w") as out:
        for step, loss in enumerate(values, 1):
            skipped = 1 if step in (2, 3) or (step % 350 == 0) else 0
            if skipped:
                scale, clean = scale / 2, 0
            else:
                clean += 1
                if clean == 500:
                    scale, clean = scale * 2, 0
            out.write(" iteration %8d/%8d | consumed samples: %12d | elapsed time per iteration (ms): %.1f | learning rate: %.3E |"
                      " global batch size: %5d | lm loss: %.6E | loss scale: %.1f | grad norm: %.3f | number of skipped iterations: %3d |"
                      " number of nan iterations: %3d |\n" % (step, steps, step * 256, 950.0 + rng.random() * 20, lr_at(step, steps), 256, loss, scale, abs(0.9 + rng.gauss(0, 0.1)), skipped, 0))


def write_checkpoints(folder, steps, rng):
    values = losses("healthy", steps, rng)
    history = []
    for step, loss in enumerate(values, 1):
        history.append({"epoch": round(step / steps, 4), "grad_norm": round(abs(0.8 + rng.gauss(0, 0.08)), 5), "learning_rate": lr_at(step, steps), "loss": round(loss, 4), "step": step})
    for checkpoint in (steps // 2, steps):
        directory = folder / ("checkpoint-%d" % checkpoint)
        directory.mkdir(parents=True, exist_ok=True)
        state = {"best_metric": None, "epoch": history[checkpoint - 1]["epoch"], "global_step": checkpoint, "log_history": history[:checkpoint], "logging_steps": 1, "max_steps": steps, "train_batch_size": 4}
        (directory / "trainer_state.json").write_text(json.dumps(state, indent=2))
        (directory / "model.safetensors").write_bytes(bytes(range(256)) * 64)


def main():
    root = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    root.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        rng = random.Random(index)
        folder = root / ("run-%03d-%s" % (index, kind))
        folder.mkdir(exist_ok=True)
        if kind == "healthy" and index % 10 == 0:
            write_checkpoints(folder / "output", steps, rng)
        elif kind == "megatron":
            # Every other Megatron run diverges.
            write_megatron(folder / "train.log", "diverged" if index % 20 == 17 else "healthy", steps, rng)
        else:
            # Every other DeepSpeed fp16 run has an overflow storm at 60 % of its steps.
            write_hf(folder / "train.log", kind if kind != "deepspeed-fp16" else "healthy", steps, rng,
                     deepspeed=kind == "deepspeed-fp16", storm_at=index % 20 == 16)


if __name__ == "__main__":
    main()
