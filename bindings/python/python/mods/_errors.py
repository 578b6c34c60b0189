"""Exception classes of :mod:`mods` (raised from the native module too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from ._mods import Issue, Report


class ModsError(Exception):
    """Base class of every error :mod:`mods` raises on purpose."""


class InputError(ModsError, ValueError):
    """The input cannot be read as one JSON document within the limits.

    Raised by :func:`mods.validate` for input that is not JSON, not UTF-8 (a lone surrogate
    in a ``str`` included), nested too deep, too large, and so on. ``validate_many`` does
    not raise it: the record's report holds the same ``input-*`` issue instead.

    Attributes:
        code: The ``input-*`` issue code, e.g. ``"input-syntax"``.
        pointer: JSON pointer to where reading stopped, when known.
        line: 1-based line where reading stopped, when known.
        column: 1-based column where reading stopped, when known.
        offset: Byte offset, for encoding errors.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        pointer: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.pointer = pointer
        self.line = line
        self.column = column
        self.offset = offset

    def __str__(self) -> str:
        where = []
        if self.pointer:
            where.append(f"at {self.pointer}")
        if self.line is not None:
            where.append(f"line {self.line} column {self.column}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        suffix = f" ({', '.join(where)})" if where else ""
        return f"{self.code}: {self.message}{suffix}"

    def __repr__(self) -> str:
        return f"InputError(code={self.code!r}, pointer={self.pointer!r})"


class ValidationError(ModsError, ValueError):
    """A record is not valid (raised by :func:`mods.check`).

    Attributes:
        report: The whole :class:`mods.Report`.
        issues: Every issue of the report (errors and warnings).

    ``str()`` names the first errors by code and path only: never the person's data.
    """

    report: "Report"
    issues: "List[Issue]"

    def __init__(self, report: "Report") -> None:
        self.report = report
        self.issues = report.issues
        errors = report.errors()
        shown = "; ".join(f"{i.code} at {i.pointer or '/'}" for i in errors[:3])
        more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
        super().__init__(
            f"the record is not valid: {len(errors)} error(s): {shown}{more}"
        )

    def __reduce__(self) -> Any:  # reports are native objects; keep pickling simple
        return (ModsError, (str(self),))


class MigrationError(ModsError, ValueError):
    """A record cannot be migrated (raised by :func:`mods.migrate`).

    Attributes:
        losses: What the target version cannot hold (``path``, ``class``, ``element``,
            ``step``), when that is why; otherwise empty.
    """

    def __init__(self, message: str, *, losses: Optional[List[dict]] = None) -> None:
        super().__init__(message)
        self.losses = list(losses or [])


class InternalError(ModsError, RuntimeError):
    """A bug in mods-sdk (a panic in the native code) stopped the call.

    Raised by any function or method of :mod:`mods` instead of a crash or pyo3's
    ``PanicException`` (which derives from ``BaseException`` and so escapes
    ``except Exception``). No input makes the library panic: please report it, with
    ``location``. ``validate_many`` does not raise it for a record: that record's report holds
    one ``internal-error`` issue instead, and the rest of the batch is returned.

    The message is fixed text and the location only: a panic's own message can quote the
    data being read (a name, an NHS number), so it is never shown.

    Attributes:
        location: Where in the native code it happened, as ``"file:line"`` (for example
            ``"mods-core/src/checks.rs:174"``), or ``None`` when unknown.
    """

    def __init__(self, message: str, *, location: Optional[str] = None) -> None:
        super().__init__(message)
        self.location = location

    def __repr__(self) -> str:
        return f"InternalError(location={self.location!r})"

    def __reduce__(self) -> Any:
        return (_internal_error, (str(self), self.location))


def _internal_error(message: str, location: Optional[str]) -> "InternalError":
    return InternalError(message, location=location)
