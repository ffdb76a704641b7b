"""YAML loading that remembers the line of every value, so errors can name file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import InputError, Problem
from auditor.gcpause import gc_paused
from auditor.yamlfast import PathKey, plain_documents


@dataclass
class LocatedDocument:
    """A parsed YAML document plus a map from JSON path to 1-based line number."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the value at ``path``, or of its nearest located parent."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def problem(self, path: PathKey, message: str) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        return Problem(self.file, self.line_of(path), message)


#: Limits against hostile files: bytes read, nesting levels, and values built (aliases count every time
#: they are expanded, so a "billion laughs" file stops here instead of filling the memory).
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 100
MAX_VALUES = 5_000_000


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values ``node`` becomes with every alias expanded (shared nodes counted once per use, cheaply)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo) for item in node.value)
    memo[id(node)] = size
    return size


_STR_TAG = "tag:yaml.org,2002:str"


# libyaml's parser and composer (C) when PyYAML was built with it; the pure-Python ones otherwise.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    """Turns a composed YAML node tree into Python values while recording lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._scalars = self._constructor.yaml_constructors
        self._values = 1  # nodes built so far (the root and every child of a built collection)

    def build_root(self, node: yaml.Node, aliases: bool) -> Any:
        """The document's value; refused when it expands to more than :data:`MAX_VALUES` values.

        With ``aliases`` possible (the text has an anchor) the expanded size is counted before building
        anything, so an alias bomb never fills the memory; without, every node is built once, so the
        count is taken while building (no second walk) and checked after — and when building fails,
        the size is counted first, so the same error wins as if it had been checked before.
        """
        if aliases:
            self._refuse_if_larger(_expanded_size(node, {}), node)
            return self.build(node, ())
        try:
            data = self.build(node, ())
        except Exception:
            self._refuse_if_larger(_expanded_size(node, {}), node)
            raise
        self._refuse_if_larger(self._values, node)
        return data

    def _refuse_if_larger(self, size: int, node: yaml.Node) -> None:
        if size > MAX_VALUES:
            raise InputError([Problem(self.file, node.start_mark.line + 1,
                                      f"expands to more than {MAX_VALUES:,} values (aliases of aliases?); "
                                      "refusing to read it")])

    def _check_limits(self, node: yaml.Node, path: PathKey) -> None:
        if len(path) > MAX_DEPTH:
            raise InputError([Problem(self.file, node.start_mark.line + 1,
                                      f"nested more than {MAX_DEPTH} levels deep; refusing to read it")])

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._check_limits(node, path)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            self._values += 2 * len(node.value)
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode:  # a collection as a key: its values count too
                    self._values += _expanded_size(key_node, {}) - 1
                key = self._scalar(key_node)
                if not isinstance(key, str | int | float | bool):
                    key = str(key)
                if key in result:
                    self.problems.append(
                        Problem(self.file, key_node.start_mark.line + 1, f"duplicate key '{key}'")
                    )
                child = (*path, str(key))
                if type(value_node) is yaml.ScalarNode:  # most values: no call; located at their key's line
                    result[key] = self._scalar(value_node)
                else:
                    result[key] = self.build(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            self._values += len(node.value)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        """A scalar's value (plain strings directly, other tags by PyYAML's safe constructors)."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            constructor = self._scalars.get(node.tag)
            if constructor is not None:
                return constructor(self._constructor, node)
        return self._constructor.construct_object(node, deep=True)


def load_yaml(path: Path, display: str | None = None) -> list[LocatedDocument]:
    """Load every document of a YAML file with line information.

    Raises :class:`InputError` naming the file and line when the file is unreadable or not YAML.
    """
    name = display or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError([Problem(name, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB; refusing "
                                                  "to read it")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, "file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(name, None, f"cannot read file: {exc.strerror or exc}")]) from None
    return load_yaml_text(decode_utf8(data, name), name)


def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8; :class:`InputError` naming the line of the first bad byte (and Shift-JIS when it is)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = "save it as UTF-8"
        try:
            data.decode("shift_jis")
            hint = "it looks like Shift-JIS: save it as UTF-8 (e.g. iconv -f SHIFT_JIS -t UTF-8)"
        except UnicodeDecodeError:
            pass
        raise InputError([Problem(name, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); {hint}")]) from None


def load_yaml_text(text: str, name: str) -> list[LocatedDocument]:
    """Parse YAML text (possibly multi-document); see :func:`load_yaml`.

    A plain text is read from libyaml's events (:mod:`auditor.yamlfast`: same values, same lines); anything
    else, or anything wrong, the full way: libyaml (PyYAML's C classes) parses and composes; a text it rejects
    is read again with the pure-Python classes, so the error is worded, located and quoted exactly as they
    report it (and a text only libyaml rejects is still read).
    """
    with gc_paused():  # millions of acyclic nodes: collections would walk them again and again
        if _FAST_LOADER is not yaml.SafeLoader:
            plain = plain_documents(text, _FAST_LOADER, MAX_DEPTH, MAX_VALUES)
            if plain is not None:
                return [LocatedDocument(name, data, lines) for data, lines in plain]
            try:
                return _documents(text, name, _FAST_LOADER)
            except yaml.MarkedYAMLError as exc:
                if exc.problem == "exceeded maximum nesting depth":  # libyaml's limit (1,000 levels): the classes
                    raise _too_deep(name) from None  # below would recurse to Python's (~1 s) to say the same
            except yaml.YAMLError:
                pass
        return _slow_documents(text, name)


def _too_deep(name: str) -> InputError:
    return InputError([Problem(name, None, "not readable: nested too deeply")])


def _slow_documents(text: str, name: str) -> list[LocatedDocument]:
    """:func:`_documents` with PyYAML's pure-Python classes, their errors turned into located problems."""
    try:
        return _documents(text, name, yaml.SafeLoader)
    except _BuildError as exc:
        raise InputError([Problem(name, exc.line, f"not valid YAML: {exc.message}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise InputError([Problem(name, line, f"not valid YAML: {exc.problem}")]) from None
    except yaml.reader.ReaderError as exc:  # NUL and other characters YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise InputError([Problem(name, line, f"not valid YAML: character U+{code:04X} is not allowed "
                                              "in a YAML file")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise _too_deep(name) from None


class _BuildError(yaml.YAMLError):
    """A value that cannot be built (unknown tag…): the constructor's message, at its document's line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _documents(text: str, name: str, loader: Any) -> list[LocatedDocument]:
    """Compose and build every document with ``loader``; YAML errors propagate, duplicate keys are problems."""
    documents: list[LocatedDocument] = []
    nodes = list(yaml.compose_all(text, Loader=loader))
    problems: list[Problem] = []
    aliases = "&" in text  # no anchor, no alias: every node is built once
    for node in nodes:
        if node is None:
            continue
        builder = _Builder(name)
        try:
            data = builder.build_root(node, aliases)
        except yaml.YAMLError as exc:
            raise _BuildError(str(exc), node.start_mark.line + 1) from None
        except (RecursionError, OverflowError, ValueError) as exc:  # e.g. a key that is itself deep
            raise InputError([Problem(name, node.start_mark.line + 1, f"not readable: {exc}")]) from None
        problems.extend(builder.problems)
        documents.append(LocatedDocument(name, data, builder.lines))
    if problems:
        raise InputError(problems)
    return documents
