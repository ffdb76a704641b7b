"""The report document of a scan built once for its readers (``report.json`` and the embedded store).

:func:`auditor.result.to_document` turns a whole scan into dicts (0.5–0.7 s at 10,000 tools). ``auditor scan``
writes ``report.json`` and then saves the scan, and both read the same document: inside
``with built_once(result):`` :func:`document_of` builds it on the first call and hands the same one to the
next reader; outside such a block (and for any other scan) every call builds a fresh one. Readers treat it as
read-only: nothing here may change it, since the next reader gets the same object. The block ends the
sharing, so the document never outlives the step that asked for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from auditor.result import ScanResult, to_document

#: id(result) → (result, its document once built) for the scans inside a ``built_once`` block.
_SHARED: dict[int, tuple[ScanResult, dict[str, Any] | None]] = {}


@contextmanager
def built_once(result: ScanResult) -> Iterator[None]:
    """Within the block, :func:`document_of` ``result`` builds its document once and shares it."""
    _SHARED[id(result)] = (result, None)
    try:
        yield
    finally:
        _SHARED.pop(id(result), None)


def document_of(result: ScanResult) -> Mapping[str, Any]:
    """``result``'s report document, for a reader that does not change it (shared in a ``built_once`` block)."""
    entry = _SHARED.get(id(result))
    if entry is None or entry[0] is not result:
        return to_document(result)
    document = entry[1]
    if document is None:
        document = to_document(result)
        _SHARED[id(result)] = (result, document)
    return document
