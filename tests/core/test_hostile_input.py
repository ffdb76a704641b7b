"""Hostile and broken input through the real CLI: a located error and the documented exit code, never a
traceback, never a hang, never exit 1 (which means "findings")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

LANDSCAPE = "tools:\n  - {id: a, name: Tool A, category: crm}\n"
STORE_CONFIG = "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, " ".join(result.output.split())


def test_an_unexpected_error_exits_4_with_a_hint_and_the_traceback_only_with_v(make_project, monkeypatch):
    config = make_project(LANDSCAPE)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr("auditor.cli.scan.run_scan", broken)
    code, output = run("scan", "-c", str(config), "--no-save")
    assert code == 4
    assert "error: unexpected RuntimeError: something nobody expected; rerun with -v to see the traceback" in output
    assert "Traceback" not in output
    code, output = run("-v", "scan", "-c", str(config), "--no-save")
    assert code == 4 and "Traceback (most recent call last)" in output


def test_out_naming_an_existing_file_exits_2(make_project):
    config = make_project(LANDSCAPE)
    Path("taken").write_text("", encoding="utf-8")
    code, output = run("scan", "-c", str(config), "--out", "taken", "--no-save")
    assert (code, output) == (2, "error: taken: the report folder is a file; pass --out a folder")


def test_out_with_a_too_long_name_exits_4_naming_it(make_project):
    config = make_project(LANDSCAPE)
    code, output = run("scan", "-c", str(config), "--out", "x" * 300, "--no-save")
    assert code == 4 and "File name too long" in output and "Traceback" not in output


def test_an_integer_settings_key_is_a_located_problem(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: l, type: landscape, "
                                     "path: landscape.yaml, 1: x}\n")
    code, output = run("scan", "-c", str(config), "--no-save")
    assert code == 2 and "auditor.yaml:3: source 'l': unknown setting '1'" in output


def test_locations_are_printed_as_written_not_as_emoji(make_project):
    config = make_project("tools:\n" + "  - {id: a, name: A}\n" * 98 + "  - {id: b, name: B, layers: [nope]}\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "landscape.yaml:100: tools[98].layers[0]" in output


@pytest.mark.parametrize(("value", "shown"), [(".nan", "nan"), (".inf", "inf"), ("1.0e+309", "inf"),
                                              ("-.inf", "-inf")])
def test_nan_and_infinite_costs_are_refused_with_their_line(make_project, value, shown):
    config = make_project(f"tools:\n  - {{id: a, name: A}}\n  - {{id: b, name: B, annual_cost: {value}}}\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2
    assert f"landscape.yaml:3: tools[1].annual_cost: expected a finite number of at most 1e+15, got {shown}" in output


def test_a_huge_user_count_is_refused(make_project):
    config = make_project("tools:\n  - {id: a, name: A, users: " + "9" * 40 + "}\n")
    code, output = run("scan", "-c", str(config), "--no-save")
    assert code == 2 and "landscape.yaml:2: tools[0].users: expected a finite integer" in output


def test_billion_laughs_is_refused_quickly(make_project):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    config = make_project("\n".join(lines) + "\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "expands to more than 5,000,000 values (aliases of aliases?)" in output


def test_deep_nesting_and_nul_characters_are_located(make_project):
    config = make_project("tools:\n  - {id: a, name: A}\n" + "x: " + "[" * 5000 + "]" * 5000 + "\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "landscape.yaml: not readable: nested too deeply" in output
    config = make_project("tools:\n  - {id: a, name: \"A\x00\"}\n")
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "landscape.yaml:2: not valid YAML: character U+0000 is not allowed" in output


def test_a_shift_jis_landscape_gets_its_line_and_an_encoding_hint(make_project):
    config = make_project(LANDSCAPE)
    Path("landscape.yaml").write_bytes("tools:\n  - {id: a, name: テスト}\n".encode("shift_jis"))
    code, output = run("validate", "-c", str(config))
    assert code == 2
    assert "landscape.yaml:2: not UTF-8 text (byte 0x83); it looks like Shift-JIS: save it as UTF-8" in output


def test_infinite_and_huge_spreadsheet_cells_are_located_problems(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: s, type: spreadsheet, path: inv.csv}\n")
    Path("inv.csv").write_text("Name,Annual cost,Users\nSlack,inf,10\nZoom,1e999999999,12\nJira,100,"
                               + "9" * 400 + "\n", encoding="utf-8")
    code, output = run("validate", "-c", str(config))
    assert code == 2, output
    assert "inv.csv:2" in output and "inv.csv:3" in output and "inv.csv:4" in output
    assert "Traceback" not in output


# --- the store survives -----------------------------------------------------------------------------------------


def test_a_damaged_stored_scan_is_named_and_does_not_stop_the_next_scan(make_project):
    config = make_project(LANDSCAPE, STORE_CONFIG)
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    scan_id = json.loads(Path("first/report.json").read_text(encoding="utf-8"))["scan"]["id"]
    with sqlite3.connect(".auditor/auditor.db") as db:
        db.execute("UPDATE tools SET data = '{not json' WHERE scan_id = ?", (scan_id,))
        # a scan reads only the previous scan's head and findings (the rest when asked): damage the head too
        db.execute("UPDATE scans SET head = '{not json' WHERE id = ?", (scan_id,))
    code, output = run("report", "-c", str(config), "--scan", scan_id, "--out", "again")
    assert code == 4
    assert f"stored scan {scan_id} is damaged and cannot be read (JSONDecodeError" in output
    assert f"'auditor scans delete {scan_id}'" in output
    code, output = run("scan", "-c", str(config), "--out", "second")
    assert code == 0, output
    assert f"stored scan {scan_id} is damaged" in output and Path("second/report.json").exists()


def test_reports_are_written_even_when_the_store_refuses_the_scan(make_project):
    config = make_project(LANDSCAPE, STORE_CONFIG)
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    with sqlite3.connect(".auditor/auditor.db") as db:  # a store that refuses every new scan
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON scans BEGIN SELECT RAISE(FAIL, 'disk says no'); END")
    code, output = run("scan", "-c", str(config), "--out", "second")
    assert code == 4 and "cannot save scan" in output and "disk says no" in output
    assert json.loads(Path("second/report.json").read_text(encoding="utf-8"))["tools"]


def test_an_emptied_source_is_suspect_strict_exits_3_and_the_setting_turns_it_off(make_project):
    config = make_project(LANDSCAPE, STORE_CONFIG)
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    Path("landscape.yaml").write_text("tools: []\n", encoding="utf-8")
    code, output = run("scan", "-c", str(config), "--out", "second", "--strict")
    assert code == 3 and "source suspect: source 'l': returned no tools where scan" in output
    report = json.loads(Path("second/report.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in report["scan"]["sources"]] == ["suspect"]
    assert [t["name"] for t in report["tools"]] == ["Tool A"]
    Path("auditor.yaml").write_text(STORE_CONFIG.replace("landscape.yaml}", "landscape.yaml, suspect_if_empty: 0}"),
                                    encoding="utf-8")
    code, output = run("scan", "-c", str(config), "--out", "third", "--strict")
    assert code == 0, output
    assert json.loads(Path("third/report.json").read_text(encoding="utf-8"))["tools"] == []


def test_a_suspect_source_still_reports_what_its_answer_skipped(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: okta, type: okta, file: apps.json}\n")
    app = '{"id": "0oa1", "name": "slack", "label": "Slack", "status": "%s", "settings": {}, "_links": {}}'
    Path("apps.json").write_text("[" + app % "ACTIVE" + "]", encoding="utf-8")
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    Path("apps.json").write_text("[" + app % "INACTIVE" + "]", encoding="utf-8")
    code, output = run("scan", "-c", str(config), "--out", "second")
    assert code == 0, output
    source = json.loads(Path("second/report.json").read_text(encoding="utf-8"))["scan"]["sources"][0]
    assert source["status"] == "suspect" and source["skipped"] == {"inactive": 1}
    assert "read 1 records but reported nothing" in " ".join(source["warnings"])


def test_scans_check_names_a_damaged_scan_and_scans_delete_removes_it(make_project):
    config = make_project(LANDSCAPE, STORE_CONFIG)
    assert run("scan", "-c", str(config), "--out", "first")[0] == 0
    assert run("scan", "-c", str(config), "--out", "second")[0] == 0
    assert run("scans", "check", "-c", str(config)) == (0, "2 scans read back, none damaged")
    scan_id = json.loads(Path("first/report.json").read_text(encoding="utf-8"))["scan"]["id"]
    with sqlite3.connect(".auditor/auditor.db") as db:
        db.execute("UPDATE sources SET inventory = '[1, 2' WHERE scan_id = ?", (scan_id,))
    code, output = run("scans", "check", "-c", str(config))
    assert code == 4 and f"stored scan {scan_id} is damaged" in output and "error: 1 damaged scan of 2" in output
    assert run("scans", "delete", "-c", str(config), scan_id) == (0, f"deleted {scan_id}")
    assert run("scans", "check", "-c", str(config)) == (0, "1 scan read back, none damaged")


def test_exports_with_lone_surrogates_are_located_and_control_characters_reach_every_report(make_project):
    config = make_project(LANDSCAPE, "organization: X\nsources:\n  - {name: okta, type: okta, file: apps.json}\n"
                                     "report:\n  formats: [json, md, html, csv, xlsx]\n")
    app = '{"id": "0oa1", "name": "slack", "label": "%s", "status": "ACTIVE", "settings": {}, "_links": {}}'
    Path("apps.json").write_text("[" + app % "Sl\\ud800ack" + "]", encoding="utf-8")
    code, output = run("validate", "-c", str(config))
    assert code == 2 and "the JSON holds a lone surrogate" in output and "at [0].label" in output
    Path("apps.json").write_text("[" + app % "Sl\\u0001ack \\uffff" + "]", encoding="utf-8")
    code, output = run("scan", "-c", str(config), "--out", "out", "--no-save")
    assert code == 0, output
    assert Path("out/audit.xlsx").exists() and Path("out/index.html").exists()


def test_validate_shows_every_kind_of_problem_in_one_run(make_project):
    config = make_project(
        "tools:\n  - {id: a, name: A}\n  - {id: a, name: B}\nintegrations:\n  - {from: a, to: nosuch}\n",
        "organization: X\nsources:\n  - {name: l, type: landscape, path: landscape.yaml}\n"
        "  - {name: s, type: spend, path: spend.csv}\n"
        "  - {name: o, type: okta, file: missing.json}\n"
        "  - {name: w, type: landscape, path: landscape.yaml, colour: blue}\n")
    Path("spend.csv").write_text("Timestamp,Merchant,Amount,MCC,Category,Tag\nyesterday,Slack,100,5734,Software,\n",
                                 encoding="utf-8")
    code, output = run("validate", "-c", str(config))
    assert code == 2
    for expected in ("auditor.yaml:6: source 'w': unknown setting 'colour'",  # a setting problem …
                     "'yesterday' is not a date",  # … does not hide a bad spend row,
                     "source 'o': export not found",  # a missing export,
                     "landscape.yaml:3: duplicate tool id 'a'",  # a duplicate id
                     "nosuch",  # or an unknown reference
                     "note: 3 sources could not be read"):
        assert expected in output, (expected, output)
