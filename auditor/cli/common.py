"""Shared CLI pieces: option decorators, console output, error handling and exit codes."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from auditor.cli.registries import registry_problems
from auditor.config import AuditConfig, load_config
from auditor.errors import AuditorError, InputError, raise_if_problems
from auditor.secrets import redact_text

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_SOURCE_FAILED = 3
EXIT_ERROR = 4



class _Console(Console):
    """A rich console that leaves long lines whole when it does not write to a terminal.

    On a terminal rich wraps text at the terminal's width; piped into a file or a CI log it would break
    every message at 80 columns (``… low\n0)``), which makes the lines hard to grep.
    """

    @property
    def soft_wrap(self) -> bool:
        return not self.is_terminal

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:
        """Ignored: wrapping follows :attr:`is_terminal`."""


#: ``emoji=False``: a location such as ``landscape.yaml:100:`` must print as written, not as rich's emoji code.
err_console: Console = _Console(stderr=True, emoji=False)
out_console: Console = _Console(emoji=False)

F = TypeVar("F", bound=Callable[..., Any])


class _StderrHandler(logging.StreamHandler[TextIO]):
    """A plain handler writing to whatever ``sys.stderr`` is when a record is emitted (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(verbose: int, quiet: bool) -> None:
    """Log to stderr (through rich on a terminal); WARNING by default, INFO with -v, DEBUG with -vv, ERROR with -q."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler: logging.Handler
    if err_console.is_terminal:
        handler = RichHandler(console=err_console, show_path=False)
        log_format = "%(message)s"
    else:  # a file or CI log: one plain line per record, not a time column wrapped at 80 characters
        handler = _StderrHandler()
        log_format = "%(levelname)s: %(message)s"
    logging.basicConfig(level=level, format=log_format, handlers=[handler], force=True)


def config_option(func: F) -> F:
    """``-c/--config`` (default ``auditor.yaml`` in the current folder)."""
    return click.option("-c", "--config", "config_path", type=click.Path(path_type=Path),
                        default=Path("auditor.yaml"), show_default=True,
                        help="The configuration file.")(func)


STORE_PATH_HELP = "Embedded store file (default: .auditor/auditor.db next to the config)."


def store_option(func: F, help_text: str = STORE_PATH_HELP) -> F:
    """``--store-path``: override where the embedded store lives."""
    return click.option("--store-path", type=click.Path(path_type=Path), default=None, help=help_text)(func)


def is_quiet() -> bool:
    """Whether -q was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))


def counted(count: int, noun: str) -> str:
    """``1 tool``, ``2 tools``: a count with its noun (regular English plurals only)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fail(code: int, message: str) -> None:
    """Print an error (known secret values masked) and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {escape(redact_text(message))}", highlight=False, soft_wrap=True)
    sys.exit(code)


def report_input_error(exc: InputError) -> None:
    """Print every located problem and exit with code 2."""
    count = len(exc.problems)
    err_console.print(f"[bold red]{counted(count, 'problem')} found:[/]")
    for problem in exc.problems:
        err_console.print(f"  {redact_text(str(problem))}", highlight=False, markup=False, soft_wrap=True)
    sys.exit(EXIT_INVALID)


@contextmanager
def handled_errors() -> Iterator[None]:
    """Turn the tool's errors into messages and exit codes (2 invalid input, 4 other errors)."""
    try:
        yield
    except InputError as exc:
        report_input_error(exc)
    except AuditorError as exc:
        fail(EXIT_ERROR, str(exc))
    except RecursionError:
        fail(EXIT_INVALID, "the input is nested too deeply to read (a file or an API answer with thousands of "
                           "nested levels)")
    except OSError as exc:
        fail(EXIT_ERROR, _os_error_text(exc))


def _os_error_text(exc: OSError) -> str:
    """``path: reason`` for a file the tool could not read or write (e.g. --out naming a file)."""
    reason = exc.strerror or str(exc)
    name = exc.filename
    return f"{name}: {reason}" if name else f"file system error: {reason}"


def unexpected_error(exc: BaseException, verbose: int) -> None:
    """The last guard: anything the tool did not raise on purpose exits 4 (never 1, which means findings).

    Prints one short line (secrets masked) with a hint to rerun with ``-v``; with ``-v`` the traceback too.
    """
    if verbose:
        err_console.print(redact_text("".join(traceback.format_exception(exc))), highlight=False, markup=False,
                          soft_wrap=True)
    hint = "" if verbose else "; rerun with -v to see the traceback"
    fail(EXIT_ERROR, f"unexpected {type(exc).__name__}: {exc}{hint} (this is a bug; please report it)")


def with_errors(func: F) -> F:
    """Decorator form of :func:`handled_errors`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with handled_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def load_config_or_exit(path: Path) -> AuditConfig:
    """Load the config and check its store type, formats and language against the registries; a missing
    file gets a hint to run ``auditor init``."""
    if not path.exists():
        fail(EXIT_INVALID, f"{path}: config file not found (create one with 'auditor init')")
    config = load_config(path)
    raise_if_problems(registry_problems(config))
    return config
