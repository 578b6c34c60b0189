"""The validator a file, column or Spark call uses: the caller's, or one made from options."""

from __future__ import annotations

import datetime
from typing import Mapping, Optional, Sequence, Union

from ._mods import OfflineTerminology, Validator

# The validation options' defaults, as every call that takes them declares them.
_DEFAULTS = (None, None, False, False, 1000, None, None, None, None)


def validator_from(
    validator: Optional[Validator],
    *,
    version: Optional[str],
    class_: Optional[str],
    strict: bool,
    include_values: bool,
    max_issues: int,
    limits: Optional[Mapping[str, int]],
    terminology: Union[OfflineTerminology, Sequence[Union[Mapping[str, object], str, bytes]], None],
    unavailable_terminology: Optional[Sequence[str]],
    today: Union[datetime.date, str, None],
) -> Validator:
    """``validator`` itself, or a ``Validator`` built from the options (checked there).

    Raises:
        ValueError: ``validator`` given together with an option other than its default.
    """
    options = (version, class_, strict, include_values, max_issues, limits, terminology,
               unavailable_terminology, today)
    if validator is None:
        return Validator(
            version=version,
            class_=class_,
            strict=strict,
            include_values=include_values,
            max_issues=max_issues,
            limits=limits,
            terminology=terminology,
            unavailable_terminology=unavailable_terminology,
            today=today,
        )
    if options != _DEFAULTS:
        raise ValueError("give either validator or validation options, not both")
    return validator
