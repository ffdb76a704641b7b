"""A plugin analysis with a finding type of its own goes through scan, every report format, diff and --fail-on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from plugin_dist import write_distribution

from auditor.cli.scan import demo_config_path

PLUGIN = '''
from auditor.analyses.base import Analysis, AnalysisSettings, finding_id
from auditor.findingspec import FindingSpec, Message
from auditor.model import Finding
from auditor.plan.advice import retire_notes
from reports.base import Renderer

SPEC = FindingSpec(
    "stale_tool", "Stale tools",
    messages={
        "stale_tool": Message("{tool} has no users",
                              "Ask {owner} whether anyone still needs {tool}; if not, retire it.{retire_notes}"),
        "stale_tool.no_owner": Message("{tool} has no users", "Find who pays for {tool}, then retire it."),
    },
    evidence=("tool", "rule"),
)


class StaleToolAnalysis(Analysis):
    id = "stale_tool"
    title = "Stale tools"
    rationale = "A tool nobody uses still costs money and holds data."
    remediation = "Retire it or find its users."
    specs = (SPEC,)

    def run(self, graph, settings: AnalysisSettings):
        for tool in sorted(graph.tools.values(), key=lambda t: t.id):
            if not tool.users:
                code, params = ("stale_tool", {"tool": tool.name, "owner": tool.owner,
                                               "retire_notes": retire_notes(graph, [tool.id], settings.retiring)}) \\
                    if tool.owner else ("stale_tool.no_owner", {"tool": tool.name})
                yield SPEC.finding(code, params, id=finding_id(self.id, tool.id), severity="high",
                                   tools=(tool.id,), evidence={"tool": tool.id, "rule": "default"})


class CostlyAnalysis(Analysis):
    """A plugin written before specs: it builds its findings' English text itself."""

    id = "costly_tool"
    title = "Costly tools"
    rationale = "Spend."
    remediation = "Negotiate."

    def run(self, graph, settings):
        for tool in sorted(graph.tools.values(), key=lambda t: t.id):
            if (tool.annual_cost or 0) > 50000:
                yield Finding(finding_id("costly_tool", tool.id), "costly_tool", "low",
                              f"{tool.name} costs a lot", tools=(tool.id,), recommendation="Negotiate.")


class TextRenderer(Renderer):
    """A plugin format: one line per finding."""

    format = "txt"

    def render(self, result, out_dir):
        path = out_dir / "findings.txt"
        path.write_text("".join(f"{f.type}\\t{f.title}\\n" for f in result.findings), encoding="utf-8")
        return [path]
'''


def install_plugin(root: Path) -> Path:
    """A real distribution on a path entry: module + dist-info with ``auditor.analyses`` and ``auditor.renderers``
    entry points."""
    write_distribution(root, "stale_plugin", "[auditor.analyses]\nstale_tool = stale_plugin:StaleToolAnalysis\n"
                                             "costly_tool = stale_plugin:CostlyAnalysis\n"
                                             "[auditor.renderers]\ntxt = stale_plugin:TextRenderer\n")
    (root / "stale_plugin.py").write_text(PLUGIN, encoding="utf-8")
    return root


def auditor(args: list[str], cwd: Path, plugin_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(plugin_path)}
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def test_plugin_finding_type_is_reported_stored_diffed_and_gated(tmp_path):
    plugin = install_plugin(tmp_path / "plugin")
    # gated on the plugin's high findings: exit 1, and its report is still written
    first = auditor(["demo", "--out", "one", "-f", "md", "-f", "html", "-f", "csv", "--fail-on", "high"], tmp_path,
                    plugin)
    assert first.returncode == 1, first.stderr
    report = json.loads((tmp_path / "one" / "report.json").read_text(encoding="utf-8"))
    stale = [f for f in report["findings"] if f["type"] == "stale_tool"]
    no_users = [t for t in report["tools"] if not t.get("users")]
    assert stale and len(stale) == len(no_users)
    assert stale[0]["title"] in (tmp_path / "one" / "report.md").read_text(encoding="utf-8")
    assert stale[0]["title"] in (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert {f["message_code"] for f in stale} <= {"stale_tool", "stale_tool.no_owner"}
    assert all(f["title"] == f"{f['message_params']['tool']} has no users" for f in stale)
    costly = [f for f in report["findings"] if f["type"] == "costly_tool"]
    assert costly and all(f["message_code"] is None for f in costly)
    assert report["summary"]["findings_by_type"]["stale_tool"] == len(stale)

    japanese = auditor(["demo", "--out", "ja", "-f", "md", "--lang", "ja"], tmp_path, plugin)
    assert japanese.returncode == 0, japanese.stderr
    text = (tmp_path / "ja" / "report.md").read_text(encoding="utf-8")
    assert "## 指摘事項" in text  # a Japanese report ...
    for finding in stale + costly:  # ... where the plugin's types have no translation: their English text
        assert finding["title"] in text, finding["title"]

    # re-rendered from the embedded (SQLite) store in every format, the plugin's own format included
    formats = [a for f in ("md", "html", "csv", "xlsx", "svg", "txt") for a in ("-f", f)]
    stored = auditor(["report", "-c", str(demo_config_path()), "--store-path", ".auditor/demo.db", "--out", "four",
                      *formats], tmp_path, plugin)
    assert stored.returncode == 0, stored.stderr
    four = tmp_path / "four"
    reloaded = json.loads((four / "report.json").read_text(encoding="utf-8"))["findings"]
    assert [f for f in reloaded if f["type"] == "stale_tool"] == stale  # code and params kept by the store
    texts = {name: (four / name).read_text(encoding="utf-8")
             for name in ("report.md", "index.html", "findings.csv", "findings.txt")}
    for finding in stale + costly:
        for name, text in texts.items():
            assert finding["title"] in text, (name, finding["title"])
    assert (four / "audit.xlsx").stat().st_size > 0

    # the Japanese run was a second scan: diffed with the first (the report's schema accepts the plugin's types)
    diff = auditor(["diff", "one/report.json", "ja/report.json", "--format", "json"], tmp_path, plugin)
    assert diff.returncode == 0, diff.stderr
    assert "not a valid report.json" not in diff.stderr
    assert json.loads((tmp_path / "ja" / "report.json").read_text(encoding="utf-8"))["findings"] == report["findings"]
