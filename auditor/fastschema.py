"""JSON Schema validation that is fast on valid data and exact on invalid data.

A valid document (the usual case) is checked once by a validator compiled to Python code
(fastjsonschema). Only when that check fails are the errors located with jsonschema, the project's
reference validator, and only where they are: the document is walked along the schema's ``properties``
and ``items``, every part the compiled check accepts is skipped, and the other keywords of a failing
part are applied by jsonschema one by one, in the schema's order. The errors, their messages and their
order are jsonschema's own over the whole document; a 10,000-tool landscape with errors is located
in about the time of the compiled check, not of a full jsonschema pass.

The compiled check decides nothing alone: a part it rejects but jsonschema accepts yields no error,
and the tests check that it never accepts what jsonschema rejects for the keywords our schemas use
(:data:`KEYWORDS`). A schema using any other keyword, or a ``$ref`` that is not a local, non-recursive
``#/$defs/…``, is validated by jsonschema alone, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import fastjsonschema

from auditor.schemacode import compiled_validator

if TYPE_CHECKING:  # jsonschema is imported only to locate errors (its import alone takes about 0.3 s)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

Path = tuple[str | int, ...]

# Keywords the walk knows (annotations, plus assertions both validators implement alike).
# ``format`` is an annotation in Draft 2020-12 unless a format checker is asked for (we ask for none); it is left
# out of the compiled schemas, which would otherwise assert it.
ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
                         "format"})
KEYWORDS = ANNOTATIONS | frozenset({
    "type", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "required", "properties", "additionalProperties", "propertyNames", "items", "allOf", "anyOf", "oneOf", "not",
    "if", "then", "else",
})
# Left out of the compiled schemas: definitions are inlined, and ``format`` is not asserted (see ANNOTATIONS).
_NOT_COMPILED = frozenset({"$defs", "format"})
# Keywords jsonschema applies together with others of the same schema.
_COMPANIONS = {"additionalProperties": ("properties",), "if": ("then", "else")}
_HANDLED_BY_OTHERS = frozenset({"then", "else"})


class _Unsupported(Exception):
    """The schema uses something the walk does not handle: validate with jsonschema alone."""


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every ``{"$ref": "#/$defs/name"}`` replaced by its definition (and ``$defs`` dropped).

    Raises :class:`_Unsupported` for other references, recursive definitions and unknown keywords.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, seen: tuple[str, ...], in_names: bool) -> Any:
        if isinstance(node, list):
            return [walk(item, seen, False) for item in node]
        if not isinstance(node, dict):
            return node
        if in_names:  # the values of ``properties``: one schema per property name
            return {name: walk(sub, seen, False) for name, sub in node.items()}
        if "$ref" in node:
            ref = node["$ref"]
            name = ref.removeprefix("#/$defs/")
            if len(node) != 1 or not ref.startswith("#/$defs/") or name not in defs or name in seen:
                raise _Unsupported(ref)
            return walk(defs[name], (*seen, name), False)
        unknown = set(node) - KEYWORDS
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        return {key: (value if key in ("enum", "const", "required", "examples", "default")
                      else walk(value, seen, key == "properties"))
                for key, value in node.items() if key not in _NOT_COMPILED}

    result = walk(schema, (), False)
    assert isinstance(result, dict)
    return result


def _draft_2020_12() -> type[Draft202012Validator]:
    from jsonschema import Draft202012Validator

    validator: type[Draft202012Validator] = Draft202012Validator
    return validator


def _any_value(data: Any) -> bool:
    return True


class SchemaChecker:
    """Validate data against one schema: compiled check first, located jsonschema errors on failure.

    ``validator_class`` gives the jsonschema class that locates errors (imported late; default Draft 2020-12);
    ``values_ok`` is a check the compiled code cannot make (e.g. finite numbers only), applied with it: data the
    compiled check accepts but ``values_ok`` refuses is located by ``validator_class`` like any other error.
    """

    def __init__(self, schema: dict[str, Any],
                 validator_class: Callable[[], type[Draft202012Validator]] = _draft_2020_12,
                 values_ok: Callable[[Any], bool] = _any_value) -> None:
        self._schema = schema
        self._validator_class = validator_class
        self._values_ok = values_ok
        try:
            self._root: dict[str, Any] | None = inline_refs(schema)
        except _Unsupported:
            self._root = None
        self._compiled: dict[int, Any] = {}
        self._single: dict[tuple[int, str], Draft202012Validator] = {}
        self._keep: list[dict[str, Any]] = []  # keeps the one-keyword schemas alive (ids stay unique)

    def errors(self, data: Any) -> list[tuple[Path, ValidationError]]:
        """Every error as (absolute path, jsonschema error), in jsonschema's order; empty when valid."""
        if self._root is None:
            validator = self._validator_class()(self._schema)
            return [(tuple(e.absolute_path), e) for e in validator.iter_errors(data)]
        if self._accepts(self._root, data):
            return []
        return list(self._locate(self._root, data, ()))

    def _accepts(self, schema: dict[str, Any], data: Any) -> bool:
        check = self._compiled.get(id(schema))
        if check is None:  # the whole schema's code is pre-built and cached (auditor.schemacode), its parts' are not
            check = self._compiled[id(schema)] = (compiled_validator(schema) if schema is self._root
                                                  else fastjsonschema.compile(schema))
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        except (TypeError, ValueError):  # data the generated code cannot handle: let jsonschema judge it
            return False
        return self._values_ok(data)

    def _locate(self, schema: dict[str, Any], data: Any, path: Path) -> Iterator[tuple[Path, ValidationError]]:
        for keyword, value in schema.items():
            if keyword in ANNOTATIONS or keyword in _HANDLED_BY_OTHERS:
                continue
            if keyword == "properties" and isinstance(data, dict):
                for name, sub in value.items():
                    if name in data and not self._accepts(sub, data[name]):
                        yield from self._locate(sub, data[name], (*path, name))
            elif keyword == "items" and isinstance(data, list):
                for index, item in enumerate(data):
                    if not self._accepts(value, item):
                        yield from self._locate(value, item, (*path, index))
            else:
                for error in self._validator(schema, keyword).iter_errors(data):
                    yield (*path, *error.absolute_path), error

    def _validator(self, schema: dict[str, Any], keyword: str) -> Draft202012Validator:
        """A jsonschema validator of ``keyword`` alone (with the keywords it reads beside it)."""
        key = (id(schema), keyword)
        validator = self._single.get(key)
        if validator is None:
            single = {name: schema[name] for name in (keyword, *_COMPANIONS.get(keyword, ())) if name in schema}
            if keyword == "additionalProperties" and "properties" in single:  # the names only, not their checks
                single["properties"] = dict.fromkeys(single["properties"], True)
            self._keep.append(single)
            validator = self._single[key] = self._validator_class()(single)
        return validator
