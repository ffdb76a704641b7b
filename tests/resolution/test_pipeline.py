"""Resolution inside a real scan: capability mapping, and the ``resolution`` section of report.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from auditor.config import load_config
from auditor.errors import InputError
from auditor.result import to_document
from connectors.prepare import scan_config

ROOT = Path(__file__).parent.parent.parent

CONFIG = """organization: Test Org
sources:
  - {name: it, type: landscape, path: it.yaml}
  - {name: shadow, type: landscape, path: shadow.yaml}
resolution:
  catalogs: [my-catalog.yaml]
  overrides: overrides.yaml
"""
IT = """\
tools:
  - {id: helpdesk, name: Zendesk, departments: [Support]}
  - {name: Salesforce Sales Cloud, departments: [Sales]}
  - {name: Acme Survey Tool, departments: [Support]}
flows:
  - id: inquiry
    name: Customer inquiry
    steps:
      - {id: receive, department: Support, capabilities: [ticketing]}
      - {id: record, department: Sales, tools: [Salesforce], capabilities: [crm]}
      - {id: survey, department: Support, capabilities: [voc]}
"""
SHADOW = """\
tools:
  - {name: ZENDESK INC, departments: [Support]}
  - {name: "SALESFORCE.COM INC*SFDC"}
  - {name: Salesforce Einstein}
  - {name: Acme Wiki}
  - {name: Kaizen Board}
integrations:
  - {from: Salesforce.com, to: helpdesk, kind: api}
"""
MY_CATALOG = """\
products:
  - {id: kaizen-board, vendor: Acme, product: Kaizen Board, category: project-management}
"""
OVERRIDES = """\
never_merge:
  - [Acme Wiki, acme-survey-tool]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in (("auditor.yaml", CONFIG), ("it.yaml", IT), ("shadow.yaml", SHADOW),
                       ("my-catalog.yaml", MY_CATALOG), ("overrides.yaml", OVERRIDES)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "auditor.yaml"


def test_steps_get_the_departments_tools_that_provide_their_capabilities(project: Path) -> None:
    result = scan_config(load_config(project))
    steps = {s.id: s for s in result.graph.flows[0].steps}
    assert (steps["receive"].tools, steps["receive"].inferred_tools) == ((), ("helpdesk",))
    assert steps["record"].tools == ("salesforce-sales-cloud",) and steps["record"].inferred_tools == ()
    assert steps["survey"].inferred_tools == ()  # no Support tool provides voc


def test_report_json_has_the_resolution_section_and_validates(project: Path) -> None:
    document = json.loads(json.dumps(to_document(scan_config(load_config(project)))))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    section = document["resolution"]
    assert section["catalog"]["products"] >= 300 and section["catalog"]["files"][-1].endswith("my-catalog.yaml")
    assert [(r["record_name"], r["candidates"]) for r in section["review"]] == [
        ("Salesforce Einstein", ["salesforce-sales-cloud"])]
    assert section["review"][0]["overrides"]["same"] == [{"tool": "salesforce-sales-cloud",
                                                          "names": ["Salesforce Einstein"]}]
    assert section["inferred_mappings"] == [{"flow": "inquiry", "step": "receive", "department": "Support",
                                             "capability": "ticketing", "tools": ["helpdesk"]}]
    assert section["unmet_capabilities"] == [{"flow": "inquiry", "step": "survey", "capability": "voc"}]
    assert {"tool": "acme-wiki", "category": "unclassified", "basis": "none"} in section["classification"]
    tools = {t["id"]: t for t in document["tools"]}
    assert tools["helpdesk"]["sources"] == ["it", "shadow"] and tools["helpdesk"]["catalog_id"] == "zendesk"
    assert tools["kaizen-board"]["catalog_id"] == "kaizen-board"  # the user's catalog file counts
    assert "acme-wiki" in tools and "acme-survey-tool" in tools
    assert document["integrations"][0]["source"] == "salesforce-sales-cloud"


def test_a_bad_user_catalog_is_reported_with_file_and_line(project: Path) -> None:
    (project.parent / "my-catalog.yaml").write_text(
        "products:\n  - {id: a, vendor: A, product: A, category: crm}\n  - {id: b, vendor: B, category: nope}\n",
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        scan_config(load_config(project))
    [problem] = caught.value.problems
    assert problem.file.endswith("my-catalog.yaml") and problem.line == 3
    assert "missing 'product'" in problem.message


def test_auditor_validate_reports_a_bad_overrides_file_with_file_and_line(project: Path) -> None:
    from click.testing import CliRunner

    from auditor.cli import main

    (project.parent / "overrides.yaml").write_text("never_merge:\n  - [only-one]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "-c", str(project)])
    assert result.exit_code == 2
    assert "overrides.yaml:2: each 'never_merge' entry is a pair" in " ".join(result.output.split())
