"""The user's overrides file: decisions a human made about cases resolution must not guess.

Format (YAML, path in ``resolution.overrides`` of the config; see docs/resolution.md)::

    same:                      # these names are this tool (a catalog id or a landscape tool id)
      - tool: salesforce-sales-cloud
        names: ["SFDC JP org", "Salesforce (old)"]
    never_merge:               # never attach one to the other (names, tool ids or catalog ids)
      - ["Salesforce Einstein", salesforce-sales-cloud]

Names compare after case, width and punctuation folding, so ``ＳＦＤＣ ＪＰ org`` matches too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import InputError, Problem
from auditor.resolution.normalize import simple_key
from auditor.yamlfile import load_yaml


@dataclass(frozen=True)
class Overrides:
    """Same-name → same-tool decisions and never-merge pairs, by normalised key."""

    same: dict[str, str] = field(default_factory=dict)
    never: frozenset[frozenset[str]] = frozenset()
    file: str | None = None

    def target(self, name: str) -> str | None:
        """The tool (or catalog id) a name was assigned to by the user, if any."""
        return self.same.get(simple_key(name))

    def forbids(self, name: str, references: Iterable[str]) -> bool:
        """True if the user said ``name`` must never merge with any of ``references``."""
        key = simple_key(name)
        return any(frozenset({key, simple_key(ref)}) in self.never for ref in references if ref)


EMPTY = Overrides()


def load_overrides(path: Path | None) -> Overrides:
    """Read the overrides file; raises :class:`InputError` naming the file and line of each problem."""
    if path is None:
        return EMPTY
    documents = load_yaml(path)
    problems: list[Problem] = []
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise InputError([Problem(str(path), None, "expected one YAML mapping with 'same:' and/or 'never_merge:'")])
    document = documents[0]
    data = document.data
    unknown = sorted(set(data) - {"same", "never_merge"})
    for key in unknown:
        problems.append(document.problem((key,), f"unknown section '{key}' (expected 'same' or 'never_merge')"))
    same: dict[str, str] = {}
    for index, entry in enumerate(data.get("same") or []):
        names = entry.get("names") if isinstance(entry, dict) else None
        tool = entry.get("tool") if isinstance(entry, dict) else None
        if not isinstance(tool, str) or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append(document.problem(("same", index), "each 'same' entry needs 'tool: <id>' and "
                                              "'names: [<name>, ...]'"))
            continue
        for name in names:
            previous = same.setdefault(simple_key(name), tool)
            if previous != tool:
                problems.append(document.problem(("same", index), f"name '{name}' is assigned to both "
                                                  f"'{previous}' and '{tool}'"))
    never: set[frozenset[str]] = set()
    for index, pair in enumerate(data.get("never_merge") or []):
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) and p for p in pair):
            problems.append(document.problem(("never_merge", index), "each 'never_merge' entry is a pair "
                                              "[<name or id>, <name or id>]"))
            continue
        never.add(frozenset(simple_key(p) for p in pair))
    if problems:
        raise InputError(problems)
    return Overrides(same, frozenset(never), str(path))
