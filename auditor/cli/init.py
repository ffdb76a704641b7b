"""``auditor init``: write a commented starter config and landscape."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from auditor.cli.common import EXIT_INVALID, err_console, fail, is_quiet

STARTER_FILES = ("auditor.yaml", "landscape.yaml")


@click.command()
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."))
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init(directory: Path, force: bool) -> None:
    """Write a commented starter auditor.yaml and landscape.yaml into DIRECTORY (default: here)."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = [name for name in STARTER_FILES if (directory / name).exists()]
    if existing and not force:
        fail(EXIT_INVALID, f"{', '.join(str(directory / n) for n in existing)} already exist(s); use --force")
    starter = resources.files("examples").joinpath("starter")
    for name in STARTER_FILES:
        (directory / name).write_text(starter.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
        if not is_quiet():
            err_console.print(f"  wrote {directory / name}", highlight=False)
    if not is_quiet():
        config = directory / "auditor.yaml"
        err_console.print(f"next: edit the files, then run  auditor validate -c {config}  and  "
                          f"auditor scan -c {config}", highlight=False, markup=False)
