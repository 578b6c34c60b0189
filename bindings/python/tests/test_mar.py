"""The medication administration record view, ``mods.mar``: the cases of tests/flows/mar
(their format is in the README there), as the Rust, Node and WebAssembly tests read them;
then what only Python has (dates as ``datetime.date``, the exceptions, the text)."""

from __future__ import annotations

import datetime
import json
from typing import Any, Dict, List

import pytest

import mods

from conftest import ROOT, load

CASES = sorted((ROOT / "tests" / "flows" / "mar" / "cases").glob("*.json"))
SMITH = ROOT / "examples" / "records" / "mrs-smith-after-fall.json"


def test_the_cases_are_there() -> None:
    assert len(CASES) >= 10


def record_of(case: Dict[str, Any]) -> Any:
    if "record_file" in case:
        return (ROOT / case["record_file"]).read_bytes()
    return case["record"]


def same(want: Any, got: Any) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and float(want) == float(got)
    return bool(want == got)


def check(case: Dict[str, Any]) -> None:
    expect = case["expect"]
    opts = case.get("options") or {}
    if "error" in expect:
        with pytest.raises((ValueError, mods.InputError)) as e:
            mods.mar(record_of(case), case["date"], **opts)
        if expect.get("option"):
            assert expect["option"] in str(e.value)
        return
    view = mods.mar(record_of(case), case["date"], **opts)
    if "valid" in expect:
        assert view["validation"]["valid"] is expect["valid"]
    for k, want in (expect.get("person") or {}).items():
        assert view["person"][k] == want  # type: ignore[literal-required]
    if "look_back_from" in expect:
        assert view["period"]["look_back_from"] == expect["look_back_from"]
    if "doses" in expect:
        assert [d["pointer"] for d in view["doses"]] == [d["pointer"] for d in expect["doses"]]
        for want, d in zip(expect["doses"], view["doses"]):
            got: Dict[str, Any] = {
                "time": d["time"],
                "medicine": d["medicine"]["name"] if d["medicine"] else None,
                "given_by": d["given_by"]["name"] if d["given_by"] else None,
                "role": d["given_by"]["role"] if d["given_by"] else None,
                "information_source": (d["information_source"] or {}).get("code"),
                "counted": d["counted"],
                "warnings": [view["warnings"][i]["code"] for i in d["warnings"]],
            }
            for k, w in want.items():
                if k != "pointer":
                    assert got[k] == w, (d["pointer"], k)
    if "earlier_doses" in expect:
        assert [d["pointer"] for d in view["earlier_doses"]] == expect["earlier_doses"]
    if "warnings" in expect:
        got_w: List[Any] = [(w["code"], w["dose"]) for w in view["warnings"]]
        assert got_w == [(w["code"], w["dose"]) for w in expect["warnings"]]
        for want, w in zip(expect["warnings"], view["warnings"]):
            for k, x in (want.get("context") or {}).items():
                assert same(x, w["context"].get(k)), (w["code"], k)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Any) -> None:
    check(load(path))


def test_dates_as_datetime_date_and_the_record_as_a_dict() -> None:
    record = load(SMITH)
    view = mods.mar(record, datetime.date(2026, 3, 10))
    assert view["period"]["from"] == "2026-03-10"
    assert [w["code"] for w in view["warnings"]] == [
        "dose-within-minimum-interval",
        "dose-reported-not-recorded",
        "medicine-under-two-records",
    ]
    days = mods.mar(record, datetime.date(2026, 3, 8), to=datetime.date(2026, 3, 10))
    assert len(days["doses"]) == 9
    with pytest.raises(TypeError, match="date must be a datetime.date"):
        mods.mar(record, datetime.datetime(2026, 3, 10, 9, 0))


def test_errors_name_the_option_and_hold_no_data() -> None:
    with pytest.raises(ValueError, match="to must not be before date"):
        mods.mar(SMITH.read_bytes(), "2026-03-10", to="2026-03-09")
    with pytest.raises(ValueError) as e:
        mods.mar({"subject_of_care": {"nhs_number": "9434765919"}}, "2026-03-10")
    assert "9434765919" not in str(e.value)
    with pytest.raises(mods.InputError):
        mods.mar(b"{", "2026-03-10")


def test_the_text_is_what_the_cli_prints_and_json_round_trips() -> None:
    view = mods.mar(SMITH.read_bytes(), "2026-03-10")
    text = mods.mar_text(view)
    assert "TOO SOON: 2026-03-10 12:15 Paracetamol 500mg tablets (bought by her son)" in text
    assert "by Robert Smith, Unpaid carer (son)" in text
    assert mods.mar_text(json.dumps(view)) == text
    with pytest.raises(ValueError, match="view must be a view made by mar"):
        mods.mar_text({"doses": 3})
