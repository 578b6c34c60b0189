"""Native module of :mod:`mods` (Rust, pyo3). Import from :mod:`mods` instead."""

import datetime
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final, overload

from ._mar import MarView
from ._days import DayComparison
from ._lookups import ClassInfo, CodeInfo, Explanation, Glossary, GlossaryTerm, ValueSetInfo

_Severity = Literal["error", "warning", "information"]
_PathSegment = Union[str, int]
# A record: a mapping (a dict, a TypedDict) of JSON-like values, JSON text, or UTF-8 JSON
# bytes. Not Any: mypy rejects an int, a pathlib.Path (see mods.validate_file) or a list.
_RecordInput = Union[Mapping[str, object], str, bytes, bytearray, memoryview]
_TerminologyInput = Union["OfflineTerminology", Sequence[Union[Mapping[str, Any], str, bytes]]]

__all__ = [
    "CORE_VERSION",
    "_validate_arrow",
    "Issue",
    "OfflineTerminology",
    "Report",
    "Validator",
    "aggregate",
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
    "operation_outcome",
    "schema",
    "share",
    "share_components",
    "share_purposes",
    "search_codes",
    "search_glossary",
    "to_fhir",
    "to_json_bytes",
    "transfer_summary",
    "validate",
    "validate_many",
    "value_sets",
    "versions",
]

CORE_VERSION: str

