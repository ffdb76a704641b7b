"""Planted journeys and KPIs for the truth generator (``generate(..., journeys=True)``).

Every planted individual journey is a fresh flow ``j<n>``: a customer-facing step ``s0`` and, half the
time, a step ``s1`` sharing its touchpoint tool (so the one hand-off is connected through the shared
tool: no other finding type changes). The loop's tools are fresh and reachable only from the touchpoint
tool ``T`` (nothing else links into them; the generator's identity and data hub only add edges *from*
themselves), so the loop's state is the planted one:

* ``closed``: T → data tool → analytics tool → T (or the automation tool of ``s1``);
* ``cannot_measure``: T reaches no data tool (no link, or only a manual one);
* ``cannot_learn``: T → data tool, which reaches no analytics tool (at most a manual link);
* ``cannot_act``: T → data tool → analytics tool, and nothing non-manual comes back.

Every KPI has a data word of its own and a producer tool of its own in ``s0`` (layer-less, so loops are
unchanged), and its computed_in is reached as planted: in place, through carrying integrations (direct,
via middleware, over a chain), only through integrations listing no data (``unconfirmed``: no finding),
through one listing another word or a manual one (``no_path``), or not produced at all (``no_producer``).
The KPI tree is planted per journey and its gaps read off it.
"""

from __future__ import annotations

from typing import Any

from auditor.model import Flow, Journey, Kpi, Step


def _loop(b: Any, touch: str, automation: str | None, plan: str) -> None:
    rng = b.rng
    if plan == "cannot_measure":
        if rng.random() < 0.5:
            b.link(touch, b.tool("z", None, ("data",)), "manual")
        return
    data = b.tool("z", None, ("data",))
    b.link(touch, data)
    analytics = b.tool("z", None, ("ai_analytics",))
    if plan == "cannot_learn":
        if rng.random() < 0.5:
            b.link(data, analytics, "manual")
        return
    b.link(data, analytics, via=b.tool("z", None, ()) if rng.random() < 0.3 else None)
    if plan == "cannot_act":
        if rng.random() < 0.5:
            b.link(analytics, touch, "manual")
        return
    b.link(analytics, automation if automation and rng.random() < 0.5 else touch)


def _kpi_route(b: Any, producer: str, word: str, plan: str, other_anchor_tool: str) -> str:
    """Plant how ``word`` goes from ``producer`` to a computed_in tool; return that tool's id."""
    rng = b.rng
    if plan in ("in_place", "anchor_not_producer"):  # the producer sends the word somewhere else
        b.link(producer, b.tool("z", None, ()), data=(word,))
        return producer if plan == "in_place" else other_anchor_tool
    target = b.tool("z", None, ())
    if plan == "no_producer":
        if rng.random() < 0.5:
            b.link(producer, target, data=("other",))
        return target
    if plan == "manual":
        b.link(producer, target, "manual", data=(word,))
        return target
    middle = b.tool("z", None, ())
    b.link(producer, middle, data=(word,), via=b.tool("z", None, ()) if rng.random() < 0.3 else None)
    last = {"carries": (word,), "unconfirmed": (), "other_word": ("other",)}[plan]
    b.link(middle, target, data=last, bidirectional=rng.random() < 0.2)
    return target


#: planted route → the KPI's expected unmeasurable_kpi rule (None: measurable or unconfirmed, no finding)
ROUTES = {"in_place": None, "carries": None, "unconfirmed": None, "other_word": "no_path", "manual": "no_path",
          "no_producer": "no_producer", "anchor_not_producer": "no_path"}


def _route(b: Any, kpi_id: str, level: str, producer: str, other_anchor_tool: str,
           truth: dict[str, set[Any]]) -> tuple[str, str]:
    """Plant a route for the KPI, record its truth; returns (word, computed_in)."""
    plan = b.rng.choice(list(ROUTES))
    word = f"w-{kpi_id}"
    target = _kpi_route(b, producer, word, plan, other_anchor_tool)
    # a touchpoint KPI computed in another tool of its own step is measured in place
    rule = None if level == "touchpoint" and plan == "anchor_not_producer" else ROUTES[plan]
    if rule:
        truth["unmeasurable_kpi"].add((kpi_id, rule))
    return word, target


