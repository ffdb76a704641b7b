"""Lazy plugin loading shared by the registries: ``module:attr`` import strings and entry points."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from functools import cache
from importlib.metadata import entry_points
from typing import Any


def load_object(import_string: str) -> Any:
    """The object ``package.module:attr`` names, importing the module on first use."""
    module_name, _, attr = import_string.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def with_entry_points(builtins: Mapping[str, str], group: str) -> dict[str, str]:
    """``builtins``, then every entry point of ``group`` whose name is not taken (built-ins win)."""
    found = dict(builtins)
    for name, value in _entry_points(group, tuple(sys.path)):
        found.setdefault(name, value)
    return found


@cache
def _entry_points(group: str, path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The (name, import string) of every entry point of ``group``, read once per process and ``sys.path``
    (reading them walks every installed distribution's metadata, ~5 ms; a scan asks nine times). A folder added
    to ``sys.path`` is read afresh; a plugin installed into an existing folder is seen by the next run."""
    return tuple((entry.name, entry.value) for entry in entry_points(group=group))