@final
class Issue:
    """One problem found in a record."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def path(self) -> List[_PathSegment]: ...
    @property
    def pointer(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def context(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Report:
    """The result of validating one record or instance: every issue found."""

    @property
    def valid(self) -> bool: ...
    @property
    def issues(self) -> List[Issue]: ...
    @property
    def omitted(self) -> int: ...
    def errors(self) -> List[Issue]: ...
    def warnings(self) -> List[Issue]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class OfflineTerminology:
    """Offline terminology loaded from FHIR R4 CodeSystem/ValueSet resources."""

    def __new__(
        cls, resources: Optional[Iterable[Union[Mapping[str, Any], str, bytes]]] = None
    ) -> "OfflineTerminology": ...
    def __len__(self) -> int: ...

@final
class Validator:
    """Validation options checked once, for any number of records."""

    def __new__(
        cls,
        *,
        version: Optional[str] = None,
        class_: Optional[str] = None,
        strict: bool = False,
        include_values: bool = False,
        max_issues: int = 1000,
        limits: Optional[Mapping[str, int]] = None,
        terminology: Optional[_TerminologyInput] = None,
        unavailable_terminology: Optional[Sequence[str]] = None,
        today: Optional[Union[datetime.date, str]] = None,
    ) -> "Validator": ...
    def validate(self, record: _RecordInput) -> Report: ...
    def is_valid(self, record: _RecordInput) -> bool: ...
    def iter_issues(self, record: _RecordInput) -> Iterator[Issue]: ...
    def validate_many(self, records: Iterable[_RecordInput], *, workers: Optional[int] = None) -> List[Report]: ...
    @property
    def version(self) -> Optional[str]: ...
    @property
    def options(self) -> Dict[str, Any]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[()]]: ...

def validate(
    record: _RecordInput,
    *,
    class_: Optional[str] = None,
    strict: bool = False,
    include_values: bool = False,
    max_issues: int = 1000,
    limits: Optional[Mapping[str, int]] = None,
    terminology: Optional[_TerminologyInput] = None,
    unavailable_terminology: Optional[Sequence[str]] = None,
    today: Optional[Union[datetime.date, str]] = None,
) -> Report: ...
def validate_many(
    records: Iterable[_RecordInput],
    *,
    workers: Optional[int] = None,
    class_: Optional[str] = None,
    strict: bool = False,
    include_values: bool = False,
    max_issues: int = 1000,
    limits: Optional[Mapping[str, int]] = None,
    terminology: Optional[_TerminologyInput] = None,
    unavailable_terminology: Optional[Sequence[str]] = None,
    today: Optional[Union[datetime.date, str]] = None,
) -> List[Report]: ...
def _validate_arrow(
    array: object, validator: Validator, *, workers: Optional[int] = None
) -> Dict[str, List[Any]]: ...
def versions() -> List[str]: ...
def latest_version() -> str: ...
def classes(version: Optional[str] = None) -> List[ClassInfo]: ...
def value_sets(*, version: Optional[str] = None) -> List[ValueSetInfo]: ...
def codes(value_set: str, *, version: Optional[str] = None) -> List[CodeInfo]: ...
def display(value_set: str, code: str, *, version: Optional[str] = None) -> Optional[str]: ...
def search_codes(
    text: str, value_set: Optional[str] = None, *, version: Optional[str] = None
) -> List[CodeInfo]: ...
@overload
def glossary(term: None = None) -> Glossary: ...
@overload
def glossary(term: str) -> GlossaryTerm: ...
def search_glossary(text: str) -> List[GlossaryTerm]: ...
def explain(code: str) -> Explanation: ...
def issue_codes() -> List[str]: ...
def schema(version: Optional[str] = None, class_: Optional[str] = None) -> Dict[str, Any]: ...
def migrate(record: _RecordInput, to: str, *, keep_lost: bool = False) -> Dict[str, Any]: ...
def diff_spec(a: str, b: str) -> Dict[str, Any]: ...
def diff(
    old: _RecordInput, new: _RecordInput, *, include_values: bool = False, include_audit: bool = False
) -> Dict[str, Any]: ...
def compare_days(
    record: _RecordInput, day: str, against: str, *, against_record: Optional[_RecordInput] = None
) -> "DayComparison": ...
def conformance(
    record: _RecordInput,
    *,
    version: Optional[str] = None,
    strict: bool = False,
    today: Union[datetime.date, str, None] = None,
) -> Dict[str, Any]: ...
def conformance_text(assessment: Union[Mapping[str, Any], str, bytes]) -> str: ...
def aggregate(
    records: Iterable[_RecordInput],
    *,
    by: Union[str, Sequence[str]],
    version: Optional[str] = None,
    as_of: Optional[str] = None,
    suppress: bool = True,
    threshold: int = 7,
    round_to: int = 5,
) -> Dict[str, Any]: ...
def extract(
    records: Iterable[_RecordInput],
    *,
    key: Union[bytes, str],
    profile: Optional[str] = None,
    version: Optional[str] = None,
    as_of: Optional[str] = None,
    mods_codes: bool = False,
) -> Dict[str, Any]: ...
def extract_profiles() -> List[str]: ...
def commission_package(
    record: _RecordInput,
    *,
    plan: str,
    provider: Optional[str] = None,
    sender: Optional[str] = None,
    include_values: bool = False,
    today: Optional[str] = None,
) -> Dict[str, Any]: ...
def commission_accept(
    provider: Union[_RecordInput, List[Dict[str, Any]]],
    package: _RecordInput,
    *,
    date: Optional[str] = None,
    committer: Optional[str] = None,
    system_identifier: Optional[str] = None,
    new_person: bool = False,
    include_values: bool = False,
    today: Optional[str] = None,
) -> Dict[str, Any]: ...
def import_legacy(
    mapping: str,
    data: Union[bytes, str],
    *,
    format: Optional[str] = None,
    dry_run: bool = False,
    include_values: bool = False,
    base_dir: Optional[str] = None,
    chunk_rows: Optional[int] = None,
    name: Optional[str] = None,
) -> Dict[str, Any]: ...
def share(
    record: _RecordInput,
    *,
    purpose: Optional[str] = None,
    policy: Optional[str] = None,
    component: Optional[str] = None,
    today: Optional[str] = None,
    include_values: bool = False,
) -> Dict[str, Any]: ...
def share_purposes() -> List[Dict[str, Any]]: ...
def share_components() -> List[Dict[str, Any]]: ...
def to_json_bytes(value: Any) -> bytes: ...
@overload
def to_fhir(
    record: _RecordInput,
    *,
    type: str = "collection",
    profiles: str = "current",
    timestamp: Optional[str] = None,
    allow_invalid: bool = False,
    as_json: Literal[False] = False,
) -> Dict[str, Any]: ...
@overload
def to_fhir(
    record: _RecordInput,
    *,
    type: str = "collection",
    profiles: str = "current",
    timestamp: Optional[str] = None,
    allow_invalid: bool = False,
    as_json: Literal[True],
) -> bytes: ...
@overload
def to_fhir(
    record: _RecordInput,
    *,
    type: str = "collection",
    profiles: str = "current",
    timestamp: Optional[str] = None,
    allow_invalid: bool = False,
    as_json: bool,
) -> Union[Dict[str, Any], bytes]: ...
@overload
def transfer_summary(
    record: _RecordInput,
    *,
    timestamp: Optional[str] = None,
    profiles: str = "current",
    allow_invalid: bool = False,
    as_json: Literal[False] = False,
) -> Dict[str, Any]: ...
@overload
def transfer_summary(
    record: _RecordInput,
    *,
    timestamp: Optional[str] = None,
    profiles: str = "current",
    allow_invalid: bool = False,
    as_json: Literal[True],
) -> bytes: ...
@overload
def transfer_summary(
    record: _RecordInput,
    *,
    timestamp: Optional[str] = None,
    profiles: str = "current",
    allow_invalid: bool = False,
    as_json: bool,
) -> Union[Dict[str, Any], bytes]: ...
def from_fhir(bundle: _RecordInput, *, keep_unmapped: bool = False) -> Tuple[Dict[str, Any], Dict[str, Any]]: ...
def operation_outcome(record: _RecordInput) -> Dict[str, Any]: ...
def merge_gp_record(
    record: _RecordInput, bundle: _RecordInput, *, date: Optional[str] = None
) -> Tuple[Dict[str, Any], Dict[str, Any]]: ...
def import_discharge(
    record: _RecordInput, bundle: _RecordInput, *, date: Optional[str] = None
) -> Tuple[Dict[str, Any], Dict[str, Any]]: ...

# ---- the medication administration record view (docs/flows/mar.md)

def mar(
    record: _RecordInput,
    date: Union[datetime.date, str],
    *,
    to: Union[datetime.date, str, None] = None,
    strict: bool = False,
    include_values: bool = False,
    today: Union[datetime.date, str, None] = None,
) -> MarView: ...
def mar_text(view: Union[MarView, Mapping[str, Any], str, bytes]) -> str: ...
def merge_discharge(
    record: _RecordInput,
    discharge: _RecordInput,
    *,
    committer: str,
    base: Optional[_RecordInput] = None,
    date_time: Optional[str] = None,
    system_identifier: Optional[str] = None,
    discharge_uid: Optional[str] = None,
    include_values: bool = False,
    date: Optional[str] = None,
) -> Tuple[Dict[str, Any], Dict[str, Any]]: ...
