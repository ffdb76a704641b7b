"""Start-up: a scan imports only the libraries it uses, and its second start reads the pre-built data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Libraries a ``-f json`` scan of a landscape file never needs (each costs import time at every start).
HEAVY = ("pandas", "numpy", "openpyxl", "jinja2", "markupsafe", "neo4j", "httpx", "httpcore", "jsonschema",
         "graphviz", "playwright", "tenacity", "jwt", "cryptography", "charset_normalizer", "defusedxml")

LANDSCAPE = """\
tools:
  - {id: crm, name: Salesforce Sales Cloud, departments: [Sales]}
  - {id: desk, name: Zendesk, departments: [Support]}
  - {name: Acme Survey Tool, departments: [Support]}
integrations:
  - {from: crm, to: desk, kind: api}
flows:
  - id: inquiry
    steps:
      - {id: receive, department: Support, tools: [desk]}
      - {id: record, department: Sales, tools: [crm]}
"""
CONFIG = "organization: Test Org\nsources:\n  - {name: it, type: landscape, path: landscape.yaml}\n"

#: Runs in a fresh interpreter: the CLI's own entry point, then the modules loaded, as JSON on stdout.
CHILD = """\
import json, sys
from auditor.cli import main
try:
    main(sys.argv[1:], prog_name="auditor")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run_child(tmp_path: Path, *args: str) -> dict[str, object]:
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def loaded(modules: object, names: tuple[str, ...]) -> list[str]:
    assert isinstance(modules, list)
    return sorted({m.split(".")[0] for m in modules} & set(names))


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    child = run_child(tmp_path, "--help")
    assert child["code"] == 0
    assert loaded(child["modules"], (*HEAVY, "babel")) == []


def test_a_json_scan_imports_no_heavy_library_and_its_second_start_reads_the_prebuilt_data(tmp_path: Path) -> None:
    (tmp_path / "landscape.yaml").write_text(LANDSCAPE, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(CONFIG, encoding="utf-8")
    args = ("-q", "scan", "-c", "auditor.yaml", "-f", "json", "--no-save")
    first = run_child(tmp_path, *args, "--out", "first")
    assert first["code"] in (0, 1)
    assert loaded(first["modules"], HEAVY) == []
    cache = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache").glob("*.bin"))
    assert cache == ["catalog", "matcher", "validator-config.schema.json", "validator-landscape.schema.json"]
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("*.bin")}

    second = run_child(tmp_path, *args, "--out", "second")
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("*.bin")} == written  # read, not rebuilt
    reports = [json.loads((tmp_path / out / "report.json").read_text(encoding="utf-8")) for out in ("first", "second")]
    assert reports[0]["findings"] and reports[0]["findings"] == reports[1]["findings"]
    assert reports[0]["tools"] == reports[1]["tools"]
    assert {t["catalog_id"] for t in reports[0]["tools"]} >= {"salesforce-sales-cloud", "zendesk"}
    assert second["code"] == first["code"]
