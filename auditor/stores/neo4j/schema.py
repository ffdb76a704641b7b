"""The Neo4j graph model, declared once as data, and the Cypher generated from it.

Every node carries ``organization`` (part of its uniqueness constraint), ``lastupdated`` (the
update tag: the id of the scan that last wrote or confirmed it) and ``content_hash`` (so that
an unchanged element is only re-tagged, not rewritten). Relationships carry ``lastupdated`` and
``content_hash`` too; they are scoped by organization through their end nodes.

Labels, types and property names below are constants of this module (checked against a strict
pattern), never user input; every value reaches Neo4j as a query parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORG = "organization"
TAG = "lastupdated"
HASH = "content_hash"

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check(*names: str) -> None:
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"not a safe Cypher identifier: {name!r}")


@dataclass(frozen=True)
class NodeSchema:
    """A node label: the key properties that (with ``organization``) identify a node, and the others.

    ``json_properties`` hold nested data serialized as JSON text (Neo4j properties are flat).
    ``landscape`` nodes are synced with update tags and cleaned up when stale.
    """

    label: str
    keys: tuple[str, ...]
    properties: tuple[str, ...] = ()
    json_properties: tuple[str, ...] = ()
    landscape: bool = True

    def __post_init__(self) -> None:
        _check(self.label, *self.keys, *self.properties)

    def match(self, var: str, keys_expr: str) -> str:
        """``(var:Label {organization: $organization, k0: expr[0], ...})``."""
        parts = [f"{ORG}: $organization"] + [f"{k}: {keys_expr}[{i}]" for i, k in enumerate(self.keys)]
        return f"({var}:{self.label} {{{', '.join(parts)}}})"


@dataclass(frozen=True)
class RelSchema:
    """A relationship type between two labels; ``key`` distinguishes parallel relationships."""

    name: str
    type: str
    start: NodeSchema
    end: NodeSchema
    key: str | None = None
    properties: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self.type, *self.properties, *([self.key] if self.key else []))

    def pattern(self, rel_props: str = "") -> str:
        """``(a:Start {...})-[r:TYPE {...}]->(b:End {...})`` matching one row."""
        return (f"{self.start.match('a', 'row.s')}-[r:{self.type}{rel_props}]->"
                f"{self.end.match('b', 'row.e')}")


# --- the model -------------------------------------------------------------------------------------

ORGANIZATION = NodeSchema("Organization", ("name",), ("current_scan", "syncing_scan", "sync_owner", "sync_holder",
                                                      "sync_started_at", "sync_expires_at"), landscape=False)
SCAN = NodeSchema("Scan", ("id",), ("status", "started_at", "finished_at", "tools", "integrations",
                                    "findings", "failed_sources", "head", "snapshot", "inventories"),
                  landscape=False)

LAYER = NodeSchema("Layer", ("id",), ("title",))
CATEGORY = NodeSchema("Category", ("id",))
DEPARTMENT = NodeSchema("Department", ("name",))
SOURCE = NodeSchema("Source", ("name",), ("type", "status", "error", "carried_over_from"))
TOOL = NodeSchema("Tool", ("id",), ("name", "vendor", "category", "layers", "departments", "owner", "annual_cost",
                                    "users", "sanctioned", "capabilities", "sources", "aliases", "catalog_id",
                                    "evidence", "lifecycle", "business_owner", "it_owner", "renewal_date",
                                    "contract_end", "licences"), json_properties=("evidence",))
FLOW = NodeSchema("Flow", ("id",), ("name", "sources", "position"))
STEP = NodeSchema("Step", ("flow", "id"), ("name", "department", "tools", "requires", "capabilities",
                                           "customer_facing", "inferred_tools", "position", "next", "kind"))
FINDING = NodeSchema("Finding", ("id",), ("type", "severity", "title", "tools", "flow", "steps", "departments",
                                          "evidence", "recommendation", "position", "message_code", "message_params"),
                     json_properties=("evidence", "message_params"))
JOURNEY = NodeSchema("Journey", ("id",), ("name", "owner", "flows", "readiness", "position"))
KPI = NodeSchema("Kpi", ("id",), ("name", "level", "journey", "flow", "step", "data", "computed_in", "contributes_to",
                                  "status", "position"))

#: Landscape nodes in write order (relationship ends exist before relationships).
NODES: tuple[NodeSchema, ...] = (LAYER, CATEGORY, DEPARTMENT, SOURCE, TOOL, FLOW, STEP, FINDING, JOURNEY, KPI)

INTEGRATES_WITH = RelSchema("integrates_with", "INTEGRATES_WITH", TOOL, TOOL, key="key",
                            properties=("kind", "via", "data", "bidirectional", "sources"))
USES = RelSchema("uses", "USES", DEPARTMENT, TOOL)
IN_LAYER = RelSchema("in_layer", "IN_LAYER", TOOL, LAYER)
IN_CATEGORY = RelSchema("in_category", "IN_CATEGORY", TOOL, CATEGORY)
REPORTED = RelSchema("reported", "REPORTED", SOURCE, TOOL)
HAS_STEP = RelSchema("has_step", "HAS_STEP", FLOW, STEP, properties=("order",))
NEXT = RelSchema("next", "NEXT", STEP, STEP)
SUPPORTED_BY = RelSchema("supported_by", "SUPPORTED_BY", STEP, TOOL, properties=("inferred",))
PERFORMED_BY = RelSchema("performed_by", "PERFORMED_BY", STEP, DEPARTMENT)
CONCERNS_TOOL = RelSchema("concerns_tool", "CONCERNS", FINDING, TOOL)
CONCERNS_FLOW = RelSchema("concerns_flow", "CONCERNS", FINDING, FLOW)
CONCERNS_STEP = RelSchema("concerns_step", "CONCERNS", FINDING, STEP)
CONCERNS_DEPARTMENT = RelSchema("concerns_department", "CONCERNS", FINDING, DEPARTMENT)
INCLUDES = RelSchema("includes", "INCLUDES", JOURNEY, FLOW, properties=("order",))
MEASURES_STEP = RelSchema("measures_step", "MEASURES", KPI, STEP)
MEASURES_FLOW = RelSchema("measures_flow", "MEASURES", KPI, FLOW)
MEASURES_JOURNEY = RelSchema("measures_journey", "MEASURES", KPI, JOURNEY)
COMPUTED_IN = RelSchema("computed_in", "COMPUTED_IN", KPI, TOOL)
CONTRIBUTES_TO = RelSchema("contributes_to", "CONTRIBUTES_TO", KPI, KPI)
CONCERNS_KPI = RelSchema("concerns_kpi", "CONCERNS", FINDING, KPI)
CONCERNS_JOURNEY = RelSchema("concerns_journey", "CONCERNS", FINDING, JOURNEY)

RELATIONSHIPS: tuple[RelSchema, ...] = (
    INTEGRATES_WITH, USES, IN_LAYER, IN_CATEGORY, REPORTED, HAS_STEP, NEXT, SUPPORTED_BY, PERFORMED_BY,
    CONCERNS_TOOL, CONCERNS_FLOW, CONCERNS_STEP, CONCERNS_DEPARTMENT,
    INCLUDES, MEASURES_STEP, MEASURES_FLOW, MEASURES_JOURNEY, COMPUTED_IN, CONTRIBUTES_TO, CONCERNS_KPI,
    CONCERNS_JOURNEY,
)

ALL_NODES: tuple[NodeSchema, ...] = (ORGANIZATION, SCAN, *NODES)


# --- generated Cypher --------------------------------------------------------------------------------

def constraint_name(node: NodeSchema) -> str:
    """Name of a label's uniqueness constraint, e.g. ``auditor_tool_key``."""
    return f"auditor_{node.label.lower()}_key"


