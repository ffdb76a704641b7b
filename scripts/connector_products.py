"""Write auditor/catalog/products-connectors.yaml: the products real connector vocabularies name.

Usage (then run scripts/vocabularies.py so the vocabulary files map the new products)::

    .venv/bin/python scripts/connector_products.py

One catalog product per product that the Fivetran, Airbyte or Segment vocabularies name and the
hand-typed catalog (products.yaml, products-japan.yaml) does not have. The facts and where they
come from:

* ``product`` and ``aliases``: the names the connectors print (Segment's catalog name first, else the
  name Fivetran/Airbyte print for their id), one product for the variants of one name
  (``Userpilot Web (Actions)``, ``Userpilot Cloud`` → Userpilot);
* ``domains``: the host of the ``website`` the Segment catalog gives, unless it is Segment's own or a
  host several products share (docs, app stores, code hosting);
* ``category``: Segment's first category that has a taxonomy id (:data:`SEGMENT_CATEGORIES`), or
  :data:`CATEGORIES` (checked by hand: what the product's own site says it is), else ``unclassified``;
* ``vendor``: left out (no vocabulary names it; a guessed vendor would be an invented fact);
* a one-word name is an ``exact_alias``: it names the product only as the whole name (``Height``);
  one that is an ordinary word or another company's name (:data:`ORDINARY_NAMES`: ``Ramen``, ``Castle``,
  ``Loop``) is an ``ordinary_name``: never evidence by itself (a card charge "SQ *RAMEN" is a
  restaurant), the product is found by its connector id (scripts/vocabularies.py maps the ids to it)
  or its domain.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.resolution.catalog import Catalog, packaged_catalog  # noqa: E402
from auditor.resolution.matcher import Matcher  # noqa: E402
from auditor.resolution.normalize import simple_key  # noqa: E402
from auditor.slug import slugify  # noqa: E402
from scripts.connector_categories import CATEGORIES, LEFT_OUT, ORDINARY_NAMES, SAME, SEGMENT_CATEGORIES  # noqa: E402
from scripts.vocabularies import DATA, _classify, _entries  # noqa: E402

OUT = ROOT / "auditor" / "catalog" / "products-connectors.yaml"

#: Hosts that name no one product (Segment's own, code hosting, app stores, big platforms' shared sites).
SHARED_HOSTS = frozenset({"segment.com", "github.com", "apps.apple.com", "play.google.com", "docs.aws.amazon.com",
                          "aws.amazon.com", "developers.google.com", "mbsy.co", "developers.pinterest.com",
                          "developers.snapchat.com", "business.reddithelp.com", "marketingapi.snapchat.com",
                          "ads.tiktok.com", "oracle.com", "blackbaud.com", "nielsen.com", "datarangers.com"})
#: Words after a product's name that name a connector variant of it, not another product.
VARIANT = re.compile(
    r"^(Actions|Personas)\s+"
    r"|\s*\((Actions|Action|Web Destination|Cloud Destination|Source|Cloud|Legacy|Audiences)\)$"
    r"|\s+(client side|Web Plugin|Mobile Plugin|Web|Cloud Mode|Cloud|Mobile|Source|Audiences|Cloud Actions|Actions"
    r"|Web Device Mode|V2|-v2)$", re.IGNORECASE)


def _base(name: str) -> str:
    """The product's name without the connector-variant words (``Userpilot Web (Actions)`` → ``Userpilot``)."""
    previous = None
    while previous != name:
        previous, name = name, VARIANT.sub("", name).strip()
    return name or previous


def _host(url: str) -> str | None:
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "https://" + url).hostname or "").casefold().removeprefix("www.")
    return host if "." in host and host not in SHARED_HOSTS else None


