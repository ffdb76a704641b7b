"""Indented JSON text written faster than :mod:`json`'s indenting encoder, byte for byte the same.

``json.dumps(value, ensure_ascii=False, indent=2)`` runs the pure-Python encoder (the C one does not
indent on Python 3.11): a generator per container and a call per value, about 1.4 s for a 10,000-tool
``report.json``. :func:`dumps_indented` writes the same text with one loop per container, strings
quoted by the C quoting function and plain values formatted inline. Anything unusual (a key that is not a
string, a type JSON does not know, nesting deeper than the interpreter allows) is handed to
:func:`json.dumps` itself, so the result (or the error) is always exactly the standard library's.

Faster still, when every value is plain (exact ``dict``/``list``/``tuple``/``str``/``int``/``bool``/``None`` and
floats that Python writes without an exponent: finite, 1e-4 ≤ abs(x) < 1e16, or zero), orjson writes it: for such
values its indented text is the standard library's, byte for byte (orjson writes ``1e-05`` as ``0.00001`` and
``NaN`` as ``null``, which is why those go the slow way; tests/core/test_jsontext.py compares them). A 10,000-tool
``report.json``: 0.79 s → 0.14 s check + 0.07 s orjson.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring  # the C quoting function when the C accelerator is there
from typing import Any

import orjson

_INFINITY = float("inf")
#: Raise (→ the slow, exact way) on what orjson would write in its own way: subclasses (StrEnum…), dataclasses…
_ORJSON_STRICT = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
#: Floats whose ``repr`` has no exponent (and orjson's text is the same): 1e-4 ≤ |x| < 1e16.
_PLAIN_LOW, _PLAIN_HIGH = 1e-4, 1e16


class _Unusual(Exception):
    """Something only :func:`json.dumps` itself should write (or refuse)."""


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, faster."""
    fast = _orjson_bytes(value, orjson.OPT_INDENT_2)
    return fast.decode("utf-8") if fast is not None else _slow_indented(value)


def indented_utf8(value: Any) -> bytes:
    """:func:`dumps_indented`'s text as UTF-8 bytes, for a file (orjson's bytes as they are: no copy)."""
    fast = _orjson_bytes(value, orjson.OPT_INDENT_2)
    return fast if fast is not None else _slow_indented(value).encode("utf-8")


def _slow_indented(value: Any) -> str:
    parts: list[str] = []
    try:
        _write(value, parts, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


def dumps_compact(value: Any) -> str:
    """Compact JSON text of ``value`` that :func:`json.loads` reads back as ``value`` (orjson when plain).

    Not always the bytes of :func:`json.dumps` (orjson leaves out the spaces after ``,`` and ``:``), so for
    stored rows, not for files people compare.
    """
    fast = _orjson_bytes(value, 0)
    return fast.decode("utf-8") if fast is not None else json.dumps(value, ensure_ascii=False)


def dataclass_text(value: Any) -> str | None:
    """Compact JSON of a tree of dataclasses, tuples, lists and dicts written by orjson straight from the objects
    (fields in their declared order, as :func:`auditor.serialize.to_data` + :func:`dumps_compact` write them, at a
    tenth of the cost); None when orjson cannot write it so (a subclass of a JSON type, an int beyond 64 bits, a
    key that is not a string, a set of anything but strings and ints …). orjson writes NaN and infinities as
    ``null``: the caller must know that every float in ``value`` is finite."""
    try:
        return orjson.dumps(value, default=_sorted_plain_set,
                            option=orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME).decode("utf-8")
    except (orjson.JSONEncodeError, RecursionError):
        return None


def _sorted_plain_set(value: Any) -> list[Any]:
    """A set of strings or of ints as to_data writes it (sorted); anything else is not for orjson."""
    if isinstance(value, set | frozenset) and (all(type(v) is str for v in value)
                                               or all(type(v) is int for v in value)):
        return sorted(value)
    raise TypeError(f"not written by orjson: {type(value).__name__}")


def compact_texts(items: list[Any]) -> list[str]:
    """:func:`dumps_compact` of each item (rows to store), with one check of plainness for them all."""
    try:
        if _plain(items):
            return [orjson.dumps(item, option=_ORJSON_STRICT).decode("utf-8") for item in items]
    except (orjson.JSONEncodeError, RecursionError):
        pass
    return [dumps_compact(item) for item in items]


def _orjson_bytes(value: Any, option: int) -> bytes | None:
    """orjson's text of ``value`` when it is the standard library's (see the module's notes), else None."""
    try:
        if not _plain((value,)):
            return None
        return orjson.dumps(value, option=option | _ORJSON_STRICT)
    except (orjson.JSONEncodeError, RecursionError):  # ints beyond 64 bits, non-str keys, subclasses, depth
        return None


def _plain(items: Iterable[Any]) -> bool:
    """Whether ``items`` hold only exact JSON types and floats written without an exponent."""
    for item in items:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if kind is float:
            if not (_PLAIN_LOW <= abs(item) < _PLAIN_HIGH or item == 0.0):
                return False
        elif kind is dict:
            if not _plain(item.values()):
                return False
        elif kind is list or kind is tuple:
            if not _plain(item):
                return False
        else:
            return False
    return True


def _scalar(value: Any) -> str | None:
    """The JSON text of a plain value (the checks in :mod:`json.encoder`'s order), None for a container."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value == _INFINITY:
            return "Infinity"
        if value == -_INFINITY:
            return "-Infinity"
        return float.__repr__(value)
    if isinstance(value, list | tuple | dict):
        return None
    raise _Unusual


def _write(value: Any, out: list[str], newline: str) -> None:
    """Append the text of ``value``; ``newline`` is a line break plus the current indentation."""
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = newline + "  "
    if isinstance(value, dict):
        out.append("{")
        separator = inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            kind = type(item)
            if kind is str:
                out.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
            elif kind is int:
                out.append(f"{separator}{encode_basestring(key)}: {int.__repr__(item)}")
            else:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _write(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
        return
    out.append("[")
    separator = inner
    for item in value:
        kind = type(item)
        if kind is str:
            out.append(separator + encode_basestring(item))
        else:
            out.append(separator)
            _write(item, out, inner)
        separator = "," + inner
    out.append(newline + "]")
