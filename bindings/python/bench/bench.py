"""Throughput of mods.validate / validate_many beside what a Python team would use instead.

Every row runs on the same records (the example records of examples/records, as UTF-8
bytes: what arrives from a file or a queue) in one run, and reports records per second and
the ratio to ``mods.validate``. The schema-based rows use the generated JSON Schema at
schemas/<version>/record.schema.json; they check less than ``mods.validate`` (the schema
cannot express the NHS number check digit, date order, references...), so they are a
floor for "validate with a schema", not an equivalent.

Usage: python bench/bench.py [--seconds S] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import sys
import time
from typing import Any, Callable, List, Optional, Tuple

import mods

ROOT = pathlib.Path(__file__).resolve().parents[3]


def load_records() -> Tuple[List[bytes], str]:
    recs = [p.read_bytes() for p in sorted((ROOT / "examples" / "records").glob("*.json"))]
    versions = {json.loads(r)["mods_version"] for r in recs}
    if len(versions) != 1:
        sys.exit(f"the example records mix MODS versions {versions}")
    return recs, versions.pop()


def rate(fn: Callable[[List[bytes]], Any], batch: List[bytes], seconds: float) -> float:
    """Records per second: repeat fn over the batch for about `seconds`, best of 3 rounds."""
    fn(batch[:2])  # warm up (compile schemas, start threads...)
    best = 0.0
    for _ in range(3):
        n = 0
        t0 = time.perf_counter()
        while True:
            fn(batch)
            n += len(batch)
            dt = time.perf_counter() - t0
            if dt >= seconds / 3:
                break
        best = max(best, n / dt)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0, help="time per row")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()

    recs, version = load_records()
    batch = recs * 40  # 200 records per call
    dicts = [json.loads(r) for r in recs] * 40
    schema_path = ROOT / "schemas" / version / "record.schema.json"
    schema: Optional[dict] = json.loads(schema_path.read_text()) if schema_path.exists() else None
    skipped: List[str] = []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    # every record is valid: check it, so that no row measures a failure path
    assert all(r.valid for r in mods.validate_many(recs)), "the example records must be valid"

    rows: List[Tuple[str, Callable[[List[bytes]], Any], Optional[List[Any]]]] = []
    rows.append(("json.loads (parse only, floor)", lambda b: [json.loads(x) for x in b], None))
    try:
        import orjson

        rows.append(("orjson.loads (parse only, floor)", lambda b: [orjson.loads(x) for x in b], None))
    except ImportError:
        orjson = None  # type: ignore[assignment]
        skipped.append("orjson rows: orjson is not installed")
    rows.append(("mods.validate(bytes)", lambda b: [mods.validate(x) for x in b], None))
    rows.append(("mods.validate(dict) (already parsed)", lambda b: [mods.validate(x) for x in b], dicts))
    rows.append(("mods.validate_many(bytes, workers=1)", lambda b: mods.validate_many(b, workers=1), None))
    rows.append((f"mods.validate_many(bytes, workers={cores})", lambda b: mods.validate_many(b), None))
    rows.append((f"mods.validate_many(dict, workers={cores})", lambda b: mods.validate_many(b), dicts))

    if schema is None:
        skipped.append(f"schema rows: {schema_path.relative_to(ROOT)} does not exist")
    else:
        if orjson is not None:
            try:
                import jsonschema_rs

                v = jsonschema_rs.validator_for(schema)
                assert all(v.is_valid(orjson.loads(r)) for r in recs), "schema rejects an example"
                rows.append(("orjson.loads + jsonschema_rs is_valid", lambda b: [v.is_valid(orjson.loads(x)) for x in b], None))
                rows.append(("orjson.loads + jsonschema_rs iter_errors (all errors)", lambda b: [list(v.iter_errors(orjson.loads(x))) for x in b], None))
            except ImportError:
                skipped.append("jsonschema_rs rows: jsonschema-rs is not installed")
            try:
                import fastjsonschema

                try:
                    fv = fastjsonschema.compile(schema)
                    rows.append(("orjson.loads + fastjsonschema", lambda b: [fv(orjson.loads(x)) for x in b], None))
                except Exception as e:  # noqa: BLE001 - report why the row is missing
                    skipped.append(f"fastjsonschema: cannot compile the schema ({type(e).__name__}: {str(e)[:120]})")
            except ImportError:
                skipped.append("fastjsonschema row: fastjsonschema is not installed")
        try:
            import jsonschema

            jv = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            rows.append(("json.loads + jsonschema (Draft 2020-12, formats)", lambda b: [list(jv.iter_errors(json.loads(x))) for x in b], None))
        except ImportError:
            skipped.append("jsonschema row: jsonschema is not installed")
    skipped.append("pydantic v2: no pydantic model of MODS exists to compare with (not written)")

    results = []
    base = None
    for name, fn, data in rows:
        data = data if data is not None else batch
        seconds = args.seconds if "jsonschema (" not in name and "fastjsonschema" not in name else args.seconds / 2
        r = rate(fn, data, seconds)
        if name == "mods.validate(bytes)":
            base = r
        results.append((name, r))
        print(f"  {name}: {r:,.0f} records/s", file=sys.stderr)

    size = sum(len(r) for r in recs) / len(recs)
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"{platform.system()}; records: {len(recs)} example records of MODS {version}, "
          f"mean {size / 1024:.1f} KiB; schema: {schema_path.relative_to(ROOT) if schema else 'none'}")
    if args.markdown:
        print()
        print("| implementation | records/s | × mods.validate(bytes) |")
        print("|---|---:|---:|")
        for name, r in results:
            print(f"| {name} | {r:,.0f} | {r / base:.2f} |")
    else:
        for name, r in results:
            print(f"{name:60s} {r:>12,.0f} rec/s  {r / base:6.2f}x")
    for s in skipped:
        print(f"skipped: {s}")


if __name__ == "__main__":
    main()