def hand_catalog() -> Catalog:
    """The packaged catalog without the products this script wrote before."""
    catalog = packaged_catalog()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same data as yaml.safe_load, 7x faster
    ours = {str(p["id"]) for p in (yaml.load(OUT.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
                                   if OUT.exists() else {}).get("products") or []}
    return Catalog({k: p for k, p in catalog.products.items() if k not in ours}, catalog.categories)


def _missing() -> list[tuple[str, str, str, dict[str, object]]]:
    """(vocabulary, id, printed name, Segment metadata or {}) for every id no catalog product covers."""
    matcher = Matcher(hand_catalog())
    segment = json.loads((DATA / "segment-catalog.json").read_text(encoding="utf-8"))
    meta = {str(m["slug"]): m for m in segment["sources"] + segment["destinations"]}
    rows = []
    for vocabulary, entries in _entries().items():
        for key, name in entries:
            if (_classify(vocabulary, key, name, matcher)[0] == "not_in_catalog"
                    and f"{vocabulary}:{key}" not in LEFT_OUT):
                rows.append((vocabulary, key, name, meta.get(key, {}) if vocabulary == "segment" else {}))
    return rows


@dataclass
class Group:
    """One product's names, ids, website hosts and Segment categories over the three vocabularies."""

    name: str
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    cats: list[str] = field(default_factory=list)


def groups() -> dict[str, Group]:
    """Product key → its :class:`Group` gathered over the three vocabularies."""
    found: dict[str, Group] = {}
    for vocabulary, key, name, meta in _missing():
        base = SAME.get(f"{vocabulary}:{key}") or (_base(str(meta.get("name") or name)) if meta else name)
        group = found.setdefault(simple_key(base), Group(base))
        if meta and f"{vocabulary}:{key}" not in SAME and not group.cats and group.name not in SAME.values():
            group.name = base  # Segment spells the product; a Fivetran/Airbyte id only guesses
        group.names.append(name)
        group.ids.append(f"{vocabulary}:{key}")
        host = _host(str(meta.get("website") or ""))
        if host:
            group.hosts.append(host)
        group.cats.extend(str(c) for c in meta.get("categories") or [])  # type: ignore[attr-defined]
    return found


def product_ids(found: dict[str, Group] | None = None) -> dict[str, str]:
    """``vocabulary:id`` → the id of the product this script makes for it."""
    found = groups() if found is None else found
    return {vocabulary_id: slugify(group.name) for group in found.values() for vocabulary_id in group.ids}


def _category(group: Group) -> str:
    for vocabulary_id in group.ids:
        if vocabulary_id in CATEGORIES:
            return CATEGORIES[vocabulary_id]
    for category in group.cats:
        if category in SEGMENT_CATEGORIES:
            return SEGMENT_CATEGORIES[category]
    return "unclassified"


#: Names that start with a known vendor's name but are another company's product.
NOT_THE_VENDOR = frozenset({"Elastic Email", "Elastic Path"})


def _vendor(name: str, vendors: dict[str, str]) -> str | None:
    """The known vendor whose name the product's name starts with (and goes on after), or None."""
    if name in NOT_THE_VENDOR:
        return None
    words = name.split()
    for size in range(len(words) - 1, 0, -1):
        vendor = vendors.get(simple_key(" ".join(words[:size])))
        if vendor:
            return vendor
    return None


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def text() -> tuple[str, dict[str, int]]:
    """The file's text and how many of its products have a category (or are ``unclassified``)."""
    found = groups()
    host_count: dict[str, int] = {}
    for group in found.values():
        for host in set(group.hosts):
            host_count[host] = host_count.get(host, 0) + 1
    hand = hand_catalog()
    taken = {h for p in hand.products.values() for h in p.domains}
    vendors = {simple_key(p.vendor): p.vendor for p in hand.products.values() if p.vendor}
    lines = ["# Products that real connector vocabularies name (Fivetran, Airbyte, Segment), written by",
             "# scripts/connector_products.py (facts and their origin: its docstring and docs/catalog.md).",
             "# Edit the script's tables, not this file. No vendor: no vocabulary names one.",
             "schema_version: 1", "products:"]
    counts = {"unclassified": 0, "classified": 0}
    for key, group in sorted(found.items(), key=lambda kv: slugify(kv[1].name)):
        name = group.name
        aliases = sorted({n for n in group.names if simple_key(n) != key} - {name})
        hosts = sorted({h for h in group.hosts if host_count[h] == 1 and h not in taken})
        category = _category(group)
        counts["unclassified" if category == "unclassified" else "classified"] += 1
        pid = slugify(name)
        if pid in hand.products:
            raise SystemExit(f"{name} ({', '.join(group.ids)}): id {pid} is a hand-typed product; map the ids "
                             "to it in scripts/vocabularies.py HAND or name the product apart in SAME")
        fields = [f"id: {pid}", f"product: {_quote(name)}", f"category: {category}"]
        vendor = _vendor(name, vendors)
        if vendor:
            fields.insert(1, f"vendor: {_quote(vendor)}")
        if aliases:
            fields.append(f"aliases: [{', '.join(map(_quote, aliases))}]")
        if name.casefold() in ORDINARY_NAMES:
            fields.append(f"ordinary_names: [{_quote(name)}]")
        elif " " not in name.strip():
            fields.append(f"exact_aliases: [{_quote(name)}]")
        if hosts:
            fields.append(f"domains: [{', '.join(hosts)}]")
        lines.append("- {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n", counts


def main() -> None:
    """Write the file and print how many products it holds, per category source."""
    content, counts = text()
    OUT.write_text(content, encoding="utf-8")
    print(sum(counts.values()), "products", counts)


if __name__ == "__main__":
    main()
