"""Registry of store types: explicit lazy import strings keyed by stable ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.config import StoreConfig
from auditor.plugins import load_object
from auditor.stores.base import Store, StoreError

#: type id → import string of a factory ``(organization, options, base_dir) -> Store``.
STORES: dict[str, str] = {
    "embedded": "auditor.stores.registry:open_embedded",
    "neo4j": "auditor.stores.neo4j:open_store",
}


def open_embedded(organization: str, options: dict[str, Any], base_dir: Path) -> Store:
    """The SQLite store at ``options['path']`` (default ``.auditor/auditor.db`` next to the config)."""
    from auditor.stores.embedded import EmbeddedStore

    path = Path(options.get("path", ".auditor/auditor.db")).expanduser()
    return EmbeddedStore(organization, path if path.is_absolute() else base_dir / path)


def open_store(config: StoreConfig, organization: str, base_dir: Path) -> Store:
    """Open the store a config names."""
    if config.type not in STORES:
        raise StoreError(f"unknown store type '{config.type}'; known: {', '.join(sorted(STORES))}")
    factory: Callable[[str, dict[str, Any], Path], Store] = load_object(STORES[config.type])
    return factory(organization, dict(config.options), base_dir)
