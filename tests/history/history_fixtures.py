"""Helpers and fixtures for the history tests: a landscape in two versions with known changes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from auditor.analyses.registry import available
from auditor.config import load_config
from auditor.result import ScanResult
from auditor.stores.embedded import EmbeddedStore
from connectors.prepare import scan_config

#: The analyses the exact-diff tests keep; every other registered analysis is disabled in their config so
#: that analyses added later do not change the expected sets.
KEPT_ANALYSES = ("duplicate", "coverage_gap")

V1 = """
tools:
  - {id: crm, name: Acme CRM, category: crm, layers: [data], departments: [Sales], annual_cost: 1000}
  - {id: crm-old, name: Legacy CRM, category: crm, layers: [data], departments: [Sales], annual_cost: 500}
  - {id: erp, name: Acme ERP, category: erp, layers: [data], departments: [Finance]}
  - {id: ftp, name: FTP drop, category: file-transfer, layers: [data], departments: [Finance]}
  - {id: desk, name: Help Desk, category: ticketing, layers: [automation, data], departments: [Support]}
integrations:
  - {from: crm, to: erp, kind: api, data: [order]}
  - {from: erp, to: ftp, kind: file, data: [invoice]}
flows:
  - id: order
    name: Order to cash
    steps:
      - {id: take-order, name: Take order, department: Sales, tools: [crm], requires: [data]}
      - {id: confirm, name: Confirm order, department: Sales, requires: [automation]}
      - {id: report, name: Report revenue, department: Finance, tools: [erp], requires: [data, ai_analytics]}
"""

# Known changes from V1: crm-old and ftp removed, bi added; crm's cost and desk's layer order changed
# (only the cost is a change); erp->ftp broken, erp->bi created; the duplicate CRM finding and the
# 'report' gap are resolved; 'confirm' becomes customer-facing (medium → high); a new step 'ship'
# without tools opens a gap.
V2 = """
tools:
  - {id: crm, name: Acme CRM, category: crm, layers: [data], departments: [Sales], annual_cost: 2000}
  - {id: erp, name: Acme ERP, category: erp, layers: [data], departments: [Finance]}
  - {id: bi, name: Acme BI, category: bi, layers: [ai_analytics], departments: [Finance]}
  - {id: desk, name: Help Desk, category: ticketing, layers: [data, automation], departments: [Support]}
integrations:
  - {from: crm, to: erp, kind: api, data: [order]}
  - {from: erp, to: bi, kind: api, data: [revenue]}
flows:
  - id: order
    name: Order to cash
    steps:
      - {id: take-order, name: Take order, department: Sales, tools: [crm], requires: [data]}
      - {id: confirm, name: Confirm order, department: Sales, requires: [automation], customer_facing: true}
      - {id: report, name: Report revenue, department: Finance, tools: [erp, bi], requires: [data, ai_analytics]}
      - {id: ship, name: Ship, department: Operations, requires: [automation]}
"""


def config_text(disabled: tuple[str, ...] = ()) -> str:
    """An ``auditor.yaml`` reading ``landscape.yaml`` next to it into the store ``history.db``."""
    return yaml.safe_dump({
        "organization": "History Test",
        "sources": [{"name": "landscape", "type": "landscape", "path": "landscape.yaml"}],
        "store": {"type": "embedded", "path": "history.db"},
        "report": {"formats": ["json"], "out": "report"},
        "analyses": {"disabled": list(disabled)},
    }, sort_keys=False)


def only_kept_analyses() -> tuple[str, ...]:
    """Every registered analysis except :data:`KEPT_ANALYSES` (to disable)."""
    return tuple(sorted(set(available()) - set(KEPT_ANALYSES)))


class Project:
    """A config folder whose landscape can be swapped between scans."""

    def __init__(self, root: Path, disabled: tuple[str, ...]) -> None:
        self.root = root
        self.config = root / "auditor.yaml"
        self.config.write_text(config_text(disabled), encoding="utf-8")
        self.store_path = root / "history.db"

    def write(self, landscape: str) -> None:
        """Replace the landscape."""
        (self.root / "landscape.yaml").write_text(landscape, encoding="utf-8")

    def scan(self, landscape: str | None = None, save: bool = True) -> ScanResult:
        """Run a real scan (library call) and save it in the project's store."""
        if landscape is not None:
            self.write(landscape)
        result = scan_config(load_config(self.config))
        if save:
            with self.store() as store:
                store.save(result)
        return result

    def store(self) -> EmbeddedStore:
        """The project's embedded store."""
        return EmbeddedStore("History Test", self.store_path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project limited to the duplicate and coverage_gap analyses, working from its folder."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path, only_kept_analyses())


@pytest.fixture
def demo_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the demo company (config and landscape folder)."""
    source = Path(__file__).resolve().parents[2] / "examples" / "demo"
    target = tmp_path / "demo"
    shutil.copytree(source, target)
    yield target


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[str], Project]:
    """Projects with every analysis enabled, in sub-folders of tmp_path."""

    def make(name: str) -> Project:
        root = tmp_path / name
        root.mkdir()
        return Project(root, ())

    return make
