"""JSON Schema validation of located documents, with plain-language, located messages."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from auditor.errors import Problem
from auditor.fastschema import SchemaChecker
from auditor.yamlfile import LocatedDocument

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

#: Largest number any input may hold (amounts, user counts): beyond it a value is a mistake or an attack.
MAX_NUMBER = 1e15


def _finite_number(checker: Any, instance: Any) -> bool:
    """JSON numbers are finite: ``.nan``, ``.inf`` and ints beyond :data:`MAX_NUMBER` are not numbers here."""
    if isinstance(instance, bool) or not isinstance(instance, int | float):
        return False
    return math.isfinite(instance) and abs(instance) <= MAX_NUMBER


def _finite_integer(checker: Any, instance: Any) -> bool:
    return _finite_number(checker, instance) and (isinstance(instance, int) or float(instance).is_integer())


@cache
def finite_validator() -> type[Draft202012Validator]:
    """Draft 2020-12 whose ``number`` and ``integer`` exclude NaN, infinities and absurdly large values
    (built on first use: jsonschema is imported only to locate errors)."""
    from jsonschema import Draft202012Validator, validators

    extended: type[Draft202012Validator] = validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
            {"number": _finite_number, "integer": _finite_integer}))
    return extended


def numbers_finite(data: Any) -> bool:
    """Whether every number inside ``data`` is finite and at most :data:`MAX_NUMBER` (the compiled check cannot
    tell: fastjsonschema takes NaN for a number)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is str:  # most values: one test, not three
            continue
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float | int) and not isinstance(item, bool) and not _finite_number(None, item):
            return False
    return True


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a JSON Schema shipped in the ``schemas`` package (e.g. ``landscape.schema.json``)."""
    text = resources.files("schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def checker(name: str) -> SchemaChecker:
    """The validator of a packaged schema, built once per process (see :mod:`auditor.fastschema`)."""
    return SchemaChecker(load_schema(name), finite_validator, numbers_finite)


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed keys: {', '.join(allowed)}"
    if error.validator == "enum":
        return f"{error.instance!r} is not allowed here; use one of: {', '.join(map(str, error.validator_value))}"
    if (error.validator == "type" and error.validator_value in ("number", "integer")
            and isinstance(error.instance, int | float) and not isinstance(error.instance, bool)):
        return f"expected a finite {error.validator_value} of at most {MAX_NUMBER:g}, got {error.instance!r}"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return str(error.message)


def validate_document(document: LocatedDocument, schema_name: str) -> list[Problem]:
    """Validate ``document`` against a packaged schema; every error becomes a located :class:`Problem`."""
    return [document.problem(path, f"{_path_text(path)}: {_message(error)}")
            for path, error in checker(schema_name).errors(document.data)]


def validate_data(data: Any, schema_name: str) -> list[str]:
    """Validate plain data (e.g. a report) against a packaged schema; returns error messages."""
    return [f"{_path_text(path)}: {error.message}" for path, error in checker(schema_name).errors(data)]
