"""Validate a folder of MODS records (or an NDJSON file) and tabulate the issues by code.

Notebook-style: run it as a script, or paste the cells (``# %%``) into Jupyter.

    python examples/validate_folder.py examples/records
    python examples/validate_folder.py records.ndjson --strict

The table uses pandas or polars when one is installed, and plain text otherwise. It shows
codes, severities and paths only: never the people's data.
"""

# %% imports and arguments
from __future__ import annotations

import argparse
import collections
import pathlib
import sys
from typing import Dict, List, Tuple

import mods

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("source", nargs="?", default="examples/records", help="a folder of *.json, or an .ndjson file")
ap.add_argument("--strict", action="store_true", help="unknown elements are errors")
args = ap.parse_args()
source = pathlib.Path(args.source)

# %% load: one record per file, or one per NDJSON line (kept as bytes: mods reads them)
names: List[str] = []
records: List[bytes] = []
if source.is_dir():
    for p in sorted(source.glob("*.json")):
        names.append(p.name)
        records.append(p.read_bytes())
else:
    with open(source, "rb") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                names.append(f"{source.name}:{n}")
                records.append(line)
if not records:
    sys.exit(f"no records in {source}")

# %% validate, in parallel (a record that is not JSON gets a report with its input-* issue)
reports = mods.validate_many(records, strict=args.strict)
valid = sum(r.valid for r in reports)
print(f"{len(reports)} records, {valid} valid, {len(reports) - valid} invalid\n")

# %% one row per issue
rows: List[Dict[str, str]] = [
    {"record": name, "code": i.code, "severity": i.severity, "pointer": i.pointer}
    for name, r in zip(names, reports)
    for i in r.issues
]

# %% tabulate by code
counts: Dict[Tuple[str, str], int] = collections.Counter((r["code"], r["severity"]) for r in rows)
try:
    import pandas as pd

    df = pd.DataFrame(rows, columns=["record", "code", "severity", "pointer"])
    table = df.groupby(["code", "severity"]).agg(issues=("record", "size"), records=("record", "nunique"))
    print(table.sort_values("issues", ascending=False).to_string() if len(df) else "no issues")
except ImportError:
    try:
        import polars as pl

        df = pl.DataFrame(rows, schema=["record", "code", "severity", "pointer"])
        print(
            df.group_by(["code", "severity"])
            .agg(pl.len().alias("issues"), pl.col("record").n_unique().alias("records"))
            .sort("issues", descending=True)
            if len(df)
            else "no issues"
        )
    except ImportError:
        if not counts:
            print("no issues")
        for (code, severity), n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"{n:6d}  {severity:11s} {code}")

# %% what each code means
for code, _ in sorted(counts):
    print(f"\n{code}: {mods.explain(code)['title']}")
