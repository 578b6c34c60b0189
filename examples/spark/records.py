"""Synthetic MODS 1.0 records for the Spark job: a part of Mr Green's example record
(examples/records/mr-green.json) with a new uid and NHS number for each record, and a
known share of them made invalid (a wrong NHS number check digit) or given a warning (an
element the model does not define). Written by string templating, not json.dumps, so that
making a million records costs little beside validating them."""

from __future__ import annotations

import json
import pathlib
from typing import Dict, List, Tuple

import mods

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "records" / "mr-green.json"

#: Every INVALID_EVERY-th record has a wrong check digit; every WARNING_EVERY-th (of the
#: others) an unknown element.
INVALID_EVERY = 10
WARNING_EVERY = 7

#: The classes kept from the example: the person, their demographics and their GP.
KEEP = ("mods_version", "subject_of_care", "person_demographics", "gp_practice")


def nhs_number(i: int) -> str:
    """A valid NHS number made from ``i`` (nine digits and the Modulus 11 check digit)."""
    while True:
        digits = f"{(400000000 + i * 7919) % 1000000000:09d}"
        total = sum(int(d) * (10 - k) for k, d in enumerate(digits))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return digits + str(check)
        i += 1_000_003


def wrong_check_digit(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


def template() -> Tuple[List[str], str]:
    """The record as text around its two placeholders (the uid, the NHS number)."""
    record = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    part = {k: record[k] for k in KEEP}
    assert mods.validate(part).valid, "the part of the example kept is valid"
    text = json.dumps(part, separators=(",", ":"))
    nhs = part["subject_of_care"]["nhs_number"]
    uid = part["subject_of_care"]["record_uid"]
    assert text.count(f'"{nhs}"') == 1 and text.count(f'"{uid}"') == 1
    head, rest = text.split(f'"{uid}"')
    middle, tail = rest.split(f'"{nhs}"')
    return [head, middle, tail], text


def make(start: int, stop: int, parts: List[str]) -> List[str]:
    """Records ``start`` to ``stop - 1``."""
    head, middle, tail = parts
    out = []
    for i in range(start, stop):
        number = nhs_number(i)
        extra = ""
        if i % INVALID_EVERY == 0:
            number = wrong_check_digit(number)
        elif i % WARNING_EVERY == 0:
            extra = ',"spark_batch":1'
        out.append(f'{head}"soc-{i}"{middle}"{number}"{tail[:-1]}{extra}}}')
    return out


def expected(n: int) -> Dict[str, int]:
    """How many of records 0 to ``n - 1`` are valid and invalid."""
    invalid = len(range(0, n, INVALID_EVERY))
    return {"valid": n - invalid, "invalid": invalid}