def constraint_statements() -> list[str]:
    """One uniqueness constraint per label on ``(organization, keys...)``, created if absent."""
    statements = []
    for node in ALL_NODES:
        props = ", ".join(f"n.{p}" for p in (ORG, *node.keys))
        statements.append(f"CREATE CONSTRAINT {constraint_name(node)} IF NOT EXISTS "
                          f"FOR (n:{node.label}) REQUIRE ({props}) IS UNIQUE")
    return statements


def constraints_file() -> str:
    """The text of ``schemas/neo4j-constraints.cypher`` (a test keeps the file equal to it)."""
    header = ("// auditor: uniqueness constraints of the Neo4j store, generated from auditor/stores/neo4j/schema.py.\n"
              "// The store creates them itself (IF NOT EXISTS) on its first save; this file is for preparing a\n"
              "// database by hand. Regenerate with:\n"
              "//   python -c 'from auditor.stores.neo4j.schema import constraints_file as f; print(f(), end=\"\")'\n")
    return header + "".join(f"{statement};\n" for statement in constraint_statements())


def any_landscape() -> str:
    """Whether the organization has any landscape node (if not, a sync only creates)."""
    checks = " OR ".join(f"EXISTS {{ MATCH (:{n.label} {{{ORG}: $organization}}) }}" for n in NODES)
    return f"RETURN {checks} AS found"


