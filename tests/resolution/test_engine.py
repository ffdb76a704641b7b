"""The resolver: explicit ids, cross-source merges with evidence, overrides, review, classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.model import SourceRef, ToolRecord
from auditor.resolution.catalog import load_catalog
from auditor.resolution.engine import Resolver
from auditor.resolution.matcher import Matcher
from auditor.resolution.overrides import load_overrides

LANDSCAPE = SourceRef("landscape", "landscape", file="landscape.yaml")
OKTA = SourceRef("okta", "okta")
CARD = SourceRef("card", "spend", sanctioned=False)


def rec(name: str, source: SourceRef, **kwargs: object) -> ToolRecord:
    return ToolRecord(name=name, provenance=source, **kwargs)  # type: ignore[arg-type]


def test_one_tool_whatever_each_source_calls_it(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Salesforce.com", OKTA), rec("SALESFORCE.COM INC*SFDC", CARD, annual_cost=1200.0),
                               rec("Salesforce Sales Cloud", LANDSCAPE), rec("Salesforce Marketing Cloud", CARD)])
    assert len(result.tools) == 2
    sales = result.tools[result.by_product["salesforce-sales-cloud"]]
    assert sales.sources == ("card", "landscape", "okta") and sales.catalog_id == "salesforce-sales-cloud"
    assert sales.category == "crm" and sales.layers == ("data",) and sales.annual_cost == 1200.0
    assert {(e.record_name, e.rule) for e in sales.evidence} == {
        ("Salesforce.com", "exact-alias"), ("SALESFORCE.COM INC*SFDC", "contained-alias"),
        ("Salesforce Sales Cloud", "exact-alias")}
    assert all(0 < e.score <= 1 for e in sales.evidence)
    assert result.by_product["salesforce-marketing-cloud"] != result.by_product["salesforce-sales-cloud"]


def test_distinct_explicit_ids_never_merge_even_with_one_product(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Salesforce", LANDSCAPE, id="crm-jp"), rec("Salesforce", LANDSCAPE, id="crm-us"),
                               rec("Salesforce.com", OKTA)])
    assert {"crm-jp", "crm-us"} <= set(result.tools)
    assert result.tools["crm-jp"].catalog_id == result.tools["crm-us"].catalog_id == "salesforce-sales-cloud"
    assert any("crm-jp" in item.candidates and "crm-us" in item.candidates for item in result.review)
    okta_tool = next(t for t in result.tools.values() if "okta" in t.sources)
    assert okta_tool.id not in ("crm-jp", "crm-us")  # not guessed


def test_records_from_other_sources_join_the_declared_tool_of_their_product(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Our CRM", LANDSCAPE, id="crm", category="crm"),
                               rec("ＳＦＤＣ", CARD), rec("Salesforce Sales Cloud", LANDSCAPE, id="sfdc")])
    assert result.tools["sfdc"].sources == ("card", "landscape")
    assert result.tools["crm"].sources == ("landscape",)
    assert result.lookup("Salesforce.com") == "sfdc"  # any catalog name finds the tool


def test_ambiguous_records_stay_apart_and_go_to_review(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Salesforce", OKTA), rec("Salesforce Einstein", CARD)])
    assert len(result.tools) == 2
    [item] = result.review
    assert (item.record_name, item.source, item.candidates) == ("Salesforce Einstein", "card",
                                                                ("salesforce-sales-cloud",))


def test_unknown_tools_merge_by_normalised_name_only(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Acme Order Portal", LANDSCAPE), rec("ACME ORDER PORTAL (prod)", OKTA),
                               rec("Acme Order Portal v2 Beta", CARD)])
    assert sorted(t.sources for t in result.tools.values()) == [("card",), ("landscape", "okta")]


def test_non_catalog_tools_are_classified_from_hints_or_left_unclassified(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Acme Events Pipeline", OKTA, hints={"category": "etl"}),
                               rec("Acme Wiki Thing", OKTA)])
    hinted = result.tools["acme-events-pipeline"]
    assert (hinted.category, hinted.layers) == ("etl", ("data",)) and "data-integration" in hinted.capabilities
    assert result.classification["acme-events-pipeline"].basis == "hint"
    assert (result.tools["acme-wiki-thing"].category, result.tools["acme-wiki-thing"].layers) == ("unclassified", ())


def test_a_category_the_user_states_wins_over_the_catalog(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Notion", LANDSCAPE, category="project-management")])
    tool = result.tools["notion"]
    assert tool.category == "project-management" and tool.catalog_id == "notion"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_same_name_and_never_merge_are_applied(matcher: Matcher, tmp_path: Path) -> None:
    overrides = load_overrides(write(tmp_path / "overrides.yaml", """\
