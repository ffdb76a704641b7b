"""The package built as a wheel and installed into a folder, once per test session (building takes seconds).

The wheel is built from a copy of the source without its work files, so ``build/`` and ``*.egg-info`` never
land in the work tree; tests run the installed copy with ``PYTHONPATH`` set to :attr:`InstalledWheel.site`.
Tests only read the installed folder (they run the demo in their own ``tmp_path``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: What a build never needs; copying the rest keeps ``build/`` and ``*.egg-info`` out of the work tree.
NOT_FOR_BUILD = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".auditor",
                                       "audit-report", "vendor", "tests", ".mypy_cache", ".ruff_cache",
                                       ".pytest_cache")


@dataclass(frozen=True)
class InstalledWheel:
    """The built wheels and the folder the one wheel was installed into (``pip install --target``)."""

    wheels: tuple[Path, ...]
    site: Path

    def run(self, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """``python -c code`` in ``cwd`` importing the installed copy (its folder first on ``PYTHONPATH``)."""
        return subprocess.run([sys.executable, "-c", code], cwd=cwd, env={**os.environ, "PYTHONPATH": str(self.site)},
                              capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> InstalledWheel:
    """The package as a user installs it: a non-editable wheel built from a clean copy of the source."""
    base = tmp_path_factory.mktemp("wheel")
    wheel_dir, site, source = base / "wheel", base / "site", base / "source"
    shutil.copytree(ROOT, source, ignore=NOT_FOR_BUILD)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheel_dir), str(source)], check=True)
    wheels = tuple(wheel_dir.glob("auditor-*.whl"))
    if len(wheels) == 1:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                        str(wheels[0])], check=True)
    return InstalledWheel(wheels, site)
