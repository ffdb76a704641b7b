"""Language catalogues: every report string is in both, Japanese finding texts from per-type templates."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from auditor.analyses.registry import finding_specs, finding_types
from auditor.findingspec import FindingSpec, Message, placeholders
from auditor.model import LAYERS, SEVERITIES, Finding
from reports.base import RenderError
from reports.finding_text import FindingText, localise
from reports.i18n import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("reports/**.py", "python"), ("reports/templates/**.j2", "jinja2"),
           ("reports/templates/html/*.js", "javascript")]
KEYWORDS = {"_": None, "cat": None, "T": None, "gettext": None, "pgettext": ((1, "c"), 2)}


@pytest.fixture(scope="module")
def extracted() -> frozenset[tuple[str | None, str]]:
    """(context, msgid) of every message Babel extracts from the code and templates (once per module, frozen)."""
    found = set()
    for _, _, message, _, context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((context, msgid))
    return frozenset(found)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_japanese_translation(extracted):
    ja = catalogue("ja")
    assert len(extracted) > 80  # the extraction really sees the templates, the script and the code
    missing = sorted(msgid for context, msgid in extracted if ja.lookup(context, msgid) is None)
    assert not missing


def test_translations_use_only_the_placeholders_of_their_message(extracted):
    ja = catalogue("ja")
    with_placeholders = 0
    for context, msgid in extracted:
        translated = ja.lookup(context, msgid)
        assert translated, msgid  # every message is translated (see above), so each one is checked here
        assert _fields(translated) <= _fields(msgid), (msgid, translated)
        with_placeholders += bool(_fields(msgid))
    assert with_placeholders > 0  # the check is not vacuous: some messages do have placeholders


def _po(lang: str, name: str) -> list[tuple[str | None, str]]:
    from babel.messages.pofile import read_po

    with (ROOT / "reports" / "locale" / lang / "LC_MESSAGES" / name).open("rb") as handle:
        # abort_invalid: an entry without its msgstr (left by a merge) fails here instead of being read as a
        # warning Babel prints at every render
        return [(m.context, m.id) for m in read_po(handle, locale=lang, abort_invalid=True)
                if m.id and isinstance(m.id, str)]


def test_pybabel_update_cannot_delete_a_template(extracted):
    """messages.po holds only what extraction finds; everything keyed by context is in vocabulary.po."""
    for lang in LANGUAGES:
        messages, vocabulary = _po(lang, "messages.po"), _po(lang, "vocabulary.po")
        assert messages and vocabulary
        assert [key for key in messages if key not in extracted] == [], lang
        assert [key for key in vocabulary if key[0] is None or key in extracted] == [], lang
        assert not set(messages) & set(vocabulary)
    assert catalogue("ja").lookup("finding-sentence", "missing_integration.none")  # both files are loaded


def test_vocabularies_cover_every_id_in_both_languages():
    for lang in LANGUAGES:
        cat = catalogue(lang)
        for context, ids in (("severity", SEVERITIES), ("layer", (*LAYERS, "none")),
                             ("handoff", ("connected", "manual", "missing", "no_tools"))):
            for key in ids:
                assert cat.lookup(context, key), (lang, context, key)


def test_finding_type_labels_come_from_the_specs_in_english_and_the_catalogue_in_japanese():
    en, ja = catalogue("en"), catalogue("ja")
    for finding_type, spec in finding_specs().items():
        assert en.finding_type(finding_type) == spec.label  # English is declared once, in the spec
        assert ja.lookup("finding-type", finding_type), finding_type
    assert en.finding_type("missing_integration") == "Missing integration"
    assert ja.finding_type("plugin_type") == "plugin_type"  # unknown everywhere: the id


def test_japanese_has_every_message_and_sentence_of_every_registered_finding_type():
    """Completeness is derived from the registered specs: a new type's codes show up here by themselves."""
    ja = catalogue("ja")
    specs = finding_specs()
    assert list(specs) == list(finding_types()) and set(finding_types()) >= {"duplicate", "silo", "bottleneck"}
    for spec in specs.values():
        assert spec.messages, spec.type
        for code, message in spec.messages.items():
            for context in ("finding-title", "finding-recommendation"):
                template = ja.lookup(context, code)
                assert template, (context, code)
                assert placeholders(template) <= message.params, (context, code)  # no parameter it never gets
        for code in spec.sentences:
            assert ja.lookup("finding-sentence", code), code
    assert ja.lookup("finding-sentence", "retire_note")
    en = catalogue("en")
    assert en.lookup("finding-title", "missing_integration") is None  # English comes from the specs


def test_sentence_codes_are_prefixed_with_their_type_so_they_are_unique_across_types():
    for spec in finding_specs().values():
        for code in spec.sentences:
            assert code.startswith(f"{spec.type}."), code


def test_japanese_finding_text_is_filled_from_the_finding(demo_result):
    ja = catalogue("ja")
    graph = demo_result.graph
    finding = next(f for f in demo_result.findings if f.type == "missing_integration")
    flow = graph.flow(finding.flow)
    steps = {s.id: s.name for s in flow.steps}
    text = localise(finding, ja)
    assert flow.name in text.title and steps[finding.steps[0]] in text.title and steps[finding.steps[1]] in text.title
    assert graph.tools[finding.tools[0]].name in text.recommendation
    duplicate = next(f for f in demo_result.findings if f.type == "duplicate")
    text = localise(duplicate, ja)
    category = ja.lookup("category", duplicate.evidence["category"])
    assert category and category in text.title  # the category's Japanese title
    assert graph.tools[duplicate.evidence["keep"]].name in text.recommendation
    english = localise(finding, catalogue("en"))
    assert (english.title, english.recommendation) == (finding.title, finding.recommendation)


