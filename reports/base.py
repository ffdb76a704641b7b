"""The renderer interface: data in, files out, no logic."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from auditor.errors import AuditorError
from auditor.result import ScanResult


class RenderError(AuditorError):
    """A report could not be written."""


class Renderer(ABC):
    """Base of every renderer; ``format`` is the id used in ``--format`` and ``report.formats``.

    ``previous`` is the scan before, or None. In ``auditor scan`` it comes from ``Store.load_light``: its
    ``scan``, ``findings``, ``scores`` and ``extra`` are read at once, its ``graph`` and ``inventories`` from
    the store the first time a renderer touches them (the built-in ones use only the findings).
    """

    format: ClassVar[str]

    def __init__(self, lang: str = "en", previous: ScanResult | None = None) -> None:
        self.lang = lang
        self.previous = previous

    @abstractmethod
    def render(self, result: ScanResult, out_dir: Path) -> list[Path]:
        """Write this format's files into ``out_dir``; return the paths written."""
