"""Runs the whole shared conformance corpus (tests/conformance/README.md) through the
binding, comparing the exact multiset of (code, path, severity) like the Rust runner.

Cases with JSON ``input`` run twice: as a Python dict (the binding writes it as JSON) and as
JSON text, so both paths are proven to reach the core's verdict.
"""

from __future__ import annotations

import base64
import json
import pathlib
from collections import Counter
from typing import Any, Dict, List, Tuple

import pytest

import mods

from conftest import CORPUS, load

CASES = sorted(CORPUS.rglob("*.json"))


def test_corpus_is_there() -> None:
    assert len(CASES) >= 50, f"only {len(CASES)} cases in {CORPUS}"


def options(case: Dict[str, Any]) -> Dict[str, Any]:
    o = case.get("options") or {}
    kw: Dict[str, Any] = {}
    if o.get("strict"):
        kw["strict"] = True
    if "include_values" in o:
        kw["include_values"] = bool(o["include_values"])
    if "max_issues" in o:
        kw["max_issues"] = int(o["max_issues"])
    if "limits" in o:
        kw["limits"] = dict(o["limits"])
    if "terminology" in o:
        kw["terminology"] = mods.OfflineTerminology(o["terminology"])
    if "unavailable_terminology" in o:
        kw["unavailable_terminology"] = list(o["unavailable_terminology"])
    if "today" in o:
        kw["today"] = str(o["today"])
    target = case.get("target", "record")
    if target != "record":
        kw["class_"] = target["class"]
    return kw


def inputs(case: Dict[str, Any]) -> List[Tuple[str, Any]]:
    if "input" in case:
        return [
            ("dict", case["input"]),
            ("text", json.dumps(case["input"], ensure_ascii=False, separators=(",", ":"))),
        ]
    if "input_text" in case:
        return [("text", case["input_text"])]
    if "input_base64" in case:
        return [("bytes", base64.b64decode(case["input_base64"]))]
    raise AssertionError("no input, input_text or input_base64")


def triples(issues: Any) -> Counter:
    return Counter((i["code"], i["path"], i["severity"]) for i in issues)


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_case(path: pathlib.Path) -> None:
    case = load(path)
    kw = options(case)
    expect = case["expect"]
    for how, value in inputs(case):
        if "error" in expect:
            with pytest.raises(mods.InputError) as e:
                mods.validate(value, **kw)
            assert e.value.code == expect["error"], how
            # validate_many puts the same input error in the record's report
            [r] = mods.validate_many([value], **kw)
            assert not r.valid and [i.code for i in r.issues] == [expect["error"]]
            continue
        report = mods.validate(value, **kw)
        got = triples({"code": i.code, "path": i.pointer, "severity": i.severity} for i in report.issues)
        want = triples(expect["issues"])
        assert (report.valid, got) == (expect["valid"], want), f"as {how}"
        # the JSON report agrees with the objects
        assert triples(json.loads(report.to_json())["issues"]) == got
