"""Broken and hostile spreadsheet and spend files: a located error naming the file, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from auditor.errors import AuditorError, InputError
from auditor.model import Inventory
from connectors.base import ConnectorContext, ConnectorError
from connectors.registry import load


def collect(type_id: str, base: Path, **settings: Any) -> Inventory:
    cls = load(type_id)
    return cls(cls.settings_class(**settings), ConnectorContext(type_id, base)).collect()


def workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Annual cost"])
    sheet.append(["Slack", 100])
    book.save(path)
    return path


@pytest.mark.parametrize("damage", ["truncated", "not a zip"])
def test_a_corrupt_workbook_fails_the_source_naming_the_file(tmp_path: Path, damage: str) -> None:
    data = workbook(tmp_path / "inv.xlsx").read_bytes()
    (tmp_path / "inv.xlsx").write_bytes(data[: len(data) // 2] if damage == "truncated" else b"PK\x03\x04" * 40)
    with pytest.raises(ConnectorError, match=r"cannot read spreadsheet: not a readable \.xlsx workbook "
                                             r"\(BadZipFile"):
        collect("spreadsheet", tmp_path, path="inv.xlsx")


def test_a_workbook_declaring_xml_entities_is_refused(tmp_path: Path) -> None:
    source = zipfile.ZipFile(workbook(tmp_path / "plain.xlsx"))
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                at = text.index("?>") + 2 if "?>" in text else 0
                data = (text[:at] + '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                        + text[at:]).encode()
            out.writestr(item, data)
    (tmp_path / "plain.xlsx").unlink()
    with pytest.raises(ConnectorError, match="cannot read spreadsheet"):
        collect("spreadsheet", tmp_path, path="bomb.xlsx")


def test_a_duplicated_header_the_connector_reads_is_a_located_problem(tmp_path: Path) -> None:
    (tmp_path / "inv.csv").write_text("Name,Annual cost,Name,Notes,Notes\nSlack,100,Zoom,a,b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect("spreadsheet", tmp_path, path="inv.csv")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'inv.csv'}:1: header row 1: column 'Name' appears 2 times (columns 1, 3); rename or remove "
        "all but one (reading one of them would be a guess)"]


def test_a_year_one_spend_date_is_a_problem_not_a_centuries_long_period(tmp_path: Path) -> None:
    (tmp_path / "spend.csv").write_text("Timestamp,Merchant,Amount,MCC,Category,Tag\n"
                                        "0001-01-01,Slack,100,5734,Software,\n2024-06-01,Slack,100,5734,Software,\n",
                                        encoding="utf-8")
    with pytest.raises(AuditorError, match=r"spend.csv:2: row 2, column 'Timestamp': '0001-01-01' is not a "
                                           r"plausible transaction date"):
        collect("spend", tmp_path, path="spend.csv")
