"""The connector interface: a settings dataclass, a dumb ``get`` and a pure ``transform``."""

from __future__ import annotations

import dataclasses
import types
import typing
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import typing_extensions

from auditor.errors import AuditorError, Problem
from auditor.gcpause import gc_paused
from auditor.model import Inventory, SourceRef
from auditor.progress import ProgressDisplay
from connectors.sanity import tidy


class ConnectorError(AuditorError):
    """A source could not be read: names the source, the place (URL or file) and what to do."""

    def __init__(self, source: str, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.source = source
        self.where = where
        self.hint = hint
        text = f"source '{source}': {message}"
        if where:
            text += f" ({where})"
        if hint:
            text += f". {hint}"
        super().__init__(text)


@dataclass(frozen=True)
class ConnectorContext:
    """What a connector may use besides its settings: the config folder, a progress display and the
    reporting currency (``report.currency``; None: amounts are taken as written)."""

    source_name: str
    base_dir: Path
    progress: ProgressDisplay | None = None
    currency: str | None = None

    def path(self, value: str) -> Path:
        """A path from the settings, relative to the config file's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def existing_path(self, value: str, what: str) -> Path:
        """:meth:`path` of the ``path`` setting; a :class:`ConnectorError` "<what> not found" when it is missing."""
        path = self.path(value)
        if not path.exists():
            raise ConnectorError(self.source_name, f"{what} not found", where=str(path),
                                 hint="check 'path' in the config (relative to the config file)")
        return path


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the current folder when under it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


SettingsT = TypeVar("SettingsT")
#: What a connector's ``get`` returns and its ``transform`` reads. Each built-in connector names it
#: (``Connector[LandscapeSettings, list[LocatedDocument]]``); a connector that names only its settings
#: (``Connector[MySettings]``, as third-party connectors written before it do) gets ``Any`` (PEP 696 default).
RawT = typing_extensions.TypeVar("RawT", default=Any)

#: What a transform raises when a record is not shaped as the API documents it.
UNPLANNED_SHAPE = (TypeError, AttributeError, KeyError, IndexError, ValueError, ArithmeticError, RecursionError)
#: The start of the message of a source failed by such a record (the fuzz suite counts these).
UNREADABLE_RECORD = "a record has a shape this connector cannot read"


class Connector(ABC, Generic[SettingsT, RawT]):
    """Base of every connector: ``Connector[Settings, Raw]``. Subclasses set ``type_id``, ``settings_class``,
    ``sanctioned``; ``Raw`` is what :meth:`get` returns (optional: ``Any`` when left out)."""

    type_id: ClassVar[str]
    description: ClassVar[str] = ""
    settings_class: ClassVar[type[Any]]
    #: Whether this source is an official inventory (True) or a discovery source such as SSO,
    #: OAuth grants or spend (False): tools only discovery sources report are shadow IT.
    sanctioned: ClassVar[bool] = True

    def __init__(self, settings: SettingsT, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context

    def provenance(self, source_id: str | None = None, **extra: Any) -> SourceRef:
        """Provenance for a record of this source."""
        return SourceRef(self.context.source_name, self.type_id, source_id, self.sanctioned, **extra)

    @abstractmethod
    def get(self) -> RawT:
        """Fetch the raw data (API pages or files). Raises :class:`ConnectorError`."""

    @abstractmethod
    def transform(self, raw: RawT) -> Inventory:
        """Turn raw data into an :class:`Inventory`; pure, no I/O."""

    def check_settings(self) -> list[str]:
        """Problems with the settings that their types cannot show (e.g. a rate that is not positive);
        the caller locates them at the source's entry in the config. Default: none."""
        return []

    def is_local(self) -> bool:
        """Whether this source only reads local files (``auditor validate`` reads those)."""
        return False

    def unset_secrets(self) -> list[str]:
        """Environment variables this source needs that are not set (never their values); file sources need none."""
        return []

    def collect(self) -> Inventory:
        """``transform(get())``, guarded (see :meth:`transform_checked`); the collector is paused while
        ``transform`` builds the records (up to millions of small acyclic records: see auditor.gcpause)."""
        raw = self.get()
        with gc_paused():
            return self.transform_checked(raw)

    def transform_checked(self, raw: RawT) -> Inventory:
        """:meth:`transform`, then :func:`connectors.sanity.tidy` (nameless tools, self-integrations dropped with a
        warning); a record of a shape the connector did not plan for (a list where an object was expected …)
        fails this source with a :class:`ConnectorError` naming it, never the whole scan."""
        try:
            return tidy(self.transform(raw), self.context.source_name)
        except AuditorError:
            raise
        except UNPLANNED_SHAPE as exc:
            raise ConnectorError(self.context.source_name, f"{UNREADABLE_RECORD} ({type(exc).__name__}: {exc}); "
                                 "the source is skipped", hint="Please report it with the record (secrets "
                                 "removed)") from exc


def _accepts(annotation: Any, value: Any) -> bool:
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(arg, value) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin in (tuple, list):
        return isinstance(value, list | tuple)
    if origin in (dict, typing.Mapping) or annotation is dict:
        return isinstance(value, dict)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True


def build_settings(
    cls: type[SettingsT], values: dict[str, Any], where: Problem
) -> tuple[SettingsT | None, list[Problem]]:
    """Build a settings dataclass from config keys, reporting unknown, missing and mistyped keys.

    ``where`` is a template problem (file, line, prefix) used to locate the messages.
    """
    problems: list[Problem] = []
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in values:
        if key not in fields:
            problems.append(Problem(where.file, where.line, f"{where.message}unknown setting '{key}'; "
                                    f"allowed: {', '.join(sorted(fields))}"))
    for name, spec in fields.items():
        required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
        if name not in values:
            if required:
                problems.append(Problem(where.file, where.line, f"{where.message}missing required setting '{name}'"))
            continue
        if not _accepts(hints[name], values[name]):
            problems.append(Problem(where.file, where.line,
                                    f"{where.message}setting '{name}' has the wrong type ({values[name]!r})"))
    if problems:
        return None, problems
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(**converted), []


def describe_settings(cls: type[Any]) -> list[tuple[str, str, str, str]]:
    """``(name, type, default, help)`` rows for ``auditor connectors``.

    ``name`` first, then the settings the class declares itself, then those it inherits from shared bases
    (e.g. the currency settings of spend and spreadsheet), each group in declaration order.
    """
    own = cls.__dict__.get("__annotations__", {})
    fields = sorted(dataclasses.fields(cls), key=lambda f: (f.name != "name", f.name not in own))
    rows = []
    for spec in fields:
        if spec.default is not dataclasses.MISSING:
            default = repr(spec.default)
        elif spec.default_factory is not dataclasses.MISSING:
            default = repr(spec.default_factory())
        else:
            default = "(required)"
        type_name = spec.type if isinstance(spec.type, str) else getattr(spec.type, "__name__", str(spec.type))
        rows.append((spec.name, str(type_name), default, str(spec.metadata.get("help", ""))))
    return rows
