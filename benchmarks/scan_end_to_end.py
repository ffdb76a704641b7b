"""Benchmark the whole ``auditor scan`` through the real CLI: wall time, peak memory and each phase's share.

Usage::

    .venv/bin/python benchmarks/scan_end_to_end.py [--sizes 1000 10000] [--big] [--formats json json,html]
                                                   [--runs 1] [--invalid] [--no-save]

For each size N, ``benchmarks/generator.py`` (seed 1) makes a landscape of about N tools with 10
integrations per tool and N/50 flows of 10 steps (200 flows at 10k); it is written as one native
landscape YAML file with a config of one ``landscape`` source and an embedded store, and
``auditor scan -c auditor.yaml --out report -f FORMAT…`` runs in a child process, once per format set (the real CLI, a
fresh interpreter, imports included). ``--big`` adds 50,000 tools. ``--invalid`` also scans a copy
with one error planted in every 100th tool (a wrong type), which must end with exit code 2 and every
error located. The project's bytecode is compiled first (``compileall``, as ``pip install`` does), so the
children never compile modules from source, even under ``PYTHONDONTWRITEBYTECODE``.

Printed per run: wall time, CPU time (user + system of the child and its children such as ``dot``:
steadier than wall time on a shared machine) and peak memory (``ru_maxrss`` of the child), and the wall
and CPU seconds (the child's own) spent in each phase, measured inside the child by timing wrappers
around the pipeline's own functions (the functions run unchanged):

* ``load``: YAML parsing with line positions (``auditor.yamlfile.load_yaml``);
* ``validate``: JSON Schema validation of the documents (``validate_document``);
* ``records``: the rest of the landscape connector's ``transform`` (documents → records);
* ``resolve``: resolution of the tool records (``auditor.pipeline.resolve``);
* ``map``: linking integrations and flows, inferring step tools, building the graph;
* ``analyses``: the seven analyses and the scores;
* ``previous``: reading the previous scan from the store (``auditor.cli.scan._previous_scan``);
* ``save``: the embedded store's ``save``;
* ``render``: writing the report formats (``render_all``);
* ``other``: the rest of the wall time (interpreter start, imports, config, opening the store).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHASES = ("load", "validate", "records", "resolve", "map", "analyses", "previous", "save", "render")


def landscape_document(tools: int, seed: int = 1) -> dict[str, Any]:
    """A generated landscape (about ``tools`` tools, 10 integrations each, tools/50 flows of 10 steps) as YAML data."""
    from benchmarks.generator import generate

    graph = generate(seed=seed, tools=tools, flows=max(1, tools // 50), steps=10, integrations_per_tool=10,
                     fixed_steps=True).graph
    return {
        "tools": [_tool(t) for t in graph.tools.values()],
        "integrations": [_integration(i) for i in graph.integrations],
        "flows": [{"id": f.id, "name": f.name,
                   "steps": [{k: v for k, v in (("id", s.id), ("name", s.name), ("department", s.department),
                                                ("tools", list(s.tools)), ("requires", list(s.requires)))
                              if v not in (None, [])} for s in f.steps]}
                  for f in graph.flows],
    }


def _tool(tool: Any) -> dict[str, Any]:
    item = {"id": tool.id, "name": tool.name, "category": tool.category, "layers": list(tool.layers),
            "departments": list(tool.departments), "annual_cost": tool.annual_cost, "users": tool.users,
            "sanctioned": tool.sanctioned}
    return {k: v for k, v in item.items() if v not in (None, [])}


def _integration(integration: Any) -> dict[str, Any]:
    item = {"from": integration.source, "to": integration.target, "kind": integration.kind,
            "via": integration.via, "bidirectional": integration.bidirectional or None}
    return {k: v for k, v in item.items() if v is not None}


def write_case(folder: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` as ``landscape.yaml`` with an ``auditor.yaml`` beside it; returns the config path."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "landscape.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    config = folder / "auditor.yaml"
    config.write_text("organization: Benchmark Org\nsources:\n  - name: landscape\n    type: landscape\n"
                      "    path: landscape.yaml\nstore:\n  type: embedded\n", encoding="utf-8")
    return config


def plant_errors(document: dict[str, Any], every: int = 100) -> tuple[dict[str, Any], int]:
    """A copy of ``document`` with ``users`` made a string in every ``every``-th tool; returns it and the count."""
    tools = [dict(t, users="many") if i % every == 0 else t for i, t in enumerate(document["tools"])]
    return {**document, "tools": tools}, len(range(0, len(tools), every))


def run_child(config: Path, formats: list[str], save: bool) -> dict[str, Any]:
    """Run the CLI scan in a child process; wall seconds, peak RSS (MiB), exit code, phase seconds, stderr."""
    out = config.parent / "report"
    phases_file = config.parent / "phases.json"
    args = [sys.executable, str(Path(__file__).resolve()), "--child", str(phases_file), "--",
            "-q", "scan", "-c", str(config), "--out", str(out)]
    for format_id in formats:
        args += ["-f", format_id]
    if not save:
        args.append("--no-save")
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    phases = json.loads(phases_file.read_text()) if phases_file.exists() else {}
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
            "code": process.returncode, "phases": phases, "stderr": stderr}


def _timed(phases: dict[str, float], name: str, func: Any) -> Any:
    """``func`` adding its wall seconds to ``phases[name]`` and its CPU seconds to ``phases[name + '_cpu']``."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
            phases[f"{name}_cpu"] = phases.get(f"{name}_cpu", 0.0) + time.process_time() - cpu
    return wrapper


