"""Data that is costly to build at every start, pre-built once and cached on disk as plain data.

Two users: the packaged catalog (its parsed products and the matcher's tables, 0.3 s to build from the
YAML files, :func:`auditor.resolution.catalog.packaged_catalog`) and the compiled JSON Schema validators
(0.05 s, :mod:`auditor.fastschema`). Each is kept as a ``marshal`` file in the user's cache directory:
``$AUDITOR_CACHE_DIR`` if set, else the platform's user cache directory (``~/.cache/auditor`` on Linux,
via platformdirs); never inside the installed package.

A file is named by its kind and a SHA-256 of everything the data is built from: this format's version,
auditor's version, the Python version and the bytes the caller names (the catalog files and the modules
that parse them; a schema and the compiler's version). Changing any of them gives another name, so a
stale file is never read. The file also carries a SHA-256 of its payload: a file that is missing,
unreadable, truncated, altered or of the wrong shape is ignored and rebuilt, so the cache can make a
start faster but never change a result. Writing is best effort (a temporary file, then an atomic rename;
the same kind's files of other keys are removed); when the directory cannot be written, every start
builds the data as before. A user's own catalog files (``resolution.catalogs``) are never cached.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from auditor import __version__

FORMAT = 1
CACHE_ENV = "AUDITOR_CACHE_DIR"
MAGIC = b"auditor prebuilt\n"
_DIGEST = 32  # bytes of a SHA-256
#: What a damaged or foreign payload can raise while it is turned back into objects.
SHAPE_ERRORS = (ValueError, TypeError, KeyError, IndexError, EOFError, AttributeError)
_log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    """Where the cache lives: ``$AUDITOR_CACHE_DIR`` if set, else the user cache directory for auditor."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir  # only when the variable is not set

    return Path(user_cache_dir("auditor", appauthor=False))


def package_files(names: Iterable[str]) -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of files of the ``auditor`` package (``catalog/`` names every file of that folder)."""
    package = resources.files("auditor")
    found: list[tuple[str, bytes]] = []
    for name in names:
        if name.endswith("/"):
            found += [(f"{name}{f.name}", f.read_bytes()) for f in (package / name).iterdir() if f.is_file()]
        else:
            found.append((name, (package / name).read_bytes()))
    return tuple(found)


def cache_key(kind: str, built_from: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 (hex) of the format, the versions, ``kind`` and the named bytes it is built from (in any order)."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{marshal.version}\0{kind}".encode())
    for name, data in sorted(built_from):
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def to_bytes(plain: Any) -> bytes:
    """A cache file's content: the magic line, the payload's SHA-256, the marshalled plain data."""
    payload = marshal.dumps(plain)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def from_bytes(data: bytes) -> Any:
    """The plain data of :func:`to_bytes`; raises ValueError if the bytes are not intact."""
    head = len(MAGIC) + _DIGEST
    payload = data[head:]
    if not data.startswith(MAGIC) or hashlib.sha256(payload).digest() != data[len(MAGIC):head]:
        raise ValueError("not an intact cache file")
    return marshal.loads(payload)  # noqa: S302 - our own file, its digest checked above


def cached(kind: str, built_from: Iterable[tuple[str, bytes]], build: Callable[[], T], dump: Callable[[T], Any],
           load: Callable[[Any], T], folder: Path | None = None) -> T:
    """``load`` of the cached plain data of ``kind`` when the file is fresh and intact; else ``build()``, cached.

    ``built_from`` names the bytes the data is built from (they make the file's key, :func:`cache_key`).
    ``dump`` turns the built object into plain data (what :mod:`marshal` writes); ``load`` turns it back
    and raises one of :data:`SHAPE_ERRORS` if it is not of the right shape (then it is rebuilt).
    """
    folder = cache_dir() if folder is None else folder
    path = folder / f"{kind}-{cache_key(kind, built_from)}.bin"
    try:
        return load(from_bytes(path.read_bytes()))
    except FileNotFoundError:
        pass  # the first start with this key: built below
    except (OSError, *SHAPE_ERRORS) as exc:  # unreadable or damaged: built again below
        _log.debug("pre-built %s at %s not used (%s); rebuilding it", kind, path, exc)
    built = build()
    _write(path, to_bytes(dump(built)), kind)
    return built


def _write(path: Path, data: bytes, kind: str) -> None:
    """Write ``data`` to ``path`` atomically and remove the files of ``kind`` with other keys (best effort)."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{kind}-", delete=False) as handle:
            temporary = handle.name
            handle.write(data)
        os.replace(temporary, path)
        temporary = None
        for old in path.parent.glob(f"{kind}-*.bin"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        _log.debug("pre-built %s not written to %s: %s", kind, path.parent, exc)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
