"""Compiled JSON Schema validators whose Python code is pre-built and cached (:mod:`auditor.prebuilt`).

fastjsonschema turns a schema into Python source and compiles it; for the config and landscape schemas
that is about 0.05 s at every start. The code object of :func:`fastjsonschema.compile_to_code`'s module
(the same validator as :func:`fastjsonschema.compile`, written out as a module) is cached with the name of
its one validating function, keyed by the schema exactly as given (JSON text, key order kept), the
fastjsonschema version, this module's code and the Python version. A schema without ``$id``, or whose
code has more than one function (``$ref``), is compiled by fastjsonschema every time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FunctionType
from typing import Any

import fastjsonschema

from auditor import prebuilt

Validator = Callable[..., Any]


class _NotOneFunction(Exception):
    """The generated module does not hold exactly one function: not cached."""


def compiled_validator(schema: dict[str, Any], folder: Path | None = None) -> Validator:
    """fastjsonschema's validator for ``schema`` (raises its ``JsonSchemaException`` on invalid data).

    Its code comes from the pre-built cache in ``folder`` (default: the user's, :func:`auditor.prebuilt.cache_dir`)
    when the schema has an ``$id``; the cache's file is named after the ``$id``'s last part.
    """
    schema_id = schema.get("$id")
    if not isinstance(schema_id, str) or not schema_id:
        return fastjsonschema.compile(schema)
    kind = "validator-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", schema_id.rstrip("/").rsplit("/", 1)[-1])
    built_from = (("schema", json.dumps(schema, ensure_ascii=False).encode()),
                  ("fastjsonschema", fastjsonschema.VERSION.encode()), *prebuilt.package_files(["schemacode.py"]))
    try:
        _, _, function = prebuilt.cached(kind, built_from, lambda: _build(schema, kind), _plain, _checked, folder)
    except _NotOneFunction:
        return fastjsonschema.compile(schema)
    return function


#: A validator as built or read back: its function's name, the generated module's code object, the function.
_Built = tuple[str, CodeType, Validator]


def _build(schema: dict[str, Any], kind: str) -> _Built:
    """The name of the generated module's one function, the module's code object and that function."""
    code = compile(fastjsonschema.compile_to_code(schema), f"<{kind}>", "exec")
    functions = {name: value for name, value in _namespace(code).items()
                 if isinstance(value, FunctionType) and value.__code__.co_filename == code.co_filename}
    if len(functions) != 1:
        raise _NotOneFunction(sorted(functions))
    [(name, function)] = functions.items()
    return name, code, function


def _plain(built: _Built) -> tuple[str, CodeType]:
    """What the cache keeps: the function's name and the module's code object."""
    name, code, _ = built
    return name, code


def _checked(plain: Any) -> _Built:
    """The cached (name, code object) with its function; TypeError if it is not of that shape or lacks it."""
    name, code = plain
    if not isinstance(name, str) or not isinstance(code, CodeType):
        raise TypeError("not a cached validator")
    function = _namespace(code).get(name)
    if not isinstance(function, FunctionType):
        raise TypeError(f"no function {name} in the validator's code")
    return name, code, function


def _namespace(code: CodeType) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "auditor.schemacode.generated"}
    exec(code, namespace)  # noqa: S102 - code fastjsonschema generated from our own schema (digest-checked)
    return namespace
