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


# --- objects whose Python methods run while a record is converted -------------------------


class _Digits(int):
    """An int whose str/repr/index/int would inject JSON text or mutate a container."""

    hook: Any = None

    def _inject(self) -> str:
        if _Digits.hook is not None:
            _Digits.hook()
        return '1,"injected":true'

    def __str__(self) -> str:
        return self._inject()

    def __repr__(self) -> str:
        return self._inject()

    def __format__(self, spec: str) -> str:
        return self._inject()

    def __index__(self) -> int:
        self._inject()
        return 7

    def __int__(self) -> int:
        self._inject()
        return 7


@pytest.mark.parametrize("n", [5, -5, 2**63 + 1, 10**30, -(10**30)])
def test_int_subclass_is_written_by_its_value_never_its_str(n: int) -> None:
    out = mods.to_json_bytes({"n": _Digits(n), "m": [_Digits(n)]})
    assert out == b'{"n":%d,"m":[%d]}' % (n, n)
    assert b"injected" not in out


def test_int_subclass_cannot_inject_json_into_a_record() -> None:
    rec = {"mods_version": "1.0", "subject_of_care": {"record_uid": "s", "version_number": _Digits(10**30)}}
    r = mods.validate(rec)
    assert ("invalid-number", "/subject_of_care/version_number") in [(i.code, i.pointer) for i in r.issues]
    assert all("injected" not in i.pointer for i in r.issues), [i.pointer for i in r.issues]


def test_int_subclass_that_mutates_the_dict_being_converted() -> None:
    d: Dict[str, Any] = {}

    def mutate() -> None:
        d.clear()
        d.update({f"k{i}": i for i in range(10)})

    d["a"] = _Digits(10**30)
    d["b"] = 1
    _Digits.hook = mutate
    try:
        out = mods.to_json_bytes(d)
        r = mods.validate(d)
        [r2] = mods.validate_many([d])
    finally:
        _Digits.hook = None
    # none of the overridden methods ran: the value is the int's own, the dict is untouched
    assert out == b'{"a":1000000000000000000000000000000,"b":1}'
    assert d == {"a": 10**30, "b": 1}
    assert r == r2 and not r.valid


def test_str_subclass_with_a_lone_surrogate_is_encoded_by_str_never_its_override() -> None:
    d: Dict[str, Any] = {}

    class Sneaky(str):
        def encode(self, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[override]
            d.clear()
            d.update({f"k{i}": i for i in range(10)})
            return b'","injected":"'

    d["a"] = Sneaky("x\ud800")
    d["b"] = 1
    for value in (d, Sneaky('{"a": "x\ud800"}')):
        with pytest.raises(mods.InputError) as e:
            mods.validate(value)
        assert e.value.code == "input-encoding"
    assert len(d) == 2 and d["b"] == 1


class _IndexMutates:
    """Not an int, but usable as one through __index__, which mutates a dict."""

    def __init__(self, target: Dict[str, Any]) -> None:
        self.target = target

    def __index__(self) -> int:
        self.target.clear()
        self.target.update({"max_depth": 5, "max_nodes": 10, "max_bytes": 10})
        return 1000


def test_limits_dict_changed_by_index_is_a_clear_error_not_a_panic() -> None:
    limits: Dict[str, Any] = {}
    limits["max_bytes"] = _IndexMutates(limits)
    limits["max_depth"] = 10
    with pytest.raises(RuntimeError, match="changed while") as e:
        mods.validate({"mods_version": "1.0"}, limits=limits)
    assert "limits" in str(e.value)
    limits = {}
    limits["max_bytes"] = _IndexMutates(limits)
    with pytest.raises(RuntimeError, match="changed while"):
        mods.validate_many([{}], limits=limits)
    # an __index__ that leaves the dict alone is fine
    r = mods.validate({"mods_version": "1.0"}, limits={"max_depth": _IndexMutates({})})
    assert [i.code for i in r.issues] == ["required-element-missing"]


def test_deep_nesting_with_raised_limits_on_a_small_thread_stack_does_not_crash() -> None:
    # in a child process: a native stack overflow would kill the interpreter, not raise
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import threading, mods
        d = cur = {}
        for _ in range(20_000):
            cur["a"] = {}
            cur = cur["a"]
        text = '{"a":' * 20_000 + '{}' + '}' * 20_000
        threading.stack_size(256 * 1024)
        out = []
        def run():
            for value in (d, text):
                try:
                    mods.validate(value, limits={"max_depth": 1_000_000})
                except mods.InputError as e:
                    out.append((e.code, e.line, e.column))
            [r] = mods.validate_many([d], limits={"max_depth": 1_000_000})
            out.append(r.issues[0].code)
        t = threading.Thread(target=run)
        t.start()
        t.join()
        print(out)
        """
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    out = eval(p.stdout)
    # the dict reaches the same verdict as the same JSON text
    assert out[0][0] == out[1][0] == out[2] == "input-syntax", out
    assert out[0][2] == out[1][2], out
