"""Finding ids are stable across scans of the same landscape: record order and unrelated tools do not move them."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.config import load_config
from auditor.model import Finding
from auditor.result import ScanResult
from auditor.serialize import to_data
from connectors.prepare import scan_config

#: Lists inside records whose order carries no meaning (step order does, so steps are never shuffled).
INNER_LISTS = {"tools": ("layers", "departments", "capabilities"), "integrations": ("data",)}


def _load(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every section of every landscape file of the demo, concatenated in file order."""
    sections: dict[str, list[dict[str, Any]]] = {key: [] for key in ("tools", "integrations", "flows", "journeys",
                                                                     "kpis")}
    for path in sorted(folder.glob("*.yaml")):
        for key, items in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            sections[key].extend(items)
    return sections


def _write(folder: Path, sections: dict[str, list[dict[str, Any]]], split: bool, rng: random.Random,
           keep: tuple[str, ...] = ()) -> None:
    """Rewrite the landscape folder; with ``split`` each section not in ``keep`` is spread over two files."""
    for path in folder.glob("*.yaml"):
        path.unlink()
    for key, items in sections.items():
        cut = rng.randrange(1, len(items)) if split and key not in keep and len(items) > 1 else len(items)
        for name, part in ((f"{key}.yaml", items[:cut]), (f"0-more-{key}.yaml", items[cut:])):
            if part:
                (folder / name).write_text(yaml.safe_dump({key: part}, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")


def _shuffle(sections: dict[str, list[dict[str, Any]]], rng: random.Random, deep: bool,
             keep: tuple[str, ...] = ()) -> None:
    for key, items in sections.items():
        if key not in keep:
            rng.shuffle(items)
        if not deep:
            continue
        for item in items:
            for field in INNER_LISTS.get(key, ()):
                if isinstance(item.get(field), list):
                    rng.shuffle(item[field])
            for step in item.get("steps", ()):
                for field in ("tools", "requires"):
                    if isinstance(step.get(field), list):
                        rng.shuffle(step[field])


def _scan(demo: Path) -> ScanResult:
    """A real scan of ``demo`` without the plan: the plan (what-ifs re-running every analysis, nine tenths of the
    demo's scan) is made after the findings from them and changes none; the baseline keeps it, so comparing with it
    shows that too."""
    config = load_config(demo / "auditor.yaml")
    return scan_config(replace(config, analyses={**config.analyses, "plan": {"enabled": False}}))


def _identity(finding: Finding) -> tuple[Any, ...]:
    """What a finding says, independent of the order its lists were built in."""
    return (finding.id, finding.type, finding.severity, finding.flow, finding.steps, tuple(sorted(finding.tools)),
            tuple(sorted(finding.departments)))


@pytest.fixture
def baseline(demo_result: ScanResult) -> ScanResult:
    """The unshuffled demo, plan included: the session's scan (tests/demo_scan.py); read only."""
    assert "plan" in demo_result.extra
    return demo_result


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_ids_are_identical_when_records_and_their_lists_are_shuffled(demo_copy: Path, baseline: ScanResult,
                                                                   seed: int) -> None:
    rng = random.Random(seed)
    folder = demo_copy / "landscape"
    sections = _load(folder)
    _shuffle(sections, rng, deep=True)
    _write(folder, sections, split=seed % 2 == 0, rng=rng)
    shuffled = _scan(demo_copy)
    assert sorted(_identity(f) for f in shuffled.findings) == sorted(_identity(f) for f in baseline.findings)
    assert len({f.id for f in baseline.findings}) == len(baseline.findings)


@pytest.mark.parametrize("seed", [11, 12])
def test_shuffled_tools_and_integrations_give_the_same_findings_word_for_word(
        demo_copy: Path, baseline: ScanResult, seed: int) -> None:
    # flows keep their order here: the report lists flows (and evidence walks them) in the order written
    rng = random.Random(seed)
    folder = demo_copy / "landscape"
    sections = _load(folder)
    _shuffle(sections, rng, deep=False, keep=("flows",))
    _write(folder, sections, split=True, rng=rng, keep=("flows",))
    assert to_data(_scan(demo_copy).findings) == to_data(baseline.findings)


UNRELATED_TOOLS: list[dict[str, Any]] = [
    # a new department with tools of their own categories, no integrations, in no flow
    {"id": "facility-booker", "name": "Facility Booker", "category": "facility-booking", "layers": ["automation"],
     "departments": ["Facilities"], "annual_cost": 1200, "users": 4},
    {"id": "visitor-log", "name": "Visitor Log", "category": "visitor-management", "departments": ["Facilities"]},
    # tools of existing departments, in categories nobody else uses
    {"id": "expense-app", "name": "Expense App", "category": "expense-management", "layers": ["data"],
     "departments": ["Finance"], "annual_cost": 900, "users": 6},
    {"id": "lms", "name": "Learning Portal", "category": "learning", "departments": ["HR"], "users": 80},
]


def test_ids_survive_adding_unrelated_tools(demo_copy: Path, baseline: ScanResult) -> None:
    folder = demo_copy / "landscape"
    (folder / "zz-unrelated.yaml").write_text(yaml.safe_dump({"tools": UNRELATED_TOOLS}, sort_keys=False),
                                              encoding="utf-8")
    grown = _scan(demo_copy)
    added = {t["id"] for t in UNRELATED_TOOLS}
    assert added <= set(grown.graph.tools)
    before = {f.id: f.severity for f in baseline.findings}
    after = {f.id: f.severity for f in grown.findings}
    missing = set(before) - set(after)
    assert not missing, f"finding ids changed when unrelated tools were added: {sorted(missing)}"
    assert {i: after[i] for i in before} == before
    new = [f for f in grown.findings if f.id not in before]
    # the added tools have no integrations: each is a tool silo, and the new Facilities department is one too
    assert {f.evidence["tool"] for f in new if f.type == "silo" and f.evidence["scope"] == "tool"} == added
    assert any(f.type == "silo" and f.evidence["scope"] == "department" and f.departments == ("Facilities",)
               for f in new)
    for finding in new:  # and nothing new is about the tools that were there before
        assert finding.tools and set(finding.tools) <= added, finding


SOURCE_A = {
    "tools": [
        {"name": "Zendesk Suite", "category": "ticketing", "layers": ["automation"], "departments": ["Support"]},
        {"name": "Freshdesk", "category": "ticketing", "layers": ["automation"], "departments": ["E-commerce"]},
        {"name": "Shopify Plus", "category": "ecommerce", "layers": ["data"], "departments": ["E-commerce"]},
        {"name": "Canva", "category": "design", "departments": ["Marketing"], "sanctioned": False},
    ],
    "integrations": [{"from": "Shopify Plus", "to": "zendesk suite", "kind": "api", "data": ["order"]},
                     {"from": "Zendesk Suite", "to": "Freshdesk", "kind": "manual"}],
}
SOURCE_B = {
    "tools": [
        {"name": "zendesk  suite", "users": 30, "annual_cost": 54000},
        {"name": "Google Sheets", "category": "spreadsheet", "layers": ["data"], "departments": ["Operations"]},
        {"name": "Gorgias", "category": "ticketing", "layers": ["automation"], "departments": ["Support"]},
    ],
    "flows": [{"id": "issue", "name": "Issue to resolution", "steps": [
        {"id": "contact", "tools": ["Zendesk Suite"], "requires": ["automation"], "customer_facing": True},
        {"id": "check", "tools": ["shopify plus", "Google Sheets"], "requires": ["data"]},
        {"id": "escalate", "tools": ["Freshdesk"], "requires": ["automation", "data"]},
        {"id": "reply", "requires": ["automation"], "customer_facing": True},
    ]}],
}


def _two_source_project(root: Path, seed: int | None) -> Path:
    """Two landscape sources naming tools only by name (no ids), optionally shuffled."""
    rng = random.Random(seed)
    root.mkdir()
    for name, data in (("a.yaml", SOURCE_A), ("b.yaml", SOURCE_B)):
        sections = yaml.safe_load(yaml.safe_dump(data))
        if seed is not None:
            _shuffle(sections, rng, deep=True, keep=("flows",))
        (root / name).write_text(yaml.safe_dump(sections, sort_keys=False), encoding="utf-8")
    (root / "auditor.yaml").write_text(yaml.safe_dump({
        "organization": "Two Sources",
        "sources": [{"name": "a", "type": "landscape", "path": "a.yaml"},
                    {"name": "b", "type": "landscape", "path": "b.yaml"}],
    }), encoding="utf-8")
    return root / "auditor.yaml"


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_ids_are_identical_when_tools_are_named_only_by_name_across_sources(tmp_path: Path, seed: int) -> None:
    plain = scan_config(load_config(_two_source_project(tmp_path / "plain", None)))
    shuffled = scan_config(load_config(_two_source_project(tmp_path / "shuffled", seed)))
    assert {"duplicate", "shadow_it", "coverage_gap"} <= {f.type for f in plain.findings}
    assert sorted(_identity(f) for f in shuffled.findings) == sorted(_identity(f) for f in plain.findings)
