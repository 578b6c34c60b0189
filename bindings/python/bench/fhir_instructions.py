"""Instructions per call (callgrind) of mods.to_fhir (to a dict, and to JSON bytes with
``as_json=True``), mods.from_fhir and fhir.resources parsing the same Bundle (the JSON bytes
``to_fhir`` writes): the counts the machine's load does not move.

Each figure is one Python process per (record, operation) run twice under
``valgrind --tool=callgrind``: once with one warm-up call and once with the warm-up and N
more calls; the difference divided by N is the steady cost of one call (one-time costs such
as building the mapping tables or pydantic's validators are in both runs and cancel). Each
process runs with ``PYTHONHASHSEED=0``: with a random seed, the hashes of ``str`` keys, and
so the probing of every dict, change from process to process and move a count by 1 to 2 %.

Usage: python bench/fhir_instructions.py [--calls N] [--markdown]
Needs: valgrind, the mods package and ``pip install fhir.resources``.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[3]

CHILD = r"""
import json, sys
import mods
from fhir.resources.R4B.bundle import Bundle
record = open(sys.argv[1], "rb").read()
op, n = sys.argv[2], int(sys.argv[3])
bundle = mods.to_fhir(record, as_json=True)
fn = {
    "to_fhir": lambda: mods.to_fhir(record),
    "to_fhir_json": lambda: mods.to_fhir(record, as_json=True),
    "from_fhir": lambda: mods.from_fhir(bundle),
    "fhir.resources": lambda: Bundle.model_validate_json(bundle),
}[op]
fn()
for _ in range(n):
    fn()
"""


def count(script: str, record: pathlib.Path, op: str, n: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, script, str(record), op, str(n)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stderr
    m = re.search(r"Collected : (\d+)", out)
    if not m:
        sys.exit(f"no instruction count from callgrind:\n{out[-2000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    ops = ["to_fhir", "to_fhir_json", "from_fhir", "fhir.resources"]
    with tempfile.TemporaryDirectory() as d:
        script = str(pathlib.Path(d) / "child.py")
        pathlib.Path(script).write_text(CHILD)
        rows = []
        for record in sorted((ROOT / "examples" / "records").glob("*.json")):
            per = {}
            for op in ops:
                base = count(script, record, op, 0)
                more = count(script, record, op, args.calls)
                per[op] = (more - base) / args.calls
            rows.append((record.stem, per))
            if not args.markdown:
                print(record.stem, {k: round(v / 1e6, 2) for k, v in per.items()}, flush=True)
    if args.markdown:
        print("| record | `to_fhir` dict (M) | `to_fhir` JSON (M) | `from_fhir` (M) | fhir.resources parse (M) "
              "| dict ÷ parse | JSON ÷ parse | from_fhir ÷ parse |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, per in rows:
            t, j, f, p = per["to_fhir"], per["to_fhir_json"], per["from_fhir"], per["fhir.resources"]
            print(f"| {name} | {t / 1e6:.2f} | {j / 1e6:.2f} | {f / 1e6:.2f} | {p / 1e6:.1f} "
                  f"| {p / t:.1f} | {p / j:.1f} | {p / f:.1f} |")


if __name__ == "__main__":
    main()
