"""The fast indented JSON writer gives byte for byte what ``json.dumps(..., ensure_ascii=False, indent=2)``
gives, for every value (and the same error for what JSON cannot hold)."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.jsontext import dumps_indented


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
def test_the_text_is_the_standard_librarys(value: Any) -> None:
    assert dumps_indented(value) == _standard(value)


def test_a_real_report_document_is_written_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditor.cli.scan import demo_config_path
    from auditor.config import load_config
    from auditor.result import to_document
    from connectors.prepare import scan_config

    document = to_document(scan_config(load_config(demo_config_path())))
    assert dumps_indented(document) == _standard(document)


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