def plant_journeys(b: Any, truth: dict[str, set[Any]], in_flows: set[str]) -> tuple[list[Flow], list[Journey],
                                                                                      list[Kpi]]:
    """Plant 1-2 journeys of 1-3 individual journeys each, their KPIs, and record the truth."""
    rng = b.rng
    flows: list[Flow] = []
    journeys: list[Journey] = []
    kpis: list[Kpi] = []
    for n in range(rng.randint(1, 2)):
        journey_id = f"J{n}"
        top = f"J{n}-top" if rng.random() < 0.6 else None
        members: list[str] = []
        for m in range(rng.randint(1, 3)):
            flow_id = f"j{n}x{m}"
            members.append(flow_id)
            department = rng.choice(b.departments)
            touch = b.tool("y", department, ())
            automation = b.tool("y", department, ("automation",)) if rng.random() < 0.5 else None
            plan = rng.choice(("closed", "closed", "cannot_measure", "cannot_learn", "cannot_act"))
            _loop(b, touch, automation, plan)
            if plan != "closed":
                truth["open_loop"].add((flow_id, plan))
            extra = _plant_kpis(b, flow_id, top, touch, truth, kpis)
            if top and m == 0:  # the relationship KPI's producer: a tool of the journey's first touchpoint
                producer = b.tool("y", None, ())
                word, target = _route(b, top, "relationship", producer, touch, truth)
                kpis.append(Kpi(top, f"KPI {top}", "relationship", journey=journey_id, data=(word,),
                                computed_in=target))
                extra.append(producer)
            steps = [Step("s0", f"Touchpoint of {flow_id}", department, (touch, *extra), customer_facing=True)]
            if automation:
                steps.append(Step("s1", f"Back office of {flow_id}", department, (touch, automation)))
            in_flows.update(t for s in steps for t in s.tools)
            flows.append(Flow(flow_id, f"Journey {flow_id}", tuple(steps), ("generator",)))
        if not top:
            truth["kpi_tree_gap"].add((journey_id, "no_relationship_kpi"))
        journeys.append(Journey(journey_id, f"Journey {journey_id}", tuple(members), "CX"))
    return flows, journeys, kpis


def _plant_kpis(b: Any, flow_id: str, top: str | None, touch: str, truth: dict[str, set[Any]],
                kpis: list[Kpi]) -> list[str]:
    """A journey KPI (sometimes) and 0-3 touchpoint KPIs of one individual journey; returns their producers."""
    rng = b.rng
    producers: list[str] = []
    goal = f"{flow_id}-goal" if rng.random() < 0.7 else None
    planted = [(goal, "journey")] if goal else []
    planted += [(f"{flow_id}-tp{i}", "touchpoint") for i in range(rng.randint(0, 3))]
    fed = False
    for kpi_id, level in planted:
        assert kpi_id is not None
        producer = b.tool("y", None, ())
        producers.append(producer)
        word, target = _route(b, kpi_id, level, producer, touch, truth)
        if level == "journey":
            kpis.append(Kpi(kpi_id, f"KPI {kpi_id}", level, flow=flow_id, data=(word,), computed_in=target,
                            contributes_to=top if rng.random() < 0.8 else None))
            continue
        parent = goal if goal and rng.random() < 0.7 else (top if rng.random() < 0.3 else None)
        fed = fed or (parent is not None and parent == goal)
        if parent is None:
            truth["kpi_tree_gap"].add((kpi_id, "contributes_to_nothing"))
        kpis.append(Kpi(kpi_id, f"KPI {kpi_id}", level, flow=flow_id, step="s0", data=(word,), computed_in=target,
                        contributes_to=parent))
    if goal and not fed:
        truth["kpi_tree_gap"].add((goal, "not_fed"))
    return producers
