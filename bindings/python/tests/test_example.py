"""The notebook-style example runs on a folder and on an NDJSON file."""

from __future__ import annotations

import pathlib
import subprocess
import sys

from conftest import RECORDS

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "validate_folder.py"


def run(*args: str) -> str:
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args], check=True, capture_output=True, text=True
    ).stdout


def test_folder() -> None:
    out = run(str(RECORDS))
    assert "5 records, 5 valid" in out


def test_ndjson(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "records.ndjson"
    lines = [p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(RECORDS.glob("*.json"))]
    f.write_text("\n".join(lines + ["not json", '{"mods_version": "1.0"}']) + "\n", encoding="utf-8")
    out = run(str(f))
    assert "7 records, 5 valid, 2 invalid" in out
    assert "input-syntax" in out and "required-element-missing" in out
