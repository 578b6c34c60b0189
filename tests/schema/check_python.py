#!/usr/bin/env python3
"""The generated JSON Schemas agree with the mods-core validator (python-jsonschema).

Checks every schema under schemas/ against the 2020-12 metaschema, then validates every
conformance case (tests/conformance/cases/**.json) and every example record
(examples/records/*.json) with jsonschema's Draft202012Validator, format checking on, and
compares the verdict with the Rust validator's strict-mode verdict. Disagreements are
excused only through tests/schema/divergences.json. See docs/json-schema.md.

Usage: check_python.py [--root REPO] [--schemas DIR]
Exit status: 0 when every compared input agrees, 1 otherwise.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from jsonschema import Draft202012Validator

NAME = "python-jsonschema"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def case_plan(case):
    """Why a case is skipped (a string), or None when it is compared."""
    if "input" not in case:
        return "input is not JSON (input_text or input_base64)"
    if "error" in case.get("expect", {}):
        return "input cannot be read (expect.error)"
    # `today` changes only warnings (implausible-date), never the verdict
    opts = set(case.get("options", {})) - {"strict", "today"}
    if opts:
        return "options other than strict and today (" + ", ".join(sorted(opts)) + ")"
    return None


def strict_verdict(case):
    """The library's verdict in strict mode: unknown-element is then an error."""
    issues = case["expect"].get("issues", [])
    return case["expect"]["valid"] and not any(i["code"] == "unknown-element" for i in issues)


def library_errors(case):
    """The codes of the errors the library reports in strict mode."""
    return [
        i["code"]
        for i in case["expect"].get("issues", [])
        if i["severity"] == "error" or i["code"] == "unknown-element"
    ]


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=here.parent.parent)
    ap.add_argument("--schemas", type=Path, default=None)
    args = ap.parse_args()
    root = args.root
    schemas_dir = args.schemas or root / "schemas"

    index = load(schemas_dir / "index.json")
    current = index["current"]
    versions = [v["mods_version"] for v in index["versions"]]
    div = load(here / "divergences.json")
    library_only = {d["code"]: d["reason"] for d in div["library_only"]}
    schema_only = {d["case"]: d["reason"] for d in div["schema_only"]}
    catalogue = (root / "docs" / "issue-codes.md").read_text(encoding="utf-8")
    failed = 0
    problems = []
    for code in library_only:
        if f"## {code}\n" not in catalogue:
            problems.append(f"divergences.json lists `{code}`, which is not an issue code")

    # 1. every schema is a valid 2020-12 schema
    validators = {}
    n_schemas = 0
    for path in sorted(schemas_dir.rglob("*.schema.json")):
        schema = load(path)
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - report any metaschema failure
            problems.append(f"{path}: not a valid draft 2020-12 schema: {e}")
            continue
        n_schemas += 1
        validators[path.relative_to(schemas_dir).as_posix()] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    def validator_for(target, doc):
        if target == "record":
            v = doc.get("mods_version") if isinstance(doc, dict) else None
            version = v if isinstance(v, str) and v in versions else current
            return f"{version}/record.schema.json"
        return f"{current}/classes/{target['class']}.schema.json"

    # 2. every case and example record
    inputs = []
    for path in sorted((root / "tests" / "conformance" / "cases").rglob("*.json")):
        inputs.append((path, load(path)))
    for path in sorted((root / "examples" / "records").glob("*.json")):
        # mods-core/tests/examples.rs: every example record is valid in strict mode
        doc = load(path)
        inputs.append((path, {"input": doc, "expect": {"valid": True, "issues": []}}))

    passed = skipped = excused = 0
    skips = Counter()
    used = Counter()
    for path, case in inputs:
        rel = path.relative_to(root).as_posix()
        reason = case_plan(case)
        if reason:
            skipped += 1
            skips[reason] += 1
            continue
        target = case.get("target", "record")
        key = validator_for(target, case["input"])
        validator = validators.get(key)
        if validator is None:
            failed += 1
            problems.append(f"{rel}: no schema {key}")
            continue
        errors = sorted(validator.iter_errors(case["input"]), key=lambda e: list(e.path))
        schema_valid = not errors
        rust_valid = strict_verdict(case)
        if schema_valid == rust_valid:
            passed += 1
            continue
        if schema_valid:
            codes = library_errors(case)
            if codes and all(c in library_only for c in codes):
                passed += 1
                excused += 1
                used.update(set(codes))
                continue
            why = "the schema accepts it; the library reports " + ", ".join(sorted(set(codes)))
        else:
            if rel in schema_only:
                passed += 1
                excused += 1
                continue
            first = errors[0]
            where = "/" + "/".join(str(p) for p in first.path)
            why = f"the schema rejects it ({where}: {first.message[:200]}); the library accepts it"
        failed += 1
        problems.append(f"{rel} ({key}): {why}")

    for p in problems:
        print(f"FAIL {p}")
    for code in library_only:
        if not used[code]:
            print(f"note: divergence `{code}` excused no case")
    for reason, n in sorted(skips.items()):
        print(f"skipped {n}: {reason}")
    print(
        f"{n_schemas} schemas valid against the draft 2020-12 metaschema; "
        f"{excused} disagreements excused by tests/schema/divergences.json "
        f"({', '.join(f'{c} {n}' for c, n in sorted(used.items())) or 'none'})"
    )
    failed += len([p for p in problems if "not a valid" in p or "divergences.json" in p])
    print(f"schema agreement ({NAME}): {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
