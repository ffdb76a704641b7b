"""Review reasons: every code in REVIEW_REASONS is produced by the resolver, with its English text and parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.model import SourceRef, ToolRecord
from auditor.resolution.catalog import load_catalog
from auditor.resolution.engine import Resolver
from auditor.resolution.merge import ReviewItem
from auditor.resolution.reasons import REVIEW_REASONS, Reason, english_value
from auditor.serialize import to_data

LANDSCAPE = SourceRef("landscape", "landscape", file="landscape.yaml")
CARD = SourceRef("card", "spend", sanctioned=False)

#: Two products sharing an alias, and two products one typo apart from one name.
CATALOG = """products:
  - {id: kaizen-board, vendor: Acme, product: Kaizen Board, category: project-management, aliases: [Kaizen]}
  - {id: kaizen-desk, vendor: Bolt, product: Kaizen Desk, category: ticketing, aliases: [Kaizen]}
  - {id: planbook, vendor: Cedar, product: Plannerbook, category: project-management}
  - {id: planbock, vendor: Delta, product: Plannerbock, category: project-management}
"""


def rec(name: str, source: SourceRef, **kwargs: object) -> ToolRecord:
    return ToolRecord(name=name, provenance=source, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReviewItem]:
    """One review item per reason code, from one resolution."""
    path = tmp_path_factory.mktemp("catalog") / "mine.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    records = [
        rec("Salesforce", LANDSCAPE, id="crm-jp"), rec("Salesforce", LANDSCAPE, id="crm-us"),  # declared_same_product
        rec("Zendesk Explore", LANDSCAPE, id="talk", vendor="Zendesk"),  # declared_candidate (extra_words)
        rec("Salesforce", CARD),  # named_like_declared
        rec("Salesforce.com", CARD),  # product_of_several_declared
        rec("Microsoft", CARD),  # vendor_only
        rec("Kaizen", CARD),  # shared_name
        rec("Slack to Zendesk sync", CARD),  # several_products
        rec("Salesforce Einstein", CARD),  # extra_words
        rec("Confluance", CARD),  # fuzzy_uncertain (a typo alone never merges)
        rec("Plannerbooc", CARD),  # fuzzy_several
    ]
    items = Resolver(load_catalog([Path(path)])).resolve(records).review
    return {item.reason_code: item for item in items}


def test_the_resolver_produces_every_reason_code_and_only_those(review: dict[str, ReviewItem]) -> None:
    assert set(review) == set(REVIEW_REASONS)


def test_each_item_has_its_parameters_and_the_english_text_they_make(review: dict[str, ReviewItem]) -> None:
    for code, item in review.items():
        assert set(item.reason_params) == set(REVIEW_REASONS[code].params), code
        values = {k: english_value(v) for k, v in item.reason_params.items()}
        assert item.reason == REVIEW_REASONS[code].english.format_map(values), code
        assert "{" not in item.reason


def test_reasons_say_what_they_used_to_say(review: dict[str, ReviewItem]) -> None:
    assert review["vendor_only"].reason == "names only a vendor that has several products"
    assert review["vendor_only"].reason_params["vendor"] == "Microsoft"
    assert review["vendor_only"].reason_params["count"] == len(review["vendor_only"].candidates)
    assert review["extra_words"].reason == "other words beside the product name: einstein"
    assert review["declared_candidate"].reason == ("declared tool 'talk' may be this catalog product: "
                                                   "other words beside the product name: explore")
    assert review["declared_same_product"].reason.startswith("declared tools crm-jp, crm-us are all the catalog "
                                                            "product 'salesforce-sales-cloud'")
    assert review["shared_name"].candidates == ("kaizen-board", "kaizen-desk")
    assert set(review["fuzzy_several"].candidates) == {"planbook", "planbock"}


def test_a_nested_reason_is_kept_as_data_in_report_form(review: dict[str, ReviewItem]) -> None:
    data = to_data(review["declared_candidate"])
    cause = data["reason_params"]["cause"]
    assert data["reason_code"] == "declared_candidate" and data["reason_params"]["tool"] == "talk"
    assert cause == {"reason": "other words beside the product name: explore", "reason_code": "extra_words",
                     "reason_params": {"product": "zendesk", "words": "explore"}}


def test_a_reason_takes_a_known_code_with_exactly_its_parameters() -> None:
    with pytest.raises(ValueError, match="unknown review reason code"):
        Reason("made_up")
    with pytest.raises(ValueError, match="takes vendor, count"):
        Reason("vendor_only", {"vendor": "Microsoft"})
    assert Reason("fuzzy_several").to_data() == {"reason": "similar to several products",
                                                 "reason_code": "fuzzy_several", "reason_params": {}}
