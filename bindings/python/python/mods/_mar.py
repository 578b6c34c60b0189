"""The shape of :func:`mods.mar`'s result, as TypedDicts (docs/flows/mar.md).

Every member is always present; ``None`` when the record has nothing for it. ``MarPeriod``
(member ``from``) and ``MarActor`` (member ``class``) use the functional form, their names
being Python keywords.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

try:  # Python 3.8+: typing.TypedDict; Literal too
    from typing import Literal, TypedDict
except ImportError:  # pragma: no cover
    from typing_extensions import Literal, TypedDict  # type: ignore[assignment]

__all__ = [
    "MarActor",
    "MarCoded",
    "MarDose",
    "MarMedicine",
    "MarPeriod",
    "MarPerson",
    "MarView",
    "MarWarning",
]



class MarCoded(TypedDict):
    """A coded value: the record's display, else the value set's."""

    code: Optional[str]
    system: Optional[str]
    display: Optional[str]


class MarPerson(TypedDict):
    """The subject of care."""

    record_uid: Optional[str]
    name: Optional[str]
    nhs_number: Optional[str]
    date_of_birth: Optional[str]


#: The days shown (``from``, ``to``) and ``look_back_from``, the UK clock time 24 hours
#: before midnight at the start of ``from``.
MarPeriod = TypedDict("MarPeriod", {"from": str, "to": str, "look_back_from": str})


class MarMedicine(TypedDict):
    """The Medication record a dose names."""

    pointer: str
    record_uid: str
    name: Optional[str]
    code: Optional[MarCoded]
    dose_instructions: Optional[str]
    dose_quantity: Optional[float]
    dose_unit: Optional[MarCoded]
    frequency: Optional[str]
    as_required: Optional[bool]
    minimum_interval_hours: Optional[float]
    maximum_dose_per_24_hours: Optional[float]


#: Who gave (or witnessed) a dose: ``class`` is the record's class (``care_worker``,
#: ``unpaid_carer``, ``subject_of_care``...), ``role`` their role in plain words.
MarActor = TypedDict(
    "MarActor",
    {
        "pointer": str,
        "record_uid": str,
        "class": str,
        "name": Optional[str],
        "role": str,
        "relationship": Optional[MarCoded],
    },
)


class MarDose(TypedDict):
    """One Medication administration."""

    pointer: str
    record_uid: Optional[str]
    date: Optional[str]
    time: Optional[str]
    status: Optional[MarCoded]
    counted: bool
    medicine: Optional[MarMedicine]
    product: Optional[MarCoded]
    amount: Optional[float]
    unit: Optional[MarCoded]
    route: Optional[MarCoded]
    given_by: Optional[MarActor]
    given_by_role: Optional[MarCoded]
    witnessed_by: Optional[MarActor]
    information_source: Optional[MarCoded]
    report_reliability: Optional[MarCoded]
    as_required: Optional[bool]
    reason_given: Optional[str]
    reason_not_given: Optional[str]
    warnings: List[int]


class MarWarning(TypedDict):
    """A warning of the view; its message never holds the person's data."""

    # the kinds of warning of the view, a closed list (docs/flows/mar.md)
    code: Literal[
        "dose-within-minimum-interval",
        "maximum-dose-per-24-hours-exceeded",
        "medicine-under-two-records",
        "dose-reported-not-recorded",
        "unresolved-reference",
        "dose-time-missing",
        "administration-date-missing",
        "no-administration-class",
    ]
    dose: Optional[str]
    message: str
    context: Dict[str, Any]


class MarView(TypedDict):
    """A person's medication administration record for a period (:func:`mods.mar`)."""

    mods_version: str
    person: MarPerson
    period: MarPeriod
    doses: List[MarDose]
    earlier_doses: List[MarDose]
    warnings: List[MarWarning]
    validation: Dict[str, Any]
