"""The command line: commands, exit codes, messages."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import COMMANDS, main

LANDSCAPE = """\
tools:
  - {id: a, name: Tool A, category: crm, departments: [Sales]}
  - {id: b, name: Tool B, category: crm, departments: [Support]}
flows:
  - id: f
    steps:
      - {id: s1, tools: [a]}
      - {id: s2}
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_every_command_has_help():
    for name in COMMANDS:
        code, output = run(name, "--help")
        assert code == 0 and "Usage: main " + name in output.replace("auditor", "main")


def test_python_dash_m_works():
    done = subprocess.run([sys.executable, "-m", "auditor", "--help"], capture_output=True, text=True, check=True)
    assert "auditor demo" in done.stdout


def test_scan_writes_reports_and_exit_code_follows_fail_on(make_project):
    config = make_project(LANDSCAPE)
    code, output = run("scan", "-c", str(config), "--out", "out")
    assert code == 0, output
    report = json.loads(Path("out/report.json").read_text(encoding="utf-8"))
    # two CRMs, a step without tools, and two tools (and their departments) with no integration
    assert {f["type"] for f in report["findings"]} == {"duplicate", "coverage_gap", "silo"}
    assert Path("out/report.md").exists()
    assert run("scan", "-c", str(config), "--out", "out", "--fail-on", "medium")[0] == 1
    assert run("scan", "-c", str(config), "--out", "out", "--fail-on", "critical")[0] == 0


def test_invalid_input_lists_problems_and_exits_2(make_project):
    config = make_project("tools:\n  - {id: a, name: A, layers: [nope]}\n  - {id: a, name: B}\n")
    code, output = run("scan", "-c", str(config))
    assert code == 2
    assert "landscape.yaml:2: tools[0].layers[0]: 'nope' is not allowed here" in output
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "1 problem found" in output


def test_missing_config_exits_2_with_a_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run("scan")
    assert code == 2 and "auditor init" in output


def test_strict_turns_a_failed_source_into_exit_3(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"
                                     "  - {name: gone, type: landscape, path: missing.yaml}\n")
    code, output = run("scan", "-c", str(config), "--out", "out")
    assert code == 0 and "source failed" in output
    assert run("scan", "-c", str(config), "--out", "out", "--strict")[0] == 3
    status = json.loads(Path("out/report.json").read_text(encoding="utf-8"))["scan"]["sources"][1]
    assert (status["name"], status["status"]) == ("gone", "failed") and "not found" in status["error"]


def test_init_writes_a_project_that_validates_and_scans(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "proj")[0] == 0
    assert run("init", "proj")[0] == 2  # refuses to overwrite
    code, output = run("validate", "-c", "proj/auditor.yaml")
    assert code == 0 and output.startswith("valid: proj/auditor.yaml (1 source;"), output  # not "invalid"
    written = yaml.safe_load(Path("proj/landscape.yaml").read_text(encoding="utf-8"))
    for section, noun in (("tools", "tool"), ("integrations", "integration"), ("flows", "flow")):
        count = len(written.get(section) or [])
        assert f"{count} {noun}{'' if count == 1 else 's'}" in output, (section, output)
    assert run("scan", "-c", "proj/auditor.yaml")[0] == 0
    assert Path("proj/audit-report/report.json").exists()
    assert Path("proj/.auditor/auditor.db").exists()


def test_report_re_renders_and_lists_stored_scans(make_project):
    config = make_project(LANDSCAPE)
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    first = json.loads(Path("first/report.json").read_text(encoding="utf-8"))
    code, output = run("report", "-c", str(config), "--list")
    assert code == 0 and first["scan"]["id"] in output  # the stored scan is listed by its id
    code, _ = run("report", "-c", str(config), "--scan", "latest", "--out", "again", "-f", "md")
    again = json.loads(Path("again/report.json").read_text(encoding="utf-8"))
    assert code == 0 and first == again


def test_connectors_lists_types_and_settings():
    from connectors.registry import CONNECTORS

    code, output = run("connectors")
    assert code == 0
    listed = {line.split(":")[0] for line in output.splitlines() if line and line[0].isalpha()}
    assert listed == set(CONNECTORS)  # every registered type has its heading
    assert "path" in output
    assert run("connectors", "nosuch")[0] == 2


def test_demo_needs_no_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run("demo")
    assert code == 0, output
    report = json.loads((tmp_path / "audit-report" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["organization"] == "Sakura Retail KK"


class CrashingAnalysis:
    """A (plugin) analysis with a bug."""

    def run(self, graph, settings):
        raise KeyError("owner")


def test_a_crashing_analysis_is_named_and_nothing_is_saved(make_project, monkeypatch):
    from auditor.analyses.registry import ANALYSES

    config = make_project(LANDSCAPE)
    monkeypatch.setitem(ANALYSES, "crashing", f"{__name__}:CrashingAnalysis")
    code, output = run("scan", "-c", str(config), "--out", "out")
    assert code == 4, output
    assert "analysis 'crashing'" in output and "KeyError: 'owner'" in output
    assert "disabled: [crashing]" in output.replace("\n", " ").replace("  ", " ")
    assert not Path("out/report.json").exists()
    code, output = run("scans", "list", "-c", str(config))
    assert code == 0 and "no scans" in output.lower(), output
    (config.parent / "auditor.yaml").write_text(config.read_text() + "analyses:\n  disabled: [crashing]\n")
    assert run("scan", "-c", str(config), "--out", "out")[0] == 0


def test_demo_help_names_the_demo_s_own_defaults_and_they_hold(tmp_path, monkeypatch):
    code, output = run("demo", "--help")
    flat = " ".join(output.split())
    assert code == 0 and "Report folder (default: audit-report)" in flat
    assert "(default: .auditor/demo.db in the current folder)" in flat and "auditor.db next to" not in flat
    assert "next to the config" in " ".join(run("scan", "--help")[1].split())
    monkeypatch.chdir(tmp_path)
    assert run("demo", "-f", "json")[0] == 0
    assert (tmp_path / ".auditor" / "demo.db").is_file() and (tmp_path / "audit-report" / "report.json").is_file()


def test_connector_settings_list_the_type_s_own_settings_before_shared_ones():
    from connectors.base import describe_settings
    from connectors.spend import SpendSettings

    names = [row[0] for row in describe_settings(SpendSettings)]
    assert names[0] == "path"
    assert names.index("currency") > names.index("encoding")  # inherited currency settings come last
    assert sorted(names) == sorted(f.name for f in dataclasses.fields(SpendSettings))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_init_journey_template_validates_and_scans_a_branching_flow(tmp_path, monkeypatch, file_format):
    monkeypatch.chdir(tmp_path)
    assert run("init", "--template", "journey", "--format", file_format, "j")[0] == 0
    written = sorted(str(p.relative_to("j")) for p in Path("j").rglob("*") if p.is_file())
    sheets = ["journey/flows.csv", "journey/tools.csv"] if file_format == "csv" else ["journey/journey.xlsx"]
    assert written == sorted(["auditor.yaml", "integrations.yaml", *sheets])
    code, output = run("validate", "-c", "j/auditor.yaml")
    assert code == 0 and "5 tools, 3 integrations, 1 flow" in output, output
    assert run("scan", "-c", "j/auditor.yaml")[0] == 0
    report = json.loads(Path("j/audit-report/report.json").read_text(encoding="utf-8"))
    missing = {tuple(f["steps"]) for f in report["findings"] if f["type"] == "missing_integration"}
    assert missing == {("qualify", "nurture"), ("send-contract", "invoice"), ("invoice", "onboard-customer")}
