"""Typed reads of JSON data: finding evidence, scores (:data:`~auditor.model.JSONValue`)."""

from __future__ import annotations

from collections.abc import Mapping

from auditor.model import JSONValue


def texts(data: Mapping[str, JSONValue], key: str) -> list[str]:
    """``data[key]`` as a list of texts (empty when it is missing or not a list)."""
    value = data.get(key)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def records(data: Mapping[str, JSONValue], key: str) -> list[Mapping[str, JSONValue]]:
    """``data[key]`` as a list of records (its items that are mappings; empty when it is not a list)."""
    value = data.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list | tuple) else []
