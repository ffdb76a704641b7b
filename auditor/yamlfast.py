"""The fast way to read a plain YAML file: libyaml's events straight to values and lines, no node tree.

:func:`auditor.yamlfile.load_yaml_text` composes libyaml's nodes (a Python object and two marks per value) and
then builds values from them: about 3.1 s of CPU for a 6.4 MiB, 10,000-tool landscape. Most files use none of
YAML's rarer features, and for them :func:`plain_documents` builds the same values and the same line map
directly from the parser's events (about 2.0 s). It gives up (returns None) on anything else — an anchor or
alias, an explicit tag, a collection as a key, a merge key, a duplicate key, nesting near the depth limit, more
values than the limit, any parser or constructor error — and the caller then takes the full way, which
reads the file again and reports whatever is wrong exactly as before. So a file either reads the same both
ways, or is read only the full way.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

#: A value's place in a document: mapping keys (as strings) and sequence indexes.
PathKey = tuple[str | int, ...]


class _GiveUp(Exception):
    """Something only the full way reads (or reports)."""


def plain_documents(text: str, loader: Any, max_depth: int, max_values: int) -> list[tuple[Any, dict[PathKey, int]]]\
        | None:
    """Every document's value and line map (as the full way builds them), or None to take the full way.

    ``loader`` is a libyaml loader class (``yaml.CSafeLoader``); ``max_depth`` and ``max_values`` are the full
    way's limits: a document near the first or over the second is left to it (to refuse).
    """
    parser = loader(text)
    try:
        if parser.yaml_path_resolvers:  # tags by position: only the composer applies them
            return None
        reader = _EventReader(parser, max_depth)
        documents = []
        parser.get_event()  # the stream's start
        while type(parser.get_event()) is not StreamEndEvent:  # a document's start
            data, lines, keys = reader.document()
            if len(lines) + keys > max_values:  # the full way's count: the root, 2 per key, 1 per item
                return None
            documents.append((data, lines))
        return documents
    except Exception:  # noqa: BLE001 - whatever it is, the full way reads the file again and reports it
        return None
    finally:
        parser.dispose()


class _EventReader:
    """Builds one document at a time from the parser's events (plain scalars resolved as PyYAML resolves them)."""

    def __init__(self, parser: Any, max_depth: int) -> None:
        self._next = parser.get_event
        self._max_depth = max_depth
        self._resolvers = parser.yaml_implicit_resolvers
        self._by_first: dict[str, list[tuple[str, Any]]] = {}
        self._constructor = yaml.SafeLoader("")
        self._scalars = self._constructor.yaml_constructors

    def _candidates(self, first: str) -> list[tuple[str, Any]]:
        """Resolver.resolve's order for a plain scalar starting with ``first``: its resolvers, then the rest."""
        candidates: list[tuple[str, Any]] = [*self._resolvers.get(first, []), *self._resolvers.get(None, [])]
        self._by_first[first] = candidates
        return candidates

    def _resolved(self, value: str, candidates: list[tuple[str, Any]]) -> Any:
        """A plain scalar's value: the first matching tag (as PyYAML resolves it), built by its constructor."""
        for tag, pattern in candidates:
            if pattern.match(value):
                constructor = self._scalars.get(tag)
                if constructor is None:  # merge keys and other tags without a plain constructor
                    raise _GiveUp
                return constructor(self._constructor, yaml.ScalarNode(tag, value))
        return value

    def document(self) -> tuple[Any, dict[PathKey, int], int]:
        """The next document's value, lines (the full way's: every key's line, every item's, the root's) and keys."""
        lines: dict[PathKey, int] = {}
        top: list[Any] = []
        stack: list[tuple[Any, PathKey, bool]] = []
        container: Any = top
        path: PathKey = ()
        in_mapping = False
        key: Any = None
        has_key = False
        keys = 0
        next_event = self._next
        by_first = self._by_first
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _GiveUp
                value = event.value
                if event.implicit[0]:  # plain (not quoted, not a block): resolved like PyYAML
                    first = value[:1]
                    candidates = by_first.get(first)
                    if candidates is None:
                        candidates = self._candidates(first)
                    if candidates:
                        value = self._resolved(value, candidates)
                if not in_mapping:
                    lines[(*path, len(container)) if container is not top else ()] = event.start_mark.line + 1
                    container.append(value)
                elif has_key:
                    container[key] = value
                    has_key = False
                else:
                    if not isinstance(value, str | int | float | bool):
                        value = str(value)
                    if value in container:  # a duplicate key: the full way reports it
                        raise _GiveUp
                    key, has_key = value, True
                    keys += 1
                    lines[(*path, str(value))] = event.start_mark.line + 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or (in_mapping and not has_key):
                    raise _GiveUp  # anchored, tagged, or a collection as a key
                new: Any = {} if kind is MappingStartEvent else []
                if in_mapping:
                    child: PathKey = (*path, str(key))
                    container[key] = new
                    has_key = False
                else:
                    child = (*path, len(container)) if container is not top else ()
                    lines[child] = event.start_mark.line + 1
                    container.append(new)
                if len(child) >= self._max_depth:
                    raise _GiveUp
                stack.append((container, path, in_mapping))
                container, path, in_mapping = new, child, kind is MappingStartEvent
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                container, path, in_mapping = stack.pop()
            elif kind is DocumentEndEvent:
                return top[0], lines, keys
            else:  # an alias
                raise _GiveUp
