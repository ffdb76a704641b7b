"""Benchmark entity resolution: merge quality on the labelled sets and time for 10,000 names.

Usage::

    .venv/bin/python benchmarks/resolution.py [--names 10000] [--runs 3] [--catalog-scale 3]

Quality (tests/data/resolution/labelled.csv and heldout.csv): pairwise merge precision, recall and
F1 (two names merged = resolved to the same product), per-name link precision/recall, names
attached to the wrong product, cross-product false merges (a sibling product of the same vendor),
and how many names went to review. See auditor/resolution/evaluation.py for the definitions.

Speed: N distinct raw names built from the labelled names with source-style decorations (legal
suffixes, SSO/environment words, plans, card reference codes, full-width forms) plus unknown
names, each run on a freshly built matcher (cold cache): time to load the catalog and build the
matcher, to match the N names, and to resolve them as N tool records from three sources
(Resolver.resolve, which also merges and classifies). Median of ``--runs``.

Scale: ``--catalog-scale K`` (K > 1) times the same names against a catalog K times the packaged one (each
product copied K - 1 times under a made-up id, vendor and name, so every index and the fuzzy key list grow K
times), to show what a bigger catalog costs per name.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.model import SourceRef, ToolRecord  # noqa: E402
from auditor.resolution import catalog as catalog_module  # noqa: E402
from auditor.resolution.catalog import Catalog, Product, load_catalog  # noqa: E402
from auditor.resolution.engine import Resolver  # noqa: E402
from auditor.resolution.evaluation import Labelled, evaluate, load_labelled  # noqa: E402
from auditor.resolution.matcher import Matcher  # noqa: E402

DATA = ROOT / "tests" / "data" / "resolution"
DECORATIONS = ("{}", "{} Inc", "{} (SSO)", "{} - Production", "{} Pro", "{} 株式会社", "{} Enterprise",
               "{} SUBSCRIPTION", "{}*{code}", "SQ *{}", "{} {code} CA", "[Prod] {}", "{} Sandbox")
#: Words of names no product has ("orbit" and "lumen" were, until the catalog learnt Orbit and Lumen).
WORDS = ("acme", "order", "portal", "ledger", "kanban", "metrics", "gateway", "willow", "nova", "pixel", "vault",
         "ridge", "harbor", "summit", "cedar", "atlas", "fable", "quartz", "lantern", "tango")


def full_width(text: str) -> str:
    """ASCII → full-width forms (what some Japanese spreadsheets contain)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def names(count: int, seed: int = 7) -> dict[str, str | None]:
    """``count`` distinct raw names → their true product: decorated labelled names, then unknown ones."""
    rng = random.Random(seed)
    base = load_labelled(DATA / "labelled.csv")
    found: dict[str, str | None] = {}
    while len(found) < count * 0.8:
        item = rng.choice(base)
        text = rng.choice(DECORATIONS).format(item.raw, code=f"{rng.randrange(16**6):06X}")
        if rng.random() < 0.1:
            text = full_width(text)
        found.setdefault(unicodedata.normalize("NFC", text), item.expected)
    while len(found) < count:
        found.setdefault(" ".join(rng.choice(WORDS).title() for _ in range(rng.randint(1, 3)))
                         + f" {rng.randrange(1000)}", None)
    return found


def scaled(catalog: Catalog, factor: int) -> Catalog:
    """``catalog`` with every product copied ``factor - 1`` times under made-up ids, vendors and names."""
    products = dict(catalog.products)
    for k in range(1, factor):
        for product in catalog.products.values():
            copy = Product(f"{product.id}-copy{k}", f"{product.vendor} Copy{k}", f"{product.product} Copy{k}",
                           product.category, product.layers, product.capabilities,
                           aliases=tuple(f"{a} Copy{k}" for a in product.aliases))
            products[copy.id] = copy
    return Catalog(products, dict(catalog.categories), list(catalog.files))


def timed(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        values.append(time.perf_counter() - started)
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--catalog-scale", type=int, default=1, help="also time against a catalog K times bigger")
    args = parser.parse_args()

    catalog = load_catalog()
    print(f"catalog: {len(catalog.products)} products, {len(catalog.categories)} categories, "
          f"{len({p.vendor for p in catalog.products.values()})} vendors")
    matcher = Matcher(catalog)
    for name in ("labelled.csv", "heldout.csv"):
        quality = evaluate(matcher, load_labelled(DATA / name))
        print(f"\n{name}: {quality.names} names")
        print(f"  merge precision {quality.precision:.4f}  recall {quality.recall:.4f}  F1 {quality.f1:.4f}"
              f"  (pairs merged {quality.merged_pairs}, true {quality.true_pairs}, correct {quality.correct_pairs})")
        print(f"  link precision {quality.link_precision:.4f}  link recall {quality.link_recall:.4f}")
        print(f"  wrong links {len(quality.wrong_links)}  cross-product false merges "
              f"{len(quality.cross_product_false_merges)}  sent to review {quality.sent_to_review}")
        for raw, expected in quality.missed:
            print(f"  missed: {raw!r} (is {expected})")
        for raw, expected, got in quality.wrong_links:
            print(f"  WRONG: {raw!r} → {got} (is {expected})")

    truth = names(args.names)
    raws = list(truth)
    sources = [SourceRef(s, s) for s in ("okta", "spend", "sheet")]
    records = [ToolRecord(name=n, provenance=sources[i % 3]) for i, n in enumerate(raws)]

    def build() -> Matcher:
        catalog_module.packaged_catalog.cache_clear()
        return Matcher(load_catalog())

    build_s = timed(build, args.runs)
    match_s = timed(lambda: [m.match(n) for m in [Matcher(catalog)] for n in raws], args.runs)
    resolve_s = timed(lambda: Resolver(catalog).resolve(records), args.runs)
    resolution = Resolver(catalog).resolve(records)
    print(f"\n{len(raws)} distinct names (median of {args.runs}):")
    print(f"  load catalog + build matcher  {build_s:.3f} s")
    print(f"  match {len(raws)} names          {match_s:.3f} s  ({len(raws) / match_s:,.0f} names/s)")
    print(f"  resolve {len(raws)} records      {resolve_s:.3f} s  → {len(resolution.tools)} tools, "
          f"{len(resolution.review)} in review")
    decorated = evaluate(matcher, [Labelled(raw, expected) for raw, expected in truth.items()])
    print(f"  quality on these names: link precision {decorated.link_precision:.4f}  link recall "
          f"{decorated.link_recall:.4f}  merge F1 {decorated.f1:.4f}  wrong links {len(decorated.wrong_links)}  "
          f"cross-product {len(decorated.cross_product_false_merges)}")
    for raw, expected, got in decorated.wrong_links[:10]:
        print(f"  WRONG: {raw!r} → {got} (is {expected})")
    if args.catalog_scale > 1:
        big = scaled(catalog, args.catalog_scale)
        big_build = timed(lambda: Matcher(big), args.runs)
        big_match = timed(lambda: [m.match(n) for m in [Matcher(big)] for n in raws], args.runs)
        big_resolve = timed(lambda: Resolver(big).resolve(records), args.runs)
        print(f"\ncatalog ×{args.catalog_scale}: {len(big.products)} products (median of {args.runs}):")
        print(f"  build matcher  {big_build:.3f} s")
        print(f"  match {len(raws)} names  {big_match:.3f} s  (×{big_match / match_s:.2f} the packaged catalog's)")
        print(f"  resolve {len(raws)} records  {big_resolve:.3f} s  (×{big_resolve / resolve_s:.2f})")


if __name__ == "__main__":
    main()
