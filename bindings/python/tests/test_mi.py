"""Management information (docs/mi.md): the language-neutral cases of tests/mi, run through
the binding, and the Python shapes (rows as dicts, keys as bytes or str, refusals as
ValueError, unreadable records counted)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Dict, List, Union

import pytest

import mods

from conftest import ROOT, load

CASES = ROOT / "tests" / "mi"
PEOPLE = ROOT / "examples" / "mi" / "people.ndjson"


def records(case: Dict[str, Any]) -> List[Union[str, Dict[str, Any]]]:
    # a string in a case is text that is not JSON; a value is passed as a dict
    return list(case["records"])


@pytest.mark.parametrize("case", load(CASES / "aggregate.json")["cases"], ids=lambda c: c["name"])
def test_aggregate_cases(case: Dict[str, Any]) -> None:
    opts = dict(case["options"])
    if "error" in case:
        # an unknown option is an unknown keyword in Python: a TypeError
        error = TypeError if case["error"]["code"] == "unknown-option" else ValueError
        with pytest.raises(error):
            mods.aggregate(records(case), **opts)
        return
    table = mods.aggregate(records(case), **opts)
    assert table["rows"] == case["rows"]
    for row in table["rows"]:
        assert list(row)[-2:] == ["people", "records"]
    assert table["total_people"] == case["total_people"]
    assert table["total_records"] == case["total_records"]
    assert table["unreadable"] == case["unreadable"]


@pytest.mark.parametrize("case", load(CASES / "extract.json")["cases"], ids=lambda c: c["name"])
def test_extract_cases(case: Dict[str, Any]) -> None:
    key = bytes.fromhex(case["key_hex"])
    if "error" in case:
        with pytest.raises(ValueError) as e:
            mods.extract(records(case), key=key, **case["options"])
        # the message names the option, never the key
        assert case["error"]["option"] in str(e.value) or "key" in str(e.value)
        return
    x = mods.extract(records(case), key=key, **case["options"])
    assert len(x["rows"]) == len(case["rows"])
    for got, want in zip(x["rows"], case["rows"]):
        assert list(got) == x["columns"]
        for column, value in got.items():
            assert value == want.get(column, ""), column
    text = json.dumps(x)
    for secret in case["absent"]:
        assert secret not in text


def test_the_pseudonym_is_hmac_sha256_of_the_nhs_number() -> None:
    line = PEOPLE.read_text(encoding="utf-8").splitlines()[0]
    nhs = json.loads(line)["subject_of_care"]["nhs_number"]
    key = "k" * 32
    x = mods.extract([line], key=key)
    want = hmac.new(key.encode(), f"nhs:{nhs}".encode(), hashlib.sha256).hexdigest()
    assert {r["LA_Person_Unique_Identifier"] for r in x["rows"]} == {want}
    assert mods.extract_profiles() == ["dhsc-cld"]


def test_the_example_counts_every_person_and_the_by_string_may_list_fields() -> None:
    lines = PEOPLE.read_text(encoding="utf-8").splitlines()
    t = mods.aggregate(lines, by="ethnicity,age_band", suppress=False, as_of="2026-11-30")
    assert t["total_people"] == len(lines)
    assert sum(r["people"] for r in t["rows"]) == len(lines)
    assert [f["field"] for f in t["fields"]] == ["ethnicity", "age_band"]
    t = mods.aggregate(lines + ["{"], by=["need"])
    assert t["unreadable"] == 1 and t["unreadable_examples"][0]["line"] == len(lines) + 1
    assert all(r["people"] is None or r["people"] % 5 == 0 for r in t["rows"])
    with pytest.raises(ValueError, match="not coded"):
        mods.aggregate(lines, by="need.need_description")
