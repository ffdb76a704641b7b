"""Lifecycle (vocabulary, unknown words, flows on ending tools) and contract facts (renewals, licences,
near-duplicate departments) end to end: landscape/spreadsheet files → scan → report.json / validate."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main
from auditor.config import load_config
from auditor.contracts import near_departments, renewals
from auditor.lifecycle import LifecycleReader, lifecycle_of, vocabulary
from auditor.model import Tool
from connectors.prepare import scan_config

LANDSCAPE = """\
tools:
  - {id: crm, name: Legacy CRM, lifecycle: phase_out, departments: [Sales], business_owner: Ann Lee,
     it_owner: Bo Kim, renewal_date: 2027-01-15, licences: 50, users: 20}
  - {id: old, name: Old Wiki, lifecycle: retired, category: wiki, departments: [Sales]}
  - {id: wiki, name: Confluence, category: wiki, departments: [Sales]}
  - {id: bad, name: Denied Chat, lifecycle: rejected, category: wiki, departments: [Customer Suport]}
flows:
  - id: lead
    name: Lead to cash
    steps:
      - {id: qualify, name: Qualify, department: Sales, tools: [crm]}
      - {id: order, name: Order, department: Customer Support, tools: [wiki]}
"""


def write(tmp_path: Path, landscape: str = LANDSCAPE, extra_source: str = "") -> Path:
    (tmp_path / "landscape.yaml").write_text(landscape, encoding="utf-8")
    config = tmp_path / "auditor.yaml"
    config.write_text("organization: T\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"
                      + extra_source, encoding="utf-8")
    return config


def test_vocabulary_reads_real_words_in_english_and_japanese() -> None:
    words = vocabulary()
    expected = {"Approved": "active", "In use": "active", "Production": "active", "Pilot": "plan",
                "Exception": "active", "Sunsetting": "phase_out", "Deprecated": "phase_out", "Phase-Out": "phase_out",
                "End of life": "retired", "Denied": "rejected", "Rejected": "rejected", "Retired": "retired",
                "Decommissioned": "retired", "利用中": "active", "試験導入": "plan", "廃止予定": "phase_out",
                "廃止": "retired", "却下": "rejected", "phaseOut": "phase_out"}
    assert {word: lifecycle_of(word, words) for word in expected} == expected


def test_unknown_words_are_kept_without_lifecycle_and_named_in_one_warning() -> None:
    reader = LifecycleReader({"Tolerated": "phase_out"})
    assert [reader.read(w) for w in ("Tolerated", "Maybe", "Maybe", "Later", "")] == ["phase_out", None, None,
                                                                                     None, None]
    [warning] = reader.warnings("reg")
    assert "2 unknown status values" in warning and "'Maybe' (2), 'Later' (1)" in warning


def test_scan_lifecycle_and_contracts_in_report_json(tmp_path: Path) -> None:
    result = scan_config(load_config(write(tmp_path)))
    tools = result.graph.tools
    assert (tools["crm"].lifecycle, tools["crm"].business_owner, tools["crm"].it_owner) == (
        "phase_out", "Ann Lee", "Bo Kim")
    duplicates = [f for f in result.findings if f.type == "duplicate"]
    assert not any({"old", "bad"} & set(f.tools) for f in duplicates)  # retired/rejected: not duplicates
    assert not any({"old", "bad"} & set(f.tools) for f in result.findings if f.type == "silo")
    assert result.extra["lifecycle"] == {"steps_on_ending_tools": [
        {"flow": "lead", "step": "qualify", "tool": "crm", "lifecycle": "phase_out"}]}
    summary = result.summary()
    assert summary["tools_in_use"] == 2 and summary["tools_by_lifecycle"] == {
        "phase_out": 1, "retired": 1, "unknown": 1, "rejected": 1}
    contracts = result.extra["contracts"]
    assert contracts["licence_use"] == [{"tool": "crm", "name": "Legacy CRM", "licences": 50, "users": 20,
                                         "use": 0.4}]


def test_renewals_within_90_days_only() -> None:
    tools = [Tool("a", "A", renewal_date="2027-01-15"), Tool("b", "B", contract_end="2027-06-01"),
             Tool("c", "C", renewal_date="2026-11-01")]
    due = renewals(tools, date(2026, 12, 3))
    assert [(d["tool"], d["kind"], d["days"]) for d in due] == [("a", "renewal_date", 43)]


def test_validate_warns_about_a_department_used_once_near_another_and_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "-c", str(write(tmp_path))], catch_exceptions=False)
    assert result.exit_code == 0
    assert "department 'Customer Suport' is used once and looks like 'Customer Support'" in result.output
    bad = LANDSCAPE.replace("renewal_date: 2027-01-15", "renewal_date: soon")
    result = CliRunner().invoke(main, ["validate", "-c", str(write(tmp_path, bad))], catch_exceptions=False)
    assert result.exit_code == 2 and "renewal_date 'soon' is not a date (write YYYY-MM-DD)" in result.output
    assert near_departments(Counter({"Sales": 3, "Marketing": 1})) == []


def test_spreadsheet_unknown_status_warns_in_scan_and_report(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text("Application,Status,Business Owner,Licenses,Renewal Date\n"
                                       "Jira,Approved,Ann,10,2027-01-01\nMiro,Maybe later,,,\n"
                                       "Lotus Notes,Retired,,,\n", encoding="utf-8")
    config = write(tmp_path, "tools: []\n", "  - {name: reg, type: spreadsheet, path: apps.csv}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", "-c", str(config), "--no-save", "--out", str(out), "-f", "json",
                                       "-f", "md", "-f", "html"], catch_exceptions=False)
    assert "source 'reg': 1 unknown status value" in result.output and "'Maybe later' (1)" in result.output
    assert "source 'reg' skipped 1: retired status (retired) 1" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    [reg] = [s for s in report["scan"]["sources"] if s["name"] == "reg"]
    assert reg["skipped"] == {"retired status (retired)": 1} and len(reg["warnings"]) == 1
    jira = next(t for t in report["tools"] if t["name"] == "Jira")
    assert (jira["lifecycle"], jira["business_owner"], jira["licences"], jira["renewal_date"]) == (
        "active", "Ann", 10, "2027-01-01")
    assert "skipped: retired status (retired) 1" in (out / "report.md").read_text(encoding="utf-8")
    assert "skipped: retired status (retired) 1" in (out / "index.html").read_text(encoding="utf-8")
