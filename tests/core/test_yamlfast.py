"""The fast way (libyaml's events straight to values) reads a plain file exactly as the full way does, and leaves
everything else to it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import yamlfile
from auditor.errors import InputError
from auditor.yamlfast import plain_documents
from tests.core.test_landscape_format import BAD, problems_of

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")

#: Texts YAML 1.1 reads as something else than a string, or nearly: the resolver must give each the same type.
TRICKY = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "", "1e3", "1.5e+4", "0o17", "017", "0x1F", "1_000",
          "1:30", "190:20:30.15", ".inf", "-.Inf", ".nan", "2027-03-31", "2001-12-14t21:59:43.10-05:00", "=",
          "+12", "-0", "0.", "._", "true", "True", "tRue", "<<x", "Tool b004610", "D45", "日本語"]
SCALARS = (st.sampled_from(TRICKY) | st.text(max_size=12) | st.integers() | st.floats(allow_nan=False)
           | st.booleans() | st.none() | st.dates())
KEYS = st.sampled_from(TRICKY) | st.text(max_size=8) | st.integers(-50, 50) | st.booleans()
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                    max_leaves=30)


def full_way(text: str) -> list[tuple[Any, dict[Any, int]]]:
    return [(d.data, d.lines) for d in yamlfile._documents(text, "f.yaml", yaml.CSafeLoader)]


def fast_way(text: str) -> list[tuple[Any, dict[Any, int]]] | None:
    return plain_documents(text, yaml.CSafeLoader, yamlfile.MAX_DEPTH, yamlfile.MAX_VALUES)


@settings(max_examples=300, deadline=None)
@given(st.lists(DATA, min_size=1, max_size=3), st.sampled_from([None, False, True]))
def test_a_plain_file_reads_the_same_values_and_lines_both_ways(documents: list[Any], flow: bool | None) -> None:
    text = yaml.dump_all(documents, Dumper=yaml.CSafeDumper, default_flow_style=flow, allow_unicode=True)
    fast = fast_way(text)
    if fast is None:  # e.g. two keys that read as the same value (True and 1): the full way reports it
        with pytest.raises(InputError):
            full_way(text)
        return
    full = full_way(text)
    assert fast == full
    assert [[type(v) for v in _leaves(data)] for data, _ in fast] == \
           [[type(v) for v in _leaves(data)] for data, _ in full]


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value]


def test_a_generated_landscape_is_read_the_fast_way_with_every_line() -> None:
    text = "tools:\n  - id: crm\n    users: 12\n    tags: [a, 'b']\n  - {id: bi, since: 2027-03-31}\n---\n- x\n"
    fast = fast_way(text)
    assert fast is not None and fast == full_way(text)
    (first, lines), (second, second_lines) = fast
    assert first["tools"][1]["since"] == datetime.date(2027, 3, 31)
    assert lines[("tools", 0, "users")] == 3 and lines[("tools", 0, "tags", 1)] == 4 and lines[("tools", 1)] == 5
    assert second == ["x"] and second_lines[(0,)] == 7


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                      # anchors and aliases: the full way counts their expansion
    "a: !!str 1\n",                          # an explicit tag
    "a: 1\na: 2\n",                          # a duplicate key: the full way lists them all
    "? [1, 2]\n: x\n",                       # a collection as a key
    "base: {a: 1}\nc:\n  <<: {b: 2}\n",      # a merge key
    "a: [unclosed\n",                        # not YAML
    "a: !!python/object:os.system x\n",      # an unknown tag
    "deep: " + "[" * 100 + "]" * 100 + "\n",  # near the depth limit (the full way reads this one)
])
def test_what_the_fast_way_does_not_read_is_left_to_the_full_way(text: str) -> None:
    assert fast_way(text) is None


def test_errors_found_after_a_fast_read_are_located_exactly_as_after_a_full_one(make_project, monkeypatch) -> None:
    config = make_project(BAD)
    assert fast_way(BAD) is not None  # this file is read the fast way
    fast = problems_of(config)
    monkeypatch.setattr(yamlfile, "plain_documents", lambda *args: None)  # now only the full way
    assert problems_of(config) == fast
    assert any(p.startswith("landscape.yaml:8: tools[2].users: expected integer") for p in fast)


def test_a_document_just_under_the_value_limit_is_still_read_the_fast_way():
    text = "items:\n" + "".join(f"  - {i}\n" for i in range(48))  # the root, 2 for the key, 48 items: 51 values
    assert plain_documents(text, yaml.CSafeLoader, yamlfile.MAX_DEPTH, 51) == full_way(text)
    assert plain_documents(text, yaml.CSafeLoader, yamlfile.MAX_DEPTH, 50) is None  # over: the full way refuses
