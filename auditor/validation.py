"""JSON Schema validation of located documents, with plain-language, located messages."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from auditor.errors import Problem
from auditor.yamlfile import LocatedDocument

#: Largest number any input may hold (amounts, user counts): beyond it a value is a mistake or an attack.
MAX_NUMBER = 1e15


def _finite_number(checker: Any, instance: Any) -> bool:
    """JSON numbers are finite: ``.nan``, ``.inf`` and ints beyond :data:`MAX_NUMBER` are not numbers here."""
    if isinstance(instance, bool) or not isinstance(instance, int | float):
        return False
    return math.isfinite(instance) and abs(instance) <= MAX_NUMBER


def _finite_integer(checker: Any, instance: Any) -> bool:
    return _finite_number(checker, instance) and (isinstance(instance, int) or float(instance).is_integer())


#: Draft 2020-12 whose ``number`` and ``integer`` exclude NaN, infinities and absurdly large values.
Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _finite_number, "integer": _finite_integer}))


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a JSON Schema shipped in the ``schemas`` package (e.g. ``landscape.schema.json``)."""
    text = resources.files("schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


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
    validator = Validator(load_schema(schema_name))
    problems = []
    for error in validator.iter_errors(document.data):
        path = tuple(error.absolute_path)
        problems.append(document.problem(path, f"{_path_text(path)}: {_message(error)}"))
    return problems


def validate_data(data: Any, schema_name: str) -> list[str]:
    """Validate plain data (e.g. a report) against a packaged schema; returns error messages."""
    validator = Validator(load_schema(schema_name))
    return [f"{_path_text(tuple(e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
