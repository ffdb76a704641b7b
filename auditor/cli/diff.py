"""``auditor diff``: what changed between two scans (stored scans or report.json files)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from io import StringIO
from pathlib import Path

import click
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.text import Text

from auditor.cli.common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    config_option,
    counted,
    err_console,
    fail,
    is_quiet,
    load_config_or_exit,
    out_console,
    store_option,
    with_errors,
)
from auditor.config import StoreConfig
from auditor.diff import Diff, ScoreChange, diff, load_report
from auditor.jsontext import dumps_indented
from auditor.money import format_money
from auditor.result import ScanResult
from auditor.stores.base import Store
from auditor.stores.registry import open_store
from reports.i18n import catalogue
from reports.templating import environment

STORE_REFERENCES = ("latest", "previous")


def category(category_id: str | None) -> str:
    """A tool category's display name (taxonomy title) in the English diff."""
    return catalogue("en").category(category_id)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _score_line(change: ScoreChange) -> str:
    delta = change.delta
    suffix = f" ({delta:+g})" if delta is not None else ""
    what = "overall" if change.scope == "overall" else f"{change.scope} {change.key} ({change.name})"
    return f"{what}: {_score(change.old)} → {_score(change.new)}{suffix}"


SPEND_NAMES = {"annual_spend": "annual spend", "duplicate_spend": "spend on duplicate tools",
               "shadow_it_spend": "spend on shadow IT"}


