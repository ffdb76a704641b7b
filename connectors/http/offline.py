"""Offline audits: read saved API pages instead of calling the API (``file:`` in a source's settings).

An export is organised in *sections* (``apps``, ``app_users`` …), the same sections the connector's
``get`` returns. Two layouts are accepted:

* **one JSON file**: an object ``{"<section>": value, …}``; or, for the connector's first section
  only, the saved answer of its list endpoint as is (a bare list, or one page);
* **a folder**: ``<section>.json``, ``<section>-page2.json`` … (pages, in page order), and for
  *keyed* sections (one list per parent, e.g. the users of each app) a sub-folder
  ``<section>/<key>.json`` (``<key>-page2.json`` … for further pages).

A section's value may be a list of items, one saved page, or a list of saved pages; a keyed
section's value is an object ``{"<key>": value}``. Items are taken out of pages with the section's
paginator, so ``{"value": [...], "@odata.nextLink": ...}`` pages can be saved verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from connectors.base import ConnectorError
from connectors.http.pagination import PageShapeError, Paginator, dig

#: One item of an API answer as the API wrote it (an object, when the API keeps its documentation): its shape is
#: not known until a ``transform`` reads it, and each transform checks what it reads (tests/fuzz).
ApiItem: TypeAlias = Any
#: A section of saved pages: its items, in the API's order.
Items: TypeAlias = list[ApiItem]
#: A keyed section (``Section(keyed=True)``): each key (an app id …) to its items.
KeyedItems: TypeAlias = dict[str, Items]
#: The raw data of a connector whose sections are all plain lists: section name → its items.
ApiSections: TypeAlias = dict[str, Items]

_PAGE_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:-page(?P<page>\d+))?$")


@dataclass(frozen=True)
class Section:
    """One part of an export: its ``name``, how to find items in a saved page, and whether it is keyed."""

    name: str
    paginator: Paginator
    keyed: bool = False


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogate_at(value: Any) -> str | None:
    """The JSON path (``[0].label``) of the first string holding a lone surrogate (``\\ud800`` without its
    pair: valid JSON, but no character; a report holding it could not be written as UTF-8), or None."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return path or "(top level)"
        elif isinstance(item, dict):
            stack.extend((f"{path}.{key}", key) for key in reversed(list(item)))
            stack.extend((f"{path}.{key}", child) for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None


def parse_json_text(source: str, text: str | bytes, where: str, hint: str) -> Any:
    """``json.loads(text)``; a :class:`ConnectorError` at ``where`` (with line and column) when it is not JSON,
    nested too deeply, or holds a lone surrogate."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConnectorError(source, f"the export is not valid JSON: {exc.msg}",
                             where=f"{where}:{exc.lineno}:{exc.colno}", hint=hint) from None
    except RecursionError:
        raise ConnectorError(source, "the JSON is nested too deeply to read", where=where, hint=hint) from None
    if _SURROGATE_ESCAPE.search(text if isinstance(text, str) else text.decode("utf-8", "replace")):
        path = lone_surrogate_at(data)
        if path:
            raise ConnectorError(source, f"the JSON holds a lone surrogate (\\uD800-\\uDFFF without its pair) at "
                                 f"{path}, which is no character", where=where,
                                 hint="the exporting system damaged the text; export it again")
    return data


def read_json(source: str, path: Path) -> Any:
    """Parse one JSON file; :class:`ConnectorError` naming the file, line and column when it is broken."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # answers saved with a byte-order mark read too
    except (OSError, UnicodeDecodeError) as exc:
        raise ConnectorError(source, f"cannot read the export: {exc}", where=str(path),
                             hint="check 'file' in the config (relative to the config file)") from exc
    return parse_json_text(source, text, str(path), "save the API answers unchanged as UTF-8 JSON")


def _is_page(element: Any, paginator: Paginator) -> bool:
    if isinstance(element, list):
        return True
    items_path = getattr(paginator, "items_path", ())
    return isinstance(element, dict) and bool(items_path) and isinstance(dig(element, items_path), list)


def section_items(value: Any, paginator: Paginator) -> list[Any]:
    """Items of a saved section value: a list of items, one page, or a list of pages."""
    if isinstance(value, list):
        items: list[Any] = []
        for element in value:
            items.extend(paginator.items(element) if _is_page(element, paginator) else [element])
        return items
    return paginator.items(value)


def load_export(source: str, path: Path, sections: Sequence[Section]) -> dict[str, Any]:
    """Read an export (file or folder) into ``{section: [items]}`` / ``{section: {key: [items]}}``.

    A section holding something else than its items (``{}`` or ``null`` for a list) is a
    :class:`ConnectorError`, never an empty section.
    """
    if not path.exists():
        raise ConnectorError(source, "export not found", where=str(path),
                             hint="check 'file' in the config (relative to the config file)")
    try:
        return _load_folder(source, path, sections) if path.is_dir() else _load_file(source, path, sections)
    except PageShapeError as exc:
        raise ConnectorError(source, f"the export is not a list of items: {exc}", where=str(path),
                             hint="save the API answers unchanged; see the connector's docs page for the layout") \
            from None


def _load_file(source: str, path: Path, sections: Sequence[Section]) -> dict[str, Any]:
    document = read_json(source, path)
    found: dict[str, Any] = {s.name: ({} if s.keyed else []) for s in sections}
    names = {s.name for s in sections}
    if isinstance(document, dict) and names & document.keys():
        for section in sections:
            value = document.get(section.name)
            if value is None:
                continue
            if section.keyed:
                if not isinstance(value, dict):
                    raise ConnectorError(source, f"section '{section.name}' must map each key to its items",
                                         where=str(path), hint="see the connector's docs page for the layout")
                found[section.name] = {str(k): section_items(v, section.paginator) for k, v in value.items()}
            else:
                found[section.name] = section_items(value, section.paginator)
        return found
    first = sections[0]
    if isinstance(document, list) or _is_page(document, first.paginator):
        found[first.name] = section_items(document, first.paginator)
        return found
    raise ConnectorError(source, f"the export has none of the sections {', '.join(sorted(names))}",
                         where=str(path), hint="see the connector's docs page for the export layout")


def _load_folder(source: str, folder: Path, sections: Sequence[Section]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for section in sections:
        if section.keyed:
            per_key: dict[str, list[Any]] = {}
            sub = folder / section.name
            for file in _ordered(sub.glob("*.json")) if sub.is_dir() else []:
                key = _stem(file)
                per_key.setdefault(key, []).extend(section_items(read_json(source, file), section.paginator))
            found[section.name] = per_key
        else:
            files = [f for f in _ordered(folder.glob("*.json")) if _stem(f) == section.name]
            found[section.name] = [item for f in files
                                   for item in section_items(read_json(source, f), section.paginator)]
    if not any(found.values()) and not any(folder.glob("*.json")):
        raise ConnectorError(source, "the export folder holds no JSON files", where=str(folder),
                             hint="save each API page as <section>.json, <section>-page2.json …")
    first = sections[0].name
    if not any(_stem(f) == first for f in folder.glob("*.json")):
        others = ", ".join(sorted(f.name for f in folder.glob("*.json"))[:5])
        raise ConnectorError(source, f"the export folder has no {first}.json (found: {others})", where=str(folder),
                             hint=f"name the saved pages {first}.json, {first}-page2.json …; a missing file "
                                  "would read as a source with nothing in it")
    return found


def _stem(file: Path) -> str:
    match = _PAGE_SUFFIX.match(file.stem)
    return match.group("stem") if match else file.stem


def _ordered(files: Iterable[Path]) -> list[Path]:
    """Files by key, then page number (``apps``, ``apps-page2``, ``apps-page10``)."""
    def key(file: Path) -> tuple[str, int]:
        match = _PAGE_SUFFIX.match(file.stem)
        page = match.group("page") if match else None
        return (_stem(file), int(page) if page else 1)
    return sorted(files, key=key)
