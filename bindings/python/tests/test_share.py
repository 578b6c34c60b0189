"""Sharing a record (use case 7): the shared cases of tests/share/cases.json through
``mods.share``, as the Rust API runner reads them, with the checks every view must pass."""

from __future__ import annotations

import copy
from typing import Any, Dict

import pytest

import mods

from conftest import ROOT, load

CASES = load(ROOT / "tests" / "share" / "cases.json")["cases"]


def record(spec: Dict[str, Any]) -> Any:
    if "json" in spec:
        return spec["json"]
    doc = copy.deepcopy(load(ROOT / spec["path"]))
    for pointer, value in (spec.get("set") or {}).items():
        *parents, last = pointer.split("/")[1:]
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        target[last] = value
    return doc


def count(doc: Dict[str, Any], cls: str) -> int:
    v = doc.get(cls)
    if isinstance(v, list):
        return len(v)
    return 1 if isinstance(v, dict) else 0


def resolves(doc: Any, pointer: str) -> bool:
    target = doc
    for p in pointer.split("/")[1:]:
        if isinstance(target, list):
            if not p.isdigit() or int(p) >= len(target):
                return False
            target = target[int(p)]
        elif isinstance(target, dict) and p in target:
            target = target[p]
        else:
            return False
    return True


def invariants(name: str, given: Dict[str, Any], got: Dict[str, Any]) -> None:
    view, manifest = got["view"], got["manifest"]
    assert not [i for i in got["validation"]["issues"] if i["code"] == "dangling-reference"], name
    listed: Dict[str, int] = {}
    for w in manifest["withheld"]:
        if "element" not in w:
            listed[w["class"]] = listed.get(w["class"], 0) + w["count"]
    for cls, c in manifest["classes"].items():
        assert c["input"] == count(given, cls), (name, cls)
        assert c["kept"] == count(view, cls), (name, cls)
        assert c["kept"] + listed.get(cls, 0) == c["input"], (name, cls)


def test_the_cases_are_there() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    given = record(case["record"])
    options = dict(case["options"])
    if "policy_path" in case:
        options["policy"] = (ROOT / case["policy_path"]).read_text(encoding="utf-8")
    expect = case["expect"]
    if "error" in expect:
        # refusals are ValueError (docs/bindings.md), with the message
        with pytest.raises(ValueError) as info:
            mods.share(given, **options)
        assert expect["message"] in str(info.value)
        return
    got = mods.share(given, **options)
    invariants(case["name"], given, got)
    view = got["view"]
    if "valid" in expect:
        assert got["validation"]["valid"] == expect["valid"]
    for cls in expect.get("kept_all", []):
        assert count(given, cls) > 0, cls
        assert count(view, cls) == count(given, cls), cls
    for cls in expect.get("absent", []):
        assert cls not in view, cls
    if "present_only" in expect:
        for k in view:
            assert k in expect["present_only"] or k in ("mods_version", "mods_extensions"), k
    for p in expect.get("elements_absent", []):
        assert resolves(given, p), p
        assert not resolves(view, p), p
    for want in expect.get("withheld", []):
        assert any(
            all(w.get(k) == v for k, v in want.items()) and ("element" in want or "element" not in w)
            for w in got["manifest"]["withheld"]
        ), (want, got["manifest"]["withheld"])


def test_purposes_and_components_are_listed() -> None:
    purposes = mods.share_purposes()
    assert [p["id"] for p in purposes] == [
        "hospital-admission",
        "gp",
        "family-carer",
        "local-authority-review",
        "commissioning",
    ]
    assert all(r["rationale"] for p in purposes for r in p["rules"])
    assert [c["id"] for c in mods.share_components()] == [
        "about-me",
        "needs",
        "care-plan",
        "carers",
        "medication",
        "allergies",
        "alerts-and-risks",
        "contacts",
    ]


def test_every_purpose_on_every_example_accounts_for_every_record() -> None:
    for path in sorted((ROOT / "examples" / "records").glob("*.json")):
        given = load(path)
        for p in mods.share_purposes():
            got = mods.share(given, purpose=p["id"], today="2026-03-01")
            invariants(f"{path.name} {p['id']}", given, got)
            assert got["validation"]["valid"], (path.name, p["id"])
