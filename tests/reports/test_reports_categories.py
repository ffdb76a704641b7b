"""Tool categories in the reports: display names instead of ids, in English and Japanese.

English titles come from the taxonomy (``auditor/catalog/taxonomy.yaml``, plus the user's catalog files),
Japanese ones from context ``category`` of ``vocabulary.po``; anything else is shown as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from auditor.config import load_config
from auditor.resolution.catalog import category_titles, packaged_catalog
from auditor.result import ScanResult, from_document, to_document
from auditor.validation import validate_data
from connectors.prepare import scan_config
from reports.html_view import page_data
from reports.i18n import catalogue
from reports.markdown import MarkdownRenderer
from reports.templating import md_cell

LANGS = ("en", "ja")


def _vocabulary(lang: str, context: str) -> dict[str, str]:
    path = resources.files("reports").joinpath("locale", lang, "LC_MESSAGES", "vocabulary.po")
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.context == context}


def _tools_table(markdown: str, lang: str) -> list[list[str]]:
    """Cells of the rows of report.md's tools table (the last section headed "Tools")."""
    heading = f"\n## {catalogue(lang)('Tools')}\n"
    section = markdown.rsplit(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]  # without the header
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_every_taxonomy_category_has_one_japanese_title_and_english_has_none() -> None:
    taxonomy = packaged_catalog().categories
    japanese = _vocabulary("ja", "category")
    assert sorted(japanese) == sorted(taxonomy)  # every category, and no entry naming an unknown one
    assert len(taxonomy) == 66
    assert all(title.strip() and title != cid for cid, title in japanese.items())
    assert len(set(japanese.values())) == len(japanese)  # no two categories read the same
    assert _vocabulary("en", "category") == {}  # English titles have one source: the taxonomy


def test_category_names_fall_back_to_the_taxonomy_title_then_to_the_category_as_written() -> None:
    en, ja = catalogue("en"), catalogue("ja")
    titles = category_titles({"file-transfer": "File transfer"})
    assert en.category("cdp", titles) == "Customer data platform"
    assert ja.category("cdp", titles) == "顧客データ基盤（CDP）"
    assert ja.category("ipaas") == "iPaaS（連携基盤）"  # the packaged taxonomy by default
    assert ja.category("Marketing Automation") == ja.lookup("category", "marketing-automation")
    assert en.category("file-transfer", titles) == ja.category("file-transfer", titles) == "File transfer"
    assert en.category("drone-fleet", titles) == ja.category("drone-fleet", titles) == "drone-fleet"
    assert (en.category("unclassified"), ja.category("unclassified")) == ("Unclassified", "未分類")
    assert en.category(None) == ja.category("") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_demo_report_md_names_categories_in_its_language(demo_rendered: Callable[[str, str], list[Path]],
                                                         demo_result: ScanResult, lang: str) -> None:
    [path] = demo_rendered("md", lang)
    cat, titles = catalogue(lang), demo_result.category_titles()
    rows = _tools_table(path.read_text(encoding="utf-8"), lang)
    tools = sorted(demo_result.graph.tools.values(), key=lambda t: t.name.lower())  # the table lists tools by name
    assert [row[1] for row in rows] == [md_cell(cat.category(t.category, titles)) for t in tools]
    by_name = {row[0]: row[1] for row in rows}
    assert by_name["KARTE"] == ("Customer data platform" if lang == "en" else "顧客データ基盤（CDP）")
    known = [t for t in tools if t.category in titles]
    assert known and not any(row[1] == t.category for row, t in zip(rows, tools, strict=True) if t in known)


@pytest.mark.parametrize("lang", LANGS)
def test_demo_page_data_labels_every_category_shown(demo_result: ScanResult, lang: str) -> None:
    data = page_data(demo_result, catalogue(lang), None)
    names = data["labels"]["categories"]
    assert {t["category"] for t in data["tools"]} | {f["evidence"]["category"] for f in data["findings"]
                                                     if f["type"] == "duplicate"} <= set(names)
    assert names["marketing-automation"] == ("Marketing automation" if lang == "en"
                                             else "MA（マーケティングオートメーション）")
    assert all(t["category"] == demo_result.graph.tools[t["id"]].category for t in data["tools"])  # ids stay ids


