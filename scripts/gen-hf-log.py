#!/usr/bin/env python3
"""Generates a large HF Trainer console log for benchmarks (deterministic for a given size).

Usage: gen-hf-log.py [--mixed] SIZE_MB OUTPUT

What it imitates (performance.md): `train.py 2>&1 | tee log` for HF Trainer with logging_steps=1:
tqdm fragments redrawn with a bare \\r and no \\n, the clear (\\r + spaces + \\r) before each dict,
dicts in Python repr with 17-digit floats (about 2.4 % of records with nan/inf), an eval dict every
500 steps, NCCL INFO lines and Python warnings as noise, a final train_loss summary. About one
training record per 1 KB and 5.75 lines. The data is generated, never committed.

With --mixed (issue 9's mixed log): DeepSpeed's `[Rank 0] step=…` and throughput-timer lines every 10
steps and fp16 OVERFLOW lines in the HF part (the first three quarters), then a Megatron-DeepSpeed
section of ` iteration N/M | …` lines with NCCL and warning noise (log-formats.md §2.2-2.4, §3).
"""
import math
import random
import sys


def deepspeed_lines(step, lr, rng, state):
    """DeepSpeed's lines around an HF step (log-formats.md §2.2-2.4)."""
    parts = []
    stamp = f"[2024-03-01 10:00:00,{step % 1000:03d}] [INFO]"
    if rng.random() < 0.005:
        state["skipped"] += 1
        parts.append(f"{stamp} [loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. "
                     f"Attempted loss scale: {state['scale']}, reducing to {state['scale'] // 2}\n")
        state["scale"] = max(1, state["scale"] // 2)
    if step % 10 == 0:
        parts.append(f"{stamp} [logging.py:96:log_dist] [Rank 0] step={step}, skipped={state['skipped']}, "
                     f"lr=[{lr!r}, {lr!r}], mom=[(0.9, 0.999), (0.9, 0.999)]\n")
        parts.append(f"{stamp} [timer.py:260:stop] epoch=0/micro_step={step * 4}/global_step={step}, "
                     f"RunningAvgSamplesPerSec={25 + rng.random()!r}, CurrSamplesPerSec={25 + rng.random()!r}, "
                     "MemAllocated=4.32GB, MaxMemAllocated=38.49GB\n")
    return "".join(parts)


def megatron_record(iteration, total, rng):
    """One Megatron-DeepSpeed iteration line with a little noise (log-formats.md §3)."""
    lr = 3e-4 * min(1.0, iteration / 2000)
    loss = 2.2 + 3 * math.exp(-iteration / 5000) + rng.random() * 0.1
    grad = "nan" if rng.random() < 0.01 else "%.3f" % (rng.random() * 2 + 0.2)
    parts = []
    if iteration % 3 == 0:
        parts.append(f"node1:{iteration % 64}:{iteration % 64} [1] NCCL INFO comm 0x{iteration:08x} rank 1 nranks 16 - Init COMPLETE\n")
    if iteration % 7 == 0:
        parts.append("/opt/megatron/training.py:612: UserWarning: torch.distributed.reduce_op is deprecated\n")
    parts.append(
        f" iteration {iteration:8d}/{total:8d} | consumed samples: {iteration * 8:12d} | consumed tokens: "
        f"{iteration * 8 * 2048:12d} | elapsed time per iteration (ms): {4000 + rng.random() * 500:.1f} | "
        f"learning rate: {lr:.3E} | global batch size:     8 | lm loss: {loss:.6E} | loss scale: 1.0 | "
        f"grad norm: {grad} | actual seqlen:  2048 | number of skipped iterations:   0 | "
        f"number of nan iterations:   0 | samples per second: 1.883 | TFLOPs: 78.36 |\n")
    parts.append(f"[2024-03-01 11:00:00,{iteration % 1000:03d}] [INFO] [logging.py:96:log_dist] [Rank 0] "
                 f"step={iteration}, skipped=0, lr=[{lr!r}], mom=[(0.9, 0.95)]\n")
    return "".join(parts)


def main():
    args = sys.argv[1:]
    mixed = "--mixed" in args
    args = [a for a in args if a != "--mixed"]
    size = int(float(args[0]) * 1024 * 1024)
    out_path = args[1]
    hf_size = size * 3 // 4 if mixed else size
    deepspeed = {"skipped": 0, "scale": 65536}
    rng = random.Random(7)
    total = 10_000_000
    written = 0
    step = 0
    chunks = []
    pending = 0
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        while written < hf_size:
            step += 1
            pct = step * 100 // total
            parts = []
            parts.append(f"\r{pct:3d}%|▏         | {step}/{total} [1:02:03<9:59:59,  3.21it/s]")
            parts.append(f"\r{pct:3d}%|▏         | {step}/{total} [1:02:04<9:59:58,  3.20it/s]")
            # About 4.75 noise lines per record, as in performance.md's reference log.
            parts.append(f"\nnode0:{step % 64}:{step % 64} [0] NCCL INFO Channel 00/02 :    0   1   2   3   4   5   6   7 via P2P/IPC/read comm 0x{step:08x}\n")
            parts.append(f"[2024-03-01 10:00:00,{step % 1000:03d}] [INFO] [real_accelerator.py:161:get_accelerator] Setting ds_accelerator to cuda (auto detect) for step {step}\n")
            parts.append(f"03/01/2024 10:00:00 - INFO - __main__ - tokens seen so far {step * 4096}, samples {step * 8}, memory allocated 38.49GB reserved 40.12GB\n")
            if step % 4 != 0:
                parts.append("/usr/lib/python3/site-packages/torch/utils/checkpoint.py:91: UserWarning: None of the inputs have requires_grad=True. Gradients will be None (loss function warning)\n")
            parts.append(f"[INFO|trainer.py:2231] 2024-03-01 10:00:00,000 >> step {step} data shard {step % 97} of 97 read in 0.{step % 1000:03d}s\n")
            loss = 2.5 * math.exp(-step / 200000) + rng.random() * 0.2
            grad = rng.random() * 3 + 0.1
            lr = 2e-4 * min(1.0, step / 2000) * (0.5 + 0.5 * math.cos(math.pi * step / total))
            roll = rng.random()
            loss_text = repr(round(loss, 4))
            grad_text = repr(grad)
            if roll < 0.012:
                grad_text = "nan"
                loss_text = "0.0"
            elif roll < 0.024:
                grad_text = "inf"
            if mixed:
                parts.append(deepspeed_lines(step, lr, rng, deepspeed))
            parts.append("\r" + " " * 80 + "\r")
            parts.append(
                "{'loss': %s, 'grad_norm': %s, 'learning_rate': %r, 'epoch': %s}\n"
                % (loss_text, grad_text, lr, round(step / 40000, 2))
            )
            if step % 500 == 0:
                parts.append("\r" + " " * 80 + "\r")
                parts.append(
                    "{'eval_loss': %r, 'eval_runtime': 12.3456, 'eval_samples_per_second': 81.0, 'eval_steps_per_second': 10.125, 'epoch': %s}\n"
                    % (loss + 0.05 * rng.random(), round(step / 40000, 2))
                )
                parts.append("[INFO|trainer.py:3512] 2024-03-01 10:00:00,000 >> Saving model checkpoint to output/checkpoint-%d\n" % step)
            text = "".join(parts)
            chunks.append(text)
            pending += len(text)
            if pending > 1 << 20:
                data = "".join(chunks)
                out.write(data)
                written += len(data.encode("utf-8"))
                chunks.clear()
                pending = 0
        out.write("".join(chunks))
        written += len("".join(chunks).encode("utf-8"))
        iteration = 0
        while mixed and written < size:
            block = []
            for _ in range(2000):
                iteration += 1
                block.append(megatron_record(iteration, 250000, rng))
            data = "".join(block)
            out.write(data)
            written += len(data.encode("utf-8"))
        out.write("\r" + " " * 80 + "\r{'train_runtime': 9999.5, 'train_samples_per_second': 1.0, 'train_steps_per_second': 1.0, 'train_loss': 1.2345, 'epoch': 1.0}\n")


if __name__ == "__main__":
    main()
