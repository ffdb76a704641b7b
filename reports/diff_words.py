"""The words of ``auditor diff`` (text, Markdown, HTML) in the chosen language (``--lang``).

Finding titles are written in the language from each finding and the scan it belongs to (opened ones
from the newer scan, resolved ones from the older); flows by their name in the language. In English the
ids (severities, scopes, kinds) print as they always did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.result import ScanResult
from reports.finding_text import localise
from reports.i18n import Catalogue, catalogue
from reports.languages import in_language
from reports.scan_summary import counted


class _Titled(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


class _Scored(Protocol):
    @property
    def scope(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class DiffWords:
    """Translations for one diff: the catalogue, finding titles by id and flow names by id."""

    cat: Catalogue
    titles: Mapping[str, str] = field(default_factory=dict)
    flows: Mapping[str, str] = field(default_factory=dict)

    @property
    def english(self) -> bool:
        """Whether the diff is written in English (ids then print as they are)."""
        return self.cat.lang == "en"

    def title(self, ref: _Titled) -> str:
        """A finding's title in the language (its recorded title when the scan did not hold it)."""
        return self.titles.get(ref.id, ref.title)

    def severity(self, severity: str) -> str:
        """A severity: its id in English (as before), its name in another language."""
        return severity if self.english else self.cat.severity(severity)

    def scope(self, scope: str) -> str:
        """``overall``, ``flow`` or ``layer`` in the language."""
        return self.cat.pgettext("diff-scope", scope)

    def score_name(self, change: _Scored) -> str:
        """The name of what a score change is about (a flow by its name in the language, a layer's title)."""
        if self.english:
            return change.name
        if change.scope == "flow":
            return self.flows.get(change.key, change.name)
        return self.cat.layer(change.key) if change.scope == "layer" else self.cat.pgettext("score", change.key)

    def kind(self, kind: str, via: str | None) -> str:
        """An integration's kind, and what it runs through."""
        name = kind if self.english else self.cat.integration_kind(kind)
        return self.cat("{kind} via {tool}", kind=name, tool=via) if via else name

    def spend(self, key: str) -> str:
        """The name of a spend figure."""
        names = {"annual_spend": self.cat("annual spend"), "duplicate_spend": self.cat("spend on duplicate tools"),
                 "shadow_it_spend": self.cat("spend on shadow IT")}
        return names.get(key, key)

    def counts_plain(self, counts: Mapping[str, int], bold: str = "") -> str:
        """The one-sentence summary of the counts; ``bold`` wraps each number (``**`` in Markdown)."""
        numbers = {key: bold + str(value) + bold for key, value in counts.items()}
        return self.cat("{tools_added} tools added, {tools_removed} removed, {tools_changed} changed; "
                        "{integrations_created} integrations created, {integrations_broken} broken, "
                        "{integrations_changed} changed; {findings_opened} findings opened, "
                        "{findings_resolved} resolved, {severity_changes} changed severity; "
                        "{score_changes} scores moved.", **numbers)

    def counts_markdown(self, counts: Mapping[str, int]) -> str:
        """:meth:`counts_plain` with the numbers in bold."""
        return self.counts_plain(counts, "**")

    def counts_text(self, counts: Mapping[str, int]) -> str:
        """The terminal's summary line (English with singular and plural nouns)."""
        if not self.english:
            return self.counts_plain(counts)
        return (f"{counted(counts['tools_added'], 'tool')} added, {counts['tools_removed']} removed, "
                f"{counts['tools_changed']} changed; {counted(counts['integrations_created'], 'integration')} "
                f"created, {counts['integrations_broken']} broken, {counts['integrations_changed']} changed; "
                f"{counted(counts['findings_opened'], 'finding')} opened, "
                f"{counts['findings_resolved']} resolved, {counts['severity_changes']} changed severity; "
                f"{counted(counts['score_changes'], 'score')} moved.")

    def template_values(self) -> dict[str, Any]:
        """What the diff templates need besides the diff: ``_``, ``cat``, ``words``, ``category``, ``sep``, ``lang``."""
        return {"_": self.cat, "cat": self.cat, "words": self, "category": self.cat.category, "lang": self.cat.lang,
                "sep": self.cat.pgettext("separator", ", ")}


def diff_words(lang: str, before: ScanResult | None = None, after: ScanResult | None = None) -> DiffWords:
    """The words for a diff of ``before`` → ``after`` in ``lang`` (``en`` or ``ja``)."""
    cat = catalogue(lang)
    titles: dict[str, str] = {}
    flows: dict[str, str] = {}
    for scanned in (r for r in (before, after) if r is not None):
        result = in_language(scanned, lang)  # steps and flows by their names in the language
        titles.update({f.id: localise(f, cat).title for f in result.findings})
        flows.update({f.id: f.name_in(lang) for f in result.graph.flows})
    return DiffWords(cat, titles, flows)
