"""How validate_many scales with workers, on short and long lists of the example records.

For each list length, times ``mods.validate_many(records, workers=1)`` and
``workers=W`` alternately, many times, and prints the median time of each and the median of
the per-round speed-ups (each round times both, back to back, so a burst of load on a
shared machine touches both sides of a ratio). The records are the example records of
examples/records as UTF-8 bytes, repeated to the length.

Usage: python bench/workers.py [--workers W] [--rounds N] [--lengths 5,10,20,200] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import platform
import statistics
import time
from typing import List

import mods

ROOT = pathlib.Path(__file__).resolve().parents[3]


def timed(records: List[bytes], workers: int, repeat: int) -> float:
    t = time.perf_counter()
    for _ in range(repeat):
        mods.validate_many(records, workers=workers)
    return (time.perf_counter() - t) / repeat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--lengths", default="2,5,10,20,200")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    examples = [p.read_bytes() for p in sorted((ROOT / "examples" / "records").glob("*.json"))]
    assert all(r.valid for r in mods.validate_many(examples)), "the example records must be valid"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = []
    for n in [int(x) for x in args.lengths.split(",")]:
        records = (examples * (n // len(examples) + 1))[:n]
        # about 20 ms a measurement, so that timer and scheduling noise stay small
        repeat = max(1, round(0.02 / timed(records, 1, 1)))
        one, many, ratios = [], [], []
        for _ in range(args.rounds):
            a = timed(records, 1, repeat)
            b = timed(records, args.workers, repeat)
            one.append(a)
            many.append(b)
            ratios.append(a / b)
        rows.append((n, statistics.median(one), statistics.median(many), statistics.median(ratios),
                     min(ratios), max(ratios)))

    w = args.workers
    print(f"# {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"mods {mods.__version__}; median of {args.rounds} rounds")
    if args.markdown:
        print(f"| records in the list | workers=1 (ms) | workers={w} (ms) | speed-up (median) | speed-up (min–max) |")
        print("|---:|---:|---:|---:|---:|")
        for n, a, b, r, lo, hi in rows:
            print(f"| {n} | {a * 1000:.2f} | {b * 1000:.2f} | {r:.2f}x | {lo:.2f}–{hi:.2f}x |")
    else:
        for n, a, b, r, lo, hi in rows:
            print(f"{n:5d} records: workers=1 {a * 1000:8.2f} ms, workers={w} {b * 1000:8.2f} ms, "
                  f"speed-up {r:.2f}x (min {lo:.2f}, max {hi:.2f})")


if __name__ == "__main__":
    main()
