"""The real vocabularies of tests/data/realworld/vocabularies as the connectors name them (test helper)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from auditor.resolution.matcher import Matcher
from connectors.pipelines import display_name
from connectors.segment import destination_name

DATA = Path(__file__).parent.parent / "data" / "realworld" / "vocabularies"
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
