"""Connector vocabularies as data: a platform's own ids → catalog products, or "not a product".

``auditor/catalog/vocabulary-<name>.yaml`` (written by scripts/vocabularies.py, provenance in the
file) puts every id a platform prints (Fivetran service ids, Airbyte source/destination types, Segment
catalog slugs) in one of three sections: ``products`` (id → catalog product id), ``not_products``
(id → why it names no product: a file upload, a protocol, a public data set, a code library) and
``not_in_catalog`` (products the catalog does not have yet). Connectors leave the platform's id in a
record hint (:data:`CONNECTOR_HINTS`: ``service`` for Fivetran and Airbyte, ``segment_slug`` for
Segment); the resolver looks it up with :func:`vocabulary_answer`, trusts a product id there like a
gallery key, and never matches a "not a product" name against the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from auditor.model import ToolRecord

#: Connector type → the record hint that holds the platform's own id (the vocabulary file is named after the type).
CONNECTOR_HINTS: dict[str, str] = {"fivetran": "service", "airbyte": "service", "segment": "segment_slug"}
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe_load's data, with libyaml's speed when there


@dataclass(frozen=True)
class Vocabulary:
    """One platform's ids, each a product, not a product, or a product the catalog lacks."""

    name: str
    products: dict[str, str] = field(default_factory=dict)
    not_products: dict[str, str] = field(default_factory=dict)
    not_in_catalog: frozenset[str] = frozenset()

    def answer(self, key: str) -> tuple[str, str] | None:
        """``("product", catalog id)``, ``("not_product", reason)``, or None (not in the catalog, or unknown)."""
        key = key.strip().casefold()
        if key in self.products:
            return "product", self.products[key]
        if key in self.not_products:
            return "not_product", self.not_products[key]
        return None

    def known(self) -> frozenset[str]:
        """Every id the file lists, in any section."""
        return frozenset(self.products) | frozenset(self.not_products) | self.not_in_catalog


def _parse(name: str, data: Any) -> Vocabulary:
    if not isinstance(data, dict):
        raise ValueError(f"vocabulary-{name}.yaml: expected a mapping")
    return Vocabulary(name, {str(k): str(v) for k, v in (data.get("products") or {}).items()},
                      {str(k): str(v) for k, v in (data.get("not_products") or {}).items()},
                      frozenset(str(k) for k in data.get("not_in_catalog") or ()))


@cache
def load_vocabulary(name: str) -> Vocabulary:
    """The packaged vocabulary file of one platform (``fivetran``, ``airbyte``, ``segment``)."""
    text = (resources.files("auditor") / "catalog" / f"vocabulary-{name}.yaml").read_text(encoding="utf-8")
    return _parse(name, yaml.load(text, Loader=_LOADER))  # noqa: S506 - a safe loader (C speed-up when available)


def vocabulary_answer(record: ToolRecord) -> tuple[str, str] | None:
    """What the record's connector vocabulary says about it (see :meth:`Vocabulary.answer`), or None."""
    hint = CONNECTOR_HINTS.get(record.provenance.type)
    key = (record.hints or {}).get(hint) if hint else None
    return load_vocabulary(record.provenance.type).answer(str(key)) if key else None
