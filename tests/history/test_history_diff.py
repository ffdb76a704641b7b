"""auditor.diff: exact diffs between real scans, empty self-diffs, scores, report.json files, gating rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from history_fixtures import V1, V2, Project

from auditor.cli.scan import demo_config_path
from auditor.config import load_config
from auditor.diff import (
    Diff,
    FieldChange,
    diff,
    load_report,
    new_finding_ids,
    newly_failing,
    score_table,
)
from auditor.errors import InputError
from auditor.model import Finding
from auditor.result import ScanResult, from_document, to_document
from connectors.prepare import scan_config


def _describe(finding: Finding) -> tuple[str, ...]:
    """What a finding is about, independent of its id: type, flow and steps or tools."""
    return (finding.type, finding.flow or "", *finding.steps, *(() if finding.steps else finding.tools))


def _lookup(*results: ScanResult) -> dict[str, tuple[str, ...]]:
    return {f.id: _describe(f) for r in results for f in r.findings}


def test_two_scans_with_known_changes_give_the_exact_diff(project: Project) -> None:
    old, new = project.scan(V1), project.scan(V2)
    result = diff(old, new)
    described = _lookup(old, new)

    assert (result.old.id, result.new.id) == (old.scan.id, new.scan.id)
    assert {t.id for t in result.tools_added} == {"bi"}
    assert {t.id for t in result.tools_removed} == {"crm-old", "ftp"}
    assert [(t.id, t.changes) for t in result.tools_changed] == [
        ("crm", (FieldChange("annual_cost", 1000, 2000),))]
    assert {i.key for i in result.integrations_created} == {"erp->bi:api"}
    assert {i.key for i in result.integrations_broken} == {"erp->ftp:file"}
    assert {described[f.id] for f in result.findings_opened} == {("coverage_gap", "order", "ship")}
    assert {described[f.id] for f in result.findings_resolved} == {
        ("duplicate", "", "crm", "crm-old"), ("coverage_gap", "order", "report")}
    assert [(described[c.id], c.old, c.new, c.worse) for c in result.severity_changes] == [
        (("coverage_gap", "order", "confirm"), "medium", "high", True)]
    assert not result.is_empty


def test_the_diff_sections_mirror_the_finding_lists(project: Project) -> None:
    old, new = project.scan(V1), project.scan(V2)
    result = diff(old, new)
    old_ids, new_ids = {f.id for f in old.findings}, {f.id for f in new.findings}
    assert {f.id for f in result.findings_opened} == new_ids - old_ids
    assert {f.id for f in result.findings_resolved} == old_ids - new_ids
    assert {f.id for f in result.findings_opened} == new_finding_ids(old, new)


def test_a_diff_between_a_scan_and_itself_is_empty(demo_result: ScanResult) -> None:
    result = diff(demo_result, demo_result)
    assert result.is_empty
    assert all(count == 0 for count in result.counts().values())


def test_two_scans_of_the_same_landscape_differ_only_in_scan_metadata(demo_result: ScanResult) -> None:
    first = demo_result  # the session's scan of the demo, made earlier by the same code
    second = scan_config(load_config(demo_config_path()))
    result = diff(first, second)
    assert result.is_empty
    assert result == Diff(result.old, result.new)


def test_reordered_layers_are_not_a_tool_change(project: Project) -> None:
    old, new = project.scan(V1), project.scan(V2)
    assert old.graph.tools["desk"].layers != new.graph.tools["desk"].layers
    assert "desk" not in {t.id for t in diff(old, new).tools_changed}


def _with_scores(result: ScanResult, scores: Any) -> ScanResult:
    document = to_document(result)
    document["summary"]["scores"] = scores
    return from_document(document)


def test_score_changes_per_flow_and_per_layer(project: Project) -> None:
    old = _with_scores(project.scan(V1), {
        "overall": {"score": 50},
        "flows": {"order": {"score": 40, "name": "Order to cash"}},
        "layers": {"data": {"score": 70}, "automation": {"score": 30}, "ai_analytics": {"score": 10}},
    })
    new = _with_scores(project.scan(V2), {
        "overall": {"score": 55},
        "flows": {"order": {"score": 52.5}},
        "layers": {"data": {"score": 70}, "automation": {"score": 20}, "ai_analytics": {"score": 35}},
    })
    changes = [(c.scope, c.key, c.name, c.old, c.new, c.delta) for c in diff(old, new).score_changes]
    assert changes == [
        ("overall", "overall", "Overall", 50.0, 55.0, 5.0),
        ("flow", "order", "Order to cash", 40.0, 52.5, 12.5),
        ("layer", "ai_analytics", "AI / analytics", 10.0, 35.0, 25.0),
        ("layer", "automation", "Automation", 30.0, 20.0, -10.0),
    ]


def test_scores_present_on_one_side_only_show_as_appearing_or_disappearing(project: Project) -> None:
    old = _with_scores(project.scan(V1), {})
    new = _with_scores(project.scan(V1), {"flows": {"order": {"score": 60}}, "layers": {"data": 80}})
    forward = {(c.scope, c.key, c.old, c.new, c.delta) for c in diff(old, new).score_changes}
    assert forward == {("flow", "order", None, 60.0, None), ("layer", "data", None, 80.0, None)}
    backward = {(c.scope, c.key, c.old, c.new) for c in diff(new, old).score_changes}
    assert backward == {("flow", "order", 60.0, None), ("layer", "data", 80.0, None)}


def test_absent_or_malformed_scores_give_no_score_changes(project: Project) -> None:
    base = project.scan(V1)
    odd = _with_scores(base, {"flows": ["not", "a", "mapping"], "layers": {"data": {"score": "high"},
                                                                          "automation": {"label": 3}},
                              "overall": True})
    assert score_table(odd) == {}
    assert diff(_with_scores(base, {}), odd).score_changes == ()


def test_diff_of_two_report_json_files_equals_the_in_memory_diff(project: Project, tmp_path: Path) -> None:
    old, new = project.scan(V1), project.scan(V2)
    for name, result in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_text(json.dumps(to_document(result)), encoding="utf-8")
    from_files = diff(load_report(tmp_path / "old" / "report.json"), load_report(tmp_path / "new"))
    assert from_files == diff(old, new)


def test_diff_of_scans_loaded_from_the_store_equals_the_in_memory_diff(project: Project) -> None:
    old, new = project.scan(V1), project.scan(V2)
    with project.store() as store:
        assert diff(store.load("previous"), store.load("latest")) == diff(old, new)


def test_an_unparsable_report_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{\n  "scan": \n}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_report(path)
    assert [(p.file, p.line) for p in caught.value.problems] == [(str(path), 3)]


def test_a_report_missing_sections_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_report(path)
    messages = " ".join(p.message for p in caught.value.problems)
    assert all(p.file == str(path) for p in caught.value.problems)
    assert all(f"'{key}' is a required property" in messages for key in ("scan", "tools", "findings"))


def test_a_missing_report_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the report"):
        load_report(tmp_path / "nowhere.json")


def test_new_finding_ids_is_empty_without_a_previous_scan(project: Project) -> None:
    current = project.scan(V1)
    assert new_finding_ids(None, current) == frozenset()
    assert new_finding_ids(current, current) == frozenset()


def test_newly_failing_counts_new_ids_and_escalations_past_the_threshold(project: Project) -> None:
    old, new = project.scan(V1), project.scan(V2)
    described = _lookup(old, new)
    assert {described[f.id] for f in newly_failing(old, new, "high")} == {
        ("coverage_gap", "order", "confirm")}  # was medium, now high: newly past the gate
    assert {described[f.id] for f in newly_failing(old, new, None)} == {("coverage_gap", "order", "ship")}
    assert {described[f.id] for f in newly_failing(old, new, "medium")} == {("coverage_gap", "order", "ship")}
    assert newly_failing(new, new, None) == []


def test_without_a_previous_scan_every_finding_past_the_threshold_is_new(project: Project) -> None:
    current = project.scan(V2)
    assert newly_failing(None, current, "high") == [f for f in current.findings if f.severity in
                                                    ("high", "critical")]
    assert newly_failing(None, current, None) == current.findings


def test_tool_changes_read_as_plain_words(project: Project) -> None:
    old = project.scan(V1)
    changed = V1.replace("{id: crm, name: Acme CRM, category: crm, layers: [data], departments: [Sales], "
                         "annual_cost: 1000}",
                         "{id: crm, name: Acme CRM, category: crm, layers: [data, automation], "
                         "departments: [Sales], sanctioned: false}")
    new = project.scan(changed)
    (crm,) = diff(old, new).tools_changed
    assert [c.text() for c in crm.changes] == [
        "layers: data → data, automation", "annual_cost: 1000 → —", "sanctioned: yes → no"]


def test_a_badly_broken_report_lists_the_first_problems_and_counts_the_rest(project: Project,
                                                                            tmp_path: Path) -> None:
    document = to_document(project.scan(V1))
    document["tools"] = [{"id": f"t{i}"} for i in range(30)]
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_report(path)
    problems = caught.value.problems
    assert len(problems) == 21
    assert problems[-1].message.startswith("… and ") and problems[-1].message.endswith(" more problems")
    assert all(p.file == str(path) for p in problems)


def test_integrations_whose_data_or_direction_changed_are_reported(project: Project) -> None:
    old = project.scan(V1)
    changed = V1.replace("{from: crm, to: erp, kind: api, data: [order]}",
                         "{from: crm, to: erp, kind: api, data: [invoice, order], bidirectional: true}")
    changed = changed.replace("{from: erp, to: ftp, kind: file, data: [invoice]}",
                              "{from: erp, to: ftp, kind: file, data: [invoice]}  # unchanged")
    result = diff(old, project.scan(changed))
    assert [(c.key, c.changes) for c in result.integrations_changed] == [
        ("crm->erp:api", (FieldChange("data", ("order",), ("invoice", "order")),
                          FieldChange("bidirectional", False, True)))]
    assert result.integrations_created == () and result.integrations_broken == ()
    assert result.counts()["integrations_changed"] == 1
    one_order = project.scan(V1.replace("data: [order]}", "data: [order, invoice]}"))
    other_order = project.scan(V1.replace("data: [order]}", "data: [invoice, order]}"))
    assert diff(one_order, other_order).integrations_changed == ()  # the order of data objects is no change
