#!/usr/bin/env python3
"""The baseline a user would write: Python `re`, line by line, extracting the fields `diagnose series`
prints (loss, grad_norm, learning_rate, epoch of each HF training dict) as CSV on stdout.

Usage: re-extract.py LOG
"""
import re
import sys

FIELD = re.compile(rb"'(loss|grad_norm|learning_rate|epoch)': ([^,}]+)")


def main():
    out = sys.stdout.buffer
    write = out.write
    with open(sys.argv[1], "rb") as log:
        for line in log:
            if b"{'loss'" not in line:
                continue
            start = line.rfind(b"{'loss'")
            fields = dict(FIELD.findall(line, start))
            write(b"%r,%r,%r,%r\n" % tuple(
                float(fields[k]) if k in fields else None for k in (b"loss", b"grad_norm", b"learning_rate", b"epoch")))


if __name__ == "__main__":
    main()
