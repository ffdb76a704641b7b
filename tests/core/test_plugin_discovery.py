"""Plugins are found through their entry points, read once per process and ``sys.path`` (auditor.plugins)."""

from __future__ import annotations

from pathlib import Path

import pytest
from plugin_dist import write_distribution

from auditor.plugins import with_entry_points

BUILTINS = {"json": "reports.json_report:JsonRenderer"}


def test_a_folder_put_on_the_path_after_a_first_lookup_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    group = "auditor.renderers"
    before = with_entry_points(BUILTINS, group)
    assert "probe_txt" not in before
    folder = write_distribution(tmp_path / "site", "probe_plugin",
                                f"[{group}]\nprobe_txt = probe:Text\njson = probe:NotTheBuiltin\n")
    monkeypatch.syspath_prepend(str(folder))
    after = with_entry_points(BUILTINS, group)
    assert after["probe_txt"] == "probe:Text"
    assert after["json"] == BUILTINS["json"]  # a built-in wins a name clash
    assert list(after)[0] == "json"  # built-ins first
    monkeypatch.undo()
    assert with_entry_points(BUILTINS, group) == before  # gone with its folder
