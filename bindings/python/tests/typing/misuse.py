"""Deliberate misuses of the typed API: tests/test_typing.py runs ``mypy --strict`` on this
file and checks that each line marked ``# E: <code>`` is reported with that error code,
and that no other line is. Never run."""

from __future__ import annotations

import pathlib
from typing import Any, Dict

import mods

mods.validate(42)  # E: arg-type
mods.validate(pathlib.Path("record.json"))  # E: arg-type
mods.validate(None)  # E: arg-type
mods.validate([{"mods_version": "1.0"}])  # E: arg-type
mods.validate({1: "x"})  # E: dict-item
mods.validate_many([42])  # E: list-item
mods.Validator().validate(3.5)  # E: arg-type
mods.Validator().is_valid(pathlib.Path("r.json"))  # E: arg-type
mods.Validator(strict="yes")  # E: arg-type
mods.Validator("1.0")  # E: call-arg
mods.check(42)  # E: arg-type
mods.to_fhir(42)  # E: call-overload
wanted_dict: Dict[str, Any] = mods.to_fhir("{}", as_json=True)  # E: assignment
mods.migrate(pathlib.Path("r.json"), "1.1")  # E: arg-type
mods.validate_file(42)  # E: call-overload
ok: bool = mods.validate("{}").valid
n: int = mods.validate("{}")  # E: assignment
c = mods.classes()[0]
c["no_such_key"]  # E: typeddict-item
title: int = mods.value_sets()[0]["title"]  # E: assignment
g = mods.glossary()
g["terms"][0]["nope"]  # E: typeddict-item
e: int = mods.explain("input-syntax")["title"]  # E: assignment
x: int = mods.codes("x")[0]["code"]  # E: assignment
