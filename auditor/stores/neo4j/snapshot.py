"""A scan's snapshot for its ``Scan`` node: the compressed report document and raw inventories.

The graph holds only the organization's current landscape; snapshots keep older scans loadable
for ``auditor report --scan ID`` and ``auditor diff`` after newer scans replaced them in the graph.
"""

from __future__ import annotations

from auditor.result import ScanResult, to_document
from auditor.stores.neo4j.read import pack, pack_inventories

_PARTS = ("tools", "integrations", "flows", "findings", "departments")


def build_snapshot(result: ScanResult) -> tuple[bytes, bytes, bytes]:
    """Compressed head (scan metadata, summary, extras), full report document and raw inventories."""
    document = to_document(result)
    head = {k: v for k, v in document.items() if k not in _PARTS}
    return pack(head), pack(document), pack_inventories(result)
