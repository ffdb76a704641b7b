"""Property-based fuzzing of every input kind: a valid result or a located ``AuditorError``, never anything else.

Budget: ``FUZZ_EXAMPLES`` inputs per target (20 in the normal suite; ``make fuzz`` runs 10,000+ in total).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_checks import check_inventory, outcome
from hypothesis import given
from hypothesis import strategies as st
from strategies import csv_table, json_values, mutated, numbers, text_mutation, texts

from auditor.config import load_config
from connectors.base import Connector, ConnectorContext
from connectors.prepare import prepare_sources
from connectors.registry import load

DATA = Path(__file__).parent.parent / "data"
DEMO = Path(__file__).parent.parent.parent / "examples" / "demo" / "landscape"
LANDSCAPE = "\n".join((DEMO / name).read_text(encoding="utf-8")[:1500] for name in ("tools.yaml", "integrations.yaml"))
CONFIG = "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def connector(type_id: str, base: Path, **settings: Any) -> Connector[Any]:
    cls = load(type_id)
    return cls(cls.settings_class(**settings), ConnectorContext(type_id, base))


tools = st.fixed_dictionaries({"id": texts, "name": texts}, optional={
    "annual_cost": numbers, "users": numbers, "category": texts, "departments": st.lists(texts, max_size=2),
    "layers": st.lists(texts, max_size=2), "vendor": json_values})
landscapes = st.one_of(
    text_mutation(LANDSCAPE),
    st.builds(lambda t, i: yaml.safe_dump({"tools": t, "integrations": i}, allow_unicode=True),
              st.lists(tools, max_size=4), st.lists(st.dictionaries(texts, json_values, max_size=4), max_size=3)),
    st.text(max_size=200))


@given(text=landscapes)
def test_landscape_files(work: Path, text: str) -> None:
    (work / "landscape.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome("landscape", lambda: connector("landscape", work, path="landscape.yaml").collect(), check_inventory)


@given(text=st.one_of(text_mutation(CONFIG), st.builds(
    lambda extra: yaml.safe_dump({"organization": "X", "sources": [
        {"name": "l", "type": "landscape", "path": "landscape.yaml", **extra}]}),
    st.dictionaries(st.one_of(texts, st.integers()), json_values, max_size=3))))
def test_config_files(work: Path, text: str) -> None:
    (work / "landscape.yaml").write_text("tools: []\n", encoding="utf-8")
    (work / "auditor.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome("config", lambda: prepare_sources(load_config(work / "auditor.yaml")))


@given(text=csv_table(["Name", "Annual cost", "Users", "Category", "Department", "Vendor", "Currency"]))
def test_spreadsheet_files(work: Path, text: str) -> None:
    (work / "inventory.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome("spreadsheet", lambda: connector("spreadsheet", work, path="inventory.csv").collect(), check_inventory)


@given(text=csv_table(["Timestamp", "Merchant", "Amount", "MCC", "Category", "Tag", "Currency"]),
       software_only=st.booleans())
def test_spend_files(work: Path, text: str, software_only: bool) -> None:
    (work / "spend.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome("spend", lambda: connector("spend", work, path="spend.csv", software_only=software_only).collect(),
            check_inventory)


#: Each connector's recorded export (the same files its own tests read), as ``get()`` returns it.
RECORDED: dict[str, tuple[str, dict[str, Any]]] = {
    "okta": ("okta", {"file": "."}),
    "entra": ("entra", {"file": "."}),
    "google_workspace": ("google_workspace", {"file": "."}),
    "backstage": ("backstage", {"path": "catalog"}),
    "workato": ("workato", {"file": "pages"}),
    "fivetran": ("fivetran", {"file": "pages"}),
    "segment": ("segment", {"file": "pages"}),
    "airbyte": ("airbyte", {"file": "pages"}),
}


@cache
def recorded_raw(type_id: str) -> str:
    folder, settings = RECORDED[type_id]
    raw = connector(type_id, DATA / folder, **settings).get()
    return json.dumps([entity for entity, _, _ in raw] if type_id == "backstage" else raw)


@pytest.mark.parametrize("type_id", sorted(RECORDED))
@given(data=st.data())
def test_connector_transforms(type_id: str, data: st.DataObject) -> None:
    folder, settings = RECORDED[type_id]
    raw = data.draw(mutated(json.loads(recorded_raw(type_id))))
    if type_id == "backstage":  # entities with the file and line they came from: only the entities are input
        raw = [(entity, None, None) for entity in (raw if isinstance(raw, list) else [raw])]
    subject = connector(type_id, DATA / folder, **settings)
    outcome(type_id, lambda: subject.transform_checked(raw), check_inventory)
