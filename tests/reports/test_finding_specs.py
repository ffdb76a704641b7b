"""Finding types are declared once: the specs, the findings rendered from them, and what derives from them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auditor.analyses.registry import ANALYSES, finding_specs, finding_types
from auditor.findingspec import ENGLISH, FindingSpec, Message, render
from auditor.plugins import load_object
from auditor.result import from_document, to_document

ROOT = Path(__file__).resolve().parents[2]


def test_every_built_in_analysis_declares_the_spec_of_its_type():
    for analysis_id, import_string in ANALYSES.items():
        specs = load_object(import_string).specs
        assert [s.type for s in specs] == [analysis_id]
        assert specs[0].messages and specs[0].evidence and specs[0].label
    assert finding_types()[:len(ANALYSES)] == tuple(ANALYSES)


def test_the_report_schema_accepts_any_registered_type_without_listing_them():
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    finding = schema["properties"]["findings"]["items"]["properties"]
    assert "enum" not in finding["type"] and all(re.fullmatch(finding["type"]["pattern"], t) for t in finding_types())
    assert {"message_code", "message_params"} <= set(finding)


def test_english_texts_render_again_from_report_json_alone(demo_result):
    """The params in report.json are complete: the spec renders the very title and recommendation again."""
    findings = from_document(json.loads(json.dumps(to_document(demo_result)))).findings
    specs = finding_specs()
    codes = set()
    for finding in findings:
        assert finding.message_code is not None, finding.id
        codes.add(finding.message_code)
        assert specs[finding.type].english(finding.message_code, finding.message_params) == \
            (finding.title, finding.recommendation), finding.id
    assert len(codes) >= 10


def test_findings_carry_the_evidence_fields_their_spec_declares(demo_result):
    specs = finding_specs()
    for finding in demo_result.findings:
        assert set(finding.evidence) <= set(specs[finding.type].evidence), (finding.type, set(finding.evidence))


def test_nested_sentences_lists_and_optional_sentences_render_the_english_way():
    spec = FindingSpec("demo_type", "Demo", messages={"demo_type": Message("{tools} in {layers}", "Do it.{notes}")},
                       sentences={"demo_type.hint": "Mind {what}."})
    finding = spec.finding("demo_type", {"tools": ["A", "B"], "layers": {"layers": ["data", "automation"]},
                                         "notes": {"sentences": [{"code": "demo_type.hint", "params": {"what": "C"}},
                                                                 {"code": "retire_note",
                                                                  "params": {"tool": "A", "keep": "B"}}]}},
                           id="demo_type-1", severity="low", evidence={})
    assert finding.title == "A, B in data, automation"
    assert finding.recommendation == ("Do it. Mind C. A is to be retired for B (see its duplicate finding): "
                                      "move this to B first.")
    empty = spec.finding("demo_type", {"tools": [], "layers": {"layers": []}, "notes": {"sentences": []}},
                         id="demo_type-2", severity="low", evidence={})
    assert empty.recommendation == "Do it."
    with pytest.raises(ValueError, match="unknown sentence 'demo_type.nope'"):
        render("{x}", {"x": {"code": "demo_type.nope", "params": {}}}, ENGLISH, spec.sentence)
    with pytest.raises(ValueError, match="not a finding parameter value"):
        render("{x}", {"x": {"what": 1}}, ENGLISH, spec.sentence)
