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
from reports.diff_words import DiffWords, diff_words

STORE_REFERENCES = ("latest", "previous")


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _score_line(change: ScoreChange, words: DiffWords) -> str:
    delta = change.delta
    suffix = f" ({delta:+g})" if delta is not None else ""
    what = words.scope("overall") if change.scope == "overall" else \
        f"{words.scope(change.scope)} {change.key} ({words.score_name(change)})"
    return f"{what}: {_score(change.old)} → {_score(change.new)}{suffix}"


def text_renderable(result: Diff, words: DiffWords | None = None) -> RenderableType:
    """The terminal view of a diff (rich renderables, plain text when written to a file)."""
    words = words or diff_words("en")
    _ = words.cat
    currency = result.new.currency
    heading = Text(style="bold")
    heading.append(_("Changes from {old} to {new}", old=f"{result.old.id} ({result.old.started_at})",
                     new=f"{result.new.id} ({result.new.started_at})"))
    lines: list[RenderableType] = [heading]
    if result.is_empty:
        lines.append(Text(_("No changes.")))
        return Group(*lines)

    def section(title: str, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        lines.append(Text("\n" + title, style="bold"))
        for mark, style, text in rows:
            line = Text(f"  {mark} ", style=style)
            line.append(text)
            lines.append(line)

    unsanctioned = f" [{_('unsanctioned')}]"
    section(_("Tools"), [
        *[("+", "green", f"{t.id}  {t.name} ({words.cat.category(t.category)}){'' if t.sanctioned else unsanctioned}")
          for t in result.tools_added],
        *[("-", "red", f"{t.id}  {t.name} ({words.cat.category(t.category)})") for t in result.tools_removed],
        *[("~", "yellow", f"{t.id}  " + "; ".join(c.text() for c in t.changes))
          for t in result.tools_changed],
    ])
    section(_("Integrations"), [
        *[("+", "green", f"{i.key}  {_('created')}") for i in result.integrations_created],
        *[("-", "red", f"{i.key}  {_('broken')}") for i in result.integrations_broken],
        *[("~", "yellow", f"{i.key}  " + "; ".join(c.text() for c in i.changes))
          for i in result.integrations_changed],
    ])
    section(_("Findings"), [
        *[("+", "red", f"[{words.severity(f.severity)}] {f.id}  {words.title(f)}") for f in result.findings_opened],
        *[("-", "green", f"[{words.severity(f.severity)}] {f.id}  {words.title(f)}") for f in result.findings_resolved],
        *[("↑" if c.worse else "↓", "red" if c.worse else "green",
           f"{c.id}  {words.severity(c.old)} → {words.severity(c.new)}  {words.title(c)}")
          for c in result.severity_changes],
    ])
    section(_("Scores"), [
        ("~", "green" if (c.delta or 0) > 0 else "red" if (c.delta or 0) < 0 else "yellow", _score_line(c, words))
        for c in result.score_changes])
    section(_("Spend"), [
        ("~", "green" if c.delta < 0 else "red", f"{words.spend(c.key)}: {format_money(c.old, currency)} → "
                                                 f"{format_money(c.new, currency)} ({c.delta:+,.0f})")
        for c in result.spend_changes])
    lines.append(Text("\n" + words.counts_text(result.counts())))
    return Group(*lines)


def render_text(result: Diff, words: DiffWords | None = None) -> str:
    """The text view without colours (for ``--out``)."""
    buffer = StringIO()
    Console(file=buffer, width=120, color_system=None, force_terminal=False,
            highlight=False).print(text_renderable(result, words))
    return buffer.getvalue()


def render_json(result: Diff, words: DiffWords | None = None) -> str:
    """``--format json``."""
    return dumps_indented(result.to_data()) + "\n"


def _template(name: str) -> Callable[[Diff, DiffWords | None], str]:
    def render(result: Diff, words: DiffWords | None = None) -> str:
        from reports.templating import environment  # jinja2: only for the template formats

        words = words or diff_words("en")
        return environment().get_template(name).render(diff=result, counts=result.counts(), score=_score,
                                                       **words.template_values())
    render.__doc__ = f"Render with reports/templates/{name}."
    return render


#: ``--format`` id → function rendering a diff to a string.
DIFF_FORMATS: dict[str, Callable[[Diff, DiffWords | None], str]] = {
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
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
              help="Language of the text, md and html output (json is data).")
@with_errors
def diff_command(old: str, new: str, config_path: Path, store_path: Path | None, format_id: str,
                 out_file: Path | None, fail_on_change: bool, lang: str) -> None:
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
               auditor diff --lang ja -f html -o changes.html   (Japanese)
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
    _write(result, format_id, out_file, diff_words(lang, before, after))
    if fail_on_change and not result.is_empty:
        sys.exit(EXIT_FINDINGS)


def _write(result: Diff, format_id: str, out_file: Path | None, words: DiffWords) -> None:
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(DIFF_FORMATS[format_id](result, words), encoding="utf-8")
        if not is_quiet():
            err_console.print("  " + words.cat("wrote {path}", path=out_file), highlight=False, markup=False)
    elif format_id == "text":
        out_console.print(text_renderable(result, words), highlight=False)
    else:
        click.echo(DIFF_FORMATS[format_id](result, words), nl=False)
