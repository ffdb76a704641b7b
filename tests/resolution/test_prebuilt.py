"""The pre-built catalog cache: the same catalog and matches as a fresh build, and never trusted when damaged."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from auditor import prebuilt
from auditor.resolution.catalog import (
    Catalog,
    catalog_from_plain,
    catalog_sources,
    catalog_to_plain,
    parse_packaged_catalog,
)
from auditor.resolution.matcher import Matcher
from benchmarks.realworld_vocabularies import vocabularies


@pytest.fixture(scope="module")
def fresh() -> Catalog:
    return parse_packaged_catalog()


@pytest.fixture(scope="module")
def fresh_matcher(fresh: Catalog) -> Matcher:
    """A matcher built from the YAML files, as without the cache (built once: tests only read it)."""
    return Matcher(fresh)


@pytest.fixture(scope="module")
def fresh_tables(fresh_matcher: Matcher) -> dict[str, Any]:
    return fresh_matcher.tables()


def catalog_in(folder: Path, build: Callable[[], Catalog] = parse_packaged_catalog) -> Catalog:
    """The packaged catalog through the cache in ``folder`` (as :func:`packaged_catalog` does in the user's).

    Tests of what the cache does with its files when it builds pass ``build=lambda: fresh`` (the module's one
    parse) instead of parsing the YAML files again; :func:`first_start` builds with the real parser.
    """
    return prebuilt.cached("catalog", catalog_sources(), build, catalog_to_plain, catalog_from_plain, folder)


def matcher_in(folder: Path, catalog: Catalog) -> Matcher:
    """A matcher over ``catalog`` through the cache in ``folder`` (as :func:`packaged_matcher` does)."""
    return prebuilt.cached("matcher", catalog_sources(), lambda: Matcher(catalog), Matcher.tables,
                           lambda tables: Matcher.from_tables(catalog, tables), folder)


def only_file(folder: Path, kind: str) -> Path:
    files = list(folder.glob(f"{kind}-*.bin"))
    assert len(files) == 1
    return files[0]


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog, dict[str, Any]]:
    """A cache folder where a first start built and wrote the catalog and the matcher's tables (once per module:
    the tests below only start again from it, which reads the files and never writes them when they are intact)."""
    folder = tmp_path_factory.mktemp("prebuilt")
    catalog = catalog_in(folder)
    return folder, catalog, matcher_in(folder, catalog).tables()


def test_a_second_start_reads_the_files_the_first_wrote_and_gets_the_same_catalog_and_tables(
        first_start: tuple[Path, Catalog, dict[str, Any]], fresh: Catalog, fresh_tables: dict[str, Any]) -> None:
    folder, first, first_tables = first_start
    written = {kind: only_file(folder, kind).stat() for kind in ("catalog", "matcher")}
    second = catalog_in(folder)
    second_tables = matcher_in(folder, second).tables()
    for kind, stat in written.items():  # read, not rebuilt and written again
        now = only_file(folder, kind).stat()
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
        assert only_file(folder, kind).name == f"{kind}-{prebuilt.cache_key(kind, catalog_sources())}.bin"
    assert first == second == fresh
    assert first_tables == second_tables == fresh_tables


def test_the_cached_matcher_matches_every_real_vocabulary_name_as_a_fresh_one(
        first_start: tuple[Path, Catalog, dict[str, Any]], fresh_matcher: Matcher) -> None:
    folder = first_start[0]
    cached = matcher_in(folder, catalog_in(folder))  # read from the files the first start wrote
    assert cached is not fresh_matcher and cached.catalog is not first_start[1]
    built = fresh_matcher  # from the YAML files, as without the cache
    names = {pair for pairs in vocabularies().values() for pair in pairs}
    assert len(names) > 2000
    assert [(name, key) for name, key in names if cached.match(name, key) != built.match(name, key)] == []


def _intact(plain: object) -> bytes:
    return prebuilt.to_bytes(plain)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda good: b"",
    "garbage": lambda good: b"\x00\xffnot a cache" * 100,
    "truncated": lambda good: good[: len(good) // 2],
    "one byte changed": lambda good: good[:-100] + bytes([good[-100] ^ 1]) + good[-99:],
    "digest changed": lambda good: good[:len(prebuilt.MAGIC)] + bytes(32) + good[len(prebuilt.MAGIC) + 32:],
    "intact but of another shape": lambda good: _intact({"products": [("x",)], "categories": []}),
    "intact but not a mapping": lambda good: _intact([1, 2, 3]),
    "intact but a list of tables": lambda good: _intact({"products": [], "categories": [], "files": "x"}),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_file_is_not_trusted(fresh: Catalog, damage: Callable[[bytes], bytes]) -> None:
    good = prebuilt.to_bytes(catalog_to_plain(fresh))
    assert catalog_from_plain(prebuilt.from_bytes(good)) == fresh
    with pytest.raises(prebuilt.SHAPE_ERRORS):
        catalog_from_plain(prebuilt.from_bytes(damage(good)))


@pytest.mark.parametrize("tables", [{}, {"exact": {}}, [1, 2]], ids=["empty", "one table", "a list"])
def test_matcher_tables_of_another_shape_are_not_trusted(fresh: Catalog, tables: Any) -> None:
    with pytest.raises(prebuilt.SHAPE_ERRORS):
        Matcher.from_tables(fresh, prebuilt.from_bytes(prebuilt.to_bytes(tables)))


def test_a_damaged_cache_file_is_rebuilt_and_replaced(tmp_path: Path, fresh: Catalog) -> None:
    path = tmp_path / f"catalog-{prebuilt.cache_key('catalog', catalog_sources())}.bin"
    path.write_bytes(DAMAGE["one byte changed"](prebuilt.to_bytes(catalog_to_plain(fresh))))
    assert catalog_in(tmp_path, build=lambda: fresh) == fresh
    assert catalog_from_plain(prebuilt.from_bytes(path.read_bytes())) == fresh


def test_an_unwritable_cache_place_still_gives_the_catalog(tmp_path: Path, fresh: Catalog) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    assert catalog_in(blocked / "cache", build=lambda: fresh) == fresh
    assert list(tmp_path.iterdir()) == [blocked]


def test_files_of_other_keys_are_removed_when_a_new_one_is_written(tmp_path: Path, fresh: Catalog) -> None:
    old, other_kind = tmp_path / "catalog-0123.bin", tmp_path / "matcher-0123.bin"
    old.write_bytes(b"an older version's cache")
    other_kind.write_bytes(b"another kind's cache")
    catalog_in(tmp_path, build=lambda: fresh)
    assert not old.exists() and other_kind.exists()
    assert only_file(tmp_path, "catalog").name == f"catalog-{prebuilt.cache_key('catalog', catalog_sources())}.bin"


def test_the_key_changes_with_any_byte_of_what_the_data_is_built_from() -> None:
    files = (("catalog/products.yaml", b"products: []\n"), ("resolution/matcher.py", b"x = 1\n"))
    key = prebuilt.cache_key("catalog", files)
    assert key == prebuilt.cache_key("catalog", tuple(reversed(files)))
    assert key != prebuilt.cache_key("matcher", files)
    assert key != prebuilt.cache_key("catalog", (files[0], ("resolution/matcher.py", b"x = 2\n")))
    assert key != prebuilt.cache_key("catalog", (*files, ("catalog/products-more.yaml", b"")))
    assert prebuilt.cache_key("catalog", catalog_sources()) not in (key, prebuilt.cache_key("catalog", ()))
    assert {"catalog/products.yaml", "catalog/taxonomy.yaml", "resolution/matcher.py"} <= dict(catalog_sources()).keys()


def test_the_cache_directory_is_the_environment_variable_else_the_user_cache_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(prebuilt.CACHE_ENV, str(tmp_path / "here"))
    assert prebuilt.cache_dir() == tmp_path / "here"
    monkeypatch.delenv(prebuilt.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert prebuilt.cache_dir() in (tmp_path / "xdg" / "auditor", Path.home() / "Library" / "Caches" / "auditor",
                                    Path.home() / "AppData" / "Local" / "auditor" / "Cache")


def test_a_cache_file_holds_only_plain_data() -> None:
    plain = {"a": [("x", ("y",), True)], "b": frozenset({"z"})}
    assert prebuilt.from_bytes(prebuilt.to_bytes(plain)) == plain
    assert prebuilt.to_bytes(plain).endswith(marshal.dumps(plain))
