"""Why a case went to review: a stable code, its parameters, and the English text built from them.

Every reason resolution can give is listed once in :data:`REVIEW_REASONS` (code → English template
and parameter names). report.json keeps the English ``reason`` for people and older readers, plus
``reason_code`` and ``reason_params`` so that reports can say the same thing in another language
(catalogue context ``review-reason``, msgid = the code; see docs/resolution.md, "Review reason codes").

Parameter values are plain data: text, numbers, lists of text (candidate ids, words), or another
reason in the same three-key form (``reason``, ``reason_code``, ``reason_params``), e.g. the
matcher's reason inside ``declared_candidate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReasonSpec:
    """A review reason's English template and the names of the parameters it always carries."""

    english: str
    params: tuple[str, ...] = ()


#: Every review reason code resolution can give, with its English template and parameter names.
#: The review item's ``candidates`` are not repeated as a parameter.
REVIEW_REASONS: dict[str, ReasonSpec] = {
    "vendor_only": ReasonSpec("names only a vendor that has several products", ("vendor", "count")),
    "shared_name": ReasonSpec("name shared by several products", ("name",)),
    "several_products": ReasonSpec("the name contains names of several products"),
    "extra_words": ReasonSpec("other words beside the product name: {words}", ("product", "words")),
    "fuzzy_uncertain": ReasonSpec("similar to a known product but not certain", ("product", "matched")),
    "fuzzy_several": ReasonSpec("similar to several products"),
    "declared_candidate": ReasonSpec("declared tool '{tool}' may be this catalog product: {cause}",
                                     ("tool", "cause")),
    "declared_same_product": ReasonSpec(
        "declared tools {tools} are all the catalog product '{product}'; they stay distinct (explicit ids), "
        "other sources' records of it are not attached to either", ("tools", "product")),
    "product_of_several_declared": ReasonSpec("is '{product}', which several declared tools are", ("product",)),
    "named_like_declared": ReasonSpec("named like several declared tools"),
}

#: How list parameters are joined in the English text.
ENGLISH_SEPARATOR = ", "


@dataclass(frozen=True)
class Reason:
    """One review reason: ``code`` (a key of :data:`REVIEW_REASONS`) and the values its template uses."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        spec = REVIEW_REASONS.get(self.code)
        if spec is None:
            raise ValueError(f"unknown review reason code '{self.code}'")
        if set(self.params) != set(spec.params):
            raise ValueError(f"review reason '{self.code}' takes {', '.join(spec.params)}, "
                             f"not {', '.join(self.params)}")

    @property
    def text(self) -> str:
        """The English sentence, as report.json's ``reason`` has always said it."""
        values = {name: english_value(value) for name, value in self.params.items()}
        return REVIEW_REASONS[self.code].english.format_map(values)

    def data_params(self) -> dict[str, Any]:
        """The parameters as JSON-ready data (a nested reason in its three-key form)."""
        return {name: _plain(value) for name, value in self.params.items()}

    def to_data(self) -> dict[str, Any]:
        """``{"reason": text, "reason_code": code, "reason_params": {...}}`` (the review item's keys)."""
        return {"reason": self.text, "reason_code": self.code, "reason_params": self.data_params()}


def _plain(value: Any) -> Any:
    if isinstance(value, Reason):
        return value.to_data()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def english_value(value: Any) -> str:
    """A parameter as English text: lists joined with ``, ``, a nested reason by its text."""
    if isinstance(value, Reason):
        return value.text
    if isinstance(value, Mapping):
        return str(value.get("reason", ""))
    if isinstance(value, list | tuple):
        return ENGLISH_SEPARATOR.join(str(v) for v in value)
    return str(value)
