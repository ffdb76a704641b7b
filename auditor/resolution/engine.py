"""The catalog-driven resolver: raw tool records → canonical tools, with evidence and a review list.

* records with an explicit id (landscape files) form one tool per id; distinct explicit ids never
  merge, whatever their names (the user decided they are distinct);
* every other record is matched against the catalog (:mod:`auditor.resolution.matcher`) and joins
  the tool that already stands for that product, or starts it;
* what the catalog does not know joins a tool with the same normalised name, or starts a new one;
* ambiguous matches are not guessed: the record stays its own tool and the case goes to review;
* the user's overrides (:mod:`auditor.resolution.overrides`) come first.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, Problem
from auditor.model import MergeEvidence, Tool, ToolRecord
from auditor.resolution.catalog import Catalog, load_catalog, user_category_titles
from auditor.resolution.classify import Classification, classify
from auditor.resolution.matcher import FUZZY_ACCEPT, NO_MATCH, Match, Matcher, packaged_matcher
from auditor.resolution.merge import Resolution, ReviewItem, _Group, merge_records, ref_key
from auditor.resolution.normalize import normalize
from auditor.resolution.overrides import EMPTY, Overrides, load_overrides
from auditor.resolution.reasons import Reason
from auditor.resolution.vocabularies import vocabulary_answer
from auditor.slug import slugify

#: Hint keys under which connectors may pass an Okta/Entra gallery key (Okta app ``name``).
GALLERY_HINT_KEYS: tuple[str, ...] = ("gallery_key", "okta_app_name", "okta_name", "entra_gallery_id",
                                      "entra_template")


@dataclass
class CatalogResolution(Resolution):
    """A :class:`Resolution` that also finds tools by any catalog name of their product."""

    matcher: Matcher | None = None
    by_product: dict[str, str] = field(default_factory=dict)
    classification: dict[str, Classification] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    catalog_files: list[str] = field(default_factory=list)
    catalog_size: int = 0
    category_titles: dict[str, str] = field(default_factory=dict)  # titles of the user's own categories

    def lookup(self, reference: str) -> str | None:
        """Canonical id for a reference: tool id, known name, or any catalog name of a resolved product."""
        found = super().lookup(reference)
        if found is not None or self.matcher is None:
            return found
        match = self.matcher.match(reference)
        return self.by_product.get(match.product) if match.product else None


@dataclass
class _State:
    groups: dict[str, _Group] = field(default_factory=dict)
    product: dict[str, str] = field(default_factory=dict)  # group id → catalog id
    claimed: dict[str, list[str]] = field(default_factory=dict)  # catalog id → group ids
    index: dict[str, str] = field(default_factory=dict)  # ref_key → group id
    plain: dict[str, str] = field(default_factory=dict)  # normalised name → group id (non-catalog tools)
    review: list[ReviewItem] = field(default_factory=list)
    named: dict[str, list[str]] = field(default_factory=dict)  # ref_key of a record name → group ids

    def add(self, group_id: str, record: ToolRecord, rule: str, score: float, matched: str | None) -> None:
        group = self.groups.setdefault(group_id, _Group(group_id))
        group.records.append(record)
        group.evidence.append(MergeEvidence(record.name, record.provenance.source, rule, round(score, 3), matched))
        self.index.setdefault(ref_key(record.name), group_id)
        self.index.setdefault(ref_key(group_id), group_id)
        owners = self.named.setdefault(ref_key(record.name), [])
        if group_id not in owners:
            owners.append(group_id)

    def standalone(self, record: ToolRecord, candidates: tuple[str, ...], reason: Reason, score: float) -> None:
        """Not guessed: the record becomes its own tool and the case goes to review."""
        self.review.append(ReviewItem.of(record.name, record.provenance.source, candidates, reason, score))
        group_id = self.new_id(slugify(record.name))
        self.groups[group_id] = _Group(group_id)
        self.groups[group_id].records.append(record)
        self.groups[group_id].evidence.append(MergeEvidence(record.name, record.provenance.source, "review",
                                                            round(score, 3), None))

    def claim(self, product: str, group_id: str) -> None:
        self.product[group_id] = product
        if group_id not in self.claimed.setdefault(product, []):
            self.claimed[product].append(group_id)

    def new_id(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.groups:
            candidate, n = f"{wanted}-{n}", n + 1
        return candidate


def _gallery_key(record: ToolRecord, known: Callable[[str], bool] = lambda key: True) -> str | None:
    """The record's first gallery hint the catalog knows (an Entra template id before its display name)."""
    hints = record.hints or {}
    present = [str(hints[k]) for k in GALLERY_HINT_KEYS if hints.get(k)]
    return next((key for key in present if known(key)), present[0] if present else None)


