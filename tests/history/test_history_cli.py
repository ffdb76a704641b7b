"""The history commands through click: auditor diff, auditor scans list/prune, auditor scan --fail-on-new."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner, Result
from history_fixtures import V1, V2, Project

from auditor.cli import main
from auditor.diff import diff


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def scan(project: Project, landscape: str, *options: str, out: str = "report") -> Result:
    project.write(landscape)
    return run("-q", "scan", "-c", str(project.config), "--out", out, *options)


def two_scans(project: Project) -> None:
    assert scan(project, V1).exit_code == 0
    assert scan(project, V2).exit_code == 0


def test_diff_defaults_to_previous_and_latest_and_prints_text(project: Project) -> None:
    two_scans(project)
    result = run("diff", "-c", str(project.config))
    assert result.exit_code == 0, result.output
    out = result.stdout
    # categories by their taxonomy title; one the taxonomy does not know (file-transfer) as written
    for line in ("+ bi  Acme BI (Business intelligence)", "- crm-old  Legacy CRM (CRM)",
                 "- ftp  FTP drop (file-transfer)", "~ crm  annual_cost: 1000 → 2000", "+ erp->bi:api  created",
                 "- erp->ftp:file  broken"):
        assert line in out
    assert "1 finding opened, 2 resolved, 1 changed severity" in " ".join(out.split())


def test_diff_json_is_the_library_diff_of_the_stored_scans(project: Project) -> None:
    two_scans(project)
    result = run("diff", "previous", "latest", "-c", str(project.config), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    with project.store() as store:
        expected = diff(store.load("previous"), store.load("latest"))
    assert data == json.loads(json.dumps(expected.to_data()))
    assert data["empty"] is False
    assert data["counts"]["tools_removed"] == 2
    assert {i["key"] for i in data["integrations_created"]} == {"erp->bi:api"}


def test_diff_accepts_scan_ids_and_unique_prefixes(project: Project) -> None:
    two_scans(project)
    listed = json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)
    first, second = listed[0]["id"], listed[1]["id"]
    data = json.loads(run("diff", first[:-2], second, "-c", str(project.config), "-f", "json").stdout)
    assert (data["old"]["id"], data["new"]["id"]) == (first, second)
    backwards = json.loads(run("diff", second, first, "-c", str(project.config), "-f", "json").stdout)
    assert {t["id"] for t in backwards["tools_added"]} == {"crm-old", "ftp"}


def test_diff_writes_markdown(project: Project, tmp_path: Path) -> None:
    two_scans(project)
    result = run("diff", "-c", str(project.config), "-f", "md", "--out", str(tmp_path / "changes.md"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "changes.md").read_text(encoding="utf-8")
    assert text.startswith("# Changes from ")
    for needle in ("## Tools", "| added | `bi` | Acme BI | Business intelligence |", "| removed | `ftp` | FTP drop |",
                   "annual_cost: 1000 → 2000", "## Integrations", "| created | `erp->bi:api` |",
                   "## Findings", "| worse | medium → high |"):
        assert needle in text
    with project.store() as store:
        scores = diff(store.load("previous"), store.load("latest")).score_changes
    # V2 adds the BI tool the 'report' step lacked, so the ai_analytics layer score must rise and the
    # section must be there (otherwise the loop below would check nothing)
    raised = {c.key: c for c in scores if c.scope == "layer"}
    assert "ai_analytics" in raised
    new, old = raised["ai_analytics"].new, raised["ai_analytics"].old
    assert new is not None and old is not None and new > old
    assert "## Scores" in text
    for change in scores:
        assert f"| {change.scope} | `{change.key}` | {change.name} |" in text


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.section_ids: list[str] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.section_ids.append(dict(attrs).get("id") or "")
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_diff_writes_escaped_html(project: Project, tmp_path: Path) -> None:
    assert scan(project, V1).exit_code == 0
    hostile = V1.replace("{id: ftp, name: FTP drop,", "{id: ftp, name: '<script>alert(1)</script> & co',")
    assert scan(project, hostile).exit_code == 0
    assert scan(project, V2).exit_code == 0
    listed = json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)
    out = tmp_path / "changes.html"
    result = run("diff", listed[1]["id"], "latest", "-c", str(project.config), "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    parser = _Collector()
    parser.feed(page)
    assert parser.scripts == 0
    with project.store() as store:
        changes = diff(store.load(listed[1]["id"]), store.load("latest"))
    assert parser.section_ids == ["tools", "integrations", "findings", *(["scores"] if changes.score_changes else []),
                                  *(["spend"] if changes.spend_changes else [])]
    assert "<script>alert(1)</script> & co" in "".join(parser.text)


def test_diff_of_two_report_files_needs_no_config_or_store(project: Project, tmp_path: Path,
                                                           monkeypatch) -> None:
    assert scan(project, V1, "--no-save", out="old").exit_code == 0
    assert scan(project, V2, "--no-save", out="new").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("diff", str(tmp_path / "old" / "report.json"), str(tmp_path / "new"), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {t["id"] for t in data["tools_added"]} == {"bi"}
    assert not (elsewhere / ".auditor").exists()


def test_a_scan_diffed_with_itself_shows_no_changes(project: Project) -> None:
    assert scan(project, V1).exit_code == 0
    result = run("diff", "latest", "latest", "-c", str(project.config), "--fail-on-change")
    assert result.exit_code == 0
    assert "No changes." in result.stdout
    data = json.loads(run("diff", "latest", "latest", "-c", str(project.config), "-f", "json").stdout)
    assert data["empty"] is True and set(data["counts"].values()) == {0}


def test_fail_on_change_exits_1_only_when_something_changed(project: Project) -> None:
    assert scan(project, V1).exit_code == 0
    assert scan(project, V1).exit_code == 0
    assert run("diff", "-c", str(project.config), "--fail-on-change").exit_code == 0
    assert scan(project, V2).exit_code == 0
    assert run("diff", "-c", str(project.config), "--fail-on-change").exit_code == 1


def test_diff_without_a_previous_scan_says_so(project: Project) -> None:
    assert scan(project, V1).exit_code == 0
    result = run("diff", "-c", str(project.config))
    assert result.exit_code == 4
    assert "no previous scan" in result.stderr


def test_diff_of_an_invalid_report_names_the_file(project: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    result = run("diff", str(bad), str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: not a JSON report" in " ".join(result.stderr.split())


def test_a_store_reference_without_a_config_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("diff", "previous", "latest")
    assert result.exit_code == 2
    assert "needs a config" in result.stderr


def test_scans_list_shows_every_scan_oldest_first(project: Project) -> None:
    two_scans(project)
    listed = json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)
    assert [(s["tools"], s["integrations"]) for s in listed] == [(5, 2), (4, 2)]
    table = run("scans", "list", "-c", str(project.config))
    assert table.exit_code == 0
    rows = [line.split() for line in table.stdout.splitlines() if line.startswith(listed[0]["id"][:8])]
    assert [(row[0], row[-1]) for row in rows] == [(listed[0]["id"], "previous"), (listed[1]["id"], "latest")]


def test_scans_list_on_an_empty_store(project: Project) -> None:
    result = run("scans", "list", "-c", str(project.config))
    assert result.exit_code == 0 and "no scans stored yet" in result.stderr
    assert json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout) == []


def test_scans_prune_keeps_the_newest_n(project: Project) -> None:
    for landscape in (V1, V2, V1, V2):
        assert scan(project, landscape).exit_code == 0
    before = [s["id"] for s in json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)]
    dry = run("scans", "prune", "--keep", "1", "--dry-run", "-c", str(project.config))
    assert dry.exit_code == 0 and "would delete 3 scans" in dry.stderr
    assert len(json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)) == 4
    result = run("scans", "prune", "--keep", "2", "-c", str(project.config))
    assert result.exit_code == 0, result.output
    assert "deleted 2 scans" in result.stderr
    after = [s["id"] for s in json.loads(run("scans", "list", "-c", str(project.config), "--json").stdout)]
    assert after == before[-2:]
    assert run("diff", "-c", str(project.config), "--fail-on-change").exit_code == 1


def test_scans_prune_refuses_to_keep_nothing(project: Project) -> None:
    result = run("scans", "prune", "--keep", "0", "-c", str(project.config))
    assert result.exit_code == 2


def test_fail_on_new_gates_only_on_new_findings(project: Project) -> None:
    # first scan: no history, so every finding is new
    first = scan(project, V1, "--fail-on-new")
    assert first.exit_code == 1
    assert "no previous scan" in first.stderr
    # same landscape again: nothing new
    assert scan(project, V1, "--fail-on-new").exit_code == 0
    assert scan(project, V1, "--fail-on", "medium").exit_code == 1  # old findings still fail plain --fail-on
    # V2 opens a medium gap ('ship') and raises 'confirm' from medium to high
    assert scan(project, V2, "--fail-on-new", "--no-save").exit_code == 1
    assert scan(project, V2, "--fail-on-new", "--fail-on", "critical", "--no-save").exit_code == 0
    high = scan(project, V2, "--fail-on-new", "--fail-on", "high", "--no-save")
    assert high.exit_code == 1
    assert "1 new finding at or above high" in high.stderr and "Confirm order" in high.stderr
    assert scan(project, V2).exit_code == 0
    assert scan(project, V2, "--fail-on-new", "--fail-on", "low").exit_code == 0


def test_diff_text_to_a_file_is_plain_text(project: Project, tmp_path: Path) -> None:
    two_scans(project)
    out = tmp_path / "changes.txt"
    result = run("diff", "-c", str(project.config), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert "+ erp->bi:api  created" in text and "~ crm  annual_cost: 1000 → 2000" in text
    assert result.stdout == ""


def test_diff_mixes_a_report_file_and_a_stored_scan(project: Project, tmp_path: Path) -> None:
    assert scan(project, V1, "--no-save", out="baseline").exit_code == 0
    assert scan(project, V2).exit_code == 0
    data = json.loads(run("diff", str(tmp_path / "baseline" / "report.json"), "latest", "-c",
                          str(project.config), "-f", "json").stdout)
    assert {t["id"] for t in data["tools_removed"]} == {"crm-old", "ftp"}
    assert data["old"]["id"] != data["new"]["id"]