def text_renderable(result: Diff) -> RenderableType:
    """The terminal view of a diff (rich renderables, plain text when written to a file)."""
    currency = result.new.currency
    lines: list[RenderableType] = [Text.from_markup(
        f"[bold]Changes[/] from [cyan]{escape(result.old.id)}[/] ({escape(result.old.started_at)}) "
        f"to [cyan]{escape(result.new.id)}[/] ({escape(result.new.started_at)})")]
    if result.is_empty:
        lines.append(Text("No changes."))
        return Group(*lines)

    def section(title: str, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        lines.append(Text.from_markup(f"\n[bold]{title}[/]"))
        for mark, style, text in rows:
            line = Text(f"  {mark} ", style=style)
            line.append(text)
            lines.append(line)

    section("Tools", [
        *[("+", "green", f"{t.id}  {t.name} ({category(t.category)}){'' if t.sanctioned else ' [unsanctioned]'}")
          for t in result.tools_added],
        *[("-", "red", f"{t.id}  {t.name} ({category(t.category)})") for t in result.tools_removed],
        *[("~", "yellow", f"{t.id}  " + "; ".join(c.text() for c in t.changes))
          for t in result.tools_changed],
    ])
    section("Integrations", [
        *[("+", "green", f"{i.key}  created") for i in result.integrations_created],
        *[("-", "red", f"{i.key}  broken") for i in result.integrations_broken],
        *[("~", "yellow", f"{i.key}  " + "; ".join(c.text() for c in i.changes))
          for i in result.integrations_changed],
    ])
    section("Findings", [
        *[("+", "red", f"[{f.severity}] {f.id}  {f.title}") for f in result.findings_opened],
        *[("-", "green", f"[{f.severity}] {f.id}  {f.title}") for f in result.findings_resolved],
        *[("↑" if c.worse else "↓", "red" if c.worse else "green", f"{c.id}  {c.old} → {c.new}  {c.title}")
          for c in result.severity_changes],
    ])
    section("Scores", [
        ("~", "green" if (c.delta or 0) > 0 else "red" if (c.delta or 0) < 0 else "yellow", _score_line(c))
        for c in result.score_changes])
    section("Spend", [
        ("~", "green" if c.delta < 0 else "red", f"{SPEND_NAMES[c.key]}: {format_money(c.old, currency)} → "
                                                 f"{format_money(c.new, currency)} ({c.delta:+,.0f})")
        for c in result.spend_changes])
    counts = result.counts()
    lines.append(Text(
        f"\n{counted(counts['tools_added'], 'tool')} added, {counts['tools_removed']} removed, "
        f"{counts['tools_changed']} changed; {counted(counts['integrations_created'], 'integration')} created, "
        f"{counts['integrations_broken']} broken, {counts['integrations_changed']} changed; "
        f"{counted(counts['findings_opened'], 'finding')} opened, "
        f"{counts['findings_resolved']} resolved, {counts['severity_changes']} changed severity; "
        f"{counted(counts['score_changes'], 'score')} moved."))
    return Group(*lines)


def render_text(result: Diff) -> str:
    """The text view without colours (for ``--out``)."""
    buffer = StringIO()
    Console(file=buffer, width=120, color_system=None, force_terminal=False,
            highlight=False).print(text_renderable(result))
    return buffer.getvalue()


def render_json(result: Diff) -> str:
    """``--format json``."""
    return dumps_indented(result.to_data()) + "\n"


def _template(name: str) -> Callable[[Diff], str]:
    def render(result: Diff) -> str:
        return environment().get_template(name).render(diff=result, counts=result.counts(),
                                                       score_line=_score_line, score=_score, category=category,
                                                       spend_names=SPEND_NAMES)
    render.__doc__ = f"Render with reports/templates/{name}."
    return render


#: ``--format`` id → function rendering a diff to a string.
DIFF_FORMATS: dict[str, Callable[[Diff], str]] = {
    "text": render_text,
    "json": render_json,
    "md": _template("diff.md.j2"),
    "html": _template("diff.html.j2"),
}


def _is_report_path(reference: str) -> bool:
    if reference in STORE_REFERENCES:
        return False
    path = Path(reference)
    return path.exists() or path.suffix == ".json"


class _Sides:
    """Loads each side of the diff from a report file or from the store (opened only when needed)."""

    def __init__(self, config_path: Path, store_path: Path | None) -> None:
        self.config_path = config_path
        self.store_path = store_path
        self.store: Store | None = None

    def _store(self, reference: str) -> Store:
        if self.store is None:
            if not self.config_path.exists():
                fail(EXIT_INVALID, f"'{reference}' is not a report file, and reading stored scans needs a config: "
                                   f"{self.config_path} not found (give -c CONFIG)")
            config = load_config_or_exit(self.config_path)
            if self.store_path is not None:
                config = replace(config, store=StoreConfig("embedded", {"path": str(self.store_path.resolve())}))
            self.store = open_store(config.store, config.organization, config.base_dir)
        return self.store

    def load(self, reference: str) -> ScanResult:
        if _is_report_path(reference):
            return load_report(Path(reference))
        return self._store(reference).load(reference)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


@click.command("diff")
@click.argument("old", default="previous", required=False)
@click.argument("new", default="latest", required=False)
@config_option
@store_option
@click.option("--format", "-f", "format_id", type=click.Choice(list(DIFF_FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--out", "-o", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the terminal.")
@click.option("--fail-on-change", is_flag=True, help="Exit with code 1 when anything changed.")
@with_errors
def diff_command(old: str, new: str, config_path: Path, store_path: Path | None, format_id: str,
                 out_file: Path | None, fail_on_change: bool) -> None:
    """Show what changed between two scans: tools, integrations, findings and scores.

    OLD and NEW are scan ids (or unique prefixes), 'latest', 'previous', or paths to report.json files
    (or report folders); the defaults compare the previous scan with the latest one.

    \b
    Exit codes: 0 done; 1 something changed and --fail-on-change was given; 2 invalid report file;
                4 other errors (e.g. no such scan).
    \b
    Examples:  auditor diff                                  (previous → latest)
               auditor diff 20261118 latest -f md -o changes.md
               auditor diff old/report.json new/report.json -f json
    """
    sides = _Sides(config_path, store_path)
    try:
        before, after = sides.load(old), sides.load(new)
    finally:
        sides.close()
    if before.scan.organization != after.scan.organization and not is_quiet():
        err_console.print(f"[yellow]warning:[/] comparing scans of different organizations "
                          f"('{escape(before.scan.organization)}' and '{escape(after.scan.organization)}')")
    result = diff(before, after)
    _write(result, format_id, out_file)
    if fail_on_change and not result.is_empty:
        sys.exit(EXIT_FINDINGS)


def _write(result: Diff, format_id: str, out_file: Path | None) -> None:
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(DIFF_FORMATS[format_id](result), encoding="utf-8")
        if not is_quiet():
            err_console.print(f"  wrote {out_file}", highlight=False)
    elif format_id == "text":
        out_console.print(text_renderable(result), highlight=False)
    else:
        click.echo(DIFF_FORMATS[format_id](result), nl=False)
