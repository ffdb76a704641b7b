"""Fixtures for the resolution tests: one matcher (and resolver) over the packaged catalog per test session."""

from __future__ import annotations

import pytest

from auditor.resolution.catalog import load_catalog
from auditor.resolution.engine import Resolver
from auditor.resolution.matcher import Matcher


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    """A matcher built from the packaged catalog (0.2 s, built once: a matcher's tables never change after it is
    built and a test only calls ``match``; its memo of answers holds answers to the same questions)."""
    return Matcher(load_catalog())


@pytest.fixture(scope="session")
def resolver(matcher: Matcher) -> Resolver:
    """A resolver over the packaged catalog with :func:`matcher` (a resolver keeps no state between ``resolve``s)."""
    return Resolver(load_catalog(), matcher=matcher)
