"""What a new user meets first: listings, validate on unreadable files, messages in logs, the demo."""

from __future__ import annotations

import json

from click.testing import CliRunner

from auditor.cli import main

LANDSCAPE = """\
tools:
  - {id: a, name: Tool A, category: crm, departments: [Sales]}
  - {id: b, name: Tool B, category: ticketing, departments: [Support]}
integrations:
  - {from: a, to: b}
flows:
  - id: f
    steps:
      - {id: s1, department: Sales, tools: [a]}
      - {id: s2, department: Support, tools: [b]}
      - {id: s3, department: Finance}
"""

CONFIG = """organization: A Company Whose Name Is Long Enough To Push The Summary Line Past Eighty Columns
sources:
  - name: landscape
    type: landscape
    path: landscape.yaml
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _scan_ids() -> list[str]:
    code, output = run("scans", "list", "--json")
    assert code == 0, output
    return [scan["id"] for scan in json.loads(output)]


def test_report_list_shows_whole_scan_ids_like_scans_list(make_project):
    make_project(LANDSCAPE)
    for _ in range(3):
        assert run("scan", "--out", "out")[0] == 0
    ids = _scan_ids()
    code, listed = run("report", "--list")
    assert code == 0
    for scan_id in ids:  # used to be cut to '20261129T06…' in an 80-column table
        assert scan_id in listed
    assert ids[-1] in next(line for line in listed.splitlines() if line.rstrip().endswith("latest"))
    assert listed == run("scans", "list")[1]


def test_scans_list_keeps_every_header_when_piped(make_project):
    make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"
                            "  - {name: gone, type: landscape, path: missing.yaml}\n")
    assert run("scan", "--out", "out")[0] == 0
    header = run("scans", "list")[1].splitlines()[0].split()
    assert header[:7] == ["scan", "started", "(UTC)", "tools", "integrations", "findings", "failed"]


def test_an_ambiguous_scan_prefix_says_so(make_project):
    make_project(LANDSCAPE)
    for _ in range(2):
        assert run("scan", "--out", "out")[0] == 0
    prefix = _scan_ids()[0][:4]  # the year: both scans have it
    code, output = run("report", "--scan", prefix, "--out", "again")
    assert code == 4 and "matches 2 scans" in output and "give more of the id" in output
    code, output = run("report", "--scan", "nosuchscan", "--out", "again")
    assert code == 4 and "no scan matches 'nosuchscan'" in output


def test_validate_locates_unreadable_local_files_and_exits_2(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n"
                                     "  - {name: l, type: landscape, path: landscape.yaml}\n"
                                     "  - {name: gone, type: landscape, path: missing.yaml}\n"
                                     "  - {name: register, type: spreadsheet, path: register.csv}\n")
    (config.parent / "register.csv").write_bytes("Application,Department\nサイボウズ Office,総務\n".encode("cp932"))
    code, output = run("validate", "-c", str(config))
    assert code == 2, output  # was 4 with only the first error, no file and line
    assert "2 problems found" in output
    assert "auditor.yaml:4: source 'gone': landscape file not found" in output
    assert "auditor.yaml:5: source 'register': cannot read spreadsheet" in output and "encoding" in output
    assert "Traceback" not in output


def test_validate_reports_an_okta_source_without_org_or_file(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"
                                     "  - name: okta\n    type: okta\n    token_env: OKTA_TOKEN_FOR_NOBODY\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2
    assert "auditor.yaml:4: source 'okta': no Okta org given: set 'base_url'" in output


def test_messages_are_not_broken_at_80_columns_when_piped(make_project):
    make_project(LANDSCAPE, CONFIG + "  - {name: gone, type: landscape, path: missing.yaml}\n")
    code, output = run("scan", "--out", "out")
    assert code == 0
    lines = output.splitlines()
    summary = next(line for line in lines if line.startswith("A Company Whose Name"))
    assert summary.endswith(")") and "→" in summary and len(summary) > 80
    failed = next(line for line in lines if line.startswith("source failed: "))  # whole, not wrapped
    assert "source 'gone': landscape file not found" in failed and "relative to the config file" in failed
    assert output.count("landscape file not found") == 1  # said once (it was a warning log line too)


def test_init_is_quiet_with_q_and_points_at_validate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("-q", "init", "quiet") == (0, "")
    code, output = run("init", "loud")
    assert code == 0 and "auditor validate -c loud/auditor.yaml" in output


def test_demo_writes_the_html_report_its_help_points_at(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    help_text = " ".join(run("demo", "--help")[1].split())
    assert "Open audit-report/index.html" in help_text
    assert "(default: json, md and html)" in help_text and "report.formats of the config" not in help_text
    code, output = run("demo", "--no-save")
    assert code == 0, output
    assert (tmp_path / "audit-report" / "index.html").is_file()


def test_connectors_short_help_is_a_whole_sentence():
    code, output = run("--help")
    line = next(line for line in output.splitlines() if line.strip().startswith("connectors"))
    assert line.rstrip().endswith("or the settings of one type.") and "(e.g." not in line


def test_summaries_count_in_words_and_keep_brackets_of_the_organization(make_project):
    make_project("tools:\n  - {id: a, name: Tool A}\n",
                 "organization: Acme [EU]\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n")
    code, output = run("validate")
    assert code == 0 and "(1 source; local files give 1 tool, 0 integrations, 0 flows)" in output
    code, output = run("scan", "--out", "out")
    assert code == 0
    assert "Acme [EU]: 1 tool, 0 integrations, 0 flows → " in output  # was "1 tools", and "[EU]" was eaten
