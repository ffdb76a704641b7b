"""Resolution on real vocabularies nobody here wrote: how many names each resolves, and names.csv right.

Usage::

    .venv/bin/python benchmarks/realworld_vocabularies.py

The vocabularies (tests/data/realworld/vocabularies, copied from /work/shared/realworld) are named
as the connectors name them (Fivetran service ids and Airbyte types through ``display_name``,
Segment catalog entries through ``destination_name``, Okta labels with their gallery key, Entra
first-party display names). Prints, per vocabulary, the distinct names and how many resolve to a
catalog product; for names.csv, how many are right against judged.csv's ``expected`` column (the
right product, or correctly left alone). The tests use the same loaders.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.resolution.catalog import load_catalog  # noqa: E402
from auditor.resolution.matcher import Matcher  # noqa: E402
from connectors.pipelines import display_name  # noqa: E402
from connectors.segment import destination_name  # noqa: E402

DATA = ROOT / "tests" / "data" / "realworld" / "vocabularies"
MERGES = DATA / "vocabulary-merges.csv"


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def vocabularies() -> dict[str, list[tuple[str, str | None]]]:
    """Vocabulary → (name as the connector prints it, gallery key or None), in file order."""
    airbyte = json.loads((DATA / "airbyte-types.json").read_text(encoding="utf-8"))
    segment = json.loads((DATA / "segment-catalog.json").read_text(encoding="utf-8"))
    okta = list(csv.DictReader((DATA / "okta-apps.tsv").open(encoding="utf-8"), delimiter="\t"))
    return {
        "fivetran": [(display_name(s), None) for s in _lines("fivetran-services.txt")
                     + _lines("fivetran-destination-services.txt")],
        "airbyte": [(display_name(s), None) for s in airbyte["source"] + airbyte["destination"]],
        "segment": [(destination_name(m, m["slug"]), None) for m in segment["destinations"]]
        + [(str(m["name"]), None) for m in segment["sources"]],
        "entra": [(n, None) for n in _lines("entra-firstparty-names.txt")],
        "okta": [(r["label"], r["name"]) for r in okta],
        "names": [(r["name"], None) for r in csv.DictReader((DATA / "names.csv").open(encoding="utf-8"))],
    }


def merges(matcher: Matcher) -> Iterator[tuple[str, str, str]]:
    """(vocabulary, name, catalog product) for every name the matcher attaches to a product."""
    for vocabulary, names in vocabularies().items():
        for name, gallery_key in dict.fromkeys(names):
            match = matcher.match(name, gallery_key)
            if match.product:
                yield vocabulary, name, match.product


def judged() -> set[tuple[str, str, str]]:
    """The merges a person checked one by one and found right (vocabulary-merges.csv)."""
    with MERGES.open(encoding="utf-8") as handle:
        return {(r["vocabulary"], r["name"], r["product"]) for r in csv.DictReader(handle)}


def names_csv_right(matcher: Matcher) -> tuple[int, int]:
    """(right, total) on names.csv: the expected product, or no product where none is expected."""
    with (DATA / "judged.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    right = 0
    for row in rows:
        product = matcher.match(row["name"]).product
        expected = row["expected"] if row["expected"] not in ("-", "vendor-review") else None
        right += product == expected
    return right, len(rows)


def main() -> None:
    """Print the figures docs/resolution.md reports."""
    matcher = Matcher(load_catalog())
    print(f"catalog: {len(matcher.catalog.products)} products")
    found: dict[str, set[str]] = {}
    for vocabulary, _, _ in merges(matcher):
        found.setdefault(vocabulary, set())
    for vocabulary, name, _ in merges(matcher):
        found[vocabulary].add(name)
    for vocabulary, names in vocabularies().items():
        distinct = len(dict.fromkeys(names))
        hit = len(found.get(vocabulary, ()))
        print(f"{vocabulary:9} {hit:4d} of {distinct:4d} distinct names resolve to a catalog product")
    right, total = names_csv_right(matcher)
    print(f"names.csv: {right} of {total} right ({right / total:.1%})")
    print(f"merges not checked by hand: {len(set(merges(matcher)) - judged())}")


if __name__ == "__main__":
    main()
