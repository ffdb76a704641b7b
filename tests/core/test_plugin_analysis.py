"""A plugin analysis with a finding type of its own goes through scan, every report format, diff and --fail-on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLUGIN = '''
from auditor.analyses.base import Analysis, finding_id
from auditor.model import Finding


class StaleToolAnalysis(Analysis):
    id = "stale_tool"
    title = "Stale tool"
    rationale = "A tool with no known users."
    remediation = "Retire it."

    def run(self, graph, settings):
        for tool in sorted(graph.tools.values(), key=lambda t: t.id):
            if not tool.users:
                yield Finding(finding_id("stale_tool", tool.id), "stale_tool", "high",
                              f"{tool.name} has no users", tools=(tool.id,), recommendation="Retire it.")
'''


def install_plugin(root: Path) -> Path:
    """A real distribution on a path entry: module + dist-info with an ``auditor.analyses`` entry point."""
    root.mkdir()
    (root / "stale_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = root / "stale_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stale-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[auditor.analyses]\nstale_tool = stale_plugin:StaleToolAnalysis\n",
                                           encoding="utf-8")
    return root


def auditor(args: list[str], cwd: Path, plugin_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(plugin_path)}
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def test_plugin_finding_type_is_reported_stored_diffed_and_gated(tmp_path):
    plugin = install_plugin(tmp_path / "plugin")
    first = auditor(["demo", "--out", "one", "-f", "md", "-f", "html", "-f", "csv"], tmp_path, plugin)
    assert first.returncode == 0, first.stderr
    report = json.loads((tmp_path / "one" / "report.json").read_text(encoding="utf-8"))
    stale = [f for f in report["findings"] if f["type"] == "stale_tool"]
    no_users = [t for t in report["tools"] if not t.get("users")]
    assert stale and len(stale) == len(no_users)
    assert stale[0]["title"] in (tmp_path / "one" / "report.md").read_text(encoding="utf-8")
    assert stale[0]["title"] in (tmp_path / "one" / "index.html").read_text(encoding="utf-8")

    second = auditor(["demo", "--out", "two", "-f", "md"], tmp_path, plugin)
    assert second.returncode == 0, second.stderr
    diff = auditor(["diff", "one/report.json", "two/report.json", "--format", "json"], tmp_path, plugin)
    assert diff.returncode == 0, diff.stderr
    assert "not a valid report.json" not in diff.stderr

    gated = auditor(["demo", "--out", "three", "-f", "md", "--fail-on", "high"], tmp_path, plugin)
    assert gated.returncode == 1, gated.stderr
