#!/usr/bin/env python3
"""Generates a large HF Trainer console log for benchmarks (deterministic for a given size).

Usage: gen-hf-log.py SIZE_MB OUTPUT

What it imitates (performance.md): `train.py 2>&1 | tee log` for HF Trainer with logging_steps=1:
tqdm fragments redrawn with a bare \\r and no \\n, the clear (\\r + spaces + \\r) before each dict,
dicts in Python repr with 17-digit floats (about 2.4 % of records with nan/inf), an eval dict every
500 steps, NCCL INFO lines and Python warnings as noise, a final train_loss summary. About one
training record per 1 KB and 5.75 lines. The data is generated, never committed.
"""
import math
import random
import sys


def main():
    size = int(float(sys.argv[1]) * 1024 * 1024)
    out_path = sys.argv[2]
    rng = random.Random(7)
    total = 10_000_000
    written = 0
    step = 0
    chunks = []
    pending = 0
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        while written < size:
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
        out.write("\r" + " " * 80 + "\r{'train_runtime': 9999.5, 'train_samples_per_second': 1.0, 'train_steps_per_second': 1.0, 'train_loss': 1.2345, 'epoch': 1.0}\n")


if __name__ == "__main__":
    main()
