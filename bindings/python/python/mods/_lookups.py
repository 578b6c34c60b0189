"""The shapes of the look-ups' results, as ``TypedDict`` s (for type checkers; at run time
they are plain dicts). Imported by the stubs; exported from :mod:`mods`."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from typing import Literal, TypedDict

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
]


class Provenance(TypedDict):
    """Where a class of the model comes from."""

    status: Literal["published", "provisional"]
    sources: List[Dict[str, Any]]
    completeness: Optional[str]
    notes: List[str]


class ElementInfo(TypedDict):
    """An element of a class (:func:`mods.classes`)."""

    name: str
    technical_name: str
    description: str
    type: str
    occurs: Literal["0..1", "1..1", "0..*", "1..*"]
    lookup: Dict[str, Any]
    published: Optional[Dict[str, Any]]
    component: Optional[str]
    format: Optional[str]
    partial: bool
    time_optional: bool
    plausible: Optional[Dict[str, Any]]
    integer: bool
    minimum: Optional[float]
    inherited_from: Optional[str]
    inherited: bool
    note: Optional[str]


class ClassInfo(TypedDict):
    """A class of a MODS version (:func:`mods.classes`)."""

    name: str
    technical_name: str
    group: str
    parent: Optional[str]
    kind: str
    versioned: bool
    inherits: Optional[str]
    extension: bool
    description: str
    provenance: Provenance
    elements: List[ElementInfo]
    rules: List[Dict[str, Any]]


class ValueSetInclude(TypedDict, total=False):
    """One code system of a value set spanning several (``ValueSetInfo["includes"]``);
    ``title``, ``version`` and ``grammar`` only when known."""

    system: str
    title: str
    version: str
    codes: List[Dict[str, Any]]
    grammar: str


class _ValueSetInfo(TypedDict):
    id: str
    title: str
    url: str
    source: str
    provenance: str
    version: str
    licence: str
    note: Optional[str]


class ValueSetInfo(_ValueSetInfo, total=False):
    """An embedded value set (:func:`mods.value_sets`): ``system`` and ``codes`` for a set
    of one code system, ``includes`` for one spanning several."""

    system: str
    codes: List[Dict[str, Any]]
    includes: List[ValueSetInclude]


class CodeInfo(TypedDict):
    """A code of an embedded value set (:func:`mods.codes`, :func:`mods.search_codes`)."""

    value_set: str
    system: str
    code: str
    display: str


class GlossaryTerm(TypedDict):
    """A term of the glossary (:func:`mods.glossary`, :func:`mods.search_glossary`)."""

    id: str
    term: str
    definition: str
    synonyms: List[Dict[str, str]]
    not_to_be_confused_with: List[str]
    classes: List[str]
    elements: List[str]
    use_cases: List[str]
    sources: List[Dict[str, str]]


class Glossary(TypedDict):
    """The whole glossary (:func:`mods.glossary` without a term)."""

    glossary_version: str
    mods_version: str
    terms: List[GlossaryTerm]


class Explanation(TypedDict):
    """What an issue code means (:func:`mods.explain`)."""

    code: str
    title: str
    severity: Literal["error", "warning", "information"]
    explanation: str
