"""Validate Adult Social Care MODS (DAPB4102) records.

A thin, typed binding of the Rust ``mods-core``: every rule lives there, and this package
reaches the same verdict as the ``mods`` CLI and every other binding.

Example:
    >>> import mods
    >>> report = mods.validate({"mods_version": "1.0"})
    >>> report.valid
    False
    >>> [(i.code, i.pointer) for i in report.errors()]
    [('required-element-missing', '/subject_of_care')]

Reports, issues and exceptions never show the person's data in ``str()`` or ``repr()``;
values appear only in ``Issue.context["value"]`` when asked for with
``include_values=True``.
"""

from __future__ import annotations

import datetime
from typing import Mapping, Optional, Sequence, Union

from ._days import DayComparison, compare_days
from ._column import migrate_column, to_fhir_column, validate_column
from ._file import validate_file
from ._lookups import (
    ClassInfo,
    CodeInfo,
    ElementInfo,
    Explanation,
    Glossary,
    GlossaryTerm,
    Provenance,
    ValueSetInclude,
    ValueSetInfo,
)
from ._errors import InputError, InternalError, MigrationError, ModsError, ValidationError
from ._mar import (
    MarActor,
    MarCoded,
    MarDose,
    MarMedicine,
    MarPeriod,
    MarPerson,
    MarView,
    MarWarning,
)
from ._mods import (
    CORE_VERSION,
    Issue,
    OfflineTerminology,
    Report,
    Validator,
    aggregate,
    classes,
    codes,
    commission_accept,
    commission_package,
    conformance,
    conformance_text,
    diff,
    diff_spec,
    display,
    explain,
    extract,
    extract_profiles,
    from_fhir,
    glossary,
    import_discharge,
    import_legacy,
    issue_codes,
    latest_version,
    mar,
    mar_text,
    merge_discharge,
    merge_gp_record,
    migrate,
    operation_outcome,
    schema,
    share,
    share_components,
    share_purposes,
    search_codes,
    search_glossary,
    to_fhir,
    to_json_bytes,
    transfer_summary,
    validate,
    validate_many,
    value_sets,
    versions,
)

__version__ = CORE_VERSION

__all__ = [
    "ClassInfo",
    "CodeInfo",
    "ElementInfo",
    "Explanation",
    "Glossary",
    "GlossaryTerm",
    "Provenance",
    "ValueSetInclude",
    "ValueSetInfo",
    "DayComparison",
    "InputError",
    "InternalError",
    "Issue",
    "MarActor",
    "MarCoded",
    "MarDose",
    "MarMedicine",
    "MarPeriod",
    "MarPerson",
    "MarView",
    "MarWarning",
    "MigrationError",
    "ModsError",
    "OfflineTerminology",
    "Report",
    "ValidationError",
    "Validator",
    "aggregate",
    "check",
    "classes",
    "codes",
    "compare_days",
    "commission_accept",
    "commission_package",
    "conformance",
    "conformance_text",
    "diff",
    "diff_spec",
    "display",
    "explain",
    "extract",
    "extract_profiles",
    "from_fhir",
    "glossary",
    "import_discharge",
    "import_legacy",
    "issue_codes",
    "latest_version",
    "mar",
    "mar_text",
    "merge_discharge",
    "merge_gp_record",
    "migrate",
    "migrate_column",
    "operation_outcome",
    "schema",
    "share",
    "share_components",
    "share_purposes",
    "search_codes",
    "search_glossary",
    "to_fhir",
    "to_fhir_column",
    "to_json_bytes",
    "transfer_summary",
    "validate",
    "validate_column",
    "validate_file",
    "validate_many",
    "value_sets",
    "versions",
]


def check(
    record: Union[Mapping[str, object], str, bytes, bytearray, memoryview],
    *,
    class_: Optional[str] = None,
    strict: bool = False,
    include_values: bool = False,
    max_issues: int = 1000,
    limits: Optional[Mapping[str, int]] = None,
    terminology: Union[OfflineTerminology, Sequence[Union[Mapping[str, object], str, bytes]], None] = None,
    unavailable_terminology: Optional[Sequence[str]] = None,
    today: Union[datetime.date, str, None] = None,
) -> Report:
    """Validate a record and raise if it is not valid.

    Takes the same arguments as :func:`validate`.

    Returns:
        Report: the report of a valid record (it may hold warnings).

    Raises:
        ValidationError: the record has at least one error; ``.issues`` and ``.report``
            carry them.
        InputError: the input cannot be read as JSON.
        InternalError: a bug in mods-sdk stopped the validation.
    """
    report = validate(
        record,
        class_=class_,
        strict=strict,
        include_values=include_values,
        max_issues=max_issues,
        limits=limits,
        terminology=terminology,
        unavailable_terminology=unavailable_terminology,
        today=today,
    )
    if not report.valid:
        raise ValidationError(report)
    return report
