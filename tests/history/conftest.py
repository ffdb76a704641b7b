"""Fixtures of the history tests (defined in history_fixtures.py, which tests also import data from)."""

from history_fixtures import demo_copy, make_project, project  # noqa: F401
