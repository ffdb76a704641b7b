"""Entity resolution: product catalog, name normalisation, matching, overrides, classification, capability mapping.

Entry point: :func:`auditor.resolution.engine.resolve`. Data flows one way: ``normalize`` → ``matcher``
→ ``engine`` (rules, overrides) → ``merge`` and ``classify``; no module imports one later in that line.
See docs/resolution.md and docs/catalog.md.
"""
