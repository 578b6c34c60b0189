"""Legacy import (use case 5): the shared cases of tests/import/cases.json through
``mods.import_legacy``, as the Rust API test reads them, and the example export."""

from __future__ import annotations

from typing import Any

import pytest

import mods

from conftest import ROOT, load

CASES = load(ROOT / "tests" / "import" / "cases.json")["cases"]


def pointer(doc: Any, ptr: str) -> Any:
    target = doc
    for p in ptr.split("/")[1:]:
        target = target[int(p)] if isinstance(target, list) else target[p]
    return target


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_case(case: Any) -> None:
    expect = case["expect"]
    kwargs = {"format": case["format"]} if "format" in case else {}
    if "error" in expect:
        with pytest.raises(ValueError) as e:
            mods.import_legacy(case["mapping"], case["data"], **kwargs)
        assert expect["message_contains"] in str(e.value)
        return
    out = mods.import_legacy(case["mapping"], case["data"].encode(), **kwargs)
    records = out["records"]
    assert len(records) == expect["records"]
    assert len(out["entries"]) == len(expect["entries"]), out["entries"]
    for got, want in zip(out["entries"], expect["entries"]):
        for k, v in want.items():
            assert got.get(k) == v, (k, got)
    for ptr, v in (expect.get("values") or {}).items():
        assert pointer(records, ptr) == v, ptr
    for ptr, n in (expect.get("counts") or {}).items():
        assert len(pointer(records, ptr)) == n, ptr
    if "absent" in expect:
        assert expect["absent"] not in repr(out["entries"])
    for col, c in out["summary"]["columns"].items():
        assert c["cells"] == c["imported"] + c["ignored"] + c["reported"], col


def test_the_example_export_accounts_for_every_cell() -> None:
    folder = ROOT / "examples" / "legacy-import"
    out = mods.import_legacy(
        (folder / "mapping.toml").read_text(),
        (folder / "clients.csv").read_bytes(),
        dry_run=True,
        base_dir=str(folder),
        name="clients.csv",
    )
    s = out["summary"]
    assert out["records"] == []
    assert s["persons"] == 300
    codes = {e["code"] for e in out["entries"]}
    assert {"too-many-fields", "unmapped-value", "unmapped-column", "attachment-missing"} <= codes
    assert all("value" not in e for e in out["entries"])
    cells = sum(c["cells"] for c in s["columns"].values())
    accounted = sum(c["imported"] + c["ignored"] + c["reported"] for c in s["columns"].values())
    assert cells == accounted > 7000


def test_values_only_when_asked_and_bad_data_type() -> None:
    mapping = CASES[2]["mapping"]
    data = CASES[2]["data"]
    out = mods.import_legacy(mapping, data, include_values=True)
    assert any(e.get("value") == "Martian" for e in out["entries"])
    with pytest.raises(TypeError):
        mods.import_legacy(mapping, 42)  # type: ignore[arg-type]
