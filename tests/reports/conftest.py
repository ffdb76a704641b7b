"""Fixtures for the report tests: the demo company's real scan and generated landscapes."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from reports_landscape import make_result

from auditor.cli import main
from auditor.result import ScanResult
from reports.base import Renderer
from reports.csv_report import CsvRenderer
from reports.html import HtmlRenderer
from reports.markdown import MarkdownRenderer
from reports.svg import SvgRenderer
from reports.xlsx import XlsxRenderer

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def hostile_result() -> ScanResult:
    """A small landscape whose tool, step, flow, department and organisation names try to break out."""
    return make_result(tools=40, hostile=True, flows=3)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (gitignored), for screenshots and other things a person may want to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_scanned_twice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder where ``auditor demo`` ran twice into one embedded store, as a user does: ``store/audit.db`` holds
    both scans, ``one/`` and ``two/`` hold what each run wrote (report.json, report.md, index.html; the second
    run's reports know the first as the previous scan). Read only: a test runs commands on its :func:`demo_store`.
    At the end of the session every file must be what it was, else the session ends with an error."""
    folder = tmp_path_factory.mktemp("demo-twice")
    for name in ("one", "two"):
        done = CliRunner().invoke(main, ["demo", "--out", str(folder / name), "--store-path",
                                         str(folder / "store" / "audit.db"), "-f", "json", "-f", "md", "-f", "html"])
        assert done.exit_code == 0, done.output
    before = _digests(folder)
    yield folder
    assert _digests(folder) == before, "a test changed the shared demo store (demo_scanned_twice): copy it instead"


@pytest.fixture
def demo_store(demo_scanned_twice: Path, tmp_path: Path) -> Path:
    """This test's own copy of the store of :func:`demo_scanned_twice` (the path to give ``--store-path``)."""
    shutil.copytree(demo_scanned_twice / "store", tmp_path / "store")
    return tmp_path / "store" / "audit.db"


#: The renderers :func:`demo_rendered` runs, by format id.
RENDERERS: dict[str, type[Renderer]] = {"html": HtmlRenderer, "md": MarkdownRenderer, "svg": SvgRenderer,
                                        "csv": CsvRenderer, "xlsx": XlsxRenderer}


def _renderings(result: ScanResult, name: str,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], list[Path]]]:
    """``rendered(format, lang)``: the paths ``RENDERERS[format](lang).render(result, folder)`` wrote, the rendering
    done once per format and language, each in its own folder. Read only: when the session ends, every file must
    be what it was, else the session ends with an error."""
    written: dict[tuple[str, str], list[Path]] = {}
    digests: dict[tuple[str, str], dict[str, str]] = {}

    def rendered(format_id: str, lang: str) -> list[Path]:
        key = (format_id, lang)
        if key not in written:
            folder = tmp_path_factory.mktemp(f"{name}-{format_id}-{lang}")
            written[key] = RENDERERS[format_id](lang).render(result, folder)
            digests[key] = _digests(folder)
        return list(written[key])

    yield rendered
    for key, paths in written.items():
        assert _digests(paths[0].parent) == digests[key], f"a test changed the shared {name} rendering {key}: copy it"


@pytest.fixture(scope="session")
def demo_rendered(demo_result: ScanResult,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], list[Path]]]:
    """``demo_rendered(format, lang)``: the demo's report in one format and language, rendered once per session
    (for the tests that only read it; see :func:`_renderings`)."""
    yield from _renderings(demo_result, "demo", tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_rendered(hostile_result: ScanResult,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], list[Path]]]:
    """``hostile_rendered(format, lang)``: :func:`hostile_result` rendered once per session and format and language
    (for the tests that only read it; see :func:`_renderings`)."""
    yield from _renderings(hostile_result, "hostile", tmp_path_factory)
