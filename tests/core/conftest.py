"""Helpers for the core tests: write small configs and landscapes into a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CONFIG = """organization: Test Org
sources:
  - name: landscape
    type: landscape
    path: landscape.yaml
report:
  formats: [json, md]
"""


@pytest.fixture
def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write ``auditor.yaml`` and ``landscape.yaml`` and work from their folder; returns the config path."""
    monkeypatch.chdir(tmp_path)

    def make(landscape: str, config: str = CONFIG) -> Path:
        (tmp_path / "landscape.yaml").write_text(landscape, encoding="utf-8")
        path = tmp_path / "auditor.yaml"
        path.write_text(config, encoding="utf-8")
        return path

    return make
