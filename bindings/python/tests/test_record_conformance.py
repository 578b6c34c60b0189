"""Conformance of a record to a MODS version (use case 6): the shared cases of
tests/record-conformance/cases.json through ``mods.conformance``, as the Rust API runner
(mods-api/tests/record_conformance.rs) reads them, and ``mods.conformance_text``."""

from __future__ import annotations

import datetime
import json
from typing import Any, Dict, List

import pytest

import mods

from conftest import ROOT, load

CASES = load(ROOT / "tests" / "record-conformance" / "cases.json")["cases"]


def gaps(items: List[Dict[str, Any]]) -> List[List[str]]:
    return [[g["code"], g["path"], g["basis"]] for g in items]


def test_the_cases_are_there() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    expect = case["expect"]
    record = case["record"] if "record" in case else case["record_text"]
    if "error" in expect:
        error = {"unknown-version": ValueError, "invalid-json": mods.InputError}[expect["error"]]
        with pytest.raises(error):
            mods.conformance(record, **case["options"])
        return
    a = mods.conformance(record, **case["options"])
    for key in ("conformant", "record_version", "mods_version"):
        if key in expect:
            assert a[key] == expect[key], key
    if "score" in expect:
        assert a["score"] == pytest.approx(expect["score"], abs=1e-12)
    if "valid" in expect:
        assert a["validation"]["valid"] == expect["valid"]
    if "gaps" in expect:
        assert gaps(a["gaps"]) == expect["gaps"]
    if "class_list" in expect:
        assert [c["class"] for c in a["classes"]] == expect["class_list"]
    by_class = {c["class"]: c for c in a["classes"]}
    for name, want in expect.get("classes", {}).items():
        have = by_class[name]
        for key, value in want.items():
            got = gaps(have["gaps"]) if key == "gaps" else have[key]
            if key == "score":
                assert got == pytest.approx(value, abs=1e-12), (name, key)
            else:
                assert got == value, (name, key)
    text = json.dumps(a) + mods.conformance_text(a)
    for data in case["never_in_output"]:
        assert data not in text


def test_the_record_is_read_as_a_dict_text_or_bytes_alike() -> None:
    case = next(c for c in CASES if c["name"] == "name-only-is-valid-but-not-conformant")
    record = case["record"]
    as_dict = mods.conformance(record)
    assert mods.conformance(json.dumps(record)) == as_dict
    assert mods.conformance(json.dumps(record).encode()) == as_dict
    assert mods.conformance(record, today=datetime.date(2026, 11, 30)) == as_dict


def test_text_is_what_the_cli_prints_after_the_name() -> None:
    case = next(c for c in CASES if c["name"] == "care-plan-needs-consent")
    a = mods.conformance(case["record"])
    text = mods.conformance_text(a)
    assert text.startswith("NOT conformant to MODS 1.0, score 75% (valid, ")
    assert "/consent  the record holds no Consent" in text
    assert mods.conformance_text(json.dumps(a)) == text
    with pytest.raises(ValueError):
        mods.conformance_text({"score": 1})


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError):
        mods.conformance({"mods_version": "1.0"}, today="30/11/2026")
    with pytest.raises(TypeError):
        mods.conformance({"mods_version": "1.0"}, level=2)  # type: ignore[call-arg]
