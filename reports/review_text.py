"""Localised reasons of the resolution review list.

Resolution stores each review item's reason as English text (``reason``) plus a code and parameters
(``reason_code``, ``reason_params``; :mod:`auditor.resolution.reasons`). A report renders the
catalogue's template for the code (context ``review-reason``) filled with the parameters; an item
without a code (a report.json from an older version), with a code the catalogue lacks (e.g. from a
newer version) or without the parameters the template needs keeps its English text.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

from reports.i18n import Catalogue

CONTEXT = "review-reason"


def _value(value: Any, cat: Catalogue) -> str:
    """A parameter as display text: a nested reason localised, a list joined, anything else as text."""
    if isinstance(value, Mapping):  # a nested reason, in the review item's three-key form
        return review_reason(value, cat)
    if isinstance(value, list | tuple):
        return cat.join(str(v) for v in value)
    return str(value)


def placeholders(template: str) -> set[str]:
    """The ``{name}`` placeholders of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def review_reason(item: Mapping[str, Any], cat: Catalogue) -> str:
    """The reason of a review item (a ``resolution.review`` entry of report.json) in ``cat``'s language.

    The English ``reason`` is kept when the item has no code, the catalogue has no template for it,
    or the item lacks a parameter the template uses.
    """
    english = str(item.get("reason") or "")
    code, params = item.get("reason_code"), item.get("reason_params")
    template = cat.lookup(CONTEXT, code) if isinstance(code, str) and code else None
    if template is None or not isinstance(params, Mapping) or not placeholders(template) <= params.keys():
        return english
    return cat.fill(template, {str(k): _value(v, cat) for k, v in params.items()})


def reason_renderer(cat: Catalogue) -> Callable[[Mapping[str, Any]], str]:
    """``review_reason`` bound to one catalogue, for the report templates."""
    return lambda item: review_reason(item, cat)
