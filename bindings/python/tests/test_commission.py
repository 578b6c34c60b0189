"""Commissioning a package of care (use case 2): the shared cases of
tests/flows/commission/cases.json through ``mods.commission_package`` and
``mods.commission_accept``, as the Rust API runner reads them."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Tuple

import pytest

import mods

from conftest import ROOT, load

CASES = load(ROOT / "tests" / "flows" / "commission" / "cases.json")["cases"]


def source(spec: Dict[str, Any]) -> Any:
    doc = copy.deepcopy(load(ROOT / spec["path"]))
    for pointer, value in (spec.get("set") or {}).items():
        *parents, last = pointer.split("/")[1:]
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    for pointer in spec.get("remove") or []:
        *parents, last = pointer.split("/")[1:]
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        target.pop(last, None)
    return doc


def issues(report: Dict[str, Any]) -> List[Tuple[str, str, str]]:
    return sorted((i["code"], i["pointer"], i["severity"]) for i in report["validation"]["issues"])


def run(case: Dict[str, Any]) -> Dict[str, Any]:
    if case["operation"] == "package":
        return mods.commission_package(source(case["council"]), **case["options"])
    of = case["package_of"]
    package = mods.commission_package(source(of["council"]), **of["options"])["package"]
    # the provider's record as JSON text, the package as a dict: both inputs are read
    return mods.commission_accept(json.dumps(source(case["provider"])), package, **case["options"])


def test_the_cases_are_there() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        # the refusals of this flow are ValueError (docs/bindings.md), with the message
        with pytest.raises(ValueError, match=expect["message"]):
            run(case)
        return
    got = run(case)
    report = got["report"]
    for k, want in expect.items():
        if k == "issues":
            assert issues(report) == sorted((i["code"], i["pointer"], i["severity"]) for i in want)
        elif k == "records_include":
            for cls, n in want.items():
                assert report["records"][cls] == n, cls
        elif k == "added_count":
            assert len(report["added"]) == want
        else:
            assert report[k] == want, k


def test_accepting_loses_nothing() -> None:
    council = load(ROOT / "examples" / "flows" / "commission" / "council-record.json")
    provider = load(ROOT / "examples" / "flows" / "commission" / "provider-record.json")
    package = mods.commission_package(council, plan="cp-bodat")["package"]
    merged = mods.commission_accept(
        [provider], package, committer="sv-cw-sue", date="2026-01-30T10:00:00Z"
    )["record"]
    for key, items in package.items():
        if key in ("subject_of_care", "mods_version", "mods_extensions"):
            continue
        sent = json.loads(json.dumps(items).replace('"soc-bodat"', '"sv-client-0417"'))
        if key == "change_log":
            sent = items  # the sender's history keeps its uids
        for record in sent:
            assert record in merged[key], (key, record.get("record_uid"))
