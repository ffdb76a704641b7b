"""examples/all-connectors.yaml: a valid config whose every source builds its connector."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from connectors.prepare import prepare_sources

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


DATA = Path(__file__).resolve().parent.parent / "data"


def test_offline_exports_of_every_api_connector_scan_together(tmp_path: Path) -> None:
    """okta, entra, google_workspace and backstage exports + a landscape: one resolved landscape."""
    from connectors.prepare import scan_config

    (tmp_path / "landscape.yaml").write_text(
        "tools:\n  - {id: hubspot, name: HubSpot, category: marketing-automation, departments: [Marketing]}\n"
        "  - {id: m365, name: Microsoft 365, category: productivity-suite}\n", encoding="utf-8")
    config = tmp_path / "auditor.yaml"
    config.write_text(
        "organization: Acme\nsources:\n"
        "  - {name: landscape, type: landscape, path: landscape.yaml}\n"
        f"  - {{name: okta, type: okta, file: '{DATA / 'okta'}'}}\n"
        "  - {name: entra, type: entra, tenant_id: 84841066-274d-4ec0-a5c1-276be684bdd3,"
        f" file: '{DATA / 'entra'}'}}\n"
        f"  - {{name: google, type: google_workspace, file: '{DATA / 'google_workspace'}'}}\n"
        f"  - {{name: backstage, type: backstage, path: '{DATA / 'backstage' / 'catalog'}'}}\n", encoding="utf-8")
    result = scan_config(load_config(config))
    assert {s.name: s.status for s in result.scan.sources} == {
        "landscape": "ok", "okta": "ok", "entra": "ok", "google": "ok", "backstage": "ok"}
    tools = {t.name: t for t in result.graph.tools.values()}
    hubspot = next(t for t in tools.values() if "HubSpot" in t.aliases)
    assert hubspot.sanctioned and {"google", "landscape"} <= set(hubspot.sources)  # declared and discovered
    calendly = next(t for t in tools.values() if "Calendly" in t.aliases)
    assert not calendly.sanctioned and calendly.sources == ("google",)  # only a discovery source saw it
    ends = {frozenset((result.graph.tools[i.source].name, result.graph.tools[i.target].name))
            for i in result.graph.integrations}
    m365 = next(t.name for t in tools.values() if "Microsoft 365" in t.aliases)
    assert frozenset((m365, "Contoso Sync")) in ends  # an Entra permission grant
    assert frozenset(("artist-lookup", "artists-db")) in ends  # Backstage dependsOn
    assert frozenset(("wayback-archive", "wayback-search")) in ends  # a provided and consumed API


def test_the_config_examples_on_the_connector_pages_are_valid(tmp_path: Path) -> None:
    """Every ``sources:`` example on the okta, entra, google_workspace and backstage pages builds its settings."""
    import re

    docs = EXAMPLE.parent.parent / "docs" / "connectors"
    checked = 0
    for page in ("okta", "entra", "google_workspace", "backstage"):
        text = (docs / f"{page}.md").read_text(encoding="utf-8")
        for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
            if not block.startswith("sources:"):
                block = "sources:\n" + block
            config = tmp_path / f"{page}-{checked}.yaml"
            config.write_text(f"organization: Docs\n{block}", encoding="utf-8")
            prepared = prepare_sources(load_config(config))
            assert prepared and {p.config.type for p in prepared} == {page}, page
            checked += 1
    assert checked >= 5