def child(phases_file: str, cli_args: list[str]) -> None:
    """Inside the child: wrap the pipeline's phase functions with timers, run the CLI, write the timings."""
    import atexit

    import auditor.cli.scan as scan_cli
    import auditor.pipeline as pipeline
    import connectors.landscape as landscape
    from auditor.cli import main

    phases: dict[str, float] = {}
    landscape.load_yaml = _timed(phases, "load", landscape.load_yaml)
    landscape.validate_document = _timed(phases, "validate", landscape.validate_document)
    transform = landscape.LandscapeConnector.transform
    landscape.LandscapeConnector.transform = _timed(phases, "transform", transform)  # type: ignore[method-assign]
    pipeline.resolve = _timed(phases, "resolve", pipeline.resolve)
    pipeline.build_graph = _timed(phases, "build_graph", pipeline.build_graph)
    pipeline.run_analyses = _timed(phases, "analyses_only", pipeline.run_analyses)
    pipeline.compute_scores = _timed(phases, "scores", pipeline.compute_scores)
    scan_cli.render_all = _timed(phases, "render", scan_cli.render_all)
    scan_cli._previous_scan = _timed(phases, "previous", scan_cli._previous_scan)
    open_store = scan_cli.open_store

    def timed_store(*args: Any, **kwargs: Any) -> Any:
        store = open_store(*args, **kwargs)
        store.save = _timed(phases, "save", store.save)
        return store

    scan_cli.open_store = timed_store

    def write() -> None:
        derived: dict[str, float] = {}
        for unit in ("", "_cpu"):
            def get(name: str, unit: str = unit) -> float:
                return phases.get(name + unit, 0.0)
            derived.update({
                f"load{unit}": get("load"),
                f"validate{unit}": get("validate"),
                f"records{unit}": get("transform") - get("validate"),
                f"resolve{unit}": get("resolve"),
                f"map{unit}": get("build_graph") - get("resolve"),
                f"analyses{unit}": get("analyses_only") + get("scores"),
                f"previous{unit}": get("previous"),
                f"save{unit}": get("save"),
                f"render{unit}": get("render"),
            })
        Path(phases_file).write_text(json.dumps(derived))

    atexit.register(write)
    main(cli_args, prog_name="auditor")


def _report(label: str, run: dict[str, Any]) -> None:
    phases = run["phases"]
    other = run["wall"] - sum(phases.get(p, 0.0) for p in PHASES)
    shares = "  ".join(f"{p} {phases.get(p, 0.0):.2f}/{phases.get(p + '_cpu', 0.0):.2f}" for p in PHASES)
    print(f"{label}: exit {run['code']}, wall {run['wall']:.2f} s, CPU {run['cpu']:.2f} s, peak {run['rss_mib']:.0f} "
          f"MiB | wall/CPU s: {shares}  other {other:.2f}", flush=True)


def compile_bytecode() -> None:
    """Write the project's ``.pyc`` files first, as ``pip install`` does: a child under ``PYTHONDONTWRITEBYTECODE``
    (set on some machines) would otherwise compile every module from source at every start (~0.2 s)."""
    import compileall

    for package in ("auditor", "connectors", "reports", "schemas"):
        compileall.compile_dir(ROOT / package, quiet=1)
    if sys.flags.dont_write_bytecode:
        print("PYTHONDONTWRITEBYTECODE is set: the project's bytecode was compiled first (as an install does)")


def main() -> None:
    """Parse the options and run the cases."""
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--big", action="store_true", help="also 50,000 tools")
    parser.add_argument("--formats", nargs="+", default=["json"],
                        help="format sets, comma-separated, one scan each: e.g. json json,html")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--invalid", action="store_true", help="also scan a copy with planted errors")
    parser.add_argument("--no-save", action="store_true", help="scan with --no-save")
    options = parser.parse_args()
    sizes = [*options.sizes, *([50000] if options.big else [])]
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            document = landscape_document(size)
            counts = f"{len(document['tools'])} tools, {len(document['integrations'])} integrations, " \
                     f"{len(document['flows'])} flows"
            config = write_case(Path(tmp) / f"n{size}", document)
            print(f"{counts}: {(config.parent / 'landscape.yaml').stat().st_size / 2**20:.1f} MiB of YAML")
            for formats in options.formats:
                for run in range(options.runs):
                    result = run_child(config, formats.split(","), not options.no_save)
                    _report(f"  -f {formats} run {run + 1}", result)
                    if result["code"] not in (0, 1):
                        print(result["stderr"][-2000:])
            if options.invalid:
                broken, planted = plant_errors(document)
                bad_config = write_case(Path(tmp) / f"n{size}-invalid", broken)
                result = run_child(bad_config, ["json"], not options.no_save)
                located = sum(1 for line in result["stderr"].splitlines() if "landscape.yaml:" in line)
                _report(f"  invalid ({planted} errors planted, {located} located lines)", result)
            print(f"  load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
