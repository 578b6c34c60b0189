"""Correct uses of the typed API: check.sh and tests/test_typing.py run ``mypy --strict``
on this file, which must pass. Never run."""

from __future__ import annotations

import datetime
import pathlib
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

import mods


def record() -> Dict[str, object]:
    return {"mods_version": "1.0"}


r: mods.Report = mods.validate(record())
r = mods.validate('{"mods_version": "1.0"}')
r = mods.validate(b'{"mods_version": "1.0"}')
r = mods.validate(bytearray(b"{}"))
r = mods.validate(memoryview(b"{}"))
typed: Mapping[str, int] = {"x": 1}
r = mods.validate(typed, strict=True, today=datetime.date(2025, 1, 1))
valid: bool = r.valid
reports: List[mods.Report] = mods.validate_many([record(), "{}", b"{}"], workers=2)

v = mods.Validator(version="1.0", strict=True, limits={"max_depth": 64}, today="2025-01-01")
r = v.validate(record())
ok: bool = v.is_valid(b"{}")
issues: Iterator[mods.Issue] = v.iter_issues("{}")
codes = [i.code for i in issues]
pinned: Optional[str] = v.version

from_file: List[mods.Report] = list(mods.validate_file(pathlib.Path("x.ndjson"), lazy=False))
from_str = mods.validate_file("x.json", validator=v)

for c in mods.classes("1.0"):
    name: str = c["technical_name"]
    for el in c["elements"]:
        el_name: str = el["technical_name"]
for vs in mods.value_sets():
    vs_id: str = vs["id"]
for code in mods.codes("x"):
    display: str = code["display"]
for hit in mods.search_codes("fall"):
    hit_code: str = hit["code"]
g = mods.glossary()
for t in g["terms"]:
    term: str = t["term"]
found: List[mods.GlossaryTerm] = mods.search_glossary("carer")
ex: str = mods.explain("input-syntax")["explanation"]

bundle: Dict[str, Any] = mods.to_fhir(b"{}")
sent: bytes = mods.to_fhir(b"{}", type="transaction", as_json=True)
summary_text: bytes = mods.transfer_summary(b"{}", as_json=True)
either: Union[Dict[str, Any], bytes] = mods.to_fhir(b"{}", as_json=bool(summary_text))
