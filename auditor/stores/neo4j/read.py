"""Read a scan back from Neo4j into the same :class:`ScanResult` the embedded store returns.

The current scan of an organization is rebuilt from the graph itself (only elements carrying
its update tag, so leftovers of an interrupted cleanup are invisible). Every scan also keeps a
compressed snapshot of its report document on its ``Scan`` node, which is how older scans
(replaced in the graph by newer ones) stay loadable for ``auditor report`` and ``auditor diff``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from auditor.model import Finding, Flow, Integration, Inventory, Step, Tool
from auditor.result import ScanResult, from_document
from auditor.serialize import from_data, to_data
from auditor.stores.neo4j import schema as s

Reader = Callable[..., list[dict[str, Any]]]


def pack(value: Any) -> bytes:
    """JSON-able value → zlib-compressed UTF-8 JSON bytes (a Neo4j byte-array property)."""
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)


def unpack(data: bytes | bytearray | None) -> Any:
    """Inverse of :func:`pack`."""
    if data is None:
        return None
    return json.loads(zlib.decompress(bytes(data)).decode("utf-8"))


def pack_inventories(result: ScanResult) -> bytes:
    """The raw inventories of the sources that were read successfully (as the embedded store keeps)."""
    failed = {src.name for src in result.scan.sources if src.status == "failed"}
    return pack({name: to_data(inv) for name, inv in result.inventories.items() if name not in failed})


def unpack_inventories(data: bytes | bytearray | None) -> dict[str, Inventory]:
    """Inverse of :func:`pack_inventories`."""
    return {name: from_data(Inventory, inv) for name, inv in (unpack(data) or {}).items()}


def from_snapshot(snapshot: bytes | bytearray, inventories: bytes | bytearray | None) -> ScanResult:
    """A scan from the snapshot stored on its ``Scan`` node."""
    result = from_document(unpack(snapshot))
    result.inventories.update(unpack_inventories(inventories))
    return result


def _json_props(schema: s.NodeSchema, props: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(props)
    for name in schema.json_properties:
        if data.get(name) is not None:
            data[name] = json.loads(data[name])
    return data


def read_graph(read: Reader, organization: str, tag: str, head: Mapping[str, Any],
               inventories: bytes | bytearray | None = None) -> ScanResult:
    """Rebuild the scan tagged ``tag`` from the graph; ``head`` supplies scan metadata and extras."""
    params = {"organization": organization, "tag": tag}
    tools = [from_data(Tool, _json_props(s.TOOL, r["p"])) for r in read(
        f"MATCH (n:Tool {{{s.ORG}: $organization, {s.TAG}: $tag}}) RETURN n {{.*}} AS p", **params)]
    integrations = [from_data(Integration, {**r["p"], "source": r["source"], "target": r["target"]}) for r in read(
        f"MATCH (a:Tool {{{s.ORG}: $organization}})-[r:INTEGRATES_WITH {{{s.TAG}: $tag}}]->"
        f"(b:Tool {{{s.ORG}: $organization}}) RETURN a.id AS source, b.id AS target, r {{.*}} AS p", **params)]
    steps: dict[str, list[tuple[int, Step]]] = {}
    for r in read(f"MATCH (n:Step {{{s.ORG}: $organization, {s.TAG}: $tag}}) RETURN n {{.*}} AS p", **params):
        steps.setdefault(r["p"]["flow"], []).append((r["p"]["position"], from_data(Step, r["p"])))
    flow_rows = sorted(read(f"MATCH (n:Flow {{{s.ORG}: $organization, {s.TAG}: $tag}}) RETURN n {{.*}} AS p",
                            **params), key=lambda r: r["p"]["position"])
    flows = [from_data(Flow, {**r["p"], "steps": ()}) for r in flow_rows]
    flows = [Flow(f.id, f.name, tuple(step for _, step in sorted(steps.get(f.id, []), key=lambda x: x[0])),
                  f.sources) for f in flows]
    finding_rows = sorted(read(f"MATCH (n:Finding {{{s.ORG}: $organization, {s.TAG}: $tag}}) RETURN n {{.*}} AS p",
                               **params), key=lambda r: r["p"]["position"])
    findings = [from_data(Finding, _json_props(s.FINDING, r["p"])) for r in finding_rows]
    document = {
        **head,
        "tools": [to_data(t) for t in tools],
        "integrations": [to_data(i) for i in integrations],
        "flows": [to_data(f) for f in flows],
        "findings": [to_data(f) for f in findings],
    }
    result = from_document(document)
    result.inventories.update(unpack_inventories(inventories))
    return result
