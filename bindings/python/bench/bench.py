"""Throughput of mods.validate / validate_many beside what a Python team would use instead.

Every row runs on the same records in one run and reports records per second and the ratio
to ``mods.validate(bytes)``. The records are UTF-8 bytes (what arrives from a file or a
queue): the example records of examples/records, and, with ``--inputs DIR``, also their
invalid copies with about ten violations each, as written by
``cargo run --release -p mods-bench -- inputs --write DIR`` (DIR/NAME.json and
DIR/NAME.invalid.json; the scaled copies there are not used).

The schema-based rows use the generated JSON Schema at schemas/<version>/record.schema.json;
they check less than ``mods.validate`` (the schema cannot express the NHS number check
digit, date order, references...), so they are a floor for "validate with a schema", not an
equivalent. The pydantic v2 row validates with models that datamodel-code-generator writes
from that schema at the start of the run, into a temporary directory (nothing generated is
kept). Rows whose package is not installed are skipped, and say so.

Then the targets of the parse-floor work: mods.validate(bytes) at least 2.5 times the rate of
orjson.loads + jsonschema_rs iter_errors and 2 times its is_valid, and validate_many with two
workers at least 1.8 times one worker.

Usage: python bench/bench.py [--seconds S] [--inputs DIR] [--markdown]
(bench/run.sh builds the wheel into a virtualenv with every package and runs this.)
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import mods

ROOT = pathlib.Path(__file__).resolve().parents[3]

Row = Tuple[str, Callable[[List[Any]], Any], str]  # name, fn over a batch, data kind


def load_records() -> Tuple[List[bytes], str]:
    recs = [p.read_bytes() for p in sorted((ROOT / "examples" / "records").glob("*.json"))]
    versions = {json.loads(r)["mods_version"] for r in recs}
    if len(versions) != 1:
        sys.exit(f"the example records mix MODS versions {versions}")
    return recs, versions.pop()


def load_inputs(directory: pathlib.Path) -> Tuple[List[bytes], List[bytes]]:
    """The valid records and the invalid copies written by `mods-bench inputs --write`."""
    valid, invalid = [], []
    for p in sorted(directory.glob("*.json")):
        stem = p.name[: -len(".json")]
        if stem.endswith(".invalid"):
            invalid.append(p.read_bytes())
        elif "." not in stem:
            valid.append(p.read_bytes())
    if not valid or not invalid:
        sys.exit(f"{directory}: no NAME.json and NAME.invalid.json inputs (mods-bench inputs --write)")
    return valid, invalid


def rate(fn: Callable[[List[Any]], Any], batch: List[Any], seconds: float) -> float:
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


def pydantic_model(schema_path: pathlib.Path, skipped: List[str]) -> Optional[Any]:
    """The record model datamodel-code-generator writes from the schema (pydantic v2)."""
    try:
        import datamodel_code_generator  # noqa: F401
        import pydantic  # noqa: F401
    except ImportError:
        skipped.append("pydantic row: pydantic and datamodel-code-generator are not installed")
        return None
    out = pathlib.Path(tempfile.mkdtemp(prefix="mods-bench-pydantic-"))
    package = "mods_record_pydantic"
    cmd = [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(schema_path), "--input-file-type", "jsonschema",
        "--output-model-type", "pydantic_v2.BaseModel", "--class-name", "ModsRecord",
        "--formatters", "builtin", "--output", str(out / package),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        skipped.append(f"pydantic row: datamodel-codegen failed: {done.stderr.strip()[-300:]}")
        return None
    sys.path.insert(0, str(out))
    return importlib.import_module(package).ModsRecord


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0, help="time per row")
    ap.add_argument("--inputs", type=pathlib.Path, help="valid records and invalid copies (mods-bench inputs --write DIR)")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = ap.parse_args()

    recs, version = load_records()
    invalid: List[bytes] = []
    if args.inputs:
        recs, invalid = load_inputs(args.inputs)
    schema_path = ROOT / "schemas" / version / "record.schema.json"
    schema: Optional[dict] = json.loads(schema_path.read_text()) if schema_path.exists() else None
    skipped: List[str] = []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    today = "2026-12-01"  # the date mods-bench takes as today, so reports do not change with the day

    # the valid records are valid and the invalid copies are not: no row measures the wrong path
    assert all(r.valid for r in mods.validate_many(recs, today=today)), "the example records must be valid"
    assert not any(r.valid for r in mods.validate_many(invalid, today=today)), "an invalid copy is valid"

    rows: List[Row] = []
    # every row keeps one small result per record and lets the rest go at once: a floor row
    # that kept the 200 parsed documents of a call alive would have the cyclic collector walk
    # them on each of its passes, a cost none of the validators pays (it made the parse alone
    # look slower than a parse followed by a validation)
    rows.append(("json.loads (parse only, floor)", lambda b: [json.loads(x) is None for x in b], "bytes"))
    try:
        import orjson

        rows.append(("orjson.loads (parse only, floor)", lambda b: [orjson.loads(x) is None for x in b], "bytes"))
    except ImportError:
        orjson = None  # type: ignore[assignment]
        skipped.append("orjson rows: orjson is not installed")
    rows.append(("mods.validate(bytes)", lambda b: [mods.validate(x, today=today) for x in b], "bytes"))
    # the verdict alone, which stops at the first error: the like-for-like row for
    # jsonschema_rs is_valid (the targets compare that with the full mods.validate)
    verdict = mods.Validator(today=today)
    rows.append(("mods.Validator.is_valid(bytes) (the verdict alone)", lambda b: [verdict.is_valid(x) for x in b], "bytes"))
    rows.append(("mods.validate(dict) (already parsed)", lambda b: [mods.validate(x, today=today) for x in b], "dicts"))
    rows.append(("mods.validate_many(bytes, workers=1)", lambda b: mods.validate_many(b, workers=1, today=today), "bytes"))
    rows.append(("mods.validate_many(bytes, workers=2)", lambda b: mods.validate_many(b, workers=2, today=today), "bytes"))
    if cores and cores > 2:
        rows.append((f"mods.validate_many(bytes, workers={cores})", lambda b: mods.validate_many(b, today=today), "bytes"))
    rows.append(("mods.validate_many(dict, workers=2)", lambda b: mods.validate_many(b, workers=2, today=today), "dicts"))

    if schema is None:
        skipped.append(f"schema rows: {schema_path.relative_to(ROOT)} does not exist")
    else:
        if orjson is not None:
            try:
                import jsonschema_rs

                v = jsonschema_rs.validator_for(schema)
                assert all(v.is_valid(orjson.loads(r)) for r in recs), "schema rejects an example"
                rows.append(("orjson.loads + jsonschema_rs is_valid", lambda b: [v.is_valid(orjson.loads(x)) for x in b], "bytes"))
                rows.append(("orjson.loads + jsonschema_rs iter_errors (all errors)", lambda b: [list(v.iter_errors(orjson.loads(x))) for x in b], "bytes"))
            except ImportError:
                skipped.append("jsonschema_rs rows: jsonschema-rs is not installed")
            try:
                import fastjsonschema

                try:
                    fv = fastjsonschema.compile(schema)

                    def fast(b: List[bytes]) -> List[bool]:
                        out = []
                        for x in b:
                            try:
                                fv(orjson.loads(x))
                                out.append(True)
                            except fastjsonschema.JsonSchemaValueException:
                                out.append(False)
                        return out

                    rows.append(("orjson.loads + fastjsonschema (first error)", fast, "bytes"))
                except Exception as e:  # noqa: BLE001 - report why the row is missing
                    skipped.append(f"fastjsonschema: cannot compile the schema ({type(e).__name__}: {str(e)[:120]})")
            except ImportError:
                skipped.append("fastjsonschema row: fastjsonschema is not installed")
        model = pydantic_model(schema_path, skipped)
        if model is not None:
            import pydantic

            assert all(model.model_validate_json(r) for r in recs), "the pydantic models reject an example"

            def pyd(b: List[bytes]) -> List[int]:
                out = []
                for x in b:
                    try:
                        model.model_validate_json(x)
                        out.append(0)
                    except pydantic.ValidationError as e:
                        out.append(e.error_count())
                return out

            rows.append(("pydantic v2 model_validate_json (datamodel-code-generator models, all errors)", pyd, "bytes"))
        try:
            import jsonschema

            jv = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            rows.append(("json.loads + jsonschema (Draft 2020-12, formats)", lambda b: [list(jv.iter_errors(json.loads(x))) for x in b], "valid only"))
        except ImportError:
            skipped.append("jsonschema row: jsonschema is not installed")

    sets = [("valid example records", recs)]
    if invalid:
        sets.append(("invalid copies (about ten violations each)", invalid))
    size = sum(len(r) for r in recs) / len(recs)
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"{platform.system()}; records: {len(recs)} example records of MODS {version}, "
          f"mean {size / 1024:.1f} KiB; schema: {schema_path.relative_to(ROOT) if schema else 'none'}; "
          f"{', '.join(versions())}")
    measured: Dict[Tuple[str, str], float] = {}
    for set_name, data in sets:
        batch = data * (200 // len(data))  # about 200 records per call
        dicts = [json.loads(r) for r in batch]
        results = []
        for name, fn, kind in rows:
            if kind == "valid only" and data is not recs:
                continue
            slow = "jsonschema (" in name or "fastjsonschema" in name or "pydantic" in name
            r = rate(fn, dicts if kind == "dicts" else batch, args.seconds / 2 if slow else args.seconds)
            results.append((name, r))
            measured[(set_name, name)] = r
            print(f"  {set_name}: {name}: {r:,.0f} records/s", file=sys.stderr)
        base = measured[(set_name, "mods.validate(bytes)")]
        print()
        if args.markdown:
            print(f"#### Python: {set_name}")
            print()
            print("| implementation | records/s | × mods.validate(bytes) |")
            print("|---|---:|---:|")
            for name, r in results:
                print(f"| {name} | {r:,.0f} | {r / base:.2f} |")
        else:
            print(f"{set_name}:")
            for name, r in results:
                print(f"  {name:80s} {r:>10,.0f} rec/s  {r / base:6.2f}x")
    print()
    print_targets(measured, [s for s, _ in sets], args.markdown)
    for s in skipped:
        print(f"skipped: {s}")


def versions() -> List[str]:
    out = []
    for dist in ["orjson", "jsonschema-rs", "pydantic", "datamodel-code-generator", "fastjsonschema", "jsonschema"]:
        try:
            from importlib.metadata import version

            out.append(f"{dist} {version(dist)}")
        except Exception:  # noqa: BLE001 - not installed
            pass
    return out


def print_targets(measured: Dict[Tuple[str, str], float], sets: List[str], markdown: bool) -> None:
    """The parse-floor targets: speed ratios, measured beside their bounds."""
    checks = [
        ("mods.validate(bytes) ÷ orjson.loads + jsonschema_rs iter_errors", "mods.validate(bytes)",
         "orjson.loads + jsonschema_rs iter_errors (all errors)", 2.5),
        ("mods.validate(bytes) ÷ orjson.loads + jsonschema_rs is_valid", "mods.validate(bytes)",
         "orjson.loads + jsonschema_rs is_valid", 2.0),
        ("validate_many(workers=2) ÷ validate_many(workers=1)", "mods.validate_many(bytes, workers=2)",
         "mods.validate_many(bytes, workers=1)", 1.8),
    ]
    lines = []
    for set_name in sets:
        for label, a, b, bound in checks:
            ra, rb = measured.get((set_name, a)), measured.get((set_name, b))
            if ra is None or rb is None:
                continue
            ratio = ra / rb
            lines.append((f"{label}, {set_name}", f"≥ {bound}", f"{ratio:.2f}", "yes" if ratio >= bound else "**no**"))
    if markdown:
        print("#### Python: targets (rate ÷ rate)")
        print()
        print("| target | bound | measured | met |")
        print("|---|---:|---:|---:|")
        for cells in lines:
            print(f"| {' | '.join(cells)} |")
    else:
        print("targets (rate ÷ rate):")
        for name, bound, value, met in lines:
            print(f"  {name:100s} {bound:>6} {value:>6}  {met.strip('*')}")


if __name__ == "__main__":
    main()
