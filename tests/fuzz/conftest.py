"""Hypothesis profiles of the fuzz suite and the count of generated inputs it prints.

``make test`` runs a small fixed budget (``FUZZ_EXAMPLES``, default 20 per target); ``make fuzz`` runs
10,000+ inputs in total with a fixed seed (see the Makefile). The summary line says how many inputs ran.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from fuzz_checks import RUNS, UNPLANNED
from hypothesis import HealthCheck, settings

#: Without FUZZ_EXAMPLES (make test) the inputs are derandomized: the normal suite is the same on every run.
settings.register_profile("auditor", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")), deadline=None,
                          derandomize="FUZZ_EXAMPLES" not in os.environ,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.filter_too_much], database=None)
settings.load_profile("auditor")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """``fuzz: N generated inputs (per kind …)`` after the run."""
    if RUNS:
        total = sum(RUNS.values())
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(RUNS.items()))
        seed = config.getoption("hypothesis_seed", None)
        origin = f"seed {seed}" if seed is not None else "derandomized"
        terminalreporter.write_line(f"fuzz: {total} generated inputs ({origin}; {kinds})")
        if UNPLANNED:
            failed = ", ".join(f"{kind} {count}" for kind, count in sorted(UNPLANNED.items()))
            terminalreporter.write_line(f"fuzz: sources failed on a record of an unplanned shape: {failed}")
