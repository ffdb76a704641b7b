"""Plugins are found through their entry points, read once per process and ``sys.path`` (auditor.plugins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.plugins import with_entry_points

BUILTINS = {"json": "reports.json_report:JsonRenderer"}


def _distribution(root: Path, entries: str) -> Path:
    """A real distribution (dist-info with entry points) in a folder of its own."""
    info = root / "probe_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: probe-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entries, encoding="utf-8")
    return root


def test_a_folder_put_on_the_path_after_a_first_lookup_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    group = "auditor.renderers"
    before = with_entry_points(BUILTINS, group)
    assert "probe_txt" not in before
    folder = _distribution(tmp_path / "site", f"[{group}]\nprobe_txt = probe:Text\njson = probe:NotTheBuiltin\n")
    monkeypatch.syspath_prepend(str(folder))
    after = with_entry_points(BUILTINS, group)
    assert after["probe_txt"] == "probe:Text"
    assert after["json"] == BUILTINS["json"]  # a built-in wins a name clash
    assert list(after)[0] == "json"  # built-ins first
    monkeypatch.undo()
    assert with_entry_points(BUILTINS, group) == before  # gone with its folder
