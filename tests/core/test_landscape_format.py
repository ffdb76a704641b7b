"""The native landscape format: parsing, located errors, Unicode."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.errors import InputError
from connectors.prepare import scan_config

BAD = """\
tools:
  - id: crm
    name: CRM
    layers: [data, dta]
  - id: crm
    name: Second CRM
  - name: 42
    users: many
integrations:
  - from: crm
    to: nowhere
    kind: carrier-pigeon
  - from: crm
    to: ghost
flows:
  - id: f
    steps:
      - id: a
        tools: [crm, unknown-tool]
      - id: a
"""


def problems_of(config_path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        scan_config(load_config(config_path))
    return [str(p) for p in caught.value.problems]


def test_schema_errors_are_all_listed_with_file_and_line(make_project):
    config = make_project(BAD)
    problems = problems_of(config)
    text = "\n".join(problems)
    assert "landscape.yaml:4: tools[0].layers[1]: 'dta' is not allowed here" in text
    assert "landscape.yaml:7: tools[2].name: expected string" in text
    assert "landscape.yaml:8: tools[2].users: expected integer" in text
    assert "landscape.yaml:12: integrations[0].kind: 'carrier-pigeon' is not allowed here" in text
    assert len(problems) == 4


def test_reference_and_duplicate_errors_are_all_listed(make_project):
    fixed = BAD.replace("[data, dta]", "[data]").replace("name: 42\n    users: many", "name: Other")
    fixed = fixed.replace("kind: carrier-pigeon", "kind: api")
    problems = problems_of(make_project(fixed))
    assert "landscape.yaml:5: duplicate tool id 'crm' (first defined at landscape.yaml:2)" in problems
    assert "landscape.yaml:19: duplicate step (in flow 'f') id 'a' (first defined at landscape.yaml:17)" in problems
    assert any(p.startswith("landscape.yaml:9: integration to 'nowhere': unknown tool") for p in problems)
    assert any(p.startswith("landscape.yaml:12: integration to 'ghost': unknown tool") for p in problems)
    assert "landscape.yaml:17: flow 'f' step 'a' names unknown tool 'unknown-tool'" in problems


def test_yaml_syntax_error_is_located(make_project):
    problems = problems_of(make_project("tools:\n  - name: [unclosed\n"))
    assert len(problems) == 1 and problems[0].startswith("landscape.yaml:3: not valid YAML")


def test_duplicate_yaml_keys_are_reported(make_project):
    problems = problems_of(make_project("tools:\n  - name: A\n    name: B\n"))
    assert problems == ["landscape.yaml:3: duplicate key 'name'"]


def test_only_name_is_required_and_ids_default_to_slugs(make_project):
    result = scan_config(load_config(make_project("tools:\n  - name: HubSpot Marketing Hub\n")))
    tool = result.graph.tools["hubspot-marketing-hub"]
    # category and layers come from the product catalog (issue 7) when the file does not state them
    assert (tool.name, tool.category, tool.layers, tool.sanctioned) == ("HubSpot Marketing Hub",
                                                                         "marketing-automation", ("automation",), True)
    assert tool.catalog_id == "hubspot-marketing-hub"
    assert tool.sources == ("landscape",)


def test_japanese_names_work_as_ids_references_and_output(make_project, tmp_path):
    landscape = """\
tools:
  - name: サイボウズ Office
    departments: [営業部]
  - {id: freee, name: freee会計}
integrations:
  - {from: サイボウズ Office, to: freee, kind: file}
flows:
  - id: 受注
    name: 受注から請求
    steps:
      - {id: 受付, department: 営業部, tools: [サイボウズ Office]}
      - {id: 請求, tools: [freee会計]}
"""
    result = scan_config(load_config(make_project(landscape)))
    assert set(result.graph.tools) == {"サイボウズ-office", "freee"}
    assert [(i.source, i.target) for i in result.graph.integrations] == [("サイボウズ-office", "freee")]
    assert [s.tools for s in result.graph.flows[0].steps] == [("サイボウズ-office",), ("freee",)]
    assert result.graph.departments[0].name == "営業部"


def test_a_folder_of_landscape_files_is_read_whole(tmp_path):
    folder = tmp_path / "landscape"
    folder.mkdir()
    (folder / "a.yaml").write_text("tools:\n  - {id: a, name: A}\n", encoding="utf-8")
    (folder / "b.yml").write_text("tools:\n  - {id: b, name: B}\nintegrations:\n  - {from: a, to: b}\n",
                                  encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text(
        "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape}\n", encoding="utf-8")
    result = scan_config(load_config(tmp_path / "auditor.yaml"))
    assert set(result.graph.tools) == {"a", "b"}
    assert result.graph.integrations[0].kind == "api"
