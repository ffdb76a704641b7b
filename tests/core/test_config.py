"""The config file: schema validation, connector settings, located errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.cli.registries import registry_problems
from auditor.config import load_config
from auditor.errors import InputError
from connectors.prepare import prepare_sources


def test_config_schema_errors_are_located(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: 7\nsources:\n  - name: a b\n    type: landscape\nreport:\n  formats: [7]\n"
                    "colour: blue\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    problems = [str(p) for p in caught.value.problems]
    name = str(path)
    assert f"{name}:1: organization: expected string, got int 7" in problems
    assert any(p.startswith(f"{name}:3: sources[0].name:") for p in problems)
    assert any(p.startswith(f"{name}:6: report.formats[0]: expected string") for p in problems)
    assert any(p.startswith(f"{name}:1: (top level): Additional properties") and "colour" in p for p in problems)


def test_unknown_connector_and_bad_settings_are_all_reported(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text(
        "organization: X\nsources:\n"
        "  - {name: a, type: nosuch}\n"
        "  - {name: b, type: landscape}\n"
        "  - {name: c, type: landscape, path: 3, colour: red}\n"
        "  - {name: a, type: landscape, path: x.yaml}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare_sources(load_config(path))
    assert "duplicate source name 'a'" in str(caught.value)
    path.write_text(path.read_text().replace("{name: a, type: landscape, path: x.yaml}",
                                             "{name: d, type: landscape, path: x.yaml}"))
    with pytest.raises(InputError) as caught:
        prepare_sources(load_config(path))
    problems = [str(p) for p in caught.value.problems]
    assert any(":3: source 'a': unknown connector type 'nosuch'" in p for p in problems)
    assert any(":4: source 'b': missing required setting 'path'" in p for p in problems)
    assert any(":5: source 'c': setting 'path' has the wrong type (3)" in p for p in problems)
    assert any(":5: source 'c': unknown setting 'colour'" in p for p in problems)
    assert len(problems) == 4


def test_defaults_apply_when_sections_are_absent(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n", encoding="utf-8")
    config = load_config(path)
    assert (config.store.type, config.report.out, config.report.formats, config.report.lang) == (
        "embedded", "audit-report", ("json", "md"), "en")
    assert config.resolve_path("l.yaml") == tmp_path.resolve() / "l.yaml"


def test_store_options_are_validated_per_store_type(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "store:\n  type: neo4j\n  uri: http://localhost:7474\n  password: hunter2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    problems = [str(p) for p in caught.value.problems]
    assert any(":6: store.uri:" in p for p in problems)
    assert any("'password' was unexpected" in p and "password_env" in p for p in problems)
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "store:\n  type: sqlite\n", encoding="utf-8")
    assert [str(p) for p in registry_problems(load_config(path))] == [  # a plugin may register 'sqlite'
        f"{path}:5: store.type: unknown store type 'sqlite'; available: embedded, neo4j"]
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "store:\n  type: neo4j\n  uri: neo4j+s://x.databases.neo4j.io\n  password_env: NEO4J_PASSWORD\n",
                    encoding="utf-8")
    assert load_config(path).store.options["password_env"] == "NEO4J_PASSWORD"


def test_misspelt_or_invalid_analysis_and_resolution_settings_are_located(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "analyses:\n  disable: [silo]\n  severity: {duplicate: {default: extreme}, silo: huge}\n"
                    "  score_weights: {connectivity: high, speed: 1}\n"
                    "resolution:\n  override: o.yaml\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    problems = [str(p) for p in caught.value.problems]
    name = str(path)
    assert any(p.startswith(f"{name}:4: analyses: Additional properties") and "disable" in p for p in problems)
    assert any(p.startswith(f"{name}:6: analyses.severity.duplicate:") for p in problems)
    assert any(p.startswith(f"{name}:6: analyses.severity.silo:") for p in problems)
    assert any(p.startswith(f"{name}:7: analyses.score_weights.connectivity:") for p in problems)
    assert any(p.startswith(f"{name}:7: analyses.score_weights: Additional properties") and "speed" in p
               for p in problems)
    assert any(p.startswith(f"{name}:8: resolution: Additional properties") and "override" in p for p in problems)
    assert len(problems) == 6


def test_documented_analysis_settings_are_accepted(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "analyses:\n  allowed_duplicate_categories: [chat]\n  disabled: [duplicate]\n"
                    "  severity: {missing_integration: {first_handoff: critical, default: medium}, shadow_it: low}\n"
                    "  score_weights: {connectivity: 0.6, coverage: 0.4, efficiency: 0}\n"
                    "resolution: {catalogs: [c.yaml], overrides: o.yaml}\n", encoding="utf-8")
    config = load_config(path)
    assert config.analyses["score_weights"] == {"connectivity": 0.6, "coverage": 0.4, "efficiency": 0}
    assert config.analyses["severity"]["shadow_it"] == "low"


def test_unknown_finding_types_in_analysis_settings_are_reported(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "analyses:\n  disabled: [silos, duplicate]\n  severity: {shadow-it: low, silo: high}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare_sources(load_config(path))
    problems = [str(p) for p in caught.value.problems]
    assert [p.split(";")[0] for p in problems] == [
        f"{path}: analyses.disabled: unknown finding type 'silos'",
        f"{path}: analyses.severity: unknown finding type 'shadow-it'"]
    assert "known: bottleneck, coverage_gap, duplicate," in problems[0]


def test_store_type_formats_and_language_are_checked_against_the_registries(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "store:\n  type: mongo\nreport:\n  formats: [md, pdf]\n  lang: fr\n", encoding="utf-8")
    assert [str(p) for p in registry_problems(load_config(path))] == [
        f"{path}:5: store.type: unknown store type 'mongo'; available: embedded, neo4j",
        f"{path}:7: report.formats[1]: unknown report format 'pdf'; available: json, md, html, svg, csv, xlsx",
        f"{path}:8: report.lang: unknown report language 'fr'; available: en, ja"]
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "report:\n  formats: [md, xlsx]\n  lang: ja\n", encoding="utf-8")
    assert registry_problems(load_config(path)) == []


def test_the_cli_rejects_an_unknown_format_in_the_config_with_exit_code_2(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text("organization: X\nsources:\n  - {name: a, type: landscape, path: l.yaml}\n"
                    "report:\n  formats: [pdf]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "-c", str(path)])
    assert result.exit_code == 2
    assert "report.formats[0]: unknown report format 'pdf'; available: json, md" in result.output
