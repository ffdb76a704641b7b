"""Slugs: stable, readable ids from names (Unicode letters are kept, so 日本語 names work)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slugify(name: str) -> str:
    """``"HubSpot Marketing Hub"`` → ``"hubspot-marketing-hub"``; ``"サイボウズ Office"`` → ``"サイボウズ-office"``."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _NON_WORD.sub("-", text).strip("-_")
    return text.replace("_", "-") or "tool"
