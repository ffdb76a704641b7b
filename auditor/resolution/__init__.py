"""Entity resolution: product catalog, name normalisation, matching, overrides, classification, capability mapping.

Entry point: :func:`auditor.resolution.engine.resolve_with_catalog` (called by :func:`auditor.resolve.resolve`).
See docs/resolution.md and docs/catalog.md.
"""
