"""How validate_many scales with workers, on short and long lists of the example records.

For each list length, times ``mods.validate_many(records, workers=1)`` and
``workers=W`` alternately, many times, and prints the median time of each, the median of
the per-round speed-ups (each round times both, back to back, so a burst of load on a
shared machine touches both sides of a ratio), and the ratio of the best times (the least
disturbed by other work). The records are the example records of
examples/records as UTF-8 bytes, repeated to the length.

Usage: python bench/workers.py [--workers W] [--rounds N] [--lengths 2,5,10,20,200] [--ms 100]
                               [--markdown]
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
    ap.add_argument("--ms", type=float, default=100.0, help="time of each measurement")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    examples = [p.read_bytes() for p in sorted((ROOT / "examples" / "records").glob("*.json"))]
    assert all(r.valid for r in mods.validate_many(examples)), "the example records must be valid"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = []
    for n in [int(x) for x in args.lengths.split(",")]:
        records = (examples * (n // len(examples) + 1))[:n]
        # each measurement repeats the call for about --ms, so that timer and scheduling
        # noise stay small
        timed(records, args.workers, 3)
        repeat = max(1, round(args.ms / 1000 / timed(records, 1, 3)))
        one, many, ratios = [], [], []
        for _ in range(args.rounds):
            a = timed(records, 1, repeat)
            b = timed(records, args.workers, repeat)
            one.append(a)
            many.append(b)
            ratios.append(a / b)
        rows.append((n, statistics.median(one), statistics.median(many), statistics.median(ratios),
                     min(one) / min(many)))

    w = args.workers
    print(f"# {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"mods {mods.__version__}; median of {args.rounds} rounds")
    if args.markdown:
        print(f"| records in the list | workers=1 (ms) | workers={w} (ms) | speed-up (median) | speed-up (best times) |")
        print("|---:|---:|---:|---:|---:|")
        for n, a, b, r, best in rows:
            print(f"| {n} | {a * 1000:.2f} | {b * 1000:.2f} | {r:.2f}x | {best:.2f}x |")
    else:
        for n, a, b, r, best in rows:
            print(f"{n:5d} records: workers=1 {a * 1000:8.2f} ms, workers={w} {b * 1000:8.2f} ms, "
                  f"speed-up {r:.2f}x (best times {best:.2f}x)")


if __name__ == "__main__":
    main()
