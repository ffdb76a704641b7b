"""Measuring resolution quality on a labelled set of raw names (used by the benchmark and the tests).

The labelled file is CSV with ``raw,expected,style``: a raw name as some source writes it, the
catalog id it truly is (``NONE`` when it is not a catalog product, or cannot be told), and the
source style. Quality is measured on *merges*: two names are merged when they resolve to the same
product. Precision = correct merged pairs / merged pairs; recall = correct merged pairs / pairs
that should be merged; F1 their harmonic mean. Per-name link precision and recall are reported too
(they matter for a held-out set where most products appear once). A *cross-product false merge* is a name attached to
a different product of the same vendor as its true product (Sales Cloud for Marketing Cloud).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from auditor.resolution.matcher import Matcher


@dataclass(frozen=True)
class Labelled:
    """One labelled name; ``expected`` is None for ``NONE``."""

    raw: str
    expected: str | None
    style: str = ""


@dataclass(frozen=True)
class Quality:
    """Merge quality on a labelled set."""

    names: int
    precision: float
    recall: float
    f1: float
    merged_pairs: int
    true_pairs: int
    correct_pairs: int
    wrong_links: tuple[tuple[str, str | None, str], ...]  # (raw, expected, got)
    cross_product_false_merges: tuple[tuple[str, str | None, str], ...]
    missed: tuple[tuple[str, str], ...]  # (raw, expected) left unresolved
    sent_to_review: int
    link_precision: float  # names linked to the right product / names linked to any product
    link_recall: float  # names linked to the right product / names that are catalog products


def load_labelled(path: Path) -> list[Labelled]:
    """Read a labelled CSV file (``raw,expected,style``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Labelled(row["raw"], None if row["expected"] == "NONE" else row["expected"], row.get("style", ""))
                for row in csv.DictReader(handle)]


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def evaluate(matcher: Matcher, labelled: list[Labelled]) -> Quality:
    """Resolve every labelled name with ``matcher`` and compare with the labels."""
    results = [matcher.match(item.raw) for item in labelled]
    predicted = [m.product for m in results]
    merged = _pairs(Counter(p for p in predicted if p).values())
    true = _pairs(Counter(i.expected for i in labelled if i.expected).values())
    correct = _pairs(Counter((p, i.expected) for p, i in zip(predicted, labelled, strict=True)
                             if p and p == i.expected).values())
    precision = correct / merged if merged else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    products = matcher.catalog.products
    wrong = tuple((i.raw, i.expected, p) for p, i in zip(predicted, labelled, strict=True) if p and p != i.expected)
    cross = tuple(w for w in wrong if w[1] and products[w[2]].vendor
                  and products[w[2]].vendor == products[w[1]].vendor)
    missed = tuple((i.raw, i.expected) for p, i in zip(predicted, labelled, strict=True) if i.expected and not p)
    linked = sum(1 for p in predicted if p)
    right = sum(1 for p, i in zip(predicted, labelled, strict=True) if p and p == i.expected)
    expected = sum(1 for i in labelled if i.expected)
    return Quality(len(labelled), round(precision, 4), round(recall, 4), round(f1, 4), merged, true, correct,
                   wrong, cross, missed, sum(1 for m in results if m.review),
                   round(right / linked, 4) if linked else 1.0, round(right / expected, 4) if expected else 1.0)
