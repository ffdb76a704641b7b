"""JSON Schema validation of located documents, with plain-language, located messages."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from auditor.errors import Problem
from auditor.fastschema import SchemaChecker
from auditor.yamlfile import LocatedDocument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a JSON Schema shipped in the ``schemas`` package (e.g. ``landscape.schema.json``)."""
    text = resources.files("schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def checker(name: str) -> SchemaChecker:
    """The validator of a packaged schema, built once per process (see :mod:`auditor.fastschema`)."""
    return SchemaChecker(load_schema(name))


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
