"""Hostile Python input: every case is a clear exception or a report, never a crash."""

from __future__ import annotations

import math
from typing import Any, Dict, List

import pytest

import mods


def test_deep_nesting_dict() -> None:
    d: Dict[str, Any] = {}
    cur = d
    for _ in range(100_000):
        nxt: Dict[str, Any] = {}
        cur["a"] = nxt
        cur = nxt
    with pytest.raises(mods.InputError) as e:
        mods.validate(d)
    assert e.value.code == "input-too-deep"
    assert e.value.pointer == "/a" * 64


def test_deep_nesting_list_text() -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate("[" * 100_000 + "]" * 100_000)
    assert e.value.code == "input-too-deep"


def test_self_reference() -> None:
    d: Dict[str, Any] = {"mods_version": "1.0"}
    d["self"] = d
    with pytest.raises(ValueError, match="circular"):
        mods.validate(d)
    lst: List[Any] = []
    lst.append(lst)
    with pytest.raises(ValueError, match="circular"):
        mods.validate({"x": lst})


def test_wide_self_reference_is_bounded() -> None:
    # not circular (siblings share a child) but exponential: stopped by the size limit
    d: Dict[str, Any] = {"x": "y" * 100}
    for _ in range(60):
        d = {"a": d, "b": d}
    with pytest.raises(mods.InputError) as e:
        mods.validate(d)
    assert e.value.code in ("input-too-large", "input-too-deep")


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity(x: float) -> None:
    with pytest.raises(ValueError, match="not a JSON number") as e:
        mods.validate({"mods_version": "1.0", "v": [x]})
    assert "/v/0" in str(e.value)


def test_nan_in_text_is_input_error() -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate('{"v": NaN}')
    assert e.value.code == "input-syntax"


@pytest.mark.parametrize("value", [{1, 2}, object(), b"bytes inside", 1 + 2j])
def test_unserialisable_values(value: Any) -> None:
    with pytest.raises(TypeError, match="not JSON serialisable"):
        mods.validate({"mods_version": "1.0", "x": {"y": value}})


def test_non_str_keys() -> None:
    with pytest.raises(TypeError, match="keys must be str"):
        mods.validate({"mods_version": "1.0", 1: "x"})
    with pytest.raises(TypeError, match="keys must be str"):
        mods.validate({"mods_version": "1.0", None: "x"})


def test_error_messages_hold_no_values() -> None:
    with pytest.raises(TypeError) as e:
        mods.validate({"name": {"secret-9434765918"}})
    assert "9434765918" not in str(e.value)


def test_lone_surrogates() -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate({"mods_version": "1.0", "x": "a\ud800b"})
    assert e.value.code == "input-encoding" and e.value.offset is not None
    with pytest.raises(mods.InputError) as e:
        mods.validate('{"x": "\ud800"}')
    assert e.value.code == "input-encoding"
    with pytest.raises(mods.InputError) as e:
        mods.validate({"\udfff": 1})
    assert e.value.code == "input-encoding"
    # an escaped surrogate in JSON text is the core's input-syntax
    with pytest.raises(mods.InputError) as e:
        mods.validate('{"x": "\\ud800"}')
    assert e.value.code == "input-syntax"
    # in a batch it is a report, not an exception
    [r] = mods.validate_many([{"x": "\ud800"}])
    assert [i.code for i in r.issues] == ["input-encoding"]


@pytest.mark.parametrize(
    "data", [b"\xff", b"\xc3\x28", b"\xef\xbb\xbf{}", b"{\"a\":\"\xed\xa0\x80\"}", "{}".encode("utf-16")]
)
def test_bytes_not_utf8(data: bytes) -> None:
    with pytest.raises(mods.InputError) as e:
        mods.validate(data)
    assert e.value.code == "input-encoding"


def test_huge_ints() -> None:
    base = {"mods_version": "1.0", "subject_of_care": {"record_uid": "s", "version_number": 10**30}}
    r = mods.validate(base)
    assert not r.valid and any(i.pointer == "/subject_of_care/version_number" for i in r.errors())
    big = dict(base, subject_of_care={"record_uid": "s", "version_number": 10**400})
    with pytest.raises(mods.InputError) as e:
        mods.validate(big)
    assert e.value.code == "input-syntax"
    r = mods.validate(dict(base, subject_of_care={"record_uid": "s", "version_number": -(2**70)}))
    assert not r.valid


def test_huge_int_beyond_python_str_limit() -> None:
    with pytest.raises(ValueError):
        mods.validate({"n": 10**5000})


def test_control_characters_and_quotes_round_trip() -> None:
    s = 'a"b\\c\n\t\x00\x1f\u2028é😀'
    assert mods.to_json_bytes({"k": s}).decode() == '{"k":"a\\"b\\\\c\\n\\t\\u0000\\u001f\u2028é😀"}'
    import json

    assert json.loads(mods.to_json_bytes({"k": s, "t": (1, 2.5, True, None)})) == {
        "k": s,
        "t": [1, 2.5, True, None],
    }


def test_subclasses_of_builtins() -> None:
    import collections
    import enum

    class Version(str, enum.Enum):
        V1 = "1.0"

    d = collections.OrderedDict(mods_version=Version.V1)
    r = mods.validate(d)
    assert [i.code for i in r.issues] == ["required-element-missing"]


def test_top_level_not_object() -> None:
    for v in ([], 1, None, "[]", True):
        r = mods.validate(v)
        assert [i.code for i in r.issues] == ["document-not-object"]


def test_many_records_with_hostile_members_raise_with_index() -> None:
    with pytest.raises(ValueError, match=r"records\[2\].*not a JSON number"):
        mods.validate_many([{}, {}, {"x": math.nan}])
