"""The package built as a wheel and installed into a folder, once per test session (building takes seconds).

The wheel is built from a copy of the source without its work files, so ``build/`` and ``*.egg-info`` never
land in the work tree; tests run the installed copy with ``PYTHONPATH`` set to :attr:`InstalledWheel.site`.
Tests only read the installed folder (they run the demo in their own ``tmp_path``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from build import ProjectBuilder
from installer import install
from installer.destinations import SchemeDictionaryDestination
from installer.sources import WheelFile
from installer.utils import get_launcher_kind

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
    """The package as a user installs it: a non-editable wheel built from a clean copy of the source by the
    project's PEP 517 backend (``build``, as ``python -m build --no-isolation`` does), then installed into a folder by
    ``installer`` (the reference wheel installer pip's own install follows) — no pip start-up on either side."""
    base = tmp_path_factory.mktemp("wheel")
    wheel_dir, site, source = base / "wheel", base / "site", base / "source"
    shutil.copytree(ROOT, source, ignore=NOT_FOR_BUILD)
    with contextlib.redirect_stdout(sys.stderr):  # the backend's chatter goes where pytest captures it
        ProjectBuilder(source, python_executable=sys.executable).build("wheel", wheel_dir)
    wheels = tuple(wheel_dir.glob("auditor-*.whl"))
    if len(wheels) == 1:
        install_into(wheels[0], site)
    return InstalledWheel(wheels, site)


def install_into(wheel: Path, site: Path) -> None:
    """``wheel`` installed into ``site`` as ``pip install --target`` lays it out (scripts in ``site/bin``)."""
    scheme = {"purelib": str(site), "platlib": str(site), "data": str(site), "headers": str(site / "include"),
              "scripts": str(site / "bin")}
    destination = SchemeDictionaryDestination(scheme, interpreter=sys.executable, script_kind=get_launcher_kind(),
                                              bytecode_optimization_levels=(0,))  # compiled, as pip does
    with WheelFile.open(wheel) as contents:
        install(contents, destination, {"INSTALLER": b"auditor-tests"})
