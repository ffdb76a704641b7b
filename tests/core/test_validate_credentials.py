"""`auditor validate` warns about credential variables the scan will need but this environment lacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[2]
LANDSCAPE = "tools:\n  - {id: a, name: Tool A}\n"
SOURCES = """organization: X
sources:
  - {name: l, type: landscape, path: landscape.yaml}
  - {name: okta, type: okta, base_url: "https://acme.okta.com", token_env: AUDITOR_TEST_OKTA}
  - {name: entra-token, type: entra, token_env: AUDITOR_TEST_GRAPH_TOKEN}
  - {name: fivetran, type: fivetran, api_key_env: AUDITOR_TEST_FT_KEY, api_secret_env: AUDITOR_TEST_FT_SECRET}
  - {name: saved, type: okta, file: okta-export.json, token_env: AUDITOR_TEST_SEGMENT}
"""
NAMES = ("AUDITOR_TEST_OKTA", "AUDITOR_TEST_GRAPH_TOKEN", "AUDITOR_TEST_FT_KEY", "AUDITOR_TEST_FT_SECRET",
         "AUDITOR_TEST_SEGMENT", "ENTRA_CLIENT_SECRET")


@pytest.fixture
def project(make_project, monkeypatch, tmp_path):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "okta-export.json").write_bytes((ROOT / "examples" / "demo" / "okta-export.json").read_bytes())
    return make_project(LANDSCAPE, SOURCES)


def validate(config) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "-c", str(config)], catch_exceptions=False)
    return result.exit_code, " ".join(result.output.split())


def test_unset_credentials_are_warnings_naming_source_and_variable(project):
    code, output = validate(project)
    assert code == 0 and "valid:" in output
    assert ("auditor.yaml:4: source 'okta' will fail when scanned here: "
            "environment variable AUDITOR_TEST_OKTA is not set") in output
    # an alternative credential replaces the client secret: only the token variable is needed
    assert "source 'entra-token' will fail when scanned here: environment variable AUDITOR_TEST_GRAPH_TOKEN is not" \
        in output and "ENTRA_CLIENT_SECRET" not in output
    assert "environment variable AUDITOR_TEST_FT_KEY and AUDITOR_TEST_FT_SECRET are not set" in output
    assert "'saved'" not in output  # saved pages need no credential


def test_set_credentials_give_no_warning_and_values_are_never_printed(project, monkeypatch):
    for name in NAMES:
        monkeypatch.setenv(name, f"s3cret-value-of-{name}")
    monkeypatch.delenv("AUDITOR_TEST_FT_SECRET")
    code, output = validate(project)
    assert code == 0 and "'okta'" not in output and "'entra-token'" not in output
    assert "environment variable AUDITOR_TEST_FT_SECRET is not set" in output
    assert "s3cret-value" not in output
