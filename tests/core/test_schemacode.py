"""Cached validator code: the same verdicts as fastjsonschema's own compile, and rebuilt when damaged."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from test_fastschema import _valid_documents, mutate

from auditor import prebuilt
from auditor.fastschema import inline_refs
from auditor.schemacode import compiled_validator
from auditor.validation import load_schema

SCHEMAS = ["landscape.schema.json", "config.schema.json"]


def accepts(validate: Any, data: Any) -> bool:
    try:
        validate(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("validator-*.bin")}


@pytest.mark.parametrize("schema_name", SCHEMAS)
def test_the_cached_code_accepts_and_rejects_as_fastjsonschemas_compile(tmp_path: Path, schema_name: str) -> None:
    schema = inline_refs(load_schema(schema_name))
    reference = fastjsonschema.compile(schema)
    built = compiled_validator(schema, tmp_path)
    written = files(tmp_path)
    assert list(written) and all(name.startswith(f"validator-{schema_name}-") for name in written)
    loaded = compiled_validator(schema, tmp_path)
    assert files(tmp_path) == written  # read, not rebuilt
    valid = _valid_documents()[schema_name]
    rng = random.Random(41)
    documents = [valid, *(mutate(valid, rng) for _ in range(150))]
    verdicts = [accepts(reference, d) for d in documents]
    assert verdicts[0] and verdicts.count(False) > 100  # valid and broken documents both checked
    assert [accepts(built, d) for d in documents] == verdicts == [accepts(loaded, d) for d in documents]


@pytest.mark.parametrize("damage", [b"", b"garbage", prebuilt.to_bytes(("name", 1)), prebuilt.to_bytes(["x"]),
                                    prebuilt.to_bytes(("no_such_function", compile("x = 1", "<x>", "exec")))],
                         ids=["empty", "garbage", "not code", "not a pair", "no such function"])
def test_a_damaged_cached_validator_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    schema = inline_refs(load_schema("config.schema.json"))
    compiled_validator(schema, tmp_path)
    (path,) = tmp_path.glob("validator-*.bin")
    path.write_bytes(damage)
    validate = compiled_validator(schema, tmp_path)
    valid = _valid_documents()["config.schema.json"]
    assert accepts(validate, valid) and not accepts(validate, {**valid, "sources": "not a list"})
    assert path.read_bytes() != damage


def test_a_schema_without_id_is_compiled_and_not_cached(tmp_path: Path) -> None:
    validate = compiled_validator({"type": "integer"}, tmp_path)
    assert accepts(validate, 3) and not accepts(validate, "3")
    assert list(tmp_path.iterdir()) == []
