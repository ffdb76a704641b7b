"""Plain-data (JSON-ready) conversion of model dataclasses, both ways."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


_ATOMS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}  # per class: its dataclass fields, or None


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        _FIELD_NAMES[cls] = names
        return names


def to_data(value: Any) -> Any:
    """Dataclasses → dicts, tuples/sets → lists, recursively (mappings keep their keys)."""
    cls = type(value)
    if cls in _ATOMS:
        return value
    names = _field_names(cls)
    if names is not None:
        # plain values (most fields) are taken as they are, without a call
        return {name: v if type(v := getattr(value, name)) in _ATOMS else to_data(v) for name in names}
    if isinstance(value, Mapping):
        return {k: v if type(v) in _ATOMS else to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _ATOMS else to_data(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(to_data(v) for v in value)
    return value


Converter = Callable[[Any], Any]


@cache
def _converters(cls: Any) -> tuple[tuple[str, Converter | None], ...]:
    """Per field of ``cls``: its name and how to rebuild its value (None: taken as it is), worked out once."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def _converter(annotation: Any) -> Converter | None:
    """How to rebuild a (non-None) value of type ``annotation``: tuples from lists, dataclasses from dicts."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else None
    if origin is tuple:
        item = _converter(args[0]) if args else None
        if item is None:
            return tuple
        return lambda value: tuple(None if v is None else item(v) for v in value)
    if dataclasses.is_dataclass(annotation):
        return lambda value: from_data(annotation, value) if isinstance(value, Mapping) else value  # type: ignore
    return None


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a dataclass from :func:`to_data` output (unknown keys are ignored)."""
    kwargs = {}
    for name, convert in _converters(cast(Any, cls)):
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)