class Resolver:
    """Resolves records against one catalog with one set of overrides (build once per scan)."""

    def __init__(self, catalog: Catalog, overrides: Overrides = EMPTY, matcher: Matcher | None = None) -> None:
        self.catalog = catalog
        self.overrides = overrides
        self.matcher = matcher or Matcher(catalog)

    def _match(self, record: ToolRecord) -> Match:
        said = vocabulary_answer(record)  # the connector's vocabulary file decides when it knows the id
        if said is not None and said[0] == "not_product":
            return NO_MATCH
        if said is not None and said[1] in self.catalog.products:
            return Match(said[1], "vocabulary", 1.0, said[1])
        match = self.matcher.match(record.name, _gallery_key(record, self.matcher.knows_gallery), tuple(record.domains))
        if (match.product is None and len(match.candidates) == 1 and record.vendor
                and match.candidates[0] in self.catalog.products):
            # "Qualtrics CustomerXM" with vendor Qualtrics: the only product of the vendor the source names
            # a fuzzy match clear of every rival needs only the vendor as its independent evidence
            product = self.catalog.products[match.candidates[0]]
            sure = match.rule == "fuzzy" and match.score * 100 >= FUZZY_ACCEPT
            siblings = self.catalog.vendor_products(product.vendor)
            if (sure or len(siblings) == 1) and self.catalog.same_vendor(record.vendor, product.vendor):
                return Match(product.id, f"{match.rule}+vendor", match.score, product.vendor)
        return match

    def _explicit(self, state: _State, records: list[ToolRecord]) -> None:
        for record in records:
            assert record.id is not None
            state.add(record.id, record, "explicit-id", 1.0, record.id)
            state.plain.setdefault(normalize(record.name).plain_key, record.id)
        for group_id, group in state.groups.items():
            for record in group.records:
                target = self.overrides.target(record.name)
                if target in self.catalog.products:
                    state.claim(str(target), group_id)
                    group.evidence.append(MergeEvidence(record.name, record.provenance.source, "override", 1.0,
                                                        target))
                    break
                match = self._match(record)
                if match.product and not self.overrides.forbids(record.name, (match.product,)):
                    state.claim(match.product, group_id)
                    group.evidence.append(MergeEvidence(record.name, record.provenance.source,
                                                        f"catalog:{match.rule}", match.score, match.product))
                    break
                if match.review and match.why and not self.overrides.forbids(record.name, match.candidates):
                    reason = Reason("declared_candidate", {"tool": group_id, "cause": match.why})
                    state.review.append(ReviewItem.of(record.name, record.provenance.source, match.candidates,
                                                      reason, match.score))
        for product, owners in state.claimed.items():
            if len(owners) > 1:
                first = state.groups[owners[0]].records[0]
                state.review.append(ReviewItem.of(
                    ", ".join(state.groups[o].records[0].name for o in owners), first.provenance.source,
                    tuple(owners), Reason("declared_same_product", {"tools": owners, "product": product}), 1.0))

    def _attach_product(self, state: _State, record: ToolRecord, product: str, rule: str, score: float,
                        matched: str | None) -> bool:
        owners = state.claimed.get(product, [])
        if self.overrides.forbids(record.name, (product, *owners)):
            return False
        if len(owners) > 1:
            state.standalone(record, tuple(owners),
                             Reason("product_of_several_declared", {"product": product}), score)
            return True
        if owners:
            group_id = owners[0]
        else:  # a name the user would write keeps its slug as id; card strings and the like get the catalog id
            group_id = state.new_id(slugify(record.name) if rule in ("exact-alias", "override") else product)
        state.add(group_id, record, rule, score, matched or product)
        state.claim(product, group_id)
        return True

    def _attach_plain(self, state: _State, record: ToolRecord) -> None:
        key = normalize(record.name).plain_key or ref_key(record.name)
        group_id = state.index.get(ref_key(record.name)) or state.plain.get(key)
        if group_id and self.overrides.forbids(record.name, (group_id, *(r.name for r in
                                                                       state.groups[group_id].records))):
            group_id = None
        if group_id is not None:
            state.add(group_id, record, "normalized-name", 1.0, group_id)
            return
        group_id = state.new_id(slugify(record.name))
        state.add(group_id, record, "new", 1.0, None)
        state.plain.setdefault(key, group_id)

    def _pending(self, state: _State, record: ToolRecord) -> None:
        target = self.overrides.target(record.name)
        if target is not None:
            if target in state.groups:
                state.add(target, record, "override", 1.0, target)
            elif target in self.catalog.products:
                self._attach_product(state, record, target, "override", 1.0, target)
            else:
                state.add(target, record, "override", 1.0, target)
            return
        same_name = state.named.get(ref_key(record.name), [])
        if len(same_name) > 1:
            state.standalone(record, tuple(same_name), Reason("named_like_declared"), 1.0)
            return
        known = state.index.get(ref_key(record.name))
        if known is not None and not self.overrides.forbids(record.name, (known,)):
            state.add(known, record, "name", 1.0, known)
            return
        match = self._match(record)
        if match.review and match.why:
            state.review.append(ReviewItem.of(record.name, record.provenance.source, match.candidates,
                                              match.why, match.score))
        elif match.product and self._attach_product(state, record, match.product, match.rule, match.score,
                                                    match.matched):
            return
        self._attach_plain(state, record)

    def resolve(self, records: Iterable[ToolRecord]) -> CatalogResolution:
        """Resolve every record into canonical tools (deterministic for the same input order)."""
        records = list(records)
        state = _State()
        self._explicit(state, [r for r in records if r.id])
        for record in records:
            if not record.id:
                self._pending(state, record)
        tools: dict[str, Tool] = {}
        classes: dict[str, Classification] = {}
        for group_id, group in state.groups.items():
            product = self.catalog.products.get(state.product.get(group_id, ""))
            tool = merge_records(group_id, group.records, group.evidence, product.defaults() if product else None)
            classes[group_id] = classify(group.records, product, self.catalog)
            tools[group_id] = dataclasses.replace(tool, category=classes[group_id].category,
                                                  layers=classes[group_id].layers,
                                                  capabilities=classes[group_id].capabilities)
        for product_id, owners in state.claimed.items():
            state.index.setdefault(ref_key(product_id), owners[0])
        rules = Counter(e.rule for g in state.groups.values() for e in g.evidence)
        return CatalogResolution(tools, state.index, state.review, self.matcher,
                                 {p: o[0] for p, o in state.claimed.items()}, classes, dict(sorted(rules.items())),
                                 list(self.catalog.files), len(self.catalog.products),
                                 user_category_titles(self.catalog))


