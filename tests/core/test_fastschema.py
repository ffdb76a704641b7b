"""The fast validator gives exactly jsonschema's errors (paths, messages, order), only sooner."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from auditor.document import document_of
from auditor.fastschema import SchemaChecker, _Unsupported, inline_refs
from auditor.jsontext import indented_utf8
from auditor.result import ScanResult
from auditor.validation import load_schema
from auditor.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parents[2]
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.0, 1.5, -0.5, 2**70, "", " ", "a b", "dta", "data", "api",
                         "carrier-pigeon", "x" * 300, [], [1, True], ["data", "data"], [1, 1.0], {}, {"name": "A"},
                         {"unexpected": 1}, float("inf")]


#: One jsonschema validator per schema object (its resolved references are reused across documents).
_VALIDATORS: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def reference_errors(schema: dict[str, Any], data: Any) -> list[tuple[tuple[Any, ...], str, str]]:
    kept, validator = _VALIDATORS.get(id(schema), (None, None))
    if kept is not schema or validator is None:
        validator = Draft202012Validator(schema)
        _VALIDATORS[id(schema)] = (schema, validator)
    return [(tuple(e.absolute_path), e.validator, e.message) for e in validator.iter_errors(data)]


def fast_errors(checker: SchemaChecker, data: Any) -> list[tuple[tuple[Any, ...], str, str]]:
    return [(path, e.validator, e.message) for path, e in checker.errors(data)]


def _containers(node: Any, found: list[Any]) -> list[Any]:
    if isinstance(node, dict | list):
        found.append(node)
        for value in node.values() if isinstance(node, dict) else node:
            _containers(value, found)
    return found


def _copied(node: Any) -> Any:
    """``node`` with its dicts and lists copied, all the way down (the scalars, immutable, shared): a deep copy at a
    fraction of ``copy.deepcopy``'s cost (the documents share no container: nothing to keep shared)."""
    if isinstance(node, dict):
        return {key: _copied(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copied(value) for value in node]
    return node


def mutate(data: Any, rng: random.Random) -> Any:
    """A copy of ``data`` with one to four random edits: a value replaced, a key added or removed, an item dropped."""
    data = _copied(data)
    for _ in range(rng.randint(1, 4)):
        target = rng.choice(_containers(data, []))
        if isinstance(target, dict):
            roll = rng.random()
            if roll < 0.15:
                target[rng.choice(["extra", "nme", "tools", "kind", "id"])] = copy.deepcopy(rng.choice(ODD_VALUES))
            elif target and roll < 0.3:
                del target[rng.choice(sorted(target))]
            elif target:
                target[rng.choice(sorted(target))] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif target:
            index = rng.randrange(len(target))
            if rng.random() < 0.2:
                del target[index]
            else:
                target[index] = copy.deepcopy(rng.choice(ODD_VALUES))
    return data


def _shape(value: Any) -> Any:
    """The keys and value types of ``value``, all the way down (list items as a set of shapes)."""
    if isinstance(value, dict):
        return ("object", *sorted((key, _shape(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", *sorted({_shape(item) for item in value}, key=repr))
    return type(value).__name__


def representative(document: Any) -> Any:
    """``document`` with each list cut to its first two items plus the first item of every other shape.

    jsonschema re-checks the whole document for each mutation; the items cut are valid repeats of a shape kept, so
    every kind of object (every optional field the document uses) can still be broken, and two siblings remain
    wherever there were two (errors of several items keep their order), at a quarter (the demo landscape) to a half
    (its report) of the reference's cost."""
    if isinstance(document, dict):
        return {key: representative(value) for key, value in document.items()}
    if isinstance(document, list):
        kept: list[Any] = []
        shapes: set[Any] = set()
        for item in document:
            shape = _shape(item)
            if len(kept) < 2 or shape not in shapes:
                kept.append(representative(item))
            shapes.add(shape)
        return kept
    return document


def _valid_documents() -> dict[str, Any]:
    landscape: dict[str, Any] = {}
    for path in sorted((ROOT / "examples" / "demo" / "landscape").glob("*.yaml")):
        landscape.update(load_yaml(path)[0].data)
    config = load_yaml(ROOT / "examples" / "demo" / "auditor.yaml")[0].data
    return {"landscape.schema.json": landscape, "config.schema.json": config}


@pytest.mark.parametrize("schema_name", ["landscape.schema.json", "config.schema.json"])
def test_errors_equal_jsonschemas_on_randomly_broken_documents(schema_name):
    schema = load_schema(schema_name)
    valid = _valid_documents()[schema_name]
    checker = SchemaChecker(schema)
    assert fast_errors(checker, valid) == [] == reference_errors(schema, valid)
    rng = random.Random(14)
    broken = 0
    valid = representative(valid)
    for _ in range(250):
        data = mutate(valid, rng)
        expected = reference_errors(schema, data)
        broken += bool(expected)
        assert fast_errors(checker, data) == expected
    assert broken > 180  # the mutations do break documents, so the comparison is not vacuous


def test_report_errors_equal_jsonschemas(demo_result: ScanResult) -> None:
    report = json.loads(indented_utf8(document_of(demo_result)))  # the demo's report.json, as `auditor demo` writes it
    schema = load_schema("report.schema.json")
    checker = SchemaChecker(schema)
    assert fast_errors(checker, report) == [] == reference_errors(schema, report)
    rng = random.Random(15)
    report = representative(report)
    for _ in range(60):
        data = mutate(report, rng)
        assert fast_errors(checker, data) == reference_errors(schema, data)


def test_every_packaged_schema_is_checked_fast():
    # a keyword the walk does not know would silently send a schema to the slow path: name it here first
    for name in ("landscape.schema.json", "config.schema.json", "report.schema.json"):
        inline_refs(load_schema(name))


def test_schemas_the_walk_does_not_know_are_validated_by_jsonschema_alone():
    recursive = {"$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}},
                 "$ref": "#/$defs/node"}
    with pytest.raises(_Unsupported):
        inline_refs(recursive)
    data = {"child": {"child": 3}}
    assert fast_errors(SchemaChecker(recursive), data) == reference_errors(recursive, data) != []
    unknown = {"type": "array", "prefixItems": [{"type": "integer"}], "items": False}
    assert fast_errors(SchemaChecker(unknown), ["x", 2]) == reference_errors(unknown, ["x", 2]) != []
