#!/usr/bin/env python3
"""Checks or writes the table in Sources/diagnose/Rendering/Numbers/ShortestDecimal+Powers.swift.

For each decimal scale k from -324 to 292: g = floor(10^-k * 2^(125 - floor(log2 10^-k))) + 1, a
126-bit integer just above 10^-k scaled into [2^125, 2^126), as two 64-bit halves (high first).
Exact integer arithmetic (Python's big integers and fractions); run with --check to compare the
Swift file's table with a fresh one, without it to print the table's body.
"""
import re
import sys
from fractions import Fraction

PATH = "Sources/diagnose/Rendering/Numbers/ShortestDecimal+Powers.swift"


def floor_log2(value):
    """floor(log2 value) for a positive Fraction, exactly."""
    estimate = value.numerator.bit_length() - value.denominator.bit_length()
    while Fraction(2) ** estimate > value:
        estimate -= 1
    while Fraction(2) ** (estimate + 1) <= value:
        estimate += 1
    return estimate


def entries():
    values = []
    for k in range(-324, 293):
        power = Fraction(10) ** (-k)
        shift = 125 - floor_log2(power)
        scaled = power * Fraction(2) ** shift
        g = scaled.numerator // scaled.denominator + 1
        assert 2**125 <= g < 2**126
        values += [g >> 64, g & (2**64 - 1)]
    return values


def main():
    fresh = entries()
    if "--check" in sys.argv:
        text = open(PATH).read()
        table = text[text.index("static let powers"):]
        stored = [int(word, 16) for word in re.findall(r"0x([0-9A-F]{16})", table)]
        if stored != fresh:
            print(f"{PATH}: table differs from a fresh one", file=sys.stderr)
            return 1
        print(f"{PATH}: {len(stored) // 2} entries match")
        return 0
    for index in range(0, len(fresh), 4):
        print("    " + ", ".join(f"0x{word:016X}" for word in fresh[index:index + 4]) + ",")
    return 0


if __name__ == "__main__":
    sys.exit(main())
