"""Golden cases: tests/data/analyses/<case>/landscape.yaml scanned end to end must give exactly the
findings listed in expected.yaml (type, severity, flow, steps, tools, and the evidence keys given),
and the scores listed there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.config import load_config
from auditor.result import ScanResult
from connectors.prepare import scan_config

CASES = Path(__file__).resolve().parents[1] / "data" / "analyses"
CONFIG = """organization: Golden
sources:
  - {name: landscape, type: landscape, path: %s}
"""


def _scan(case: Path, tmp_path: Path) -> ScanResult:
    config = tmp_path / "auditor.yaml"
    config.write_text(CONFIG % (case / "landscape.yaml"), encoding="utf-8")
    return scan_config(load_config(config))


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["type"], item["severity"], item["flow"], tuple(item["steps"]), tuple(sorted(item["tools"])))


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _contains(actual[k], v) for k, v in expected.items())
    return actual == expected


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str, tmp_path: Path) -> None:
    expected = yaml.safe_load((CASES / case / "expected.yaml").read_text(encoding="utf-8"))
    result = _scan(CASES / case, tmp_path)
    actual = {_key({"type": f.type, "severity": f.severity, "flow": f.flow, "steps": f.steps, "tools": f.tools}): f
              for f in result.findings}
    wanted = {_key(item): item for item in expected["findings"]}
    assert sorted(actual, key=str) == sorted(wanted, key=str)
    for key, item in wanted.items():
        evidence = dict(actual[key].evidence)
        assert _contains(evidence, item.get("evidence", {})), (key, evidence)
        assert actual[key].recommendation and actual[key].title
    scores = expected.get("scores", {})
    found: dict[str, Any] = result.scores  # JSON data; the golden file says which shape to expect
    for flow_id, score in scores.get("flows", {}).items():
        assert found["flows"][flow_id]["score"] == score, flow_id
    if "start_here" in scores:
        assert [entry["flow"] for entry in found["start_here"]] == scores["start_here"]
    if "overall" in scores:
        assert found["overall"] == scores["overall"]
