"""``auditor whatif`` and ``auditor plan`` on the demo: every format, scenario files, errors, store untouched."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace as copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.analyses import AnalysisSettings, run_analyses
from auditor.cli import main
from auditor.plan.scenario import Scenario, apply_scenario
from auditor.result import from_document, to_document

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project with one stored scan; returns its config."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copytree(DEMO, folder, dirs_exist_ok=True)
    config = folder / "auditor.yaml"
    assert run("scan", "-c", str(config), "-f", "json", "--out", str(folder / "out"))[0] == 0
    return config


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_whatif_prints_resolved_findings_scores_and_cost_and_leaves_the_store_alone(project):
    before = run("scans", "-c", str(project))[1]
    code, out = run("whatif", "-c", str(project), "--retire", "freshdesk", "--connect", "shopify:zendesk",
                    "--sanction", "miro")
    assert code == 0, out
    assert "Issue to resolution: 64 → 79 (+15)" in out
    assert "annual cost: -4,800 USD" in out
    assert "Miro is not sanctioned by IT" in out
    assert run("scans", "-c", str(project))[1] == before


def test_whatif_json_md_html_and_a_scenario_file_agree(project, tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("retire: [freshdesk]\nconnect: ['shopify:zendesk']\nsanction: [miro]\n", encoding="utf-8")
    code, out = run("whatif", "-c", str(project), "--scenario", str(scenario), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["annual_cost"]["change"] == -4800.0 and data["flows"]["issue-to-resolution"]["change"] == 15
    flags = run("whatif", "-c", str(project), "--retire", "freshdesk", "--connect", "shopify:zendesk",
                "--sanction", "miro", "-f", "json")[1]
    assert json.loads(flags) == data
    assert run("whatif", "-c", str(project), "--scenario", str(scenario), "-f", "md", "-o",
               str(tmp_path / "w.md"))[0] == 0
    assert "| Issue to resolution | 64 | 79 | +15 |" in (tmp_path / "w.md").read_text(encoding="utf-8")
    code, html = run("whatif", "-c", str(project), "--retire", "karte", "-f", "html")
    assert code == 0 and "<strong>Before retiring:</strong>" in html and "KARTE" in html


def test_whatif_errors_name_the_problem_and_exit_2(project, tmp_path):
    code, out = run("whatif", "-c", str(project), "--retire", "shopify-plus")
    assert code == 2 and "unknown tool 'shopify-plus'" in out
    code, out = run("whatif", "-c", str(project), "--connect", "zendesk")
    assert code == 2 and "must be SOURCE:TARGET" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("retire: freshdesk\nremove: [x]\n", encoding="utf-8")
    code, out = run("whatif", "-c", str(project), "--scenario", str(bad))
    assert code == 2 and str(bad) in out and "'retire' must be a list" in out and "unknown key 'remove'" in out
    code, out = run("whatif", "-c", str(project))
    assert code == 2 and "nothing to try" in out


def test_plan_lists_ordered_actions_and_its_json_replays_with_whatif(project, tmp_path):
    code, out = run("plan", "-c", str(project), "--max-actions", "5")
    assert code == 0 and " 1. Retire " in out and " 6. " not in out
    data = json.loads(run("plan", "-c", str(project), "-f", "json")[1])
    scenario = data["scenario"]
    (tmp_path / "plan.yaml").write_text(json.dumps({k: scenario[k] for k in ("retire", "connect", "sanction")}),
                                        encoding="utf-8")
    replay = json.loads(run("whatif", "-c", str(project), "--scenario", str(tmp_path / "plan.yaml"), "-f", "json")[1])
    assert replay["annual_cost"]["change"] == pytest.approx(-data["annual_savings"])
    assert replay["overall"]["change"] == sum(a["overall_change"] for a in data["actions"])
    assert run("plan", "-c", str(project), "-f", "html", "-o", str(tmp_path / "plan.html"))[0] == 0
    assert "Retire Freshdesk" in (tmp_path / "plan.html").read_text(encoding="utf-8")


def test_diff_shows_the_spend_change_when_a_tool_is_retired(project, tmp_path):
    old = from_document(json.loads((project.parent / "out" / "report.json").read_text(encoding="utf-8")))
    graph = apply_scenario(old.graph, Scenario(retire=("freshdesk",), moves={"freshdesk": "zendesk"}))
    new = copy(old, graph=graph, findings=run_analyses(graph, AnalysisSettings()), scan=copy(old.scan, id="after"))
    for name, result in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(to_document(result)), encoding="utf-8")
    code, out = run("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert code == 0 and "annual spend: 1,139,557 USD → 1,134,757 USD (-4,800)" in out
    assert "spend on duplicate tools" in out
    md = run("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-f", "md")[1]
    assert "| annual spend | 1,139,557 USD | 1,134,757 USD | -4,800 |" in md
