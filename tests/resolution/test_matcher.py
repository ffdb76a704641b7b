"""Matching rules: golden merges, same-vendor traps, generic words, Japanese and full-width names."""

from __future__ import annotations

import pytest

from auditor.resolution.matcher import Matcher
from auditor.resolution.normalize import normalize, simple_key


@pytest.mark.parametrize("raw", ["Salesforce.com", "SALESFORCE.COM INC*SFDC", "Salesforce Sales Cloud",
                                 "Salesforce", "Salesforce - Production", "株式会社セールスフォース・ジャパン",
                                 "Ｓａｌｅｓｆｏｒｃｅ"])
def test_every_source_style_of_salesforce_is_sales_cloud(matcher: Matcher, raw: str) -> None:
    assert matcher.match(raw).product == "salesforce-sales-cloud"


@pytest.mark.parametrize(("raw", "product"), [
    ("Salesforce Marketing Cloud", "salesforce-marketing-cloud"),
    ("Salesforce Marketing Cloud Account Engagement", "salesforce-account-engagement"),
    ("Salesforce Service Cloud", "salesforce-service-cloud"),
    ("Tableau by Salesforce", "tableau"),
    ("Salesforce Slack", "slack"),
    ("Microsoft Teams", "microsoft-teams"),
    ("Dynamics 365 Customer Service", "dynamics-365-customer-service"),
    ("Microsoft Power BI", "power-bi"),
    ("Google Analytics 4", "google-analytics"),
    ("GOOGLE *GSUITE_ACME.CO.JP", "google-workspace"),
    ("Google BigQuery", "google-bigquery"),
    ("マネーフォワード クラウド給与", "money-forward-cloud-payroll"),
    ("マネーフォワード クラウド会計", "money-forward-cloud-accounting"),
    ("freee人事労務", "freee-hr"),
    ("jinjer勤怠", "jinjer-attendance"),
])
def test_products_of_one_vendor_stay_apart(matcher: Matcher, raw: str, product: str) -> None:
    assert matcher.match(raw).product == product


@pytest.mark.parametrize("raw", ["Microsoft", "Google", "ADOBE SYSTEMS", "株式会社マネーフォワード",
                                 "サイボウズ株式会社"])
def test_a_vendor_alone_is_sent_to_review_with_its_products(matcher: Matcher, raw: str) -> None:
    result = matcher.match(raw)
    assert result.product is None and result.review and len(result.candidates) > 1


@pytest.mark.parametrize(("raw", "product"), [("Box", "box"), ("Notion", "notion"), ("Monday", "monday"),
                                              ("Zoom", "zoom"), ("Asana", "asana"), ("Front", "front")])
def test_generic_words_match_when_they_are_the_whole_name(matcher: Matcher, raw: str, product: str) -> None:
    assert matcher.match(raw).product == product


@pytest.mark.parametrize("raw", ["Dropbox", "Sandbox", "Inbox", "Box Office Mojo", "Monday Standup Notes",
                                 "Zoomcar", "Notions Stationery", "Sheets", "Forms", "Front Desk Supplies",
                                 "Square Enix", "Zoom Photography Studio", "Asana Yoga Studio"])
def test_generic_words_inside_other_names_do_not_match_their_product(matcher: Matcher, raw: str) -> None:
    # Dropbox is a catalog product of its own (it must not become Box); every other name is no product
    expected = "dropbox" if raw == "Dropbox" else None
    assert matcher.match(raw).product == expected


def test_extra_words_beside_a_product_go_to_review_instead_of_merging(matcher: Matcher) -> None:
    result = matcher.match("Salesforce Einstein")
    assert result.product is None and result.review
    assert result.candidates == ("salesforce-sales-cloud",) and "einstein" in result.reason


def test_names_of_two_products_go_to_review(matcher: Matcher) -> None:
    result = matcher.match("Slack to Zendesk sync")
    assert result.product is None and result.review and set(result.candidates) == {"slack", "zendesk"}


@pytest.mark.parametrize(("raw", "bare"), [("Zoom Pro", "Zoom"), ("Slack Business+", "Slack"),
                                           ("kintone スタンダードコース", "kintone"),
                                           ("Snowflake (Prod)", "Snowflake"), ("CANVA* 0123456", "Canva")])
def test_plan_environment_and_billing_words_are_ignored(matcher: Matcher, raw: str, bare: str) -> None:
    # the decorated name must resolve to the very product its bare name is (not merely to some product)
    expected = bare.lower()
    assert matcher.match(bare).product == expected
    assert matcher.match(raw).product == expected, raw


def test_card_processor_prefixes_are_removed(matcher: Matcher) -> None:
    assert matcher.match("PAYPAL *ZOOMVIDEOCO").product == "zoom"
    assert matcher.match("SQ *BLUE BOTTLE COFFEE").product is None


def test_a_typo_alone_goes_to_review_with_its_candidate_and_score(matcher: Matcher) -> None:
    result = matcher.match("Salesfroce")
    assert (result.product, result.rule, result.review) == (None, "fuzzy", True)
    assert result.candidates == ("salesforce-sales-cloud",) and 0.88 <= result.score < 1


