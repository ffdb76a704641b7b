"""Lazy plugin loading shared by the registries: ``module:attr`` import strings and entry points."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any


def load_object(import_string: str) -> Any:
    """The object ``package.module:attr`` names, importing the module on first use."""
    module_name, _, attr = import_string.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def with_entry_points(builtins: Mapping[str, str], group: str) -> dict[str, str]:
    """``builtins``, then every entry point of ``group`` whose name is not taken (built-ins win)."""
    found = dict(builtins)
    for entry in entry_points(group=group):
        found.setdefault(entry.name, entry.value)
    return found
