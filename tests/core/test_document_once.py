"""``auditor scan`` builds the report document once for report.json and the embedded store, and shares it
with nobody else: outside the scan's own block every reader gets a document of its own."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import auditor.document as document_module
from auditor.cli import main
from auditor.document import built_once, document_of
from auditor.result import ScanResult, to_document
from auditor.stores.embedded import EmbeddedStore

LANDSCAPE = """\
tools:
  - {id: crm, name: Salesforce, category: crm, annual_cost: 1000}
  - {id: desk, name: Zendesk, category: ticketing}
  - {id: desk2, name: Freshdesk, category: ticketing}
integrations:
  - {from: crm, to: desk, kind: api}
flows:
  - id: f
    name: Flow
    steps:
      - {id: a, name: A, tools: [crm]}
      - {id: b, name: B, tools: [desk2]}
"""


def test_a_scan_builds_its_document_once_and_saves_what_report_json_says(make_project, monkeypatch):
    built = []

    def counting(result):  # type: ignore[no-untyped-def]
        built.append(result)
        return to_document(result)

    monkeypatch.setattr(document_module, "to_document", counting)
    config = make_project(LANDSCAPE)
    outcome = CliRunner().invoke(main, ["-q", "scan", "-c", str(config), "--out", "out", "-f", "json"])
    assert outcome.exit_code in (0, 1), outcome.output
    assert len(built) == 1  # report.json and the store read the same document
    written = json.loads(Path("out/report.json").read_text(encoding="utf-8"))
    with EmbeddedStore("Test Org", Path(".auditor/auditor.db")) as store:
        saved = to_document(store.load("latest"))
    assert json.loads(json.dumps(saved, ensure_ascii=False)) == written
    assert written["findings"], "the landscape has findings to compare"


def test_outside_the_block_every_reader_gets_its_own_document(demo_result: ScanResult) -> None:
    first, second = document_of(demo_result), document_of(demo_result)
    assert first == second and first is not second
    with built_once(demo_result):
        shared = document_of(demo_result)
        assert document_of(demo_result) is shared
        other = document_of(type(demo_result)(demo_result.scan, demo_result.graph, list(demo_result.findings)))
        assert other is not shared  # another scan is not shared
    assert document_of(demo_result) is not shared  # the block ended the sharing
