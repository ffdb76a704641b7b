"""``Connector[Settings, Raw]``: each built-in connector names what its ``get`` returns; a third-party connector
that names only its settings (``Connector[MySettings]``) still type-checks and runs (``Raw`` defaults to Any).

The ``assert_type`` lines are checked by mypy over the tests (``make lint``): a wrong raw type fails there.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, assert_type, get_type_hints, is_typeddict

import pytest

from auditor.model import Inventory, ToolRecord
from auditor.yamlfile import LocatedDocument
from connectors.base import Connector, ConnectorContext
from connectors.http import ApiConnector, ApiSections
from connectors.landscape import LandscapeConnector, LandscapeSettings
from connectors.okta import OktaConnector, OktaPages, OktaSettings
from connectors.registry import CONNECTORS, load

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
OKTA = Path(__file__).resolve().parents[1] / "data" / "okta"


@dataclass(frozen=True)
class MySettings:
    """A third-party connector's settings."""

    names: tuple[str, ...] = ("Notion", "Miro")


class MyConnector(Connector[MySettings]):
    """Written against the one-parameter interface: ``get`` and ``transform`` keep their own annotations."""

    type_id = "my_source"
    settings_class = MySettings

    def get(self) -> list[str]:
        return list(self.settings.names)

    def transform(self, raw: list[str]) -> Inventory:
        return Inventory(tuple(ToolRecord(name, self.provenance(name)) for name in raw))


class OldStyleConnector(Connector[MySettings]):
    """Written before raw types, with ``Any`` as the base class had it."""

    type_id = "old_source"
    settings_class = MySettings

    def get(self) -> Any:
        return {"apps": list(self.settings.names)}

    def transform(self, raw: Any) -> Inventory:
        return Inventory(tuple(ToolRecord(name, self.provenance(name)) for name in raw["apps"]))


def raw_type(cls: type[Any]) -> Any:
    """The ``Raw`` argument of a connector class's base (``Connector[Settings, Raw]``; Any when left out)."""
    for base in getattr(cls, "__orig_bases__", ()):
        if typing.get_origin(base) in (Connector, ApiConnector):
            arguments = typing.get_args(base)
            return arguments[1] if len(arguments) > 1 else None
    return None


@pytest.mark.parametrize("connector", [MyConnector, OldStyleConnector])
def test_a_connector_naming_only_its_settings_still_runs(connector: type[Connector[MySettings]]) -> None:
    inventory = connector(MySettings(), ConnectorContext("mine", Path.cwd())).collect()
    assert [t.name for t in inventory.tools] == ["Notion", "Miro"]
    assert raw_type(connector) is Any  # no raw type given: the PEP 696 default applies


def test_built_in_connectors_give_get_and_transform_their_raw_type() -> None:
    landscape = LandscapeConnector(LandscapeSettings(str(DEMO / "landscape")), ConnectorContext("l", DEMO))
    documents = landscape.get()
    assert_type(documents, list[LocatedDocument])
    assert documents and all(isinstance(document, LocatedDocument) for document in documents)
    assert landscape.transform(documents).tools
    okta = OktaConnector(OktaSettings(file="."), ConnectorContext("okta", OKTA))  # the recorded pages
    pages = okta.get()
    assert_type(pages, OktaPages)
    assert set(pages) == {"apps", "app_users", "app_groups", "groups"} and pages["apps"]
    assert okta.transform(pages).tools


@pytest.mark.parametrize("type_id", sorted(CONNECTORS))
def test_every_built_in_connector_declares_its_raw_type(type_id: str) -> None:
    declared = raw_type(load(type_id))
    assert declared is not None and declared is not Any, f"{type_id}: Connector[Settings, Raw] without Raw"


@pytest.mark.parametrize("type_id", sorted(t for t in CONNECTORS if issubclass(load(t), ApiConnector)))
def test_an_api_connector_s_raw_type_names_exactly_its_saved_sections(type_id: str) -> None:
    # ApiConnector.get returns the saved pages as this type: every section, and only those, must be its keys
    cls = load(type_id)
    declared = raw_type(cls)
    sections = {section.name for section in cls.sections}
    if declared == ApiSections:  # section name → items, every section a plain list
        assert not any(section.keyed for section in cls.sections)
    else:
        assert is_typeddict(declared), declared
        assert set(get_type_hints(declared)) == sections
