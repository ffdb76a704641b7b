"""A real distribution (a ``*.dist-info`` folder with entry points) written into a folder, for the plugin tests:
put the folder on ``sys.path`` / ``PYTHONPATH`` and :mod:`importlib.metadata` finds it as pip's install would."""

from __future__ import annotations

from pathlib import Path


def write_distribution(root: Path, name: str, entry_points: str) -> Path:
    """``root/<name>-0.1.dist-info`` with its METADATA and ``entry_points`` (entry_points.txt text); returns root."""
    info = root / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return root
