"""``mods.Validator``: options checked once; validate, is_valid, iter_issues,
validate_many; pickling."""

from __future__ import annotations

import copy
import json
import pathlib
import pickle
import time
from typing import Any, Dict

import pytest

import mods

from conftest import CORPUS, load
from test_conformance import CASES, inputs, options


def with_bad_nhs(record: Dict[str, Any]) -> Dict[str, Any]:
    r = copy.deepcopy(record)
    r["subject_of_care"]["nhs_number"] = "9434765918"
    return r


def many_errors(green: Dict[str, Any], n: int = 20000) -> bytes:
    """Mr Green's record with ``n`` elements the model does not define: ``n`` errors in
    strict mode."""
    r = copy.deepcopy(green)
    for i in range(n):
        r[f"unknown_{i}"] = i
    return json.dumps(r).encode()


def test_bad_options_raise_at_construction() -> None:
    with pytest.raises(ValueError, match="version"):
        mods.Validator(version="0.9")
    with pytest.raises(ValueError):
        mods.Validator(class_="no_such_class")
    with pytest.raises(ValueError):
        mods.Validator(today="2025-13-45")
    with pytest.raises(ValueError):
        mods.Validator(limits={"max_bananas": 1})
    with pytest.raises(TypeError):
        mods.Validator(limits=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mods.Validator(unavailable_terminology="http://snomed.info/sct")


def test_validate_is_the_report_of_mods_validate(green: Dict[str, Any]) -> None:
    bad = with_bad_nhs(green)
    for kw in ({}, {"strict": True}, {"include_values": True}, {"max_issues": 1}):
        v = mods.Validator(**kw)  # type: ignore[arg-type]
        for record in (green, bad, json.dumps(bad), json.dumps(bad).encode()):
            assert v.validate(record) == mods.validate(record, **kw)  # type: ignore[arg-type]
    assert mods.Validator().validate(green).valid
    assert not mods.Validator().validate(bad).valid


def test_options_are_copied_at_construction(green: Dict[str, Any]) -> None:
    limits = {"max_depth": 64}
    v = mods.Validator(limits=limits)
    limits["max_depth"] = 1
    assert v.validate(green).valid
    assert v.options["limits"] == {"max_depth": 64}


def test_iter_issues(green: Dict[str, Any]) -> None:
    bad = with_bad_nhs(green)
    v = mods.Validator()
    it = v.iter_issues(bad)
    assert iter(it) is it
    assert list(it) == mods.validate(bad).issues
    assert list(v.iter_issues(green)) == mods.validate(green).issues


def test_validate_many(green: Dict[str, Any]) -> None:
    bad = with_bad_nhs(green)
    v = mods.Validator(strict=True)
    got = v.validate_many([green, bad, "{", json.dumps(green)], workers=2)
    assert [r.valid for r in got] == [True, False, False, True]
    assert got[1] == mods.validate(bad, strict=True)
    assert [i.code for i in got[2].issues] == ["input-syntax"]
    with pytest.raises(ValueError):
        v.validate_many([green], workers=0)


def test_version_pins_the_records_version(green: Dict[str, Any]) -> None:
    v = mods.Validator(version="1.0")
    assert v.version == "1.0"
    assert v.validate(green).valid
    other = dict(green, mods_version="1.1")
    assert mods.validate(other).issues != mods.Validator(version="1.0").validate(other).issues
    r = v.validate(other)
    assert not r.valid and not v.is_valid(other)
    assert [(i.code, i.pointer) for i in r.issues] == [("mods-version-unsupported", "/mods_version")]
    assert r.issues[0].context == {"expected": "1.0"}
    assert "value" not in r.issues[0].context
    assert mods.Validator(version="1.0", include_values=True).validate(other).issues[0].context[
        "value"
    ] == "1.1"
    assert mods.Validator().version is None


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_is_valid_agrees_with_validate_on_every_case(path: pathlib.Path) -> None:
    case = load(path)
    kw = options(case)
    v = mods.Validator(**kw)
    for how, value in inputs(case):
        if "error" in case["expect"]:
            with pytest.raises(mods.InputError):
                v.is_valid(value)
            continue
        assert v.is_valid(value) == v.validate(value).valid == case["expect"]["valid"], how


def best_of(n: int, f: Any) -> float:
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def test_is_valid_is_cheaper_on_a_record_with_many_errors(green: Dict[str, Any]) -> None:
    record = many_errors(green)
    v = mods.Validator(strict=True, max_issues=1_000_000, limits={"max_object_members": 50000})
    report = v.validate(record)
    assert not report.valid and len(report.errors()) >= 20000
    assert v.is_valid(record) is False
    full = best_of(5, lambda: v.validate(record))
    verdict = best_of(5, lambda: v.is_valid(record))
    assert verdict < 0.8 * full, (verdict, full)


def test_pickles_and_copies(green: Dict[str, Any]) -> None:
    resources = [
        {
            "resourceType": "CodeSystem",
            "url": "http://example.org/cs",
            "status": "active",
            "content": "complete",
            "concept": [{"code": "a", "display": "A"}],
        }
    ]
    v = mods.Validator(version="1.0", strict=True, terminology=resources, today="2025-01-01")
    w = pickle.loads(pickle.dumps(v))
    assert isinstance(w, mods.Validator)
    assert w.options == v.options and w.version == "1.0"
    bad = with_bad_nhs(green)
    assert w.validate(bad) == v.validate(bad)
    assert copy.deepcopy(v).options == v.options
    with pytest.raises(TypeError, match="OfflineTerminology"):
        pickle.dumps(mods.Validator(terminology=mods.OfflineTerminology(resources)))


def test_repr_shows_options_not_resources() -> None:
    v = mods.Validator(version="1.0", strict=True, terminology=[{"resourceType": "CodeSystem",
        "url": "http://example.org/secret", "status": "active", "content": "complete",
        "concept": [{"code": "a"}]}])
    r = repr(v)
    assert r.startswith("Validator(") and "version='1.0'" in r and "strict=True" in r
    assert "secret" not in r
