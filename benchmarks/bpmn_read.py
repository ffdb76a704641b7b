"""Benchmark the bpmn source on large models: read (safe XML parse with line numbers) and transform.

Usage::

    .venv/bin/python benchmarks/bpmn_read.py [--tasks 1000 10000 50000]

Each model is one pool with 8 lanes; every 5th task is followed by an exclusive gateway that loops
back to the task before it, every 10th task reads a data store, every 7th carries an ``auditor:tools``
property. Prints the file size, the ``get`` (parse) and ``transform`` seconds and steps per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.base import ConnectorContext  # noqa: E402
from connectors.bpmn import BpmnConnector, BpmnSettings  # noqa: E402

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://example.com">\n')


def model(tasks: int) -> str:
    """A BPMN file with ``tasks`` user tasks (see the module docstring)."""
    lanes: dict[int, list[str]] = {i: [] for i in range(8)}
    body: list[str] = ['<dataStore id="store" name="Ledger" />', '<process id="p" name="Big">',
                       '<dataStoreReference id="ref" dataStoreRef="store" />', '<startEvent id="start" />']
    previous = "start"
    for i in range(tasks):
        task = f"t{i}"
        lanes[i % 8].append(task)
        inner = []
        if i % 7 == 0:
            inner.append('<extensionElements><camunda:properties><camunda:property name="auditor:tools" '
                         f'value="Tool {i % 50}" /></camunda:properties></extensionElements>')
        if i % 10 == 0:
            inner.append(f'<dataInputAssociation id="di{i}"><sourceRef>ref</sourceRef></dataInputAssociation>')
        body.append(f'<userTask id="{task}" name="Task {i}">{"".join(inner)}</userTask>')
        body.append(f'<sequenceFlow id="s{i}" sourceRef="{previous}" targetRef="{task}" />')
        previous = task
        if i % 5 == 4:
            body.append(f'<exclusiveGateway id="g{i}" />')
            body.append(f'<sequenceFlow id="gi{i}" sourceRef="{task}" targetRef="g{i}" />')
            body.append(f'<sequenceFlow id="gb{i}" sourceRef="g{i}" targetRef="t{i - 1}" />')
            previous = f"g{i}"
    body.append(f'<endEvent id="end" /><sequenceFlow id="last" sourceRef="{previous}" targetRef="end" />')
    refs = "".join(f'<lane id="l{k}" name="Lane {k}">' + "".join(f"<flowNodeRef>{t}</flowNodeRef>" for t in ids)
                   + "</lane>" for k, ids in lanes.items())
    body.insert(2, f'<laneSet id="ls">{refs}</laneSet>')
    return HEAD + "\n".join(body) + "\n</process>\n</definitions>\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    print(f"{'tasks':>7} {'MB':>6} {'get_s':>7} {'transform_s':>12} {'steps/s':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for tasks in args.tasks:
            path = Path(folder) / f"big-{tasks}.bpmn"
            path.write_text(model(tasks), encoding="utf-8")
            source = BpmnConnector(BpmnSettings(path=str(path)), ConnectorContext("bench", Path(folder)))
            started = time.perf_counter()
            raw = source.get()
            parsed = time.perf_counter()
            inventory = source.transform(raw)
            done = time.perf_counter()
            assert len(inventory.flows[0].steps) == tasks
            print(f"{tasks:>7} {path.stat().st_size / 1e6:>6.1f} {parsed - started:>7.2f} {done - parsed:>12.2f} "
                  f"{tasks / (done - started):>9.0f}")


if __name__ == "__main__":
    main()
