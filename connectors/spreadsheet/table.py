"""Tabular files (CSV, XLSX) as plain, located rows; and lenient cell parsing with located errors.

Reading (:func:`read_tables`) is the only I/O and goes through pandas (openpyxl for ``.xlsx``).
Everything else here is pure and works on :class:`Sheet` values, so ``transform`` steps stay pure.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

from auditor.errors import InputError, Problem
from connectors.base import display_path

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
SUFFIXES = EXCEL_SUFFIXES + CSV_SUFFIXES


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV file): every cell as text, rows numbered as the user sees them.

    ``rows[i]`` is spreadsheet row ``i + 1``; empty cells are ``""``.
    """

    file: str
    name: str | None
    rows: tuple[tuple[str, ...], ...]

    def where(self) -> str:
        """``inventory.xlsx`` or ``inventory.xlsx [Applications]``."""
        return f"{self.file} [{self.name}]" if self.name else self.file


@dataclass(frozen=True)
class Row:
    """A data row addressed by header: ``row["Annual cost"]``; knows its file, sheet and number."""

    sheet: Sheet
    number: int
    values: Mapping[str, str]

    def get(self, column: str | None) -> str:
        """Stripped cell text of ``column`` ('' when the column is absent or the cell empty)."""
        if not column:
            return ""
        return self.values.get(column, "").strip()

    def problem(self, column: str | None, message: str) -> Problem:
        """A problem located at this row (and column): ``file:row: sheet 'S', column 'C': message``."""
        parts = []
        if self.sheet.name:
            parts.append(f"sheet '{self.sheet.name}'")
        parts.append(f"row {self.number}")
        if column:
            parts.append(f"column '{column}'")
        return Problem(self.sheet.file, self.number, f"{', '.join(parts)}: {message}")


@dataclass(frozen=True)
class Table:
    """A sheet read with a header row: the header names and the data rows below it."""

    sheet: Sheet
    headers: tuple[str, ...]
    header_row: int
    data: tuple[Row, ...]

    def find(self, candidates: Iterable[str]) -> str | None:
        """The first header matching one of ``candidates`` (case-, space- and punctuation-blind)."""
        by_key = {header_key(h): h for h in self.headers if h}
        for candidate in candidates:
            found = by_key.get(header_key(candidate))
            if found is not None:
                self._check_unique(found)
                return found
        return None

    def _check_unique(self, header: str) -> None:
        """:class:`InputError` when the column ``header`` the caller wants appears more than once."""
        key = header_key(header)
        columns = [i + 1 for i, h in enumerate(self.headers) if h and header_key(h) == key]
        if len(columns) > 1:
            raise InputError([self.problem(f"column '{header}' appears {len(columns)} times (columns "
                                           f"{', '.join(map(str, columns))}); rename or remove all but one "
                                           "(reading one of them would be a guess)")])

    def problem(self, message: str) -> Problem:
        """A problem located at the header row."""
        prefix = f"sheet '{self.sheet.name}', " if self.sheet.name else ""
        return Problem(self.sheet.file, self.header_row, f"{prefix}header row {self.header_row}: {message}")


def header_key(text: str) -> str:
    """How headers are compared: ``"Annual Cost (USD)"`` → ``"annualcostusd"``."""
    return re.sub(r"[\W_]+", "", text.casefold())


def table(sheet: Sheet, header_row: int | None = None, skip_after_header: int = 0) -> Table:
    """Split ``sheet`` into headers and data rows.

    ``header_row`` is 1-based; by default the first non-empty row. ``skip_after_header`` rows
    below the header are ignored (LeanIX exports put human labels there). Empty rows are dropped.
    """
    if header_row is None:
        header_row = next((i + 1 for i, r in enumerate(sheet.rows) if any(c.strip() for c in r)), 1)
    raw_headers = sheet.rows[header_row - 1] if len(sheet.rows) >= header_row else ()
    headers = tuple(h.strip() for h in raw_headers)
    rows = []
    for index in range(header_row + skip_after_header, len(sheet.rows)):
        cells = sheet.rows[index]
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}
        rows.append(Row(sheet, index + 1, values))
    return Table(sheet, headers, header_row, tuple(rows))