def catalog_paths(settings: Mapping[str, Any], base_dir: Any) -> tuple[list[Path], Path | None]:
    """The user's catalog files and overrides file named in ``resolution:``, relative to ``base_dir``."""
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    problems: list[Problem] = []
    catalogs = settings.get("catalogs") or []
    if not isinstance(catalogs, list):
        problems.append(Problem("config", None, "resolution.catalogs must be a list of file paths"))
        catalogs = []
    paths = [p if p.is_absolute() else base / p for p in (Path(str(c)).expanduser() for c in catalogs)]
    overrides = settings.get("overrides")
    override_path = None
    if overrides:
        override_path = Path(str(overrides)).expanduser()
        override_path = override_path if override_path.is_absolute() else base / override_path
    if problems:
        raise InputError(problems)
    return paths, override_path


def resolve(records: Iterable[ToolRecord], settings: Mapping[str, Any] | None = None,
            base_dir: Any = None) -> CatalogResolution:
    """Resolve raw tool records into canonical tools (the pipeline's entry point).

    ``settings`` is the config's ``resolution:`` mapping (``catalogs``, ``overrides``), paths
    relative to ``base_dir``: load the catalog and the overrides, then resolve.
    """
    catalog_files, overrides_path = catalog_paths(settings or {}, base_dir)
    matcher = None if catalog_files else packaged_matcher()  # the user's own files: indexed at every scan
    resolver = Resolver(load_catalog(catalog_files), load_overrides(overrides_path), matcher)
    return resolver.resolve(records)
