"""Records across versions from Python: round trips through mods.migrate, and mods.diff's
issues for a record uid used twice."""

from __future__ import annotations

import copy
from typing import Any, Dict

import mods
from conftest import ROOT, load


def test_a_round_trip_keeping_lost_data_gives_the_record_back_exactly(
    green: Dict[str, Any],
) -> None:
    down = mods.migrate(green, "0.2.1", keep_lost=True)
    assert "migration" in down["record"]["mods_extensions"]
    back = mods.migrate(down["record"], "1.0")
    assert back["record"] == green
    assert not [c for c in back["changes"] if c["kind"] in ("lost", "not_restored")]


def test_a_wish_becoming_a_preference_is_reported_lost_unless_kept() -> None:
    old = load(ROOT / "examples" / "older" / "mr-green-mods-0.2.1.json")
    up = mods.migrate(old, "1.0")
    lost = [c for c in up["changes"] if c["kind"] == "lost"]
    assert [(c["class"], c["path"]) for c in lost] == [("wish", "/preference/1")]
    kept = mods.migrate(old, "1.0", keep_lost=True)
    assert mods.migrate(kept["record"], "0.2.1")["record"] == old


def test_diff_reports_a_duplicate_uid_as_an_issue(green: Dict[str, Any]) -> None:
    rec = copy.deepcopy(green)
    rec["care_worker"][1]["record_uid"] = rec["care_worker"][0]["record_uid"]
    d = mods.diff(rec, rec)
    assert d["changes"] == []
    assert [(i["code"], i["path"], i["context"]["record"]) for i in d["issues"]] == [
        ("duplicate-record-uid", "/care_worker/1/record_uid", "old"),
        ("duplicate-record-uid", "/care_worker/1/record_uid", "new"),
    ]
    assert mods.diff(green, green)["issues"] == []