def test_every_demo_finding_renders_in_japanese_without_english_or_placeholders(demo_result):
    ja = catalogue("ja")
    codes = set()
    for finding in demo_result.findings:
        text = localise(finding, ja)
        codes.add(finding.message_code)
        assert finding.message_code in finding_specs()[finding.type].messages
        assert text.title != finding.title and text.recommendation != finding.recommendation, finding.id
        assert "{" not in text.title + text.recommendation and "}" not in text.title + text.recommendation
        spec = finding_specs()[finding.type]
        english = [*spec.messages[finding.message_code].__dict__.values(), *spec.sentences.values()]
        pieces = {p.strip() for t in english for p in re.split(r"\{\w+\}", t) if len(p.strip()) > 12}
        assert not [p for p in pieces if p in text.title + text.recommendation], finding.id  # no English left
    assert len(codes) >= 10  # the demo exercises most message codes


def test_japanese_missing_integration_keeps_the_nearest_connection_advice(demo_result):
    ja = catalogue("ja")
    graph = demo_result.graph
    missing = [f for f in demo_result.findings if f.type == "missing_integration"]
    kinds = {f.evidence["nearest"]["kind"] for f in missing}
    assert len(kinds) >= 2  # the demo exercises more than one kind of advice
    for finding in missing:
        nearest = finding.evidence["nearest"]
        text = localise(finding, ja).recommendation
        if finding.evidence.get("consolidated"):  # both steps end up on the kept tool: no connection advice
            assert "新たな連携は不要です" in text and "{" not in text
            continue
        advice = ja.lookup("finding-sentence", f"missing_integration.{nearest['kind']}")
        assert advice and advice.split("{")[0] in text, (nearest["kind"], text)
        if nearest["kind"] == "path_to_department":
            assert graph.tools[nearest["path"][-1]].name in text
        target = next(s for s in graph.flow(finding.flow).steps if s.id == finding.steps[1])
        customer = ja.lookup("finding-sentence", "missing_integration.customer_facing")
        assert customer and (customer in text) == target.customer_facing
        assert "{" not in text and "}" not in text


def test_unknown_finding_type_keeps_its_english_text(demo_result):
    finding = Finding(id="x-1", type="plugin_check", severity="low", title="Plugin says hi", recommendation="Do it")
    text = localise(finding, catalogue("ja"))
    assert (text.title, text.recommendation) == ("Plugin says hi", "Do it")


def test_a_finding_from_a_report_before_schema_1_1_keeps_its_english_text(demo_result):
    finding = next(f for f in demo_result.findings if f.type == "silo")
    old = replace(finding, message_code=None, message_params={})  # report.json 1.0 had no message code
    assert localise(old, catalogue("ja")) == FindingText(finding.title, finding.recommendation)
    assert localise(finding, catalogue("ja")).title != finding.title


def test_a_plugin_type_without_translation_renders_its_english_template_in_japanese():
    spec = FindingSpec("stale_tool", "Stale tools",
                       messages={"stale_tool": Message("{tool} has no users", "Retire {tool}.{retire_notes}")})
    finding = spec.finding("stale_tool", {"tool": "Box", "retire_notes": {"sentences": [
        {"code": "retire_note", "params": {"tool": "Box", "keep": "Dropbox"}}]}},
        id="stale_tool-1", severity="low", evidence={})
    assert finding.title == "Box has no users"
    assert finding.recommendation == ("Retire Box. Box is to be retired for Dropbox (see its duplicate finding): "
                                      "move this to Dropbox first.")
    text = localise(finding, catalogue("ja"), {"stale_tool": spec})
    assert text.title == "Box has no users"  # no translation: the English template
    assert text.recommendation == "Retire Box.Box は Dropbox への統合で廃止予定です。先に Dropbox へ移してください。"


def test_a_translation_that_needs_a_missing_parameter_falls_back_to_english():
    spec = finding_specs()["bottleneck"]
    finding = spec.finding("bottleneck", {"tool": "Box", "count": 2, "flows": ["a"], "retire_notes": {"sentences": []}},
                           id="b-1", severity="low", evidence={})
    old = replace(finding, message_params={"tool": "Box"})  # e.g. a report.json from another version
    assert localise(old, catalogue("ja")).title == "Box alone carries 2 hand-offs"  # its English text, kept
    assert localise(finding, catalogue("ja")).title == "Box だけで 2 件の受け渡しを担っています"


def test_spec_rejects_unknown_codes_and_wrong_params():
    spec = finding_specs()["shadow_it"]
    with pytest.raises(ValueError, match="no message 'shadow_it.nope'"):
        spec.finding("shadow_it.nope", {}, id="x", severity="low", evidence={})
    with pytest.raises(ValueError, match="takes departments, retire_notes, tool, users"):
        spec.finding("shadow_it", {"tool": "Box"}, id="x", severity="low", evidence={})


def test_unknown_language_is_a_clear_error():
    with pytest.raises(RenderError, match="unknown report language 'fr'"):
        catalogue("fr")


def test_markdown_report_in_japanese(demo_rendered):
    [path] = demo_rendered("md", "ja")
    text = path.read_text(encoding="utf-8")
    for heading in ("## サマリー", "## ソース", "## 指摘事項", "## フロー", "## ツール", "## デジタル基盤スコア"):
        assert re.search(f"^{heading}$", text, re.M), heading
    assert "連携の欠落" in text
    [path] = demo_rendered("md", "en")
    assert "# Digital-foundation audit: Sakura Retail KK" in path.read_text(encoding="utf-8")


def test_markdown_keeps_hostile_names_as_text(hostile_rendered):
    [path] = hostile_rendered("md", "en")
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<b>R&D" not in text
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and "line one" in line]
    assert table_rows and all("line one line two" in row for row in table_rows)  # a newline stays in its cell
