"""Read a scan back from Neo4j into the same :class:`ScanResult` the embedded store returns.

The current scan of an organization is rebuilt from the graph itself (only elements carrying
its update tag, so leftovers of an interrupted cleanup are invisible). Every scan also keeps a
compressed snapshot on its ``Scan`` node: the same property maps, taken from the rows the sync
wrote, rebuilt by the same code. That is how older scans (replaced in the graph by newer ones)
stay loadable for ``auditor report`` and ``auditor diff``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from auditor.model import Inventory
from auditor.result import ScanResult, from_document
from auditor.serialize import from_data, to_data
from auditor.stores.neo4j import schema as s
from auditor.stores.neo4j.rows import GraphRows

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
    failed = {src.name for src in result.scan.sources if src.status != "ok"}  # failed or suspect
    return pack({name: to_data(inv) for name, inv in result.inventories.items() if name not in failed})


def unpack_inventories(data: bytes | bytearray | None) -> dict[str, Inventory]:
    """Inverse of :func:`pack_inventories`."""
    return {name: from_data(Inventory, inv) for name, inv in (unpack(data) or {}).items()}


#: The landscape parts a scan is rebuilt from: label (or relationship) → list of property maps.
Records = dict[str, list[dict[str, Any]]]


def fetch_records(read: Reader, organization: str, tag: str) -> Records:
    """The property maps of the elements tagged ``tag``: tools, integrations, flows, steps, findings."""
    params = {"organization": organization, "tag": tag}

    def nodes(label: str) -> list[dict[str, Any]]:
        return [r["p"] for r in read(f"MATCH (n:{label} {{{s.ORG}: $organization, {s.TAG}: $tag}}) "
                                     f"RETURN n {{.*}} AS p", **params)]

    integrations = [{**r["p"], "source": r["source"], "target": r["target"]} for r in read(
        f"MATCH (a:Tool {{{s.ORG}: $organization}})-[r:INTEGRATES_WITH {{{s.TAG}: $tag}}]->"
        f"(b:Tool {{{s.ORG}: $organization}}) RETURN a.id AS source, b.id AS target, r {{.*}} AS p", **params)]
    return {"Tool": nodes("Tool"), "integrates_with": integrations, "Flow": nodes("Flow"), "Step": nodes("Step"),
            "Finding": nodes("Finding")}


def records_from_rows(rows: GraphRows) -> Records:
    """The same property maps as :func:`fetch_records`, from the rows a sync writes (for snapshots)."""

    def nodes(schema: s.NodeSchema) -> list[dict[str, Any]]:
        return [{**dict(zip(schema.keys, row["k"], strict=True)),
                 **{k: v for k, v in row["p"].items() if v is not None}} for row in rows.nodes[schema.label]]

    integrations = [{**{k: v for k, v in row["p"].items() if v is not None}, "source": row["s"][0],
                     "target": row["e"][0]} for row in rows.rels[s.INTEGRATES_WITH.name]]
    return {"Tool": nodes(s.TOOL), "integrates_with": integrations, "Flow": nodes(s.FLOW), "Step": nodes(s.STEP),
            "Finding": nodes(s.FINDING)}


def _json_props(schema: s.NodeSchema, props: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(props)
    for name in schema.json_properties:
        if data.get(name) is not None:
            data[name] = json.loads(data[name])
    return data


def build_result(records: Records, head: Mapping[str, Any], inventories: bytes | bytearray | None = None
                 ) -> ScanResult:
    """A :class:`ScanResult` from landscape records and the scan's head (metadata, summary, extras)."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for step in sorted(records["Step"], key=lambda p: p["position"]):
        steps.setdefault(step["flow"], []).append(_json_props(s.STEP, step))
    flows = [{**_json_props(s.FLOW, flow), "steps": steps.get(flow["id"], [])}
             for flow in sorted(records["Flow"], key=lambda p: p["position"])]
    findings = [_json_props(s.FINDING, p) for p in sorted(records["Finding"], key=lambda p: p["position"])]
    document = {
        **head,
        "tools": [_json_props(s.TOOL, p) for p in records["Tool"]],
        "integrations": records["integrates_with"],
        "flows": flows,
        "findings": findings,
    }
    result = from_document(document)
    result.inventories.update(unpack_inventories(inventories))
    return result


def read_graph(read: Reader, organization: str, tag: str, head: Mapping[str, Any],
               inventories: bytes | bytearray | None = None) -> ScanResult:
    """Rebuild the scan tagged ``tag`` from the graph; ``head`` supplies scan metadata and extras."""
    return build_result(fetch_records(read, organization, tag), head, inventories)


def from_snapshot(snapshot: bytes | bytearray, head: bytes | bytearray,
                  inventories: bytes | bytearray | None) -> ScanResult:
    """A scan from the snapshot stored on its ``Scan`` node (records packed at save time)."""
    return build_result(unpack(snapshot), unpack(head), inventories)
