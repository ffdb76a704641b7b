"""Microsoft's first-party apps in Entra: the tenants that own them and their well-known app ids.

The list is data (``connectors/data/microsoft_first_party.yaml``, with its provenance in its header),
read once when first needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class FirstParty:
    """Microsoft-owned tenant ids and first-party app ids (both casefolded), with their names."""

    tenants: Mapping[str, str]
    apps: Mapping[str, str]

    def owns(self, principal: Mapping[str, Any]) -> bool:
        """Whether a service principal is Microsoft's: owned by a Microsoft tenant or a known first-party app id."""
        owner = str(principal.get("appOwnerOrganizationId") or "").casefold()
        return owner in self.tenants or str(principal.get("appId") or "").casefold() in self.apps


@cache
def first_party() -> FirstParty:
    """The packaged list (read once)."""
    text = resources.files("connectors").joinpath("data/microsoft_first_party.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return FirstParty({str(k).casefold(): str(v) for k, v in data["tenants"].items()},
                      {str(k).casefold(): str(v) for k, v in data["apps"].items()})
