"""A non-editable install finds its templates, schemas and demo data from the installed package."""

from __future__ import annotations

import json
from pathlib import Path

from wheel_install import InstalledWheel


def test_non_editable_install_runs_the_demo_from_anywhere(installed_wheel: InstalledWheel, tmp_path: Path) -> None:
    assert len(installed_wheel.wheels) == 1
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import auditor, sys; from auditor.cli import main; print(auditor.__file__, file=sys.stderr); "
            "main(['demo', '--out', 'r', '-f', 'md'])")
    done = installed_wheel.run(code, work)
    assert done.returncode == 0, done.stderr
    assert str(installed_wheel.site) in done.stderr.splitlines()[0]
    assert json.loads((work / "r" / "report.json").read_text(encoding="utf-8"))["summary"]["tools"] >= 40
    assert (work / "r" / "report.md").exists()
