"""A whole scan over the file-based and offline sources: every integration they report links up."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from connectors.prepare import scan_config

DATA = Path(__file__).parent.parent / "data"


def test_scan_over_spreadsheet_spend_and_pipeline_exports(tmp_path: Path) -> None:
    config = tmp_path / "auditor.yaml"
    config.write_text(f"""organization: Test
sources:
  - {{name: register, type: spreadsheet, path: '{DATA / "spreadsheet" / "generic-inventory.csv"}'}}
  - {{name: cards, type: spend, path: '{DATA / "spend" / "expensify.csv"}'}}
  - {{name: fivetran, type: fivetran, file: '{DATA / "fivetran" / "pages"}'}}
  - {{name: airbyte, type: airbyte, file: '{DATA / "airbyte" / "pages"}'}}
  - {{name: segment, type: segment, file: '{DATA / "segment" / "pages"}'}}
  - {{name: workato, type: workato, file: '{DATA / "workato" / "pages"}'}}
""", encoding="utf-8")
    result = scan_config(load_config(config))
    statuses = {s.name: (s.status, s.integrations) for s in result.scan.sources}
    assert statuses == {"register": ("ok", 0), "cards": ("ok", 0), "fivetran": ("ok", 5), "airbyte": ("ok", 3),
                        "segment": ("ok", 4), "workato": ("ok", 4)}
    vias = {result.graph.tools[i.via] for i in result.graph.integrations if i.via}
    assert {alias for tool in vias for alias in tool.aliases} == {"Fivetran", "Airbyte", "Segment", "Workato"}
    kinds = {i.kind for i in result.graph.integrations}
    assert kinds == {"etl", "event", "ipaas"}
