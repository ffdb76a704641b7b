"""Localised finding titles and recommendations, rendered from the finding types' message templates.

Each finding carries ``message_code`` and ``message_params`` (see :mod:`auditor.findingspec`). English is the
finding's own ``title`` and ``recommendation`` (rendered from the spec by the analysis). Another language
renders the catalogue's templates for the code (contexts ``finding-title``, ``finding-recommendation`` and,
for nested sentences, ``finding-sentence``), each falling back to the spec's English template when the
catalogue has none (e.g. a plugin's type) or when it uses a parameter the finding lacks. A finding without a
code (a report.json from an older version, or a plugin analysis without a spec) or whose type is not
registered keeps its English text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditor.analyses.registry import finding_specs
from auditor.findingspec import FindingSpec, Params, placeholders, render
from auditor.model import Finding
from auditor.money import format_money
from reports.i18n import Catalogue


@dataclass(frozen=True)
class FindingText:
    """A finding's title and recommendation in the report's language."""

    title: str
    recommendation: str


#: Languages that write sentences one after the other without a space.
_NO_SENTENCE_SPACE = frozenset({"ja"})


class CatalogueWording:
    """How a catalogue's language writes finding parameters (:class:`auditor.findingspec.Wording`)."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.sentence_space = "" if cat.lang in _NO_SENTENCE_SPACE else " "

    def join(self, items: Iterable[str]) -> str:
        """Items joined with the language's separator."""
        return self.cat.join(items)

    def layer(self, layer: str) -> str:
        """The layer's name in the language."""
        return self.cat.layer(layer)

    def category(self, category: str, title: str) -> str:
        """The category's name in the language, else its English ``title``."""
        return self.cat.category(category, {category: title} if title else {})

    def money(self, value: float | None, currency: str | None) -> str:
        """A yearly amount."""
        return format_money(value, currency)

    def template(self, context: str, code: str, english: str, params: Params) -> str:
        """The catalogue's template, unless it has none or it uses a parameter ``params`` lacks."""
        text = self.cat.lookup(context, code)
        return text if text is not None and placeholders(text) <= params.keys() else english


def localise(finding: Finding, cat: Catalogue, specs: Mapping[str, FindingSpec] | None = None) -> FindingText:
    """Title and recommendation of ``finding`` in the catalogue's language (``specs``: the registered ones)."""
    spec = (finding_specs() if specs is None else specs).get(finding.type)
    message = spec.messages.get(finding.message_code) if spec and finding.message_code else None
    if cat.lang == "en" or spec is None or message is None or finding.message_code is None:
        return FindingText(finding.title, finding.recommendation)
    wording, code, params = CatalogueWording(cat), finding.message_code, finding.message_params
    try:
        return FindingText(
            render(wording.template("finding-title", code, message.title, params), params, wording, spec.sentence),
            render(wording.template("finding-recommendation", code, message.recommendation, params), params,
                   wording, spec.sentence))
    except ValueError:  # params that do not fit the templates (e.g. a report.json from another version)
        return FindingText(finding.title, finding.recommendation)
