"""Day against day (docs/flows/days.md): the shared cases of tests/flows/days/cases.json,
which every binding runs, and what only Python offers (dates and pairs as days)."""

from __future__ import annotations

import datetime
import json
from typing import Any, Dict, List

import pytest

import mods

from conftest import ROOT, load

CASES: List[Dict[str, Any]] = load(ROOT / "tests" / "flows" / "days" / "cases.json")["cases"]


def at(doc: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def test_the_case_file_is_there() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    record = (ROOT / case["record"]).read_bytes()
    other = case.get("against_record")
    kw = {"against_record": (ROOT / other).read_bytes()} if other else {}
    if "expect_error" in case:
        # every error of the cases is a ValueError (invalid-option, diff-refused)
        with pytest.raises(ValueError) as e:
            mods.compare_days(record, case["day"], case["against"], **kw)
        if "option" in case["expect_error"]:
            assert str(e.value).startswith(case["expect_error"]["option"] + " ")
        return
    got = mods.compare_days(record, case["day"], case["against"], **kw)
    assert case["expect"]
    for pointer, want in case["expect"].items():
        assert at(got, pointer) == want, pointer
    for pointer, n in case.get("expect_len", {}).items():
        assert len(at(got, pointer)) == n, pointer


def test_dates_pairs_and_dicts(green: Dict[str, Any]) -> None:
    a = mods.compare_days(green, datetime.date(2026, 2, 3), "2026-01-27")
    b = mods.compare_days(json.dumps(green), "2026-02-03", ("2026-01-27", datetime.date(2026, 1, 27)))
    assert a == b
    assert a["fluid_intake"]["difference_ml"] == -200
    assert a["helpers"]["day"][0]["class"] == "care_worker"
    c = mods.compare_days(green, "2026-02-03", [datetime.date(2026, 2, 1), datetime.date(2026, 2, 2)])
    assert c["against"]["span"] == "2026-02-01..2026-02-02"


def test_wrong_types_and_unreadable_input(green: Dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="datetime.datetime"):
        mods.compare_days(green, datetime.datetime(2026, 2, 3), "2026-02-02")
    with pytest.raises(TypeError, match="pair"):
        mods.compare_days(green, ("2026-02-01",), "2026-02-02")
    with pytest.raises(TypeError):
        mods.compare_days(green, 20260203, "2026-02-02")
    with pytest.raises(mods.InputError):
        mods.compare_days(b"{", "2026-02-03", "2026-02-02")
    with pytest.raises(mods.InputError):
        mods.compare_days(green, "2026-02-03", "2026-02-02", against_record=b"[")
    with pytest.raises(ValueError) as e:
        mods.compare_days(green, "3 February", "2026-02-02")
    assert "3 February" not in str(e.value)
