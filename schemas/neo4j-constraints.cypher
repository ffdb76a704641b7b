// auditor: uniqueness constraints of the Neo4j store, generated from auditor/stores/neo4j/schema.py.
// The store creates them itself (IF NOT EXISTS) on its first save; this file is for preparing a
// database by hand. Regenerate with:
//   python -c 'from auditor.stores.neo4j.schema import constraints_file as f; print(f(), end="")'
CREATE CONSTRAINT auditor_organization_key IF NOT EXISTS FOR (n:Organization) REQUIRE (n.organization, n.name) IS UNIQUE;
CREATE CONSTRAINT auditor_scan_key IF NOT EXISTS FOR (n:Scan) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_layer_key IF NOT EXISTS FOR (n:Layer) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_category_key IF NOT EXISTS FOR (n:Category) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_department_key IF NOT EXISTS FOR (n:Department) REQUIRE (n.organization, n.name) IS UNIQUE;
CREATE CONSTRAINT auditor_source_key IF NOT EXISTS FOR (n:Source) REQUIRE (n.organization, n.name) IS UNIQUE;
CREATE CONSTRAINT auditor_tool_key IF NOT EXISTS FOR (n:Tool) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_flow_key IF NOT EXISTS FOR (n:Flow) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_step_key IF NOT EXISTS FOR (n:Step) REQUIRE (n.organization, n.flow, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_finding_key IF NOT EXISTS FOR (n:Finding) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_journey_key IF NOT EXISTS FOR (n:Journey) REQUIRE (n.organization, n.id) IS UNIQUE;
CREATE CONSTRAINT auditor_kpi_key IF NOT EXISTS FOR (n:Kpi) REQUIRE (n.organization, n.id) IS UNIQUE;
