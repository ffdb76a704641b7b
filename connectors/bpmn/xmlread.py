"""Safe XML reading with line numbers: defusedxml (no DTDs, entities or external references) plus
the line of every element, so errors can say ``file:line``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from auditor.errors import InputError, Problem
from auditor.gcpause import gc_paused


class _LineParser(DefusedXMLParser):  # type: ignore[misc]  # defusedxml ships no type hints
    """defusedxml's parser (the pure-Python one) that notes the line each element starts on."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True)
        self.lines: dict[Element, int] = {}

    def _start(self, tag: Any, attr_list: Any) -> Element:
        element: Element = super()._start(tag, attr_list)
        self.lines[element] = self.parser.CurrentLineNumber
        return element


@dataclass(frozen=True)
class XmlDocument:
    """A parsed XML file: its root element and the line of each element."""

    file: str
    root: Element
    lines: dict[Element, int]

    def line(self, element: Element) -> int | None:
        """The line ``element`` starts on."""
        return self.lines.get(element)


def read_xml(path: Path, display: str) -> XmlDocument:
    """Parse ``path`` safely; a broken or unsafe file is an :class:`InputError` naming ``display`` and the line."""
    parser = _LineParser()
    try:
        with path.open("rb") as handle, gc_paused():
            while chunk := handle.read(1 << 20):
                parser.feed(chunk)
        root = parser.close()
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError([Problem(display, line, f"not well-formed XML: {exc}")]) from None
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise InputError([Problem(display, line, f"refused unsafe XML ({type(exc).__name__}): DTDs, entities "
                                                 "and external references are not read")]) from None
    except OSError as exc:
        raise InputError([Problem(display, None, f"cannot read the file: {exc.strerror or exc}")]) from None
    return XmlDocument(display, root, parser.lines)
