"""Report texts: one gettext catalogue per language.

Per language, ``reports/locale/<lang>/LC_MESSAGES/messages.po`` holds the texts extracted from the code
and ``vocabulary.po`` the id-keyed vocabularies and templates (:data:`CATALOGUE_FILES`); they ship as
``.po`` files in the package and are parsed with Babel when first used (no build step, works from a
non-editable install).
Message ids are the English texts; placeholders use ``str.format`` names (``{count}``). Contexts
(``msgctxt``) hold the id-keyed vocabularies: ``severity``, ``finding-type``, ``layer``, ``score``,
``handoff``, ``integration-kind``, ``category`` (tool categories; English titles come from the taxonomy), and
the templates ``finding-title`` / ``finding-recommendation`` / ``finding-sentence`` (msgid = a finding message
code, see :mod:`auditor.findingspec`) / ``score-note`` / ``review-reason``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from auditor.analyses.registry import finding_specs
from auditor.money import format_money
from auditor.resolution.catalog import packaged_category_titles
from auditor.slug import slugify
from reports.base import RenderError

LANGUAGES: tuple[str, ...] = ("en", "ja")


class _Defaulting(dict[str, Any]):
    """Format parameters where an unknown name renders as an empty string."""

    def __missing__(self, key: str) -> str:
        return ""


class Catalogue:
    """The translated messages of one language."""

    def __init__(self, lang: str, messages: Mapping[tuple[str | None, str], str]) -> None:
        self.lang = lang
        self._messages = dict(messages)

    def lookup(self, context: str | None, msgid: str) -> str | None:
        """The translation of ``msgid`` in ``context``, or None when the catalogue has none."""
        return self._messages.get((context, msgid))

    def messages(self) -> dict[str, str]:
        """Every translated message without a context (msgid → text), e.g. for a page's script."""
        return {msgid: text for (context, msgid), text in self._messages.items() if context is None}

    @staticmethod
    def fill(text: str, params: Mapping[str, Any]) -> str:
        """Fill ``{name}`` placeholders of ``text``; unknown names render empty."""
        return text.format_map(_Defaulting(params))

    def gettext(self, msgid: str, **params: Any) -> str:
        """Translate ``msgid`` (falling back to it) and fill its ``{name}`` placeholders."""
        text = self._messages.get((None, msgid), msgid)
        return text.format_map(_Defaulting(params))

    __call__ = gettext

    def pgettext(self, context: str, msgid: str, **params: Any) -> str:
        """Translate ``msgid`` within ``context`` (falling back to ``msgid`` itself)."""
        text = self._messages.get((context, msgid), msgid)
        return text.format_map(_Defaulting(params))

    def template(self, context: str, key: str, english: str | None, params: Mapping[str, Any]) -> str | None:
        """The catalogue's template ``key`` in ``context`` filled with ``params``, else ``english`` as is."""
        text = self.lookup(context, key)
        return self.fill(text, params) if text else english

    def severity(self, severity: str) -> str:
        """Display name of a severity id."""
        return self.pgettext("severity", severity)

    def finding_type(self, finding_type: str) -> str:
        """Display name of a finding type id: the catalogue's, else the English label of its spec, else the id."""
        spec = finding_specs().get(finding_type)
        return self.lookup("finding-type", finding_type) or (spec.label if spec else finding_type)

    def layer(self, layer: str) -> str:
        """Display name of a layer id."""
        return self.pgettext("layer", layer)

    def integration_kind(self, kind: str) -> str:
        """Display name of an integration kind id (``api``, ``etl``, ``manual`` …)."""
        return self.pgettext("integration-kind", kind)

    def category(self, category: str | None, titles: Mapping[str, str] | None = None) -> str:
        """Display name of a tool category: the language's title (context ``category``), else the English
        taxonomy title in ``titles`` (default: the packaged taxonomy's), else the category as written.

        A category written another way (``Marketing Automation``) is also looked up by its normalised id.
        """
        if not category:
            return ""
        known = packaged_category_titles() if titles is None else titles
        for key in dict.fromkeys((category, slugify(category))):
            name = self.lookup("category", key) or known.get(key)
            if name:
                return name
        return category

    def join(self, items: Iterable[str]) -> str:
        """Join display items with the language's list separator."""
        return self.pgettext("separator", ", ").join(items)

    @staticmethod
    def money(value: float | None, currency: str | None = None) -> str:
        """A yearly amount with thousands separators, followed by the reporting currency if known."""
        return format_money(value, currency)


CATALOGUE_FILES: tuple[str, ...] = ("messages.po", "vocabulary.po")
"""Per language: the texts extracted from the code (``pybabel update`` maintains it), and the id-keyed
vocabularies and templates the code looks up by context (edited by hand, never touched by the update)."""


def _read(lang: str) -> dict[tuple[str | None, str], str]:
    from babel.messages.pofile import read_po  # Babel only when a catalogue is read (not for --help or -q)

    messages: dict[tuple[str | None, str], str] = {}
    for name in CATALOGUE_FILES:
        path = resources.files("reports").joinpath("locale", lang, "LC_MESSAGES", name)
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        except (OSError, ValueError) as exc:
            raise RenderError(f"cannot read the message catalogue {path}: {exc}") from exc
        for message in catalog:
            if message.id and isinstance(message.id, str) and isinstance(message.string, str) \
                    and message.string and not message.fuzzy:
                messages[(message.context, message.id)] = message.string
    return messages


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang`` (``en`` or ``ja``); RenderError for another language."""
    if lang not in LANGUAGES:
        raise RenderError(f"unknown report language '{lang}'; known: {', '.join(LANGUAGES)}")
    return Catalogue(lang, _read(lang))