def _assignments(var: str, properties: tuple[str, ...]) -> str:
    sets = [f"{var}.{p} = row.p.{p}" for p in properties]
    sets += [f"{var}.{HASH} = row.h", f"{var}.{TAG} = $tag"]
    return ", ".join(sets)


def merge_nodes(node: NodeSchema) -> str:
    """Create or update a batch of nodes: rows ``{k: [keys], p: {props}, h: hash}``."""
    return (f"UNWIND $rows AS row MERGE {node.match('n', 'row.k')} "
            f"SET {_assignments('n', node.properties)}")


def create_nodes(node: NodeSchema) -> str:
    """Create a batch of nodes known to be new (same rows as :func:`merge_nodes`)."""
    return (f"UNWIND $rows AS row CREATE {node.match('n', 'row.k')} "
            f"SET {_assignments('n', node.properties)}")


def touch_nodes(node: NodeSchema) -> str:
    """Re-tag unchanged nodes by element id (rows are element ids); returns how many were found."""
    return (f"UNWIND $rows AS id MATCH (n:{node.label}) WHERE elementId(n) = id "
            f"SET n.{TAG} = $tag RETURN count(n) AS found")


def existing_nodes(node: NodeSchema) -> str:
    """Element ids and content hashes of this organization's nodes (one record of two lists)."""
    return (f"MATCH (n:{node.label} {{{ORG}: $organization}}) "
            f"RETURN collect(elementId(n)) AS ids, collect(n.{HASH}) AS hashes")


def delete_nodes(node: NodeSchema) -> str:
    """Delete nodes of this organization by element id unless they carry ``$tag``."""
    return (f"UNWIND $rows AS id MATCH (n:{node.label}) WHERE elementId(n) = id "
            f"AND n.{ORG} = $organization AND n.{TAG} <> $tag DETACH DELETE n RETURN count(*) AS deleted")


def stale_nodes(node: NodeSchema) -> str:
    """Delete at most ``$limit`` nodes of this organization not tagged ``$tag``; returns the count."""
    return (f"MATCH (n:{node.label} {{{ORG}: $organization}}) WHERE n.{TAG} <> $tag "
            f"WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted")


def _rel_key(rel: RelSchema) -> str:
    return f" {{{rel.key}: row.rk}}" if rel.key else ""


def merge_rels(rel: RelSchema) -> str:
    """Create or update a batch of relationships: rows ``{s: [keys], e: [keys], rk, p, h}``."""
    return (f"UNWIND $rows AS row MATCH {rel.start.match('a', 'row.s')} MATCH {rel.end.match('b', 'row.e')} "
            f"MERGE (a)-[r:{rel.type}{_rel_key(rel)}]->(b) SET {_assignments('r', rel.properties)}")


def create_rels(rel: RelSchema) -> str:
    """Create a batch of relationships known to be new (same rows as :func:`merge_rels`)."""
    return (f"UNWIND $rows AS row MATCH {rel.start.match('a', 'row.s')} MATCH {rel.end.match('b', 'row.e')} "
            f"CREATE (a)-[r:{rel.type}{_rel_key(rel)}]->(b) SET {_assignments('r', rel.properties)}")


def touch_rels(rel: RelSchema) -> str:
    """Re-tag unchanged relationships by element id; returns how many were found."""
    return (f"UNWIND $rows AS id MATCH ()-[r:{rel.type}]->() WHERE elementId(r) = id "
            f"SET r.{TAG} = $tag RETURN count(r) AS found")


def existing_rels(rel: RelSchema) -> str:
    """Element ids and content hashes of this organization's relationships of one kind."""
    return (f"MATCH (a:{rel.start.label} {{{ORG}: $organization}})-[r:{rel.type}]->"
            f"(b:{rel.end.label} {{{ORG}: $organization}}) "
            f"RETURN collect(elementId(r)) AS ids, collect(r.{HASH}) AS hashes")


def delete_rels(rel: RelSchema) -> str:
    """Delete relationships of this organization by element id unless they carry ``$tag``."""
    return (f"UNWIND $rows AS id MATCH (a:{rel.start.label})-[r:{rel.type}]->(b:{rel.end.label}) "
            f"WHERE elementId(r) = id AND a.{ORG} = $organization AND r.{TAG} <> $tag "
            f"DELETE r RETURN count(*) AS deleted")


def stale_rels(rel: RelSchema) -> str:
    """Delete at most ``$limit`` relationships of this organization not tagged ``$tag``."""
    return (f"MATCH (a:{rel.start.label} {{{ORG}: $organization}})-[r:{rel.type}]->"
            f"(b:{rel.end.label} {{{ORG}: $organization}}) WHERE r.{TAG} <> $tag "
            f"WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted")