def read_tables(path: Path, *, encoding: str = "utf-8-sig", delimiter: str | None = None) -> list[Sheet]:
    """Read a CSV file (one sheet) or every sheet of an XLSX workbook, cells as text.

    Raises ``OSError``/``ValueError`` from pandas; callers turn them into located errors.
    """
    import pandas as pd  # heavy import, only when a spreadsheet source is read

    display = display_path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        try:
            frames = pd.read_excel(path, sheet_name=None, header=None, dtype=str, keep_default_na=False,
                                   engine="openpyxl")
        except (zipfile.BadZipFile, KeyError, EOFError, ElementTree.ParseError) as exc:  # corrupt or truncated
            raise ValueError(f"not a readable {suffix} workbook ({type(exc).__name__}: {exc})") from exc
        return [Sheet(display, str(name), _cells(frame.values.tolist())) for name, frame in frames.items()]
    sep = delimiter or ("\t" if suffix == ".tsv" else ",")
    try:
        frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False,
                            encoding=encoding, sep=sep)
    except UnicodeDecodeError as exc:
        raise ValueError(undecodable(path, encoding)) from exc
    return [Sheet(display, None, _cells(frame.values.tolist()))]


def undecodable(path: Path, encoding: str) -> str:
    """Where ``path`` stops being ``encoding`` text, and which encoding it looks like (charset-normalizer)."""
    from charset_normalizer import from_bytes

    raw = path.read_bytes()
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        where = f"line {line} is not {encoding} text (byte 0x{raw[exc.start]:02x})"
    else:  # pandas decodes in chunks; the file as a whole may still decode
        where = f"the file is not {encoding} text"
    candidates = [m.encoding for m in from_bytes(raw)
                  if m.encoding.replace("_", "-") not in {encoding.replace("_", "-"), "utf-8"}][:3]
    if not candidates:
        return f"{where}; set 'encoding' to the file's encoding"
    if len(candidates) == 1:
        return f"{where}; it looks like {candidates[0]}: set 'encoding: {candidates[0]}' on this source"
    return f"{where}; it looks like one of {', '.join(candidates)}: set 'encoding' on this source to the right one"


def _cells(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple("" if cell is None else str(cell) for cell in row) for row in rows)


def files_in(root: Path) -> list[Path]:
    """``root`` itself, or the spreadsheet files directly inside the folder ``root``, sorted."""
    if root.is_dir():
        return sorted(p for p in root.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("~$"))
    return [root]


# --- cell parsing --------------------------------------------------------------------------------

_NUMBER_NOISE = re.compile(r"[\s$€£¥₹]|(?<=\d),(?=\d{3}\b)|^[A-Z]{3}\s*|\s*[A-Z]{3}$")
_TRUE = {"yes", "y", "true", "1", "x", "sanctioned", "approved"}
_FALSE = {"no", "n", "false", "0", "unsanctioned", "unapproved"}


def parse_number(text: str) -> float:
    """``"$12,000.50"``, ``"12000"``, ``"EUR 99"``, ``"(25.00)"`` → float; ``ValueError`` otherwise."""
    value = text.strip()
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()")
    value = _NUMBER_NOISE.sub("", value)
    number = in_range(float(value), text)
    return -number if negative else number


#: The largest amount or count a cell may hold: beyond it (``1e309``, ``inf``, ``NaN``) a cell is not a number.
MAX_NUMBER = 1e15

N = TypeVar("N", float, Decimal)


def in_range(number: N, text: str) -> N:
    """``number`` when finite and at most :data:`MAX_NUMBER` in size; ``ValueError(text)`` otherwise."""
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ValueError(text)
    return number


def parse_int(text: str) -> int:
    """``"1,200"`` or ``"1200.0"`` → 1200; ``ValueError`` for fractions and words."""
    number = parse_number(text)
    if number != int(number):
        raise ValueError(text)
    return int(number)


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0, y/n, x → bool; ``ValueError`` otherwise."""
    key = text.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(text)


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                 "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(text: str, fmt: str | None = None) -> date:
    """ISO 8601 (``2024-03-05T10:00:00Z``), ``2024-03-05 10:00:00``, ``03/05/2024`` (US) … → date."""
    value = text.strip()
    if fmt:
        return datetime.strptime(value, fmt).date()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for candidate in _DATE_FORMATS:
        try:
            return datetime.strptime(value, candidate).date()
        except ValueError:
            continue
    raise ValueError(text)


def split_list(text: str) -> tuple[str, ...]:
    """``"Sales; Marketing, Support"`` → ``("Sales", "Marketing", "Support")`` (order kept, no blanks)."""
    parts = (p.strip() for p in re.split(r"[;,\n|]", text))
    return tuple(dict.fromkeys(p for p in parts if p))
