"""``auditor init``: write a commented starter config and landscape, or a customer-journey spreadsheet."""

from __future__ import annotations

import csv
import io
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import click

from auditor.cli.common import EXIT_INVALID, err_console, fail, is_quiet

#: Files each template writes (paths relative to the template folder in ``examples/``).
TEMPLATE_FILES: dict[str, tuple[str, ...]] = {
    "starter": ("auditor.yaml", "landscape.yaml"),
    "journey": ("auditor.yaml", "integrations.yaml", "journey/tools.csv", "journey/flows.csv"),
}
#: The journey template's CSV files, as sheets of one workbook with ``--format xlsx``.
JOURNEY_XLSX = "journey/journey.xlsx"


@click.command()
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."))
@click.option("--template", type=click.Choice(sorted(TEMPLATE_FILES)), default="starter", show_default=True,
              help="starter: auditor.yaml and a landscape.yaml to fill in; journey: a customer journey kept "
                   "in a spreadsheet (tools and flows sheets, one row per step) with its integrations.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
              help="journey: tools.csv and flows.csv, or one journey.xlsx with sheets 'tools' and 'flows'.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init(directory: Path, template: str, file_format: str, force: bool) -> None:
    """Write a commented starter project into DIRECTORY (default: here): auditor.yaml and its inputs."""
    source = resources.files("examples").joinpath(template)
    files = _files(template, file_format)
    existing = [name for name in files if (directory / name).exists()]
    if existing and not force:
        fail(EXIT_INVALID, f"{', '.join(str(directory / n) for n in existing)} already exist(s); use --force")
    for name in files:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name == JOURNEY_XLSX:
            _workbook(source, target)
        else:
            target.write_text(source.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
        if not is_quiet():
            err_console.print(f"  wrote {target}", highlight=False)
    if not is_quiet():
        config = directory / "auditor.yaml"
        err_console.print(f"next: edit the files, then run  auditor validate -c {config}  and  "
                          f"auditor scan -c {config}", highlight=False, markup=False)


def _files(template: str, file_format: str) -> tuple[str, ...]:
    files = TEMPLATE_FILES[template]
    if template == "journey" and file_format == "xlsx":
        return (*(f for f in files if not f.endswith(".csv")), JOURNEY_XLSX)
    return files


def _workbook(source: Traversable, target: Path) -> None:
    """journey/tools.csv and journey/flows.csv as the sheets 'tools' and 'flows' of one workbook."""
    from openpyxl import Workbook  # only for --format xlsx (its import takes about 0.2 s)

    book = Workbook()
    book.remove(book.active)
    for name in ("tools", "flows"):
        sheet = book.create_sheet(name)
        text = source.joinpath(f"journey/{name}.csv").read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text)):
            sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    book.save(target)
