"""Matching one raw name against the catalog, rule by rule, never across products of one vendor.

Rules, in order (the first that decides wins; each result carries its rule and score):

1. ``exact-alias``: the name (case, width and punctuation folded) is a known name of one product;
2. ``gallery-key``: the source's Okta/Entra gallery key is one of a product's keys;
3. ``domain``: the name is a host name under one of a product's domains;
4. ``normalized``: the name with legal suffixes, processor prefixes and noise words removed is a known name;
5. ``contained-alias``: a known name appears inside the name and every other word is noise
   (plan, environment, legal form, reference code), the product's own vendor, or a word of the
   product's category (``KING OF TIME 勤怠``, ``Zendesk help desk``). If other words are
   left, the case goes to review; if a second product is named too, the case goes to review;
   ``qualified-name``: an SSO app label ``Product - instance`` or ``Product (qualifier)`` whose
   qualifier names no other product;
6. ``fuzzy``: rapidfuzz similarity of the cleaned name to a known name. A score alone never merges:
   a fuzzy match is accepted only with independent evidence (a domain the source reports that is the
   product's, rule ``fuzzy+domain``; the vendor the source states, ``fuzzy+vendor`` in the resolver)
   and only when clearly above every other product (and far above a sibling of the same vendor);
   otherwise it goes to review with its candidates. Short names (fewer than
   :data:`FUZZY_MIN_LENGTH` letters) never fuzzy-match: ``Height`` is not ``Eight``.

Names that only name a vendor with several products (``Microsoft``, ``株式会社マネーフォワード``) go
to review. Generic words listed as ``exact_aliases`` in the catalog (``Front``, ``Teams``) only match
when they are the whole name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from auditor import prebuilt
from auditor.resolution.catalog import Catalog, alias_table, catalog_sources, packaged_catalog
from auditor.resolution.normalize import Normalized, fold, is_cjk, is_noise, normalize, simple_key
from auditor.resolution.reasons import Reason

#: ``main - qualifier``, ``main: qualifier``, ``main (qualifier)``: an SSO app label with an instance name.
_SEPARATOR = re.compile(r"^(.+?)\s+[-–—:|/]\s+(.+)$")
_PARENTHESES = re.compile(r"[(\[]([^()\[\]]+)[)\]]")
FUZZY_ACCEPT = 88.0
FUZZY_REVIEW = 80.0
FUZZY_MARGIN = 5.0
SAME_VENDOR_MARGIN = 10.0
REVIEW_COVERAGE = 0.5
FUZZY_MIN_LENGTH = 7


@dataclass(frozen=True)
class Match:
    """The outcome for one name: a product (or None), why, how sure, and the candidates if ambiguous.

    ``why`` is the structured reason of an undecided match (:mod:`auditor.resolution.reasons`).
    """

    product: str | None
    rule: str
    score: float = 0.0
    matched: str | None = None
    candidates: tuple[str, ...] = ()
    review: bool = False
    why: Reason | None = None

    def __post_init__(self) -> None:
        if self.review and self.why is None:
            raise ValueError("a match sent to review needs a reason")

    @property
    def reason(self) -> str:
        """The reason in English ("" when the match decided)."""
        return self.why.text if self.why else ""


NO_MATCH = Match(None, "none")


@dataclass(frozen=True)
class _Alias:
    product: str
    tokens: tuple[str, ...]
    weak: bool  # the alias is only the vendor's name


@dataclass(frozen=True)
class _Hit:
    product: str
    start: int
    end: int
    covered: int
    weak: bool
    leftover: tuple[str, ...] = ()


@dataclass
class Matcher:
    """Matches names against one :class:`Catalog` (build once, call :meth:`match` many times)."""

    catalog: Catalog
    _exact: dict[str, list[tuple[str, bool]]] = field(init=False)
    _by_first: dict[str, list[_Alias]] = field(init=False)
    _by_bigram: dict[str, list[_Alias]] = field(init=False)
    _gallery: dict[str, str] = field(init=False)
    _domains: dict[str, str] = field(init=False)
    _fuzzy_keys: list[str] = field(init=False)
    _fuzzy_products: list[str] = field(init=False)
    _vendor_tokens: dict[str, frozenset[str]] = field(init=False)
    _product_tokens: dict[str, frozenset[str]] = field(init=False)
    _vendors: dict[str, list[str]] = field(init=False)
    _category_words: dict[str, frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        self._exact = alias_table(self.catalog)
        self._by_first = defaultdict(list)
        self._by_bigram = defaultdict(list)
        self._gallery = {}
        self._domains = {}
        self._vendor_tokens = {}
        self._product_tokens = {}
        self._vendors = defaultdict(list)
        self._category_words = {}
        fuzzy: dict[str, str | None] = {}
        for product in self.catalog.products.values():
            vendor_key = simple_key(product.vendor)
            for vendor_name in {normalize(v).clean_key for v in self.catalog.vendor_names(product.vendor)}:
                self._vendors[vendor_name].append(product.id)  # an unknown vendor ("") makes no siblings
            self._vendor_tokens[product.id] = frozenset(
                t for vendor in self.catalog.vendor_names(product.vendor) for t in normalize(vendor).tokens)
            exact = {simple_key(a) for a in product.exact_aliases}
            own: set[str] = set()
            for name in product.names():
                tokens = normalize(name).tokens
                own.update(tokens)
                if not tokens or simple_key(name) in exact or all(is_noise(t) for t in tokens):
                    continue
                alias = _Alias(product.id, tokens, "".join(tokens) == vendor_key)
                if is_cjk(tokens[0][0]):
                    self._by_bigram[tokens[0][:2]].append(alias)
                else:
                    self._by_first[tokens[0]].append(alias)
                key = normalize(name).key  # every word: "Service Cloud" is not "service"
                if len(key) >= 5:
                    fuzzy[key] = product.id if fuzzy.get(key, product.id) == product.id else None
            self._product_tokens[product.id] = frozenset(own)
            self._category_words[product.id] = self._words_of(product.category)
            for key in (*product.okta, *product.entra, *product.entra_templates):
                self._gallery[simple_key(key)] = product.id
            for domain in product.domains:
                self._domains[domain] = product.id
        kept = [(k, p) for k, p in fuzzy.items() if p is not None]
        self._fuzzy_keys = [k for k, _ in kept]
        self._fuzzy_products = [p for _, p in kept if p is not None]
        self.match = lru_cache(maxsize=65536)(self._match)  # type: ignore[method-assign]

    def tables(self) -> dict[str, Any]:
        """The lookup tables built from the catalog as plain data (strings, tuples, lists, dicts, frozensets).

        What :mod:`auditor.prebuilt` caches; :meth:`from_tables` makes the same matcher from it.
        """
        def aliases(table: Mapping[str, list[_Alias]]) -> dict[str, list[tuple[str, tuple[str, ...], bool]]]:
            return {k: [(a.product, a.tokens, a.weak) for a in v] for k, v in table.items()}
        return {"exact": self._exact, "by_first": aliases(self._by_first), "by_bigram": aliases(self._by_bigram),
                "gallery": self._gallery, "domains": self._domains, "fuzzy_keys": self._fuzzy_keys,
                "fuzzy_products": self._fuzzy_products, "vendor_tokens": self._vendor_tokens,
                "product_tokens": self._product_tokens, "vendors": dict(self._vendors),
                "category_words": self._category_words}

    @classmethod
    def from_tables(cls, catalog: Catalog, tables: Mapping[str, Any]) -> Matcher:
        """A matcher over ``catalog`` with the :meth:`tables` of a matcher built from the same catalog."""
        def aliases(table: Mapping[str, list[tuple[str, tuple[str, ...], bool]]]) -> defaultdict[str, list[_Alias]]:
            return defaultdict(list, {k: [_Alias(*a) for a in v] for k, v in table.items()})
        matcher = cls.__new__(cls)
        matcher.catalog = catalog
        matcher._exact, matcher._gallery, matcher._domains = tables["exact"], tables["gallery"], tables["domains"]
        matcher._by_first, matcher._by_bigram = aliases(tables["by_first"]), aliases(tables["by_bigram"])
        matcher._fuzzy_keys, matcher._fuzzy_products = tables["fuzzy_keys"], tables["fuzzy_products"]
        matcher._vendor_tokens, matcher._product_tokens = tables["vendor_tokens"], tables["product_tokens"]
        matcher._vendors = defaultdict(list, tables["vendors"])
        matcher._category_words = tables["category_words"]
        matcher.match = lru_cache(maxsize=65536)(matcher._match)  # type: ignore[method-assign]
        return matcher

    def _words_of(self, category_id: str) -> frozenset[str]:
        """Words that describe a category (id, title, synonyms): allowed beside a product of it."""
        category = self.catalog.categories.get(category_id)
        if category is None:
            return frozenset()
        words: set[str] = set()
        for text in (category.id.replace("-", " "), category.title, *category.synonyms):
            tokens = normalize(text).tokens
            words.update(t for t in tokens if not is_noise(t))
            words.add("".join(tokens))
        return frozenset(w for w in words if w)

    def _describes(self, token: str, product: str) -> bool:
        """True if ``token`` is a word of the product's category (``勤怠`` beside KING OF TIME)."""
        words = self._category_words.get(product, frozenset())
        if token in words:
            return True
        return is_cjk(token[0]) and len(token) >= 2 and any(token in w for w in words if is_cjk(w[0]))

    # -- public -------------------------------------------------------------------------------
    def match(self, name: str, gallery_key: str | None = None, domains: tuple[str, ...] = ()) -> Match:
        """Match one raw name (plus optional gallery key and domains reported by the source)."""
        raise NotImplementedError  # replaced by the cached implementation in __post_init__

    def knows_gallery(self, key: str) -> bool:
        """True if ``key`` is a gallery key of a catalog product (Okta app name, Entra name or template id)."""
        return simple_key(key) in self._gallery

    def domain_product(self, host: str) -> str | None:
        """The product whose domain ``host`` is, or is under (longest domain wins)."""
        host = host.casefold().strip(".").removeprefix("www.")
        parts = host.split(".")
        for index in range(len(parts) - 1):
            product = self._domains.get(".".join(parts[index:]))
            if product:
                return product
        return None

    # -- rules --------------------------------------------------------------------------------
    def _match(self, name: str, gallery_key: str | None = None, domains: tuple[str, ...] = ()) -> Match:
        key = simple_key(name)
        found = self._exact.get(key)
        if found:
            return self._decide(found, "exact-alias", 1.0, name)
        if gallery_key and simple_key(gallery_key) in self._gallery:
            return Match(self._gallery[simple_key(gallery_key)], "gallery-key", 1.0, gallery_key)
        normalized = normalize(name)
        if not normalized.tokens:
            return NO_MATCH
        domain_hits = {p for d in (*normalized.domains, *domains) if (p := self.domain_product(d))}
        if domain_hits and " " not in name.strip() and len(domain_hits) == 1:
            return Match(domain_hits.pop(), "domain", 0.98, normalized.domains[0] if normalized.domains else None)
        for candidate, score in ((normalized.key, 0.98), (normalized.clean_key, 0.97)):
            found = self._exact.get(candidate)
            if found:
                return self._decide(found, "normalized", score, candidate)
        contained = self._contained(normalized.tokens, normalized.domain_tokens)
        if contained is None or contained.product is None:
            qualified = self._qualified(name)
            if qualified is not None:
                return qualified
        if contained is not None and (contained.product or contained.review):
            return contained
        if contained is not None and contained.candidates:
            return contained
        vendor_products = sorted(self._vendors.get(normalized.clean_key, []))
        if len(vendor_products) > 1:
            vendor = self.catalog.products[vendor_products[0]].vendor
            return Match(None, "vendor-only", 0.0, None, tuple(vendor_products), True,
                         Reason("vendor_only", {"vendor": vendor, "count": len(vendor_products)}))
        return self._fuzzy(normalized, domain_hits)

    def _qualified(self, name: str) -> Match | None:
        """``Slack - Acme Workspace``, ``Box (Azure AD)``: a product name plus an instance qualifier.

        Accepted when the part before the qualifier is a product by itself and the qualifier names no
        other product (an identity provider named there is a decoration of an SSO app label).
        """
        text = fold(name)
        paren = _PARENTHESES.search(text)
        if paren:
            main, qualifier = f"{text[:paren.start()]} {text[paren.end():]}".strip(), paren.group(1)
        else:
            split = _SEPARATOR.match(text)
            if not split:
                return None
            main, qualifier = split.group(1), split.group(2)
        if not main:
            return None
        found = self.match(main)
        if not found.product or not qualifier:
            return None
        others = {h.product for h in self._kept(normalize(qualifier).tokens)} - {found.product}
        others = {p for p in others if self.catalog.products[p].category != "identity"}
        if others:
            return Match(None, "qualified-name", found.score, None, (found.product, *sorted(others)), True,
                         Reason("several_products"))
        return Match(found.product, "qualified-name", round(min(found.score, 0.95) - 0.02, 3), found.matched)

    @staticmethod
    def _decide(found: list[tuple[str, bool]], rule: str, score: float, matched: str) -> Match:
        products = sorted({p for p, _ in found})
        if len(products) == 1:
            return Match(products[0], rule, score, matched)
        return Match(None, rule, score, matched, tuple(products), True,
                     Reason("shared_name", {"name": matched}))

    def _hits(self, tokens: tuple[str, ...]) -> list[_Hit]:
        hits: list[_Hit] = []
        for i, token in enumerate(tokens):
            if is_cjk(token[0]):
                for j in range(len(token) - 1):
                    for alias in self._by_bigram.get(token[j:j + 2], ()):
                        hit = self._cjk_hit(alias, tokens, i, j)
                        if hit:
                            hits.append(hit)
                continue
            for alias in self._by_first.get(token, ()):
                hit = self._latin_hit(alias, tokens, i)
                if hit:
                    hits.append(hit)
        return hits

    @staticmethod
    def _latin_hit(alias: _Alias, tokens: tuple[str, ...], i: int) -> _Hit | None:
        n = len(alias.tokens)
        window = tokens[i:i + n]
        if len(window) != n or window[:-1] != alias.tokens[:-1]:
            return None
        last, want = window[-1], alias.tokens[-1]
        if last == want:
            return _Hit(alias.product, i, i + n, sum(map(len, alias.tokens)), alias.weak)
        if n > 1 and is_cjk(want[0]) and last.startswith(want):  # "freee 会計ミニマム"
            return _Hit(alias.product, i, i + n, sum(map(len, alias.tokens)), alias.weak, (last[len(want):],))
        return None

    @staticmethod
    def _cjk_hit(alias: _Alias, tokens: tuple[str, ...], i: int, j: int) -> _Hit | None:
        token = tokens[i]
        first = alias.tokens[0]
        if not token.startswith(first, j):
            return None
        rest = alias.tokens[1:]
        if rest and (j + len(first) != len(token) or tokens[i + 1:i + 1 + len(rest)] != rest):
            return None
        leftover = tuple(p for p in (token[:j], token[j + len(first):]) if p)
        return _Hit(alias.product, i, i + 1 + len(rest), sum(map(len, alias.tokens)), alias.weak, leftover)

    @staticmethod
    def _truncated(token: str, words: Iterable[str]) -> bool:
        """True if ``token`` is the cut-off start (4+ letters) of one of ``words``."""
        return len(token) >= 4 and not is_cjk(token[0]) and any(w != token and w.startswith(token) for w in words)

    def _kept(self, tokens: tuple[str, ...]) -> list[_Hit]:
        """Product names in ``tokens``, without names inside longer ones and bare vendors beside their products."""
        hits = self._hits(tokens)
        strong_vendors = {v for h in hits if not h.weak for v in self._vendor_tokens[h.product]}
        # "Salesforce Slack": the bare vendor name yields to a product of that vendor named beside it
        hits = [h for h in hits if not (h.weak and set(tokens[h.start:h.end]) <= strong_vendors)]
        hits.sort(key=lambda h: (-(h.end - h.start), -h.covered))
        kept: list[_Hit] = []
        for hit in hits:
            if any(k.start <= hit.start and hit.end <= k.end and k.covered >= hit.covered for k in kept):
                continue  # a longer name already explains these words
            kept.append(hit)
        return kept

    def _contained(self, tokens: tuple[str, ...], from_domains: frozenset[str] = frozenset()) -> Match | None:
        kept = self._kept(tokens)
        if not kept:
            return None
        products = sorted({h.product for h in kept})
        if len(products) > 1:
            return Match(None, "contained-alias", 0.0, None, tuple(products), True,
                         Reason("several_products"))
        product = products[0]
        covered_tokens = {i for h in kept for i in range(h.start, h.end)}
        leftovers = [t for i, t in enumerate(tokens) if i not in covered_tokens]
        leftovers += [part for h in kept for part in h.leftover]
        allowed = self._vendor_tokens[product] | self._product_tokens[product] | from_domains
        unknown = [t for t in leftovers if not is_noise(t) and t not in allowed and not self._describes(t, product)]
        if unknown == [tokens[-1]] and self._truncated(tokens[-1], allowed):
            unknown = []  # card statements cut names short: "ZOOM VIDEO COMM"
        total = sum(map(len, tokens)) or 1
        if not unknown:
            covered = total - sum(len(t) for t in leftovers if is_noise(t))
            return Match(product, "contained-alias", round(0.9 + 0.05 * covered / total, 3), " ".join(
                tokens[min(h.start for h in kept):max(h.end for h in kept)]))
        coverage = 1 - sum(map(len, unknown)) / total
        reason = Reason("extra_words", {"product": product, "words": " ".join(unknown)})
        # below REVIEW_COVERAGE the product name is a small part of the name: a candidate, not a review case
        return Match(None, "contained-alias", round(coverage, 3), None, (product,), coverage >= REVIEW_COVERAGE,
                     reason)

    def _related(self, product: str, score: float, words: frozenset[str]) -> bool:
        """A fuzzy candidate worth showing: nearly the same word, or a meaningful word in common."""
        return score >= FUZZY_ACCEPT or bool(words & self._product_tokens[product])

    def _fuzzy(self, normalized: Normalized, domain_hits: set[str] | frozenset[str] = frozenset()) -> Match:
        query = normalized.clean_key
        words = frozenset(t for t in normalized.clean_tokens if not is_noise(t))
        if len(query) < FUZZY_MIN_LENGTH or not self._fuzzy_keys:
            return NO_MATCH
        best: dict[str, float] = {}
        matched: dict[str, str] = {}
        for key, score, index in process.extract(query, self._fuzzy_keys, scorer=fuzz.ratio, limit=10,
                                                 score_cutoff=FUZZY_REVIEW - SAME_VENDOR_MARGIN):
            product = self._fuzzy_products[index]
            if score > best.get(product, -1) and self._related(product, score, words):
                best[product], matched[product] = score, key
        if not best:
            return NO_MATCH
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        top, score = ranked[0]
        if score < FUZZY_REVIEW:
            return NO_MATCH
        rivals = ranked[1:]
        vendor = self.catalog.products[top].vendor
        close = [p for p, s in rivals if score - s < FUZZY_MARGIN or
                 (vendor and self.catalog.products[p].vendor == vendor and score - s < SAME_VENDOR_MARGIN)]
        if score >= FUZZY_ACCEPT and not close and domain_hits == {top}:
            return Match(top, "fuzzy+domain", round(score / 100, 3), matched[top])
        why = (Reason("fuzzy_several") if close
               else Reason("fuzzy_uncertain", {"product": top, "matched": matched[top]}))
        return Match(None, "fuzzy", round(score / 100, 3), matched[top], (top, *close), True, why)


@cache
def packaged_matcher() -> Matcher:
    """A matcher over the packaged catalog, its tables from the pre-built cache when fresh (built once)."""
    catalog = packaged_catalog()
    return prebuilt.cached("matcher", catalog_sources(), lambda: Matcher(catalog), Matcher.tables,
                           lambda tables: Matcher.from_tables(catalog, tables))
