"""What-if scenarios: retire tools, connect tools, sanction tools — applied to a *copy* of a landscape.

A scenario never modifies the scanned graph: :func:`apply_scenario` builds a new :class:`LandscapeGraph`.

* ``retire X``: X leaves the landscape with every integration it takes part in (as endpoint or
  middleware). Where a consolidation decision keeps Y instead of X, the steps X supported move to Y
  (that is what the migration means); X's integrations are *not* moved — they must be rebuilt on Y,
  so the hand-offs they carried show up as broken until a ``connect`` rebuilds them.
* ``connect A:B``: a new API integration from A to B (also how a manual hand-off is automated).
* ``sanction X``: X becomes sanctioned (shadow IT approved).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import InputError, Problem
from auditor.graph import LandscapeGraph
from auditor.model import Flow, Integration, Step


@dataclass(frozen=True)
class Scenario:
    """Changes to try on a landscape; ``moves`` maps a retired tool to the tool taking over its steps."""

    retire: tuple[str, ...] = ()
    connect: tuple[tuple[str, str], ...] = ()
    sanction: tuple[str, ...] = ()
    moves: Mapping[str, str] = field(default_factory=dict)

    def __add__(self, other: Scenario) -> Scenario:
        return Scenario(tuple(dict.fromkeys((*self.retire, *other.retire))),
                        tuple(dict.fromkeys((*self.connect, *other.connect))),
                        tuple(dict.fromkeys((*self.sanction, *other.sanction))),
                        {**self.moves, **other.moves})

    def is_empty(self) -> bool:
        """Whether the scenario changes nothing."""
        return not (self.retire or self.connect or self.sanction)

    def describe(self) -> list[str]:
        """One plain line per change (``retire freshdesk (its steps move to zendesk)``)."""
        lines = [f"retire {t}" + (f" (its steps move to {self.moves[t]})" if t in self.moves else "")
                 for t in self.retire]
        lines += [f"connect {a} → {b}" for a, b in self.connect]
        lines += [f"sanction {t}" for t in self.sanction]
        return lines

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form (the same shape as a scenario file)."""
        return {"retire": list(self.retire), "connect": [f"{a}:{b}" for a, b in self.connect],
                "sanction": list(self.sanction), "moves": dict(self.moves)}


def parse_connection(text: str, where: str) -> tuple[str, str]:
    """``"shopify-plus:zendesk"`` → ``("shopify-plus", "zendesk")``; raises :class:`InputError` otherwise."""
    source, sep, target = text.partition(":")
    if not sep or not source.strip() or not target.strip():
        raise InputError([Problem(where, None, f"connection '{text}' must be SOURCE:TARGET (tool ids)")])
    return source.strip(), target.strip()


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file (``retire: [..]``, ``connect: ["a:b", ..]``, ``sanction: [..]``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(str(path), None, f"cannot read scenario: {exc}")]) from exc
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), None, "a scenario is a mapping with retire/connect/sanction lists")])
    problems = [Problem(str(path), None, f"unknown key '{key}' (known: retire, connect, sanction)")
                for key in data if key not in ("retire", "connect", "sanction")]
    lists: dict[str, list[str]] = {}
    for key in ("retire", "connect", "sanction"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(str(path), None, f"'{key}' must be a list of strings"))
            value = []
        lists[key] = value
    if problems:
        raise InputError(problems)
    return Scenario(tuple(lists["retire"]), tuple(parse_connection(c, str(path)) for c in lists["connect"]),
                    tuple(lists["sanction"]))


def unknown_tools(graph: LandscapeGraph, scenario: Scenario, where: str) -> list[Problem]:
    """A problem for every tool id the scenario names that the landscape does not have."""
    named = [*scenario.retire, *scenario.sanction, *(t for pair in scenario.connect for t in pair)]
    return [Problem(where, None, f"unknown tool '{t}' (use the tool ids of report.json)")
            for t in dict.fromkeys(named) if t not in graph.tools]


def _moved(tools: Iterable[str], retired: set[str], moves: Mapping[str, str]) -> tuple[str, ...]:
    kept = [moves.get(t, t) if t in retired else t for t in tools]
    return tuple(dict.fromkeys(t for t in kept if t not in retired))


def moved_step(step: Step, retired: set[str], moves: Mapping[str, str]) -> Step:
    """``step`` without the ``retired`` tools, each replaced by the tool ``moves`` names for it (if any)."""
    return replace(step, tools=_moved(step.tools, retired, moves),
                   inferred_tools=_moved(step.inferred_tools, retired, moves))


def apply_scenario(graph: LandscapeGraph, scenario: Scenario) -> LandscapeGraph:
    """A new landscape with the scenario's changes; ``graph`` itself is left as it was."""
    retired = set(scenario.retire)
    moves = {t: k for t, k in scenario.moves.items() if k not in retired}
    tools = [replace(t, sanctioned=True) if t.id in scenario.sanction else t
             for t in graph.tools.values() if t.id not in retired]
    integrations = [i for i in graph.integrations if not retired & {i.source, i.target, i.via}]
    existing = {i.key for i in integrations}
    for source, target in scenario.connect:
        new = Integration(source, target, "api", sources=("whatif",))
        if new.key not in existing and not retired & {source, target}:
            integrations.append(new)
            existing.add(new.key)
    flows = [Flow(f.id, f.name, tuple(moved_step(s, retired, moves) for s in f.steps), f.sources) for f in graph.flows]
    return LandscapeGraph.build(tools, integrations, flows, graph.organization, graph.journeys, graph.kpis)
