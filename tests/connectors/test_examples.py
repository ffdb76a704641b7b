"""examples/all-connectors.yaml: a valid config whose every source builds its connector."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from auditor.pipeline import prepare_sources

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "all-connectors.yaml"


def test_every_source_of_the_example_config_is_valid() -> None:
    config = load_config(EXAMPLE)
    prepared = prepare_sources(config)
    types = {p.config.type for p in prepared}
    assert {"landscape", "okta", "entra", "google_workspace", "backstage"} <= types
    assert len(prepared) == len(config.sources)


def test_the_example_config_holds_no_secret_values() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for line in text.splitlines():
        key = line.split(":", 1)[0].strip().lstrip("- ")
        if key.endswith(("token", "secret", "password", "api_key")):
            raise AssertionError(f"a secret value in the example: {line}")
    assert "token_env: OKTA_TOKEN" in text