def test_duplicate_texts_name_the_category_by_its_title(demo_result: ScanResult) -> None:
    titles = demo_result.category_titles()
    duplicates = [f for f in demo_result.findings if f.evidence.get("basis") == "category"]
    assert duplicates
    ja = catalogue("ja")
    data = {f["id"]: f for f in page_data(demo_result, ja, None)["findings"]}
    for finding in duplicates:
        category = str(finding.evidence["category"])
        assert category in titles  # report.json keeps the id
        assert f"the same category '{titles[category]}'" in finding.title
        assert f"「{ja.lookup('category', category)}」" in data[finding.id]["title"]


def test_csv_keeps_the_category_id_and_adds_its_name(demo_rendered: Callable[[str, str], list[Path]]) -> None:
    text = (demo_rendered("csv", "ja")[0].parent / "tools.csv").read_text(encoding="utf-8-sig")
    header, *lines = text.splitlines()
    assert header.split(",")[3:5] == ["category", "category_name"]
    assert any(line.split(",")[3:5] == ["cdp", "顧客データ基盤（CDP）"] for line in lines)


USER_CATALOG = """\
products:
  - {id: relay-one, vendor: Relay Inc, product: Relay One, category: file-transfer}
  - {id: mover-pro, vendor: Mover Co, product: Mover Pro, category: file-transfer}
categories:
  file-transfer: {title: File transfer, layers: [data], capabilities: [file-exchange]}
"""
LANDSCAPE = """\
tools:
  - {name: Relay One, departments: [Logistics]}
  - {name: Mover Pro, departments: [Finance]}
  - {name: Parcel Hub, category: drone-fleet, departments: [Logistics]}
"""


@pytest.fixture(scope="module")
def user_result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """A scan whose catalog file adds the category ``file-transfer``; a source states ``drone-fleet``."""
    folder = tmp_path_factory.mktemp("user-categories")
    (folder / "auditor.yaml").write_text("organization: Test Org\nsources:\n"
                                         "  - {name: it, type: landscape, path: it.yaml}\n"
                                         "resolution:\n  catalogs: [my-catalog.yaml]\n", encoding="utf-8")
    (folder / "it.yaml").write_text(LANDSCAPE, encoding="utf-8")
    (folder / "my-catalog.yaml").write_text(USER_CATALOG, encoding="utf-8")
    return scan_config(load_config(folder / "auditor.yaml"))


def test_user_categories_keep_their_title_through_report_json(user_result: ScanResult, tmp_path: Path) -> None:
    document = json.loads(json.dumps(to_document(user_result)))
    assert validate_data(document, "report.schema.json") == []
    assert document["resolution"]["catalog"]["categories"] == {"file-transfer": "File transfer"}
    [duplicate] = [f for f in user_result.findings if f.type == "duplicate"]
    assert duplicate.evidence["category"] == "file-transfer"
    assert duplicate.title.startswith("2 tools for the same category 'File transfer'")
    reloaded = from_document(document)
    for lang in LANGS:
        folder = tmp_path / lang
        folder.mkdir()
        [path] = MarkdownRenderer(lang).render(reloaded, folder)
        text = path.read_text(encoding="utf-8")
        cells = {row[0]: row[1] for row in _tools_table(text, lang)}
        assert cells == {"Mover Pro": "File transfer", "Parcel Hub": "drone-fleet", "Relay One": "File transfer"}
        assert "「File transfer」" in text or lang == "en"


def test_a_scan_without_own_categories_adds_nothing_to_report_json(demo_result: ScanResult) -> None:
    assert "categories" not in to_document(demo_result)["resolution"]["catalog"]
