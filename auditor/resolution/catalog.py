"""The product catalog and its taxonomy: loading the packaged files plus the user's own.

Format: docs/catalog.md. The packaged files are ``auditor/catalog/products.yaml`` and
``taxonomy.yaml``; users add or replace products with their own YAML files (``resolution.catalogs``
in the config), a product with an existing id replacing the packaged one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import astuple, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from auditor import prebuilt
from auditor.errors import InputError, Problem
from auditor.model import LAYERS
from auditor.resolution.normalize import normalize, simple_key
from auditor.yamlfile import load_yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PRODUCT_KEYS = frozenset({"id", "vendor", "product", "category", "aliases", "exact_aliases", "domains", "okta",
                           "entra", "entra_templates", "capabilities", "layers", "ordinary_names"})


@dataclass(frozen=True)
class Category:
    """One taxonomy category: its layers and default capabilities (its own id always included)."""

    id: str
    title: str
    layers: tuple[str, ...]
    capabilities: tuple[str, ...]
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    """One catalog product with its resolved layers and capabilities."""

    id: str
    vendor: str  # "" when the catalog does not know the vendor (never guessed)
    product: str
    category: str
    layers: tuple[str, ...]
    capabilities: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    okta: tuple[str, ...] = ()
    entra: tuple[str, ...] = ()
    entra_templates: tuple[str, ...] = ()  # Entra applicationTemplateId values (gallery template GUIDs)
    ordinary_names: tuple[str, ...] = ()  # names that are ordinary words: never evidence by themselves

    def names(self) -> tuple[str, ...]:
        """Every name the product is known by: display name, id, "vendor product", aliases, gallery names.

        Its ``ordinary_names`` are left out (``Ramen``, ``Castle``: a card charge "SQ *RAMEN" is a
        restaurant); such a product is found by a gallery key, a domain or a connector's id.
        """
        names = [self.product, self.id, *self.aliases, *self.exact_aliases, *self.entra]
        if self.vendor and not simple_key(self.product).startswith(simple_key(self.vendor)):
            names.append(f"{self.vendor} {self.product}")
        ordinary = {simple_key(n) for n in self.ordinary_names}
        return tuple(n for n in dict.fromkeys(names) if simple_key(n) not in ordinary)

    def defaults(self) -> dict[str, Any]:
        """What the catalog says about the tool, for :func:`auditor.resolution.merge.merge_records`."""
        return {"name": self.product, "vendor": self.vendor or None, "category": self.category, "layers": self.layers,
                "capabilities": self.capabilities, "catalog_id": self.id}


@dataclass
class Catalog:
    """Products by id plus the taxonomy, with the files they came from."""

    products: dict[str, Product]
    categories: dict[str, Category]
    files: list[str] = field(default_factory=list)
    vendor_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def vendor_names(self, vendor: str) -> tuple[str, ...]:
        """The vendor's name and its other names (``サイボウズ`` → ``サイボウズ``, ``Cybozu``); none if unknown."""
        return (vendor, *self.vendor_aliases.get(vendor, ())) if vendor else ()

    def same_vendor(self, said: str, vendor: str) -> bool:
        """True if a source's vendor word ``said`` names ``vendor`` (by its name or one of its other names)."""
        key = simple_key(said)
        return bool(key) and key in {simple_key(name) for name in self.vendor_names(vendor)}

    #: ``category_words`` of the categories it was built from (rebuilt when ``categories`` changes).
    _words: tuple[tuple[tuple[str, Category], ...], Mapping[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def vendor_products(self, vendor: str) -> list[Product]:
        """Products of one vendor (by its name or another name of it); none for an unknown ("") vendor."""
        return [p for p in self.products.values() if p.vendor and self.same_vendor(vendor, p.vendor)]

    def category_for(self, word: str) -> str | None:
        """The category id a source's word means: an id (``Data Warehouse``) or a synonym (``Help desk``)."""
        key = simple_key(word)
        return self.category_words().get(key) if key else None

    def category_words(self) -> Mapping[str, str]:
        """:func:`category_words` of this catalog's categories, built once (and again if they change)."""
        items = tuple(self.categories.items())  # compared item by item, by identity first: cheap
        if self._words is None or self._words[0] != items:
            self._words = (items, category_words(self.categories))
        return self._words[1]


def category_words(categories: Mapping[str, Category]) -> dict[str, str]:
    """Normalised category id or synonym → category id (ids win over synonyms)."""
    words: dict[str, str] = {}
    for category in categories.values():
        for synonym in category.synonyms:
            words.setdefault(simple_key(synonym), category.id)
    words.update({simple_key(c): c for c in categories})
    return words


def _strings(value: Any, where: str, field_name: str, problems: list[Problem], file: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        problems.append(Problem(file, None, f"{where}: '{field_name}' must be a list of strings"))
        return ()
    return tuple(str(v) for v in value)


def load_taxonomy(data: Mapping[str, Any], file: str) -> dict[str, Category]:
    """Parse a taxonomy document; raises :class:`InputError` naming the file and category."""
    problems: list[Problem] = []
    categories: dict[str, Category] = {}
    for cid, entry in (data.get("categories") or {}).items():
        if not isinstance(entry, Mapping):
            problems.append(Problem(file, None, f"category '{cid}': expected a mapping"))
            continue
        layers = _strings(entry.get("layers"), f"category '{cid}'", "layers", problems, file)
        bad = [layer for layer in layers if layer not in LAYERS]
        if bad:
            problems.append(Problem(file, None, f"category '{cid}': unknown layer(s) {', '.join(bad)}"))
        caps = _strings(entry.get("capabilities"), f"category '{cid}'", "capabilities", problems, file)
        own = () if cid == "unclassified" else (str(cid),)
        synonyms = _strings(entry.get("synonyms"), f"category '{cid}'", "synonyms", problems, file)
        categories[str(cid)] = Category(str(cid), str(entry.get("title", cid)), layers,
                                        tuple(dict.fromkeys((*own, *caps))), synonyms)
    if problems:
        raise InputError(problems)
    return categories


def parse_products(data: Any, file: str, categories: Mapping[str, Category],
                   line_of: Callable[[tuple[Any, ...]], int | None] = lambda path: None) -> list[Product]:
    """Parse a products document; raises :class:`InputError` listing every bad entry (with its line)."""
    problems: list[Problem] = []
    entries = data.get("products") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise InputError([Problem(file, None, "expected a mapping with a 'products:' list")])
    products: list[Product] = []
    for index, entry in enumerate(entries):
        where = f"products[{index}]"
        line = line_of(("products", index))
        if not isinstance(entry, Mapping):
            problems.append(Problem(file, line, f"{where}: expected a mapping"))
            continue
        where = f"{where} (id '{entry.get('id')}')"
        missing = [k for k in ("id", "product", "category") if not entry.get(k)]
        unknown = sorted(set(entry) - _PRODUCT_KEYS)
        if missing or unknown:
            text = ", ".join([*(f"missing '{k}'" for k in missing), *(f"unknown key '{k}'" for k in unknown)])
            problems.append(Problem(file, line, f"{where}: {text}"))
            continue
        category = categories.get(str(entry["category"]))
        if category is None:
            problems.append(Problem(file, line, f"{where}: category '{entry['category']}' is not in the taxonomy"))
            continue
        layers = _strings(entry.get("layers"), where, "layers", problems, file) or category.layers
        bad = [layer for layer in layers if layer not in LAYERS]
        if bad:
            problems.append(Problem(file, line, f"{where}: unknown layer(s) {', '.join(bad)}"))
        extra = _strings(entry.get("capabilities"), where, "capabilities", problems, file)
        products.append(Product(
            id=str(entry["id"]), vendor=str(entry.get("vendor") or ""), product=str(entry["product"]),
            category=category.id, layers=layers,
            capabilities=tuple(dict.fromkeys((*category.capabilities, *extra))),
            aliases=_strings(entry.get("aliases"), where, "aliases", problems, file),
            exact_aliases=_strings(entry.get("exact_aliases"), where, "exact_aliases", problems, file),
            domains=tuple(d.casefold() for d in _strings(entry.get("domains"), where, "domains", problems, file)),
            okta=_strings(entry.get("okta"), where, "okta", problems, file),
            entra=_strings(entry.get("entra"), where, "entra", problems, file),
            entra_templates=_strings(entry.get("entra_templates"), where, "entra_templates", problems, file),
            ordinary_names=_strings(entry.get("ordinary_names"), where, "ordinary_names", problems, file),
        ))
    if problems:
        raise InputError(problems)
    return products


def _read_yaml(path: Path | None, text: str | None, name: str) -> Any:
    try:
        source = text if text is not None else path.read_text(encoding="utf-8")  # type: ignore[union-attr]
        return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader (C speed-up when available)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(name, None, f"cannot read catalog file: {exc}")]) from exc


@cache
def packaged_taxonomy() -> Mapping[str, Category]:
    """The taxonomy shipped with auditor (``taxonomy.yaml`` alone, loaded once, read-only)."""
    folder = resources.files("auditor") / "catalog"
    return MappingProxyType(load_taxonomy(_read_yaml(None, (folder / "taxonomy.yaml").read_text(encoding="utf-8"),
                                                     "auditor/catalog/taxonomy.yaml"), "auditor/catalog/taxonomy.yaml"))


#: What the packaged catalog's cached data and the matcher's tables are built from (paths in the package):
#: every catalog file and the modules that parse and index them.
BUILT_FROM = ("catalog/", "resolution/catalog.py", "resolution/matcher.py", "resolution/normalize.py", "model.py",
              "prebuilt.py")


@cache
def catalog_sources() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of everything in :data:`BUILT_FROM` (read once): the pre-built cache's key."""
    return prebuilt.package_files(BUILT_FROM)


@cache
def packaged_catalog() -> Catalog:
    """The catalog shipped with auditor: ``products.yaml`` then every ``products-*.yaml`` (loaded once).

    From the pre-built cache when it is fresh and intact (:mod:`auditor.prebuilt`), else parsed by
    :func:`parse_packaged_catalog` (and cached).
    """
    return prebuilt.cached("catalog", catalog_sources(), parse_packaged_catalog, catalog_to_plain, catalog_from_plain)


def parse_packaged_catalog() -> Catalog:
    """The packaged catalog parsed and checked from its YAML files (what :func:`packaged_catalog` caches)."""
    folder = resources.files("auditor") / "catalog"
    taxonomy = dict(packaged_taxonomy())
    names = sorted(f.name for f in folder.iterdir() if f.name.startswith("products-") and f.name.endswith(".yaml"))
    files = [f"auditor/catalog/{name}" for name in ["products.yaml", *names]]
    products = [product for file in files for product in parse_products(
        _read_yaml(None, (folder / file.rsplit("/", 1)[1]).read_text(encoding="utf-8"), file), file, taxonomy)]
    duplicates = _duplicates(p.id for p in products)
    if duplicates:
        raise InputError([Problem("auditor/catalog", None, f"duplicate id '{d}'") for d in duplicates])
    vendors = _read_yaml(None, (folder / "vendors.yaml").read_text(encoding="utf-8"), "auditor/catalog/vendors.yaml")
    aliases = {str(v): tuple(str(a) for a in names or ()) for v, names in (vendors.get("vendors") or {}).items()}
    return Catalog({p.id: p for p in products}, taxonomy, files, MappingProxyType(aliases))


def catalog_to_plain(catalog: Catalog) -> dict[str, Any]:
    """The catalog as plain data (strings, tuples, lists, dicts) for the pre-built cache."""
    return {"products": [astuple(p) for p in catalog.products.values()],
            "categories": [astuple(c) for c in catalog.categories.values()],
            "files": list(catalog.files), "vendor_aliases": dict(catalog.vendor_aliases)}


def catalog_from_plain(plain: Mapping[str, Any]) -> Catalog:
    """The catalog from :func:`catalog_to_plain`'s data; raises TypeError/KeyError if it is not of that shape."""
    products = [Product(*fields) for fields in plain["products"]]
    categories = [Category(*fields) for fields in plain["categories"]]
    return Catalog({p.id: p for p in products}, {c.id: c for c in categories}, list(plain["files"]),
                   MappingProxyType(dict(plain["vendor_aliases"])))


@cache
def packaged_category_titles() -> Mapping[str, str]:
    """Category id → English title of the packaged taxonomy (built once, read-only)."""
    return MappingProxyType({cid: category.title for cid, category in packaged_taxonomy().items()})


def category_titles(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Category id → English title: the packaged taxonomy's, updated with ``extra`` (the user's files' titles)."""
    return {**packaged_category_titles(), **(extra or {})}


def user_category_titles(catalog: Catalog) -> dict[str, str]:
    """Titles of the categories the user's catalog files add or retitle (what a report keeps to show them)."""
    packaged = packaged_taxonomy()
    return {cid: category.title for cid, category in catalog.categories.items()
            if cid not in packaged or packaged[cid].title != category.title}


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if v in seen or seen.add(v)]  # type: ignore[func-returns-value]


def load_catalog(extra_files: Iterable[Path] = ()) -> Catalog:
    """The packaged catalog plus the user's files (a product with a known id replaces the packaged one).

    A user file may also hold ``categories:`` to add taxonomy categories.
    """
    base = packaged_catalog()
    categories = dict(base.categories)
    products = dict(base.products)
    files = list(base.files)
    for path in extra_files:
        documents = load_yaml(path)
        if len(documents) != 1:
            raise InputError([Problem(str(path), None, "expected exactly one YAML document")])
        data = documents[0].data
        if isinstance(data, Mapping) and data.get("categories"):
            categories.update(load_taxonomy(data, str(path)))
        for product in parse_products(data, str(path), categories, documents[0].line_of):
            products[product.id] = product
        files.append(str(path))
    return Catalog(products, categories, files, base.vendor_aliases)


def alias_table(catalog: Catalog) -> dict[str, list[tuple[str, bool]]]:
    """Normalised alias key → [(product id, exact_only)] for every name of every product."""
    table: dict[str, list[tuple[str, bool]]] = {}
    for product in catalog.products.values():
        exact = {simple_key(a) for a in product.exact_aliases}
        for name in product.names():
            for key in {simple_key(name), normalize(name).key}:
                if key:
                    entry = (product.id, key in exact or simple_key(name) in exact)
                    bucket = table.setdefault(key, [])
                    if entry[0] not in {pid for pid, _ in bucket}:
                        bucket.append(entry)
    return table
