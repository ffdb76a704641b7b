"""A non-editable install finds its templates, schemas and demo data from the installed package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


#: What a build never needs; copying the rest keeps ``build/`` and ``*.egg-info`` out of the work tree.
NOT_FOR_BUILD = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".auditor",
                                       "audit-report", "vendor", "tests", ".mypy_cache", ".ruff_cache",
                                       ".pytest_cache")


def test_non_editable_install_runs_the_demo_from_anywhere(tmp_path):
    wheel_dir, target, source = tmp_path / "wheel", tmp_path / "site", tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_FOR_BUILD)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheel_dir), str(source)], check=True)
    wheels = list(wheel_dir.glob("auditor-*.whl"))
    assert len(wheels) == 1
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(wheels[0])], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import auditor, sys; from auditor.cli import main; print(auditor.__file__, file=sys.stderr); "
            "main(['demo', '--out', 'r', '-f', 'md'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stderr.splitlines()[0]
    assert json.loads((work / "r" / "report.json").read_text(encoding="utf-8"))["summary"]["tools"] >= 40
    assert (work / "r" / "report.md").exists()
