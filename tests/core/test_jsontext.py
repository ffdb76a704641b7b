"""The fast indented JSON writer gives byte for byte what ``json.dumps(..., ensure_ascii=False, indent=2)``
gives, for every value (and the same error for what JSON cannot hold)."""

from __future__ import annotations

import enum
import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.jsontext import _orjson_bytes, compact_texts, dumps_compact, dumps_indented, indented_utf8
from auditor.result import ScanResult, to_document


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text()
           | st.sampled_from([Colour.RED, Level.HIGH, 1e-05, 1e16, -0.0, 2**70]))
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=5)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=40)


def _standard(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=600, deadline=None)
@given(VALUES)
def test_the_text_is_the_standard_librarys_and_the_compact_text_reads_back(value: Any) -> None:
    """Both writers on the same examples (drawing them is most of the test's time)."""
    assert dumps_indented(value) == _standard(value)
    try:
        expected = json.loads(json.dumps(value, ensure_ascii=False))
    except TypeError:
        return  # what JSON cannot hold: nothing to compare
    assert _same(json.loads(dumps_compact(value)), expected)


def test_a_real_report_document_is_written_the_same(demo_result: ScanResult) -> None:
    document = to_document(demo_result)
    assert _orjson_bytes(document, orjson.OPT_INDENT_2) == _standard(document).encode()  # the fast way is taken
    assert dumps_indented(document) == _standard(document)
    assert indented_utf8(document) == _standard(document).encode("utf-8")


@pytest.mark.parametrize("value", [{"a": object()}, [1, {2, 3}], {"x": b"bytes"}])
def test_what_json_cannot_hold_fails_as_in_the_standard_library(value: Any) -> None:
    with pytest.raises(TypeError) as ours:
        dumps_indented(value)
    with pytest.raises(TypeError) as theirs:
        _standard(value)
    assert str(ours.value) == str(theirs.value)


def test_nesting_deeper_than_the_interpreter_allows_is_left_to_the_standard_library() -> None:
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(RecursionError):
        _standard(deep)
    with pytest.raises(RecursionError):
        dumps_indented(deep)


PLAIN_FLOATS = st.floats(min_value=1e-4, max_value=1e16, exclude_max=True) | st.floats(max_value=-1e-4,
                                                                                          min_value=-1e16,
                                                                                          exclude_min=True)
PLAIN = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | PLAIN_FLOATS | st.just(0.0)
                     | st.text(), lambda inner: st.lists(inner, max_size=5)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(PLAIN)
def test_plain_values_written_by_orjson_are_the_standard_librarys_text(value: Any) -> None:
    assert _orjson_bytes(value, orjson.OPT_INDENT_2) == _standard(value).encode()


def test_every_character_is_escaped_as_the_standard_library_escapes_it() -> None:
    text = "".join(chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000)
    assert dumps_indented({"k": [text]}) == _standard({"k": [text]})


@pytest.mark.parametrize("value", [1e-05, 9.99e-05, 1e16, -1e16, float("nan"), float("inf"), 2**64, Colour.RED,
                                   Level.HIGH, {1: "x"}, ("a", 1.5e-7)])
def test_what_orjson_writes_in_its_own_way_goes_the_exact_way(value: Any) -> None:
    assert _orjson_bytes([value], orjson.OPT_INDENT_2) is None
    assert dumps_indented([value]) == _standard([value])
    assert indented_utf8([value]) == _standard([value]).encode("utf-8")


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, NaN equal to NaN (as json.loads reads it back)."""
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, max_size=4))
def test_rows_written_together_read_back_as_each_rows_compact_text(rows: list[Any]) -> None:
    try:
        expected = [dumps_compact(row) for row in rows]
    except TypeError:
        with pytest.raises(TypeError):
            compact_texts(rows)
        return
    got = compact_texts(rows)
    assert len(got) == len(rows)
    assert all(_same(json.loads(a), json.loads(b)) for a, b in zip(got, expected, strict=True))
