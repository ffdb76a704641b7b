"""The store interface: save a whole scan, list scans, load one back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, Self, TypeVar

from auditor.errors import AuditorError
from auditor.model import Inventory
from auditor.result import ScanResult


class StoreError(AuditorError):
    """The store could not be read or written; nothing was half-written."""


class DamagedScanError(StoreError):
    """A stored scan that no longer decodes; ``scan_id`` names it so callers can skip or delete it."""

    def __init__(self, scan_id: str, reason: str) -> None:
        self.scan_id = scan_id
        super().__init__(f"stored scan {scan_id} is damaged and cannot be read ({reason}); remove it with "
                         f"'auditor scans delete {scan_id}'")


T = TypeVar("T")


def guarded_read(scan_id: str, read: Callable[[], T]) -> T:
    """``read()``; anything but a :class:`StoreError` (a row that no longer decodes) → :class:`DamagedScanError`."""
    try:
        return read()
    except StoreError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        raise DamagedScanError(scan_id, f"{type(exc).__name__}: {exc}") from exc


#: The :class:`SaveProgress` phase of removing what the scan no longer has (its rows are deleted, not written).
STALE_PHASE = "stale"


class SaveProgress(Protocol):
    """Observer of a long :meth:`Store.save`, called after each committed piece of work.

    ``phase`` names a part of the save (the Neo4j store: ``nodes:<Label>``,
    ``relationships:<kind>``, ``stale``); ``done`` counts the rows of that phase written so far
    and ``total`` is how many it has (``None`` while unknown). Each phase is first reported with
    ``done == 0`` and last with ``done == total``; phases with nothing to do are not reported.
    Implementations must be quick and must not raise (an exception aborts the save).
    """

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        """Report that ``done`` of ``total`` rows of ``phase`` are written."""


@dataclass(frozen=True)
class ScanInfo:
    """One line of ``auditor scans list``."""

    id: str
    organization: str
    started_at: str
    tools: int
    integrations: int
    findings: int
    failed_sources: int = 0


class Store(ABC):
    """Base of every store. Scans are scoped by organization.

    A store whose saves take long (Neo4j) receives a :class:`~auditor.progress.ProgressDisplay` in its
    constructor and shows each save's :class:`SaveProgress` on it (:mod:`auditor.stores.save_display`);
    stores that save quickly need none.
    """

    def __init__(self, organization: str) -> None:
        self.organization = organization

    @abstractmethod
    def save(self, result: ScanResult) -> None:
        """Save a whole scan atomically: all of it or nothing."""

    @abstractmethod
    def scans(self) -> list[ScanInfo]:
        """This organization's scans, oldest first."""

    @abstractmethod
    def _load(self, scan_id: str) -> ScanResult:
        """Load the scan with this exact id (raises StoreError if absent)."""

    @abstractmethod
    def delete(self, scan_id: str) -> None:
        """Delete one scan."""

    @abstractmethod
    def last_inventory(self, source_name: str) -> tuple[str, Inventory] | None:
        """The most recent successfully read inventory of a source, with its scan id."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def resolve_id(self, reference: str) -> str:
        """``latest``, ``previous`` or an id (or unique id prefix) → a scan id."""
        ids = [s.id for s in self.scans()]
        if not ids:
            raise StoreError(f"no scans stored yet for organization '{self.organization}'; run 'auditor scan'")
        if reference == "latest":
            return ids[-1]
        if reference == "previous":
            if len(ids) < 2:
                raise StoreError("there is no previous scan (only one scan is stored)")
            return ids[-2]
        matches = [i for i in ids if i == reference] or [i for i in ids if i.startswith(reference)]
        if len(matches) > 1:
            shown = ", ".join(matches[:3]) + (f" and {len(matches) - 3} more" if len(matches) > 3 else "")
            raise StoreError(f"'{reference}' matches {len(matches)} scans ({shown}); give more of the id "
                             "(see 'auditor scans list')")
        if not matches:
            raise StoreError(f"no scan matches '{reference}'; see 'auditor scans list'")
        return matches[0]

    def load(self, reference: str = "latest") -> ScanResult:
        """Load a scan by id, unique id prefix, ``latest`` or ``previous``.

        A stored scan that no longer decodes raises a :class:`DamagedScanError` naming it (never a traceback).
        """
        scan_id = self.resolve_id(reference)
        return guarded_read(scan_id, lambda: self._load(scan_id))

    def load_light(self, reference: str = "latest") -> ScanResult:
        """Like :meth:`load`, for comparing with a scan by its findings: a store may read the rest lazily.

        The default reads the whole scan; the embedded store returns a :class:`~auditor.result.LazyScanResult`.
        """
        return self.load(reference)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
