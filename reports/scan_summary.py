"""The scan summary ``auditor scan`` / ``auditor demo`` print on stderr, in the report's language.

The fixed words are translated (``reports/locale``); what sources say (errors, warnings, what they
skipped) is printed as the source wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from auditor.lifecycle import ending_text
from auditor.result import ScanResult
from reports.i18n import Catalogue


def counted(count: int, noun: str) -> str:
    """``1 tool``, ``2 tools`` (English; regular plurals only)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def counts_text(summary: Mapping[str, Any], cat: Catalogue) -> str:
    """``50 tools, 29 integrations, 3 flows → 58 findings (high 13, medium 28, low 17)`` in ``cat``'s language."""
    by_sev = summary["findings_by_severity"]
    high, medium, low = by_sev["high"] + by_sev["critical"], by_sev["medium"], by_sev["low"]
    if cat.lang == "en":  # English plurals ("1 tool", "2 tools")
        return (f"{counted(summary['tools'], 'tool')}, {counted(summary['integrations'], 'integration')}, "
                f"{counted(summary['flows'], 'flow')} → {counted(summary['findings'], 'finding')} "
                f"(high {high}, medium {medium}, low {low})")
    return cat("{tools} tools, {integrations} integrations, {flows} flows → {findings} findings "
               "(high {high}, medium {medium}, low {low})", tools=summary["tools"],
               integrations=summary["integrations"], flows=summary["flows"], findings=summary["findings"],
               high=high, medium=medium, low=low)


def print_summary(console: Console, result: ScanResult, written: list[Path], cat: Catalogue) -> None:
    """Counts, source problems, steps on ending tools, renewals due and the files written."""
    summary = result.summary()
    console.print(f"[bold]{escape(summary['organization'])}[/]: {escape(counts_text(summary, cat))}",
                  highlight=False)
    for source in result.scan.sources:
        if source.status != "ok":
            status = cat("failed") if source.status == "failed" else cat("suspect")
            console.print(Text.assemble((cat("source {status}:", status=status), "yellow"), f" {source.error}"),
                          highlight=False)
        if source.skipped:
            console.print("  " + cat("source '{name}' skipped {count}: {what}", name=source.name,
                                     count=sum(source.skipped.values()), what=source.skipped_text()),
                          highlight=False, markup=False)
        for warning in source.warnings:
            console.print(Text.assemble((cat("warning:"), "yellow"), f" {warning}"), highlight=False)
    for item in result.extra.get("lifecycle", {}).get("steps_on_ending_tools", []):
        console.print(Text.assemble((cat("warning:"), "yellow"), f" {ending_text(item)}"), highlight=False)
    due = result.extra.get("contracts", {}).get("renewals_next_90_days", [])
    if due:
        dates = cat.join(f"{d['name']} {d['date']}" for d in due)
        text = (f"{counted(len(due), 'renewal')} or contract ends in the next 90 days: {dates}" if cat.lang == "en"
                else cat("{count} renewals or contract ends in the next 90 days: {dates}", count=len(due),
                         dates=dates))
        console.print("  " + text, highlight=False, markup=False)
    for path in written:
        console.print("  " + cat("wrote {path}", path=path), highlight=False, markup=False)
