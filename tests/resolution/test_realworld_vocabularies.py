"""Precision first on vocabularies nobody here wrote: no merge but the ones a person checked.

Every name of the real Fivetran, Airbyte, Segment, Entra and Okta vocabularies and of names.csv that
the matcher attaches to a catalog product must be in vocabulary-merges.csv (checked by hand); a new
merge fails until someone checks it, and the wrong merges found before (issue 12) stay fixed.
"""

from __future__ import annotations

import pytest

from auditor.model import SourceRef, ToolRecord
from auditor.resolution.catalog import load_catalog
from auditor.resolution.engine import Resolver
from auditor.resolution.matcher import Matcher
from benchmarks.realworld_vocabularies import judged, merges, names_csv_right

#: Wrong merges seen on real vocabularies before the precision-first policy: (name, wrong product).
KNOWN_WRONG = [
    ("Height", "eight-team"), ("Linnworks", "line-works"), ("Us Census", "census"),
    ("Customerly", "customer-io"), ("Sap Hana Enterprise", "sap-s4hana"), ("Vantage", "teradata"),
    ("Amazon Dsp", "amazon-rds"), ("Centra", "dynamics-365-business-central"), ("Oracle Ebs", "oracle-fusion-erp"),
    ("Oracle Rds", "oracle-database"), ("O365SBRM Service", "salesforce-service-cloud"),
    ("Microsoft Stream Service", "microsoft-teams"), ("Project", "microsoft-project"),
    ("Braintree", "paypal"), ("Microsoft Defender for Cloud", "microsoft-defender"), ("OKTA-1019746", "okta"),
]


def test_every_merge_on_the_real_vocabularies_was_checked_by_hand(matcher: Matcher) -> None:
    found = set(merges(matcher))
    assert found - judged() == set(), "new merges: check each and add the right ones to vocabulary-merges.csv"


def test_at_least_90_percent_of_names_csv_is_right(matcher: Matcher) -> None:
    right, total = names_csv_right(matcher)
    assert right / total >= 0.90, (right, total)


def test_the_checked_merges_still_happen(matcher: Matcher) -> None:
    assert judged() - set(merges(matcher)) == set()


@pytest.mark.parametrize(("name", "wrong"), KNOWN_WRONG)
def test_a_known_wrong_merge_does_not_come_back(matcher: Matcher, name: str, wrong: str) -> None:
    match = matcher.match(name)
    assert match.product != wrong, match


def card(name: str) -> ToolRecord:
    return ToolRecord(name=name, provenance=SourceRef("sso", "okta"))


@pytest.mark.parametrize("names", [
    ("My Service App10", "My Service App11", "My Service App20"), ("Sample Client", "A Sample Client"),
    ("Zoho Billing", "Zoho Invoice"), ("Form Plus", "Form.io Enterprise"),
])
def test_names_outside_the_catalog_merge_only_when_their_normalised_forms_are_equal(
        matcher: Matcher, names: tuple[str, ...]) -> None:
    resolution = Resolver(load_catalog(), matcher=matcher).resolve([card(n) for n in names])
    assert len(resolution.tools) == len(names), sorted(resolution.tools)


def test_environment_plan_and_legal_words_still_join_a_name_outside_the_catalog(matcher: Matcher) -> None:
    resolution = Resolver(load_catalog(), matcher=matcher).resolve([card("ACME ORDER PORTAL (prod)"),
                                                                    card("Acme Order Portal Inc")])
    assert len(resolution.tools) == 1
