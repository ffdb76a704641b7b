"""Review reasons in the report's language: a template per reason code, English kept as the fallback."""

from __future__ import annotations

import pytest

from auditor.resolution.reasons import REVIEW_REASONS, Reason
from auditor.result import ScanResult
from reports.i18n import LANGUAGES, catalogue
from reports.registry import render_all
from reports.review_text import CONTEXT, placeholders, review_reason

MICROSOFT = "MICROSOFT*SUBSCRIPTION"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_code_has_a_template_using_only_its_parameters(lang: str) -> None:
    cat = catalogue(lang)
    for code, spec in REVIEW_REASONS.items():
        template = cat.lookup(CONTEXT, code)
        assert template, (lang, code)
        assert placeholders(template) <= set(spec.params), (lang, code, template)


def test_the_english_templates_are_the_resolver_texts() -> None:
    en = catalogue("en")
    assert {code: en.lookup(CONTEXT, code) for code in REVIEW_REASONS} == {
        code: spec.english for code, spec in REVIEW_REASONS.items()}


def test_a_reason_renders_in_japanese_with_a_nested_reason_localised_too() -> None:
    ja = catalogue("ja")
    inner = Reason("extra_words", {"product": "zendesk", "words": "talk"})
    item = Reason("declared_candidate", {"tool": "talk", "cause": inner}).to_data()
    text = review_reason(item, ja)
    assert "talk" in text and review_reason(inner.to_data(), ja) in text
    assert "declared" not in text and "other words" not in text and "{" not in text
    assert review_reason(item, catalogue("en")) == item["reason"]


def test_an_unknown_code_or_no_code_keeps_the_english_text() -> None:
    ja = catalogue("ja")
    assert review_reason({"reason": "a plugin's reason", "reason_code": "plugin_code", "reason_params": {}},
                         ja) == "a plugin's reason"
    assert review_reason({"reason": "from an older report.json"}, ja) == "from an older report.json"
    for params in (None, {"vendor": "Microsoft"}):  # a parameter the template needs is missing
        assert review_reason({"reason": "names only a vendor", "reason_code": "vendor_only", "reason_params": params},
                             ja) == "names only a vendor"


def test_the_demo_review_item_has_a_japanese_reason_in_report_md_and_index_html(demo_result: ScanResult,
                                                                               tmp_path) -> None:
    [item] = [r for r in demo_result.extra["resolution"]["review"] if r["record_name"] == MICROSOFT]
    assert item["reason_code"] == "vendor_only" and item["reason_params"]["vendor"] == "Microsoft"
    japanese = review_reason(item, catalogue("ja"))
    assert "Microsoft" in japanese and str(item["reason_params"]["count"]) in japanese
    render_all(demo_result, tmp_path / "ja", ["md", "html"], "ja")
    render_all(demo_result, tmp_path / "en", ["md", "html"], "en")
    for lang, reason in (("ja", japanese), ("en", item["reason"])):
        markdown = (tmp_path / lang / "report.md").read_text(encoding="utf-8")
        page = (tmp_path / lang / "index.html").read_text(encoding="utf-8")
        assert f"| {MICROSOFT} | card-spend | {reason} |" in markdown, lang
        assert f"<td>{MICROSOFT}</td><td>card-spend</td><td>{reason}</td>" in page, lang
    for name in ("report.md", "index.html"):
        assert item["reason"] not in (tmp_path / "ja" / name).read_text(encoding="utf-8")
