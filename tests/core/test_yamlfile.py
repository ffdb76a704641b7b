"""YAML loading with line positions: libyaml parses, and errors read exactly as PyYAML words them."""

from __future__ import annotations

import datetime

import pytest
import yaml

from auditor.errors import InputError
from auditor.yamlfile import load_yaml_text

DOCUMENT = """\
tools:
  - id: crm
    name: Salesforce
    users: 120
    annual_cost: 1.5e+4
    sanctioned: yes
    renewal: 2027-03-31
    owner: ~
    quoted: "42"
  - {id: bi, name: Looker}
anchors:
  base: &base {kind: api}
  copy: *base
---
- second document
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_yaml_text(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


def test_values_keep_yaml_types_and_every_path_has_its_line():
    first, second = load_yaml_text(DOCUMENT, "f.yaml")
    crm = first.data["tools"][0]
    assert crm == {"id": "crm", "name": "Salesforce", "users": 120, "annual_cost": 15000.0, "sanctioned": True,
                   "renewal": datetime.date(2027, 3, 31), "owner": None, "quoted": "42"}
    assert first.data["anchors"]["copy"] == {"kind": "api"}  # an alias: its values are located at the anchor
    paths = [("tools",), ("tools", 0), ("tools", 0, "users"), ("tools", 1), ("tools", 1, "name"),
             ("anchors", "copy"), ("anchors", "copy", "kind")]
    assert [first.line_of(p) for p in paths] == [1, 2, 4, 10, 10, 13, 12]
    assert second.data == ["second document"] and second.line_of((0,)) == 15


def test_syntax_errors_read_as_pure_python_pyyaml_words_them():
    assert problems("tools:\n  - name: [unclosed\n") == [
        "f.yaml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"]
    assert problems("a: b: c\n") == ["f.yaml:1: not valid YAML: mapping values are not allowed here"]


def test_unknown_tags_are_refused_with_the_quoted_line():
    assert problems("a: !!python/object:os.system x\n") == [
        "f.yaml:1: not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object:os.system'\n  in \"<unicode string>\", line 1, column 4:\n"
        "    a: !!python/object:os.system x\n       ^"]


def test_duplicate_keys_are_all_listed():
    assert problems("a: 1\na: 2\nb: {c: 1, c: 2}\n") == ["f.yaml:2: duplicate key 'a'", "f.yaml:3: duplicate key 'c'"]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_what_only_the_pure_python_parser_refused_is_read_as_yaml_specifies():
    # libyaml follows the YAML spec here; PyYAML's own scanner refused tabs as separators and '?' keys in flows
    (document,) = load_yaml_text("a:\t1\nb: {? c : d}\n", "f.yaml")
    assert document.data == {"a": 1, "b": {"c": "d"}}


SIZES = ["a: 1\n", "- [1, [2, 3], {x: 4}]\n- {}\n- []\n", DOCUMENT.split("anchors:")[0],
         "? [1, 2]\n: {a: [b, c]}\n", "{a, b: [c, {d}]}\n", "x:\n  - - - 1\n"]


@pytest.mark.parametrize("text", SIZES)
def test_without_anchors_the_values_counted_while_building_are_the_expanded_size(text):
    from auditor import yamlfile

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    builder = yamlfile._Builder("x.yaml")
    builder.build_root(node, aliases=False)
    assert builder._values == yamlfile._expanded_size(node, {})


@pytest.mark.parametrize("aliases", ["", "anchor: &a x\nalias: *a\n"])
def test_a_document_with_too_many_values_is_refused_with_or_without_anchors(monkeypatch, aliases):
    from auditor import yamlfile

    monkeypatch.setattr(yamlfile, "MAX_VALUES", 50)
    text = aliases + "items:\n" + "".join(f"  - {i}\n" for i in range(60))
    with pytest.raises(InputError) as raised:
        load_yaml_text(text, "big.yaml")
    assert str(raised.value.problems[0]) == "big.yaml:1: expands to more than 50 values (aliases of aliases?); " \
                                            "refusing to read it"
    assert len(load_yaml_text(aliases + "items:\n" + "".join(f"  - {i}\n" for i in range(40)), "ok.yaml")) == 1


def test_too_many_values_wins_over_too_deep_as_when_counted_before_building(monkeypatch):
    from auditor import yamlfile

    monkeypatch.setattr(yamlfile, "MAX_VALUES", 200)
    text = "deep: " + "[" * 120 + "]" * 120 + "\nitems: [" + ", ".join(map(str, range(100))) + "]\n"
    with pytest.raises(InputError) as raised:
        load_yaml_text(text, "both.yaml")
    assert "expands to more than 200 values" in str(raised.value.problems[0])
    with pytest.raises(InputError) as raised:
        load_yaml_text(text.replace(", ".join(map(str, range(100))), "1"), "deep.yaml")
    assert "nested more than 100 levels deep" in str(raised.value.problems[0])
