"""The discharge merge (use case 4) through the binding: the language-neutral cases of
tests/flows/discharge/, and what only Python shows (keyword arguments, exceptions)."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict

import pytest

import mods
from conftest import ROOT, load

CASES = sorted((ROOT / "tests" / "flows" / "discharge").glob("*.json"))
EXAMPLE = ROOT / "examples" / "flows" / "discharge"


def _input(v: Any) -> Any:
    return load(ROOT / v) if isinstance(v, str) else v


def _subset_list(what: str, actual: Any, expected: Any) -> None:
    assert len(actual) == len(expected), (what, actual)
    for a, e in zip(actual, expected):
        for k, v in e.items():
            assert a.get(k) == v, (what, k, a)


def _pointer(doc: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def test_there_are_cases() -> None:
    assert len(CASES) >= 9


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case(path: pathlib.Path) -> None:
    case = load(path)
    opts: Dict[str, Any] = dict(case.get("options", {}))
    expect = case["expect"]
    args = (_input(case["record"]), _input(case["discharge"]))
    base = _input(case["base"]) if "base" in case else None
    if "error" in expect:
        kind = mods.InputError if expect["error"] in ("invalid-json", "limit") else (ValueError, TypeError)
        with pytest.raises(kind):
            if "committer" not in opts:
                # committer is a required keyword argument in Python: its absence is a TypeError
                mods.merge_discharge(*args, base=base, **opts)  # type: ignore[call-arg]
            else:
                mods.merge_discharge(*args, base=base, **opts)
        return
    record, report = mods.merge_discharge(*args, base=base, **opts)
    for what in ("changes", "conflicts"):
        if what in expect:
            _subset_list(what, report[what], expect[what])
    if "notes" in expect:
        assert [n["kind"] for n in report["notes"]] == expect["notes"]
    if "valid" in expect:
        assert report["validation"]["valid"] is expect["valid"]
    for check in expect.get("record", []):
        assert _pointer(record, check["pointer"]) == check["value"], check["pointer"]
    if "record_equals" in expect:
        assert record == load(ROOT / expect["record_equals"])


def test_inputs_as_text_and_bytes_and_values_hidden() -> None:
    home = (EXAMPLE / "james-changed-at-home.json").read_bytes()
    discharge = (EXAMPLE / "discharge-james.json").read_text(encoding="utf-8")
    record, report = mods.merge_discharge(home, discharge, committer="cw-liam", date_time="2026-01-22T17:30:00Z")
    assert record["care_plan"][0]["review_date"] == "2026-03-31"
    assert "2026-03-31" not in json.dumps(report)
    _, shown = mods.merge_discharge(
        home, discharge, committer="cw-liam", date_time="2026-01-22T17:30:00Z", include_values=True
    )
    assert shown["conflicts"][0]["home"] == "2026-03-31"


def test_errors() -> None:
    before = load(EXAMPLE / "james-before-discharge.json")
    with pytest.raises(mods.InputError):
        mods.merge_discharge(before, b"{", committer="cw-liam")
    with pytest.raises(ValueError, match="committer must be a record_uid"):
        mods.merge_discharge(before, load(EXAMPLE / "discharge-james.json"), committer="two words")
    with pytest.raises(ValueError, match="date_time must be"):
        mods.merge_discharge(before, load(EXAMPLE / "discharge-james.json"), committer="cw-liam", date_time="today")
