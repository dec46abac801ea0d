#!/usr/bin/env python3
"""Writes a large generated log to standard output, for streaming through a pipe.

Usage: pipe-bound.py records SIZE_GB     HF console log (tqdm, dicts, NCCL noise), SIZE_GB GiB
       pipe-bound.py noise LINES         LINES lines that hold no training record

A block of varied text (4,000 records) is built once and written repeatedly (each repeat restarts
the epoch, which `series` numbers as a new run), so
the generator runs at pipe speed and nothing touches the disk.
"""
import sys


def records(size):
    lines = []
    for step in range(1, 4001):
        lines.append(f"\r {step // 40}%|###       | {step}/400000 [01:02<1:02:03,  1.23it/s]")
        lines.append(f"\r{' ' * 40}\r{{'loss': {2.5 - step * 1e-4:.17g}, 'grad_norm': {0.5 + (step % 7) * 0.01:.17g}, "
                     f"'learning_rate': {2e-5 * min(1, step / 2000):.17g}, 'epoch': {step / 4000:.4f}}}\n")
        if step % 3 == 0:
            lines.append(f"node-01:1234:5678 [0] NCCL INFO Channel {step % 32:02d}/0 : 0[0] -> 1[1] via P2P/IPC\n")
    block = "".join(lines).encode()
    out = sys.stdout.buffer
    written = 0
    while written < size:
        out.write(block)
        written += len(block)


def noise(count):
    block = b"".join(b"worker %07d: heartbeat ok, queue depth 3\n" % i for i in range(100_000))
    out = sys.stdout.buffer
    for _ in range(count // 100_000):
        out.write(block)


if __name__ == "__main__":
    kind, amount = sys.argv[1], float(sys.argv[2])
    try:
        records(int(amount * (1 << 30))) if kind == "records" else noise(int(amount))
    except BrokenPipeError:
        pass
