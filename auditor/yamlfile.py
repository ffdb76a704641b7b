"""YAML loading that remembers the line of every value, so errors can name file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import InputError, Problem

PathKey = tuple[str | int, ...]


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


class _Builder:
    """Turns a composed YAML node tree into Python values while recording lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def _check_limits(self, node: yaml.Node, path: PathKey) -> None:
        if not path and _expanded_size(node, {}) > MAX_VALUES:
            raise InputError([Problem(self.file, node.start_mark.line + 1,
                                      f"expands to more than {MAX_VALUES:,} values (aliases of aliases?); "
                                      "refusing to read it")])
        if len(path) > MAX_DEPTH:
            raise InputError([Problem(self.file, node.start_mark.line + 1,
                                      f"nested more than {MAX_DEPTH} levels deep; refusing to read it")])

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self._check_limits(node, path)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool):
                    key = str(key)
                if key in result:
                    self.problems.append(
                        Problem(self.file, key_node.start_mark.line + 1, f"duplicate key '{key}'")
                    )
                child = (*path, str(key))
                result[key] = self.build(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
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
    """Parse YAML text (possibly multi-document); see :func:`load_yaml`."""
    documents: list[LocatedDocument] = []
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
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
        raise InputError([Problem(name, None, "not readable: nested too deeply")]) from None
    problems: list[Problem] = []
    for node in nodes:
        if node is None:
            continue
        builder = _Builder(name)
        try:
            data = builder.build(node, ())
        except yaml.YAMLError as exc:
            raise InputError([Problem(name, node.start_mark.line + 1, f"not valid YAML: {exc}")]) from None
        except (RecursionError, OverflowError, ValueError) as exc:  # e.g. a key that is itself deep
            raise InputError([Problem(name, node.start_mark.line + 1, f"not readable: {exc}")]) from None
        problems.extend(builder.problems)
        documents.append(LocatedDocument(name, data, builder.lines))
    if problems:
        raise InputError(problems)
    return documents
