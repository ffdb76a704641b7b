"""Journeys and KPIs in the landscape format: parsing, located reference errors, report.json round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.errors import InputError
from auditor.model import Journey, Kpi
from auditor.result import from_document, to_document
from connectors.prepare import scan_config

LANDSCAPE = """\
tools:
  - {id: shop, name: Shop, layers: [data]}
  - {id: bi, name: BI, layers: [ai_analytics]}
integrations:
  - {from: shop, to: bi, kind: etl, data: [order]}
flows:
  - id: buy
    steps:
      - {id: browse, tools: [shop], customer_facing: true}
      - {id: pack, tools: [shop]}
journeys:
  - {id: rel, name: Relationship, flows: [buy], owner: CX}
kpis:
  - {id: ltv, name: LTV, level: relationship, journey: rel, data: [order], computed_in: BI}
  - {id: conv, level: journey, flow: buy, data: [order], computed_in: bi, contributes_to: ltv}
  - {id: dwell, level: touchpoint, flow: buy, step: browse, data: [visit], computed_in: shop, contributes_to: conv}
"""


def problems_of(config_path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        scan_config(load_config(config_path))
    return [str(p) for p in caught.value.problems]


def test_journeys_and_kpis_are_read_linked_and_written_to_report_json(make_project):
    result = scan_config(load_config(make_project(LANDSCAPE)))
    assert result.graph.journeys == (Journey("rel", "Relationship", ("buy",), "CX"),)
    assert [(k.id, k.level, k.computed_in, k.contributes_to) for k in result.graph.kpis] == [
        ("ltv", "relationship", "bi", None), ("conv", "journey", "bi", "ltv"), ("dwell", "touchpoint", "shop", "conv")]
    document = json.loads(json.dumps(to_document(result)))
    assert document["kpis"][2] == {"id": "dwell", "name": "dwell", "level": "touchpoint", "journey": None,
                                   "flow": "buy", "step": "browse", "data": ["visit"], "computed_in": "shop",
                                   "contributes_to": "conv"}
    again = from_document(document)
    assert again.graph.journeys == result.graph.journeys and again.graph.kpis == result.graph.kpis
    assert "journeys" not in again.extra


def test_a_landscape_without_journeys_writes_no_journey_keys(make_project):
    plain = LANDSCAPE.split("journeys:")[0]
    document = to_document(scan_config(load_config(make_project(plain))))
    assert "journeys" not in document and "kpis" not in document


BROKEN = LANDSCAPE.split("journeys:")[0] + """\
journeys:
  - {id: rel, flows: [buy, sell]}
  - {id: rel, flows: [buy]}
kpis:
  - {id: a, level: touchpoint, flow: buy, data: [x], computed_in: shop}
  - {id: b, level: touchpoint, flow: buy, step: pack, data: [x], computed_in: shop}
  - {id: c, level: touchpoint, flow: buy, step: nowhere, data: [x], computed_in: shop}
  - {id: d, level: journey, flow: buy, step: browse, data: [x], computed_in: ghost}
  - {id: e, level: relationship, journey: nope, data: [x], computed_in: bi, contributes_to: zz}
  - {id: f, level: journey, flow: buy, data: [x], computed_in: bi, contributes_to: g}
  - {id: g, level: journey, flow: buy, data: [x], computed_in: bi, contributes_to: f}
  - {id: a, level: journey, flow: sell, data: [x], computed_in: bi}
"""


def test_every_reference_error_is_listed_with_file_and_line(make_project):
    problems = problems_of(make_project(BROKEN))
    assert problems == [
        "landscape.yaml:12: journey 'rel' names unknown flow 'sell'",
        "landscape.yaml:13: duplicate journey id 'rel' (first defined at landscape.yaml:12)",
        "landscape.yaml:15: KPI 'a': a touchpoint KPI needs 'step'",
        "landscape.yaml:16: KPI 'b': step 'pack' of flow 'buy' is not a touchpoint (set customer_facing: true on it, "
        "or make this a journey KPI)",
        "landscape.yaml:17: KPI 'c': flow 'buy' has no step 'nowhere'",
        "landscape.yaml:18: KPI 'd': a journey KPI takes no 'step' ('step' anchors a touchpoint KPI)",
        "landscape.yaml:18: KPI 'd': computed_in 'ghost' is an unknown tool (declare it under 'tools:' or in another "
        "source)",
        "landscape.yaml:19: KPI 'e': contributes_to names unknown KPI 'zz'",
        "landscape.yaml:19: KPI 'e': unknown journey 'nope'",
        "landscape.yaml:20: KPI contributions form a cycle: f → g → f",
        "landscape.yaml:22: KPI 'a': unknown flow 'sell'",
        "landscape.yaml:22: duplicate KPI id 'a' (first defined at landscape.yaml:15)",
    ]


def test_schema_errors_name_the_kpi_field(make_project):
    problems = problems_of(make_project(LANDSCAPE.replace("level: journey,", "level: department,")))
    assert len(problems) == 1 and problems[0].startswith("landscape.yaml:15: kpis[1].level: 'department' is not")


def test_a_kpi_contributing_to_itself_is_a_cycle(make_project):
    problems = problems_of(make_project(LANDSCAPE.replace("contributes_to: ltv", "contributes_to: conv")))
    assert problems == ["landscape.yaml:15: KPI contributions form a cycle: conv → conv"]


def test_kpi_dataclass_defaults_keep_old_reports_readable():
    assert Kpi("k", "K", "journey", flow="f").data == ()
