"""Registry of store types: explicit lazy import strings keyed by stable ids.

Third-party plugins add store types through the ``auditor.stores`` entry-point group (name = the type id
used in ``store: {type: …}``, value = a factory like :func:`open_embedded`); built-ins win a name clash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.config import StoreConfig
from auditor.plugins import load_object, with_entry_points
from auditor.progress import ProgressDisplay
from auditor.stores.base import Store, StoreError

#: type id → import string of a factory ``(organization, options, base_dir, display) -> Store`` (``display``: the
#: :class:`~auditor.progress.ProgressDisplay` a slow store shows its saves on, or None).
STORES: dict[str, str] = {
    "embedded": "auditor.stores.registry:open_embedded",
    "neo4j": "auditor.stores.neo4j:open_store",
}


def open_embedded(organization: str, options: dict[str, Any], base_dir: Path,
                  display: ProgressDisplay | None = None) -> Store:
    """The SQLite store at ``options['path']`` (default ``.auditor/auditor.db`` next to the config); its
    saves are quick, so it shows nothing on ``display``."""
    from auditor.stores.embedded import EmbeddedStore

    del display

    path = Path(options.get("path", ".auditor/auditor.db")).expanduser()
    return EmbeddedStore(organization, path if path.is_absolute() else base_dir / path)


def available() -> dict[str, str]:
    """Every store type with its factory's import string, built-ins first, then plugins."""
    return with_entry_points(STORES, "auditor.stores")


def open_store(config: StoreConfig, organization: str, base_dir: Path,
               display: ProgressDisplay | None = None) -> Store:
    """Open the store a config names; a slow store shows its saves' progress on ``display``."""
    known = available()
    if config.type not in known:
        raise StoreError(f"unknown store type '{config.type}'; known: {', '.join(sorted(known))}")
    factory: Callable[[str, dict[str, Any], Path, ProgressDisplay | None], Store] = load_object(known[config.type])
    return factory(organization, dict(config.options), base_dir, display)
