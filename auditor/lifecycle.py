"""Tool lifecycle: where a tool stands (``plan``, ``active``, ``phase_out``, ``retired``, ``rejected``) and the
words real registers use for it (Approved, Sunsetting, Denied, 利用中, 廃止予定 …).

A source reads a status cell or field and asks :func:`lifecycle_of`; a word it does not know is no silent
default: the source keeps the tool without a lifecycle and warns, naming the values (:func:`unknown_warning`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal

from auditor.model import Flow, Tool

Lifecycle = Literal["plan", "active", "phase_out", "retired", "rejected"]
LIFECYCLES: tuple[str, ...] = ("plan", "active", "phase_out", "retired", "rejected")
#: Tools in these states are not in use: not counted as in-use tools, duplicates or shadow IT.
NOT_IN_USE: frozenset[str] = frozenset({"retired", "rejected"})
#: A flow step that depends on a tool in these states is at risk (reported, not a finding).
ENDING: frozenset[str] = frozenset({"phase_out", "retired", "rejected"})

#: Default vocabulary (compared case-, space- and punctuation-blind). Pilot / phase-in / 試験導入 are
#: ``plan`` (being introduced); an exception granted is ``active``; sunset(ting) / deprecated is ``phase_out``.
DEFAULT_WORDS: Mapping[str, str] = {
    **dict.fromkeys(("plan", "planned", "planning", "proposed", "evaluation", "evaluating", "pilot", "trial",
                     "phase in", "phasein", "poc", "proof of concept", "candidate", "experimental", "development",
                     "検討中", "計画中", "試験導入",
                     "試験運用", "導入予定", "パイロット"), "plan"),
    **dict.fromkeys(("active", "approved", "in use", "production", "live", "standard", "sanctioned", "exception",
                     "approved with exception", "operational", "current", "ga", "利用中", "稼働中", "運用中", "本番",
                     "承認", "承認済み", "標準"), "active"),
    **dict.fromkeys(("phase out", "phaseout", "phasing out", "sunsetting", "sunset", "deprecated", "legacy",
                     "tolerate", "tolerated", "retiring", "being retired", "廃止予定", "縮退", "段階的廃止",
                     "非推奨"), "phase_out"),
    **dict.fromkeys(("retired", "decommissioned", "end of life", "eol", "endoflife", "archived", "inactive",
                     "discontinued", "廃止", "廃止済み", "利用停止", "停止"), "retired"),
    **dict.fromkeys(("rejected", "denied", "not approved", "prohibited", "banned", "blocked", "disallowed",
                     "却下", "不許可", "禁止", "利用不可"), "rejected"),
}
_SEPARATORS = re.compile(r"[\s_\-./]+")


def word_key(text: str) -> str:
    """A status word compared case-, space- and punctuation-blind (``Phase-Out`` → ``phase out``)."""
    return _SEPARATORS.sub(" ", text.strip().casefold()).strip()


def vocabulary(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The default words plus ``extra`` (a source's ``lifecycle_words``; extra words win)."""
    words = {word_key(k): v for k, v in DEFAULT_WORDS.items()}
    words.update({word_key(k): v for k, v in (extra or {}).items()})
    return words


def vocabulary_problems(extra: Mapping[str, str]) -> list[str]:
    """Entries of a ``lifecycle_words`` setting that name no lifecycle."""
    return [f"lifecycle_words: '{word}' maps to unknown lifecycle '{value}'; use one of {', '.join(LIFECYCLES)}"
            for word, value in extra.items() if value not in LIFECYCLES]


def lifecycle_of(text: str | None, words: Mapping[str, str]) -> str | None:
    """The lifecycle a status word stands for (None: empty or unknown; see :func:`unknown_warning`)."""
    if not text or not text.strip():
        return None
    return words.get(word_key(text))


def unknown_warning(source: str, unknown: Mapping[str, int], field: str = "status") -> str:
    """``source 'x': 2 unknown status values kept without a lifecycle: 'Foo' (3), 'Bar' (1) …``."""
    shown = ", ".join(f"{value!r} ({count})" for value, count in sorted(unknown.items(), key=lambda i: (-i[1], i[0])))
    return (f"source '{source}': {len(unknown)} unknown {field} value{'s' if len(unknown) != 1 else ''}, tools kept "
            f"without a lifecycle: {shown}; map them with lifecycle_words (values: {', '.join(LIFECYCLES)})")


def in_use(lifecycle: str | None) -> bool:
    """Whether a tool with this lifecycle is in use (unknown counts as in use)."""
    return lifecycle not in NOT_IN_USE


def merged(values: Iterable[str | None]) -> str | None:
    """One lifecycle from several records: the most in-use one stated (active > phase_out > plan > retired >
    rejected), so a tool one register calls retired but another still runs is not dropped."""
    order = ("active", "phase_out", "plan", "retired", "rejected")
    stated = {v for v in values if v in LIFECYCLES}
    return next((v for v in order if v in stated), None)


class LifecycleReader:
    """Reads status words of one source into lifecycles, counting the words it does not know."""

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self.words = vocabulary(extra)
        self.unknown: Counter[str] = Counter()

    def read(self, *texts: str | None) -> str | None:
        """The lifecycle of the first non-empty text (None, and counted as unknown, when no word matches)."""
        text = next((t.strip() for t in texts if t and t.strip()), None)
        if text is None:
            return None
        found = lifecycle_of(text, self.words)
        if found is None:
            self.unknown[text] += 1
        return found

    def warnings(self, source: str, field: str = "status") -> tuple[str, ...]:
        """One warning naming the unknown words (none when every word was known)."""
        return (unknown_warning(source, self.unknown, field),) if self.unknown else ()


def steps_on_ending_tools(tools: Mapping[str, Tool], flows: Iterable[Flow]) -> list[dict[str, str]]:
    """Flow steps that depend on a tool being phased out, retired or rejected: ``{"flow", "step", "tool",
    "lifecycle"}`` in flow order (the report's ``lifecycle.steps_on_ending_tools``)."""
    found = []
    for flow in flows:
        for step in flow.steps:
            for tool_id in step.all_tools:
                tool = tools.get(tool_id)
                if tool is not None and tool.lifecycle in ENDING:
                    found.append({"flow": flow.id, "step": step.id, "tool": tool_id, "lifecycle": tool.lifecycle})
    return found


def ending_text(item: Mapping[str, str]) -> str:
    """``flow 'lead-to-cash' step 'quote' depends on 'legacy-crm' (phase_out)``."""
    return f"flow '{item['flow']}' step '{item['step']}' depends on '{item['tool']}' ({item['lifecycle']})"
