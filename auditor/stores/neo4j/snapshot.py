"""A scan's snapshot for its ``Scan`` node: head, landscape records and raw inventories, compressed.

The graph holds only the organization's current landscape; snapshots keep older scans loadable
for ``auditor report --scan ID`` and ``auditor diff`` after newer scans replaced them in the graph.
The landscape part is taken from the rows the sync writes (no second serialization of the scan).
"""

from __future__ import annotations

from auditor.graph import LandscapeGraph
from auditor.result import ScanResult, to_document
from auditor.stores.neo4j.read import pack, pack_inventories, records_from_rows
from auditor.stores.neo4j.rows import GraphRows

_PARTS = ("tools", "integrations", "flows", "findings", "departments")


def scan_head(result: ScanResult) -> dict[str, object]:
    """The report document without its landscape parts: schema version, scan, summary, extra keys."""
    bare = ScanResult(result.scan, LandscapeGraph.build([], [], [], result.scan.organization,
                                                       result.graph.journeys, result.graph.kpis), [], {},
                      result.scores, result.extra)
    head = {k: v for k, v in to_document(bare).items() if k not in _PARTS}
    head["summary"] = result.summary()
    return head


def build_snapshot(result: ScanResult, rows: GraphRows) -> tuple[bytes, bytes, bytes]:
    """Compressed head, landscape records (from ``rows``) and inventories of the sources read."""
    return pack(scan_head(result)), pack(records_from_rows(rows)), pack_inventories(result)