def test_a_typo_merges_when_the_source_reports_the_products_domain(matcher: Matcher) -> None:
    result = matcher.match("Salesfroce Org", domains=("acme.my.salesforce.com",))
    assert (result.product, result.rule) == ("salesforce-sales-cloud", "fuzzy+domain")


def test_each_match_says_which_rule_decided(matcher: Matcher) -> None:
    assert matcher.match("Salesforce").rule == "exact-alias"
    assert matcher.match("acme.zendesk.com").rule == "domain"
    assert matcher.match("SLACK T01ABCDEF").rule in ("normalized", "contained-alias")


def test_gallery_keys_identify_products(matcher: Matcher) -> None:
    assert matcher.match("Corporate Chat", gallery_key="slack").product == "slack"


def test_full_width_and_half_width_text_normalise_to_the_same_tokens() -> None:
    assert normalize("ＫＩＮＧ　ＯＦ　ＴＩＭＥ").tokens == normalize("King of Time").tokens
    assert simple_key("ｋｉｎｔｏｎｅ") == simple_key("kintone")
    assert simple_key("ｶｵﾅﾋﾞ") == simple_key("カオナビ")


def test_japanese_legal_forms_and_spaces_between_japanese_words_are_removed() -> None:
    assert normalize("株式会社ヌーラボ Backlog").tokens == ("ヌーラボ", "backlog")
    assert normalize("マネーフォワード クラウド会計").tokens == normalize("マネーフォワードクラウド会計").tokens
    assert normalize("Sansan株式会社").tokens == ("sansan",)


@pytest.mark.parametrize(("raw", "product"), [("Slack - Acme Workspace", "slack"), ("Box (Azure AD) Sandbox", "box"),
                                              ("Notion (Entra) Inc", "notion"), ("GitHub - acme-org", "github"),
                                              ("Dropbox Business (Okta)", "dropbox")])
def test_sso_app_labels_with_an_instance_qualifier_match_their_product(matcher: Matcher, raw: str,
                                                                       product: str) -> None:
    result = matcher.match(raw)
    assert (result.product, result.rule) == (product, "qualified-name")


def test_a_qualifier_naming_another_product_goes_to_review(matcher: Matcher) -> None:
    assert matcher.match("Salesforce (Marketing Cloud)").product == "salesforce-marketing-cloud"  # one name
    result = matcher.match("Tableau (Snowflake connector)")
    assert result.product is None and result.review and set(result.candidates) == {"tableau", "snowflake"}


def test_card_reference_codes_and_phone_numbers_are_noise_but_product_digits_are_not() -> None:
    assert normalize("DROPBOX*ABCD12345 84A6EB CA").clean_tokens == ("dropbox",)
    assert normalize("ZOOM.US 888-799-9666").clean_tokens == ("zoom",)
    assert normalize("1Password Pro").clean_tokens == ("1password",)
    assert normalize("SQ *PAYPAL *ZOOMVIDEOCO").tokens == ("zoomvideoco",)


@pytest.mark.parametrize(("raw", "product"), [("KING OF TIME 勤怠", "king-of-time"),
                                              ("マネーフォワード クラウド 給与計算", "money-forward-cloud-payroll"),
                                              ("Zendesk help desk", "zendesk"),
                                              ("楽楽精算クラウド", "rakuraku-seisan")])
def test_words_of_the_products_own_category_may_stand_beside_it(matcher: Matcher, raw: str, product: str) -> None:
    assert matcher.match(raw).product == product


@pytest.mark.parametrize("raw", ["Zendesk Explore", "Zoom Webinars", "Box Drive", "Google Cloud Armor"])
def test_words_of_another_category_beside_a_product_are_not_ignored(matcher: Matcher, raw: str) -> None:
    assert matcher.match(raw).product is None


def test_a_card_statement_cut_short_still_matches(matcher: Matcher) -> None:
    assert matcher.match("ZOOM VIDEO COMM").product == "zoom"
    assert matcher.match("ZOOM VIDEO CO").product == "zoom"  # too short to tell: "co" is a legal form anyway
    assert matcher.match("Zoom Photo").product is None  # "photo" starts no word of Zoom's names


@pytest.mark.parametrize("name", ["Paypai", "Height", "Heigth", "Centro", "Customerlie", "AWS CLI"])
def test_a_short_or_unrelated_name_gets_no_fuzzy_candidate(matcher: Matcher, name: str) -> None:
    result = matcher.match(name)
    assert result.product is None and result.rule != "fuzzy", result


@pytest.mark.parametrize(("name", "product"), [("Centra", "centra"),
                                               ("Customerly", "customerly"), ("Linnworks", "linnworks")])
def test_a_product_once_fuzzily_taken_for_another_is_now_itself(matcher: Matcher, name: str, product: str) -> None:
    assert matcher.match(name).product == product  # not Business Central, Customer.io, LINE WORKS


def test_a_fuzzy_candidate_shares_a_word_with_the_name_unless_it_is_nearly_the_same_word(matcher: Matcher) -> None:
    assert matcher.match("Oracle Rds").candidates == ("oracle-database",)  # "oracle" in common
    assert matcher.match("Linworks").candidates == ("line-works",)  # one letter apart: shown, never merged
