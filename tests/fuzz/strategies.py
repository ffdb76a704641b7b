"""Hypothesis strategies for hostile inputs: awkward text, awkward numbers, and mutations of real payloads."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

#: Cells and values that broke parsers before: non-finite and huge numbers, NUL, lone surrogates, formulas.
NASTY_TEXT = ("inf", "-inf", "nan", "NaN", "Infinity", "1e309", "1e999999999", "9" * 400, "0x1F", "(1,20)", "1,20",
              "¥1,200", "$", "€ 12,50", "", " ", "\x00", "\ud800", "\ufffe", "=1+1", "null", "[]", "{}", ":100:",
              "0000-00-00", "0001-01-01", "9999-12-31", "2024-02-30", "-1", "1.5", "12 JPY", "\u202e", "x" * 300)

texts = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=20))
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=8)


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` (a real payload) with one to three of its values, anywhere in it, replaced by odd ones."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        data = _replace(draw, data)
    return data


def _replace(draw: st.DrawFn, node: Any) -> Any:
    if isinstance(node, dict) and node and draw(st.integers(0, 4)) > 0:
        key = draw(st.sampled_from(sorted(node, key=str)))
        node[key] = _replace(draw, node[key])
        return node
    if isinstance(node, list) and node and draw(st.integers(0, 4)) > 0:
        index = draw(st.integers(0, len(node) - 1))
        node[index] = _replace(draw, node[index])
        return node
    return draw(json_values)


@st.composite
def text_mutation(draw: st.DrawFn, base: str) -> str:
    """``base`` with a few characters inserted, deleted or replaced (YAML syntax, control characters …)."""
    text = base
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(0, len(text)))
        insert = draw(st.one_of(st.sampled_from([":", "&a ", "*a", "[", "]", "{", "- ", "\t", "\n", "'", '"',
                                                 "!!python/object:os.system ", "%YAML 1.2\n", "? ", "\x00", "\ufeff"]),
                                texts))
        cut = draw(st.integers(0, 3))
        text = text[:at] + insert + text[at + cut:]
    return text


def csv_table(headers: list[str]) -> st.SearchStrategy[str]:
    """A CSV text with ``headers`` (sometimes duplicated or missing) and rows of awkward cells."""
    @st.composite
    def build(draw: st.DrawFn) -> str:
        names = list(headers)
        if draw(st.booleans()):
            names.append(draw(st.sampled_from(headers)))  # a duplicate header
        if draw(st.booleans()) and len(names) > 1:
            names.pop(draw(st.integers(0, len(names) - 1)))
        rows = draw(st.lists(st.lists(texts, min_size=len(names), max_size=len(names)), max_size=5))
        lines = [",".join(names)] + [",".join(_cell(c) for c in row) for row in rows]
        return "\n".join(lines) + "\n"
    return build()


def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value