same:
  - tool: salesforce-sales-cloud
    names: ["Salesforce Einstein", "CRM (old org)"]
never_merge:
  - ["Slack Technologies", slack]
"""))
    resolver = Resolver(load_catalog(), overrides, matcher)
    result = resolver.resolve([rec("Salesforce", OKTA), rec("Salesforce Einstein", CARD), rec("crm (OLD ORG)", CARD),
                               rec("Slack", OKTA), rec("Slack Technologies", CARD)])
    sales = result.tools[result.by_product["salesforce-sales-cloud"]]
    assert sales.sources == ("card", "okta")
    assert {e.rule for e in sales.evidence} == {"exact-alias", "override"}
    assert result.review == []
    slack_tools = [t for t in result.tools.values() if "slack" in t.name.casefold()]
    assert len(slack_tools) == 2


def test_a_bad_overrides_file_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "overrides.yaml", "same:\n  - tool: x\n    names: nope\nnever_merge:\n  - [a]\nextra: 1\n")
    with pytest.raises(InputError) as caught:
        load_overrides(path)
    text = [str(p) for p in caught.value.problems]
    assert any(t.startswith(f"{path}:2:") and "'same' entry" in t for t in text)
    assert any(t.startswith(f"{path}:5:") and "pair" in t for t in text)
    assert any(t.startswith(f"{path}:6:") and "unknown section 'extra'" in t for t in text)


def test_the_vendor_a_source_states_settles_extra_words_for_a_single_product_vendor(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Qualtrics CustomerXM Suite", LANDSCAPE, id="voc", vendor="Qualtrics"),
                               rec("Zendesk Explore", LANDSCAPE, id="talk", vendor="Zendesk")])
    assert result.tools["voc"].catalog_id == "qualtrics"
    assert any(e.rule == "catalog:contained-alias+vendor" for e in result.tools["voc"].evidence)
    assert result.tools["talk"].catalog_id is None  # Zendesk has two products: not guessed, but reviewed
    assert [(i.record_name, i.candidates) for i in result.review] == [("Zendesk Explore", ("zendesk",))]


def test_category_hints_may_use_the_taxonomy_synonyms(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Acme Desk", OKTA, hints={"category": "Help desk"}),
                               rec("Acme Sheets", OKTA, hints={"category": "Spreadsheets and stuff"})])
    assert result.tools["acme-desk"].category == "ticketing"
    assert result.tools["acme-sheets"].category == "unclassified"


def test_the_okta_gallery_key_in_hints_identifies_the_product(resolver: Resolver) -> None:
    result = resolver.resolve([rec("Corporate Chat", OKTA, hints={"okta_app_name": "slack"}), rec("Slack", CARD)])
    [tool] = result.tools.values()
    assert tool.catalog_id == "slack" and {e.rule for e in tool.evidence} == {"gallery-key", "name"}


def test_an_entra_template_id_in_a_catalog_file_names_the_product_whatever_the_tenant_called_the_app(
        resolver: Resolver, tmp_path: Path) -> None:
    # the packaged catalog maps no template id (no data here proves one); a user's catalog file can
    path = tmp_path / "templates.yaml"
    path.write_text("products:\n  - {id: zoom, vendor: Zoom, product: Zoom, category: video-conferencing,\n"
                    "     entra_templates: [8b7a6f3a-0a8e-4ea0-9b39-1a2a]}\n", encoding="utf-8")
    entra = SourceRef("sso", "entra")
    hints = {"entra_gallery_id": "8b7a6f3a-0a8e-4ea0-9b39-1a2a", "entra_template": "Meetings (Acme)"}
    result = Resolver(load_catalog([path])).resolve([rec("Acme meetings", entra, hints=hints)])
    (tool,) = result.tools.values()
    assert tool.catalog_id == "zoom" and tool.evidence[0].rule == "gallery-key"
    unknown = {"entra_gallery_id": "00000000-0000-0000-0000-000000000000", "entra_template": "Zoom"}
    result = resolver.resolve([rec("Acme meetings", entra, hints=unknown)])  # the packaged catalog
    (tool,) = result.tools.values()
    assert tool.catalog_id == "zoom"  # an unknown template id yields to the gallery display name
