// auditor: saved queries for Neo4j Browser.
// Import: in Neo4j Browser open "Saved Cypher" (star icon) → import this file, or paste one query.
// Every query is scoped by organization; set it once per Browser session:
//   :param organization => 'Sakura Retail KK'
// Queries are separated by blank lines; the first comment line of each is its name.

// Landscape: tools, integrations and layers
MATCH (t:Tool {organization: $organization})
OPTIONAL MATCH (t)-[i:INTEGRATES_WITH]->(o:Tool)
OPTIONAL MATCH (t)-[l:IN_LAYER]->(layer:Layer)
RETURN t, i, o, l, layer;

// Flows: steps in order with the tools that support them
MATCH (f:Flow {organization: $organization})-[h:HAS_STEP]->(s:Step)
OPTIONAL MATCH (s)-[sb:SUPPORTED_BY]->(t:Tool)
OPTIONAL MATCH (s)-[n:NEXT]->(next:Step)
RETURN f, h, s, sb, t, n, next;

// Findings: every finding of the current scan with what it concerns
MATCH (f:Finding {organization: $organization})
OPTIONAL MATCH (f)-[c:CONCERNS]->(x)
RETURN f, c, x;

// Finding missing_integration: consecutive steps whose tools are not integrated
MATCH (f:Finding {organization: $organization, type: 'missing_integration'})-[c:CONCERNS]->(x)
OPTIONAL MATCH (x:Step)-[n:NEXT]->(y:Step)-[sb:SUPPORTED_BY]->(t:Tool)
RETURN f, c, x, n, y, sb, t;

// Finding manual_handoff: hand-offs by e-mail, CSV or file between tools
MATCH (f:Finding {organization: $organization, type: 'manual_handoff'})-[c:CONCERNS]->(x)
OPTIONAL MATCH (x:Tool)-[i:INTEGRATES_WITH]-(o:Tool)
WHERE i.kind IN ['manual', 'file']
RETURN f, c, x, i, o;

// Finding silo: tools with no integration at all, and who uses them
MATCH (f:Finding {organization: $organization, type: 'silo'})-[c:CONCERNS]->(t:Tool)
WHERE NOT (t)-[:INTEGRATES_WITH]-(:Tool)
OPTIONAL MATCH (d:Department)-[u:USES]->(t)
RETURN f, c, t, u, d;

// Finding duplicate: tools doing the same job, with their shared category
MATCH (f:Finding {organization: $organization, type: 'duplicate'})-[c:CONCERNS]->(t:Tool)
OPTIONAL MATCH (t)-[ic:IN_CATEGORY]->(cat:Category)
OPTIONAL MATCH (d:Department)-[u:USES]->(t)
RETURN f, c, t, ic, cat, u, d;

// Finding coverage_gap: flows and steps that no tool supports
MATCH (f:Finding {organization: $organization, type: 'coverage_gap'})-[c:CONCERNS]->(x)
OPTIONAL MATCH (x:Flow)-[h:HAS_STEP]->(s:Step)
WHERE NOT (s)-[:SUPPORTED_BY]->(:Tool)
RETURN f, c, x, h, s;

// Finding shadow_it: unsanctioned tools, who uses them and which source reported them
MATCH (f:Finding {organization: $organization, type: 'shadow_it'})-[c:CONCERNS]->(t:Tool)
OPTIONAL MATCH (d:Department)-[u:USES]->(t)
OPTIONAL MATCH (src:Source)-[r:REPORTED]->(t)
RETURN f, c, t, u, d, r, src;

// Finding bottleneck: tools many integrations or flow steps depend on
MATCH (f:Finding {organization: $organization, type: 'bottleneck'})-[c:CONCERNS]->(t:Tool)
OPTIONAL MATCH (t)-[i:INTEGRATES_WITH]-(o:Tool)
RETURN f, c, t, i, o;

// Finding unmeasurable_kpi: KPIs whose data does not reach the tool computing them
MATCH (f:Finding {organization: $organization, type: 'unmeasurable_kpi'})-[c:CONCERNS]->(k:Kpi)
OPTIONAL MATCH (k)-[ci:COMPUTED_IN]->(t:Tool)
OPTIONAL MATCH (k)-[m:MEASURES]->(x)
RETURN f, c, k, ci, t, m, x;

// Finding open_loop: individual journeys whose improvement loop is broken, with their touchpoints
MATCH (f:Finding {organization: $organization, type: 'open_loop'})-[c:CONCERNS]->(fl:Flow)
OPTIONAL MATCH (j:Journey)-[inc:INCLUDES]->(fl)
OPTIONAL MATCH (fl)-[h:HAS_STEP]->(s:Step {customer_facing: true})-[sb:SUPPORTED_BY]->(t:Tool)
RETURN f, c, fl, j, inc, h, s, sb, t;

// Finding kpi_tree_gap: KPIs left out of the tree and journeys without a relationship KPI
MATCH (f:Finding {organization: $organization, type: 'kpi_tree_gap'})-[c:CONCERNS]->(x)
WHERE x:Kpi OR x:Journey
OPTIONAL MATCH (x)-[ct:CONTRIBUTES_TO]-(other:Kpi)
RETURN f, c, x, ct, other;

// Journeys: whole journeys, their individual journeys and touchpoints, with the KPIs measuring them
MATCH (j:Journey {organization: $organization})-[inc:INCLUDES]->(fl:Flow)
OPTIONAL MATCH (fl)-[h:HAS_STEP]->(s:Step {customer_facing: true})
OPTIONAL MATCH (k:Kpi)-[m:MEASURES]->(s)
RETURN j, inc, fl, h, s, m, k;

// KPI tree: contributions, measurability and the tool computing each KPI
MATCH (k:Kpi {organization: $organization})
OPTIONAL MATCH (k)-[ct:CONTRIBUTES_TO]->(parent:Kpi)
OPTIONAL MATCH (k)-[ci:COMPUTED_IN]->(t:Tool)
RETURN k, ct, parent, ci, t;

// Table: KPIs by measurability
MATCH (k:Kpi {organization: $organization})
RETURN k.level AS level, k.name AS kpi, k.status AS status, k.computed_in AS computed_in
ORDER BY status DESC, level, kpi;

// Table: findings by type and severity
MATCH (f:Finding {organization: $organization})
RETURN f.type AS type, f.severity AS severity, count(*) AS findings
ORDER BY type, severity;

// Table: most connected tools
MATCH (t:Tool {organization: $organization})
RETURN t.name AS tool, t.category AS category, COUNT { (t)-[:INTEGRATES_WITH]-(:Tool) } AS integrations
ORDER BY integrations DESC, tool
LIMIT 25;

// Table: scans stored for this organization
MATCH (s:Scan {organization: $organization, status: 'complete'})
RETURN s.id AS scan, s.started_at AS started, s.tools AS tools, s.integrations AS integrations,
       s.findings AS findings, s.failed_sources AS failed_sources
ORDER BY started DESC;
