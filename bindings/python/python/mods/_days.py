"""Day against day (docs/flows/days.md): :func:`compare_days` and the types of its result."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Literal, Optional, Sequence, TypedDict, Union

from . import _mods

# Verdicts (how the two sides compare) are "same", "changed", "only_day" (on the day's
# side only, absent from the other) and "only_against" (on the other side only); a
# document is "record" or "against_record". The Literal types are written out where they
# are used: an alias of a Literal does not survive stubtest.

_Day = Union[str, datetime.date]
Day = Union[_Day, Sequence[_Day]]
"""A day (``"YYYY-MM-DD"`` or a ``datetime.date``), or a period: ``"YYYY-MM-DD..YYYY-MM-DD"``
or a pair ``(first, last)``, both included."""


class SideSummary(TypedDict):
    span: str
    days: int
    document: Literal["record", "against_record"]
    notes: List[str]
    dates_with_notes: List[str]


class Entry(TypedDict):
    date: str
    note: str
    time: Optional[str]
    value: Any
    shown: str


class Usual(TypedDict):
    day: Any
    against: Any


class _ElementComparisonBase(TypedDict):
    element: str
    element_name: str
    kind: Literal["text", "number", "code", "reference", "other"]
    day: List[Entry]
    against: List[Entry]
    verdict: Literal["same", "changed", "only_day", "only_against"]


class ElementComparison(_ElementComparisonBase, total=False):
    usual: Usual
    difference: Union[int, float]


class PeriodComparison(TypedDict):
    period: Optional[str]
    period_name: str
    elements: List[ElementComparison]


class DayTotal(TypedDict):
    date: str
    total_ml: Union[int, float]
    notes: int


class FluidSide(TypedDict):
    per_day: List[DayTotal]
    total_ml: Union[int, float]
    usual_per_day_ml: Optional[Union[int, float]]


class FluidComparison(TypedDict):
    day: FluidSide
    against: FluidSide
    difference_ml: Optional[Union[int, float]]
    verdict: Optional[Literal["same", "changed", "only_day", "only_against"]]


class MoodCount(TypedDict):
    code: str
    display: str
    count: int


class MoodSide(TypedDict):
    counts: List[MoodCount]
    usual: List[str]


class MoodComparison(TypedDict):
    day: MoodSide
    against: MoodSide
    verdict: Optional[Literal["same", "changed", "only_day", "only_against"]]


class Administration(TypedDict):
    record_uid: str
    date: Optional[str]
    time: Optional[str]
    status: Optional[str]
    taken: bool
    dose: Optional[str]
    administered_by: Optional[str]
    in_notes: bool


class MedicineSide(TypedDict):
    taken: int
    administrations: List[Administration]


class MedicineComparison(TypedDict):
    medication: Optional[str]
    name: str
    day: MedicineSide
    against: MedicineSide
    verdict: Literal["same", "changed", "only_day", "only_against"]


# the functional form, since one key is the keyword "class"
Helper = TypedDict(
    "Helper",
    {
        "reference": str,
        "name": Optional[str],
        "class": Optional[str],
        "role": Optional[str],
        "notes": int,
        "doses": int,
    },
)


class HelperComparison(TypedDict):
    day: List[Helper]
    against: List[Helper]
    only_day: List[str]
    only_against: List[str]
    verdict: Optional[Literal["same", "changed", "only_day", "only_against"]]


class Unresolved(TypedDict):
    document: Literal["record", "against_record"]
    pointer: str
    reference: str
    expected: List[str]
    found_class: Optional[str]


class SkippedNote(TypedDict):
    document: Literal["record", "against_record"]
    pointer: str
    record_uid: Optional[str]
    reason: Literal["not_an_object", "no_date", "not_a_full_date"]


class Validation(TypedDict):
    record: Dict[str, Any]
    against_record: Optional[Dict[str, Any]]


class DayComparison(TypedDict):
    """The result of :func:`compare_days` (docs/flows/days.md, "The result")."""

    mods_version: str
    day: SideSummary
    against: SideSummary
    periods: List[PeriodComparison]
    fluid_intake: FluidComparison
    mood: MoodComparison
    medicines: List[MedicineComparison]
    helpers: HelperComparison
    unresolved: List[Unresolved]
    skipped_notes: List[SkippedNote]
    validation: Validation


def _one(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{what} must be a datetime.date, not a datetime.datetime (use .date())")
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{what} must be a str YYYY-MM-DD or a datetime.date")


def _span(value: Any, what: str) -> str:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise TypeError(f"{what} as a period must be a pair (first, last)")
        return f"{_one(value[0], what)}..{_one(value[1], what)}"
    return _one(value, what)


def compare_days(record: Any, day: Day, against: Day, *, against_record: Any = None) -> DayComparison:
    """Compare a person's daily care notes of two days or periods, in MODS terms.

    Each element of the Daily care note per period of the day (morning, afternoon, ...),
    with the value on each side and a verdict; fluid intake totals per day; the usual mood;
    the medicines taken on each side and those missing on one; who helped. Free text is
    shown on both sides and compared as text only. See docs/flows/days.md.

    Args:
        record: The record (dict, JSON text or bytes).
        day: The day looked at: ``"YYYY-MM-DD"``, a ``datetime.date``, or a period
            ``"YYYY-MM-DD..YYYY-MM-DD"`` or ``(first, last)``.
        against: The day or period it is compared with, in the same forms.
        against_record: Take the other side's notes from this document (the same
            person's) instead of ``record``.

    Returns:
        The comparison (a dict shaped as :class:`DayComparison`); it holds the person's
        notes, names and doses.

    Raises:
        ValueError: a day that is not a date or a period; documents that cannot be
            compared (not records, a MODS version without daily care notes, two people).
        TypeError: a day of another type.
        mods.InputError: a document cannot be read as JSON.
    """
    result: DayComparison = _mods.compare_days(
        record, _span(day, "day"), _span(against, "against"), against_record=against_record
    )
    return result
