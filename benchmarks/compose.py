"""dlint vs dclint (the Docker Compose linter) on Compose files.

dclint is a Node.js program. Install the version measured here with

    mkdir -p /tmp/dclint && npm install --prefix /tmp/dclint dclint@3.1.0

or point ``--dclint`` at another copy; without it the script times dlint alone and says so.

Run from the project root:  /tmp/venv/bin/python benchmarks/compose.py [--files 1000] [--seed 1]
    [--runs 10] [--repeat 3] [--sample 24] [--services 50 200 1000]   (~5 min with the defaults)

The Compose files come from the ``corpus.py`` tree (``--files`` files of all kinds, of which
about one in six is a Compose file). Both tools get the same paths: the corpus's Compose files,
without the ``compose.override.yaml`` files it writes beside some of them (``dclint -r FOLDER``
would pick those up as well). What is timed:

1. one small Compose file (``examples/seed/compose.yaml``), cold process, ``--runs`` times;
2. one process per file, as a pre-commit hook handed one file runs: ``--sample`` files spread
   over the corpus (0: all), the tools alternating file by file;
3. all the Compose files in one process (dlint with its default ``--jobs`` and with one job);
4. single Compose files of ``--services`` services each, made from the corpus's services;
5. the peak memory of each run of 3: PSS summed over the process tree, sampled in a separate run.

2 to 4 are interleaved round by round (``--repeat`` rounds), so load drifting on a shared
machine hits both tools alike; medians are shown, with the load average of each round. Each
tool prints its default report to /dev/null. Never asserts.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from corpus import compose_service, generate, to_yaml
from measure import ROOT, installed_dlint, load, machine, peak_tree_mb, run

# dlint as `pip install .` leaves it (a wheel built from this checkout, in its own environment).
DLINT = installed_dlint()

DEFAULT_DCLINT = Path("/tmp/dclint/node_modules/.bin/dclint")
SMALL = ROOT / "examples" / "seed" / "compose.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Exit codes that mean "ran and reported": dlint runs with --fail-on never; dclint exits 1
# when it found an error-level problem.
EXPECTED_EXIT = {"dlint": {0}, "dclint": {0, 1}}


def dlint_argv(*paths: str, jobs: int | None = None) -> list[str]:
    jobs_flag = ["--jobs", str(jobs)] if jobs else []
    return [*DLINT, "check", "--fail-on", "never", *jobs_flag, *paths]


def dclint_version(path: Path) -> str | None:
    """dclint's version, or None when it cannot run (absent, or no ``node`` on PATH)."""
    try:
        found = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() if found.returncode == 0 else None


def node_version() -> str:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def large_compose(services: int, seed: int) -> str:
    """One Compose file of ``services`` services drawn like the corpus's (the corpus itself
    makes files of at most 50)."""
    rng = random.Random(seed)
    names: list[str] = []
    body: dict = {}
    for index in range(services):
        name = f"{rng.choice(['web', 'api', 'worker', 'db', 'cache', 'queue', 'proxy'])}{index}"
        body[name] = compose_service(rng, name, names)
        names.append(name)
    volumes = [f"{name}-data" for name, service in body.items()
               if any(str(volume).startswith(f"{name}-data:") for volume in service.get("volumes", []))]
    text = to_yaml({"services": body}) + to_yaml({"networks": {"frontend": None, "backend": {"driver": "bridge"}}})
    return text + ("volumes:\n" + "".join(f"  {volume}:\n" for volume in volumes) if volumes else "")


class Timings:
    """Wall times and the largest max RSS of one command, with any unexpected exit code."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self.seconds: list[float] = []
        self.rss = 0.0
        self.bad_exit: int | None = None

    def add(self, argv: list[str]) -> None:
        done = run(argv)
        self.seconds.append(done.seconds)
        self.rss = max(self.rss, done.max_rss_mb)
        if done.returncode not in EXPECTED_EXIT[self.tool]:
            self.bad_exit = done.returncode

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def rounds_text(count: int) -> str:
    return f"{count} round" if count == 1 else f"{count} rounds"


def faster(dlint: float, dclint: float) -> str:
    return f"dlint is {dclint / dlint:.1f}x faster" if dclint >= dlint else f"dlint is {dlint / dclint:.1f}x slower"


def exit_notes(timings: dict[str, Timings]) -> None:
    for name, timing in timings.items():
        if timing.bad_exit is not None:
            print(f"  note: {name} exited with {timing.bad_exit} at least once (its numbers may not be a lint)")


def report_summaries(paths: list[str], dclint: str | None) -> None:
    """What each tool reports on all the files, to show they both read them (and a warm-up)."""
    output = run(dlint_argv(*paths), capture=True).stdout.strip().splitlines()
    print(f"  dlint: {output[-1] if output else '(no output)'}")
    if dclint:
        lines = ANSI.sub("", run([dclint, *paths], capture=True).stdout).splitlines()
        summary = next((line.strip() for line in lines if "problem" in line), "(no summary)")
        print(f"  dclint: {summary}")


def small_file(work: Path, dclint: str | None, runs: int, warmup: int) -> None:
    small = work / "small" / "compose.yaml"
    small.parent.mkdir()
    shutil.copy(SMALL, small)
    commands = {"dlint": ("dlint", dlint_argv(str(small)))}
    if dclint:
        commands["dclint"] = ("dclint", [dclint, str(small)])
    timings = {name: Timings(tool) for name, (tool, _) in commands.items()}
    for round_ in range(warmup + runs):
        for name, (_, argv) in commands.items():
            if round_ < warmup:
                run(argv)
            else:
                timings[name].add(argv)
    print(f"\n1. One small Compose file ({SMALL.relative_to(ROOT)}, {len(SMALL.read_text().splitlines())} lines), "
          f"cold process: {runs} runs after {warmup} warm-up")
    print(f"{'':10}{'median ms':>10}{'min ms':>9}{'max RSS MB':>12}")
    for name, timing in timings.items():
        print(f"{name:10}{timing.median * 1000:>10.1f}{min(timing.seconds) * 1000:>9.1f}{timing.rss:>12.1f}")
    if "dclint" in timings:
        print(f"  {faster(timings['dlint'].median, timings['dclint'].median)}")
    exit_notes(timings)


def spread(paths: list[str], sample: int) -> list[str]:
    if not sample or sample >= len(paths):
        return paths
    step = len(paths) / sample
    return [paths[int(index * step)] for index in range(sample)]


def rounds(paths: list[str], sampled: list[str], large: dict[int, Path], dclint: str | None,
           repeat: int) -> tuple[dict[str, Timings], dict[str, Timings], dict[tuple[int, str], Timings]]:
    """Sections 2 to 4, interleaved round by round."""
    tools = ["dlint", "dclint"] if dclint else ["dlint"]
    per_file = {tool: Timings(tool) for tool in tools}
    whole = {"dlint": ("dlint", dlint_argv(*paths)), "dlint --jobs 1": ("dlint", dlint_argv(*paths, jobs=1))}
    if dclint:
        whole["dclint"] = ("dclint", [dclint, *paths])
    whole_times = {name: Timings(tool) for name, (tool, _) in whole.items()}
    large_times = {(services, tool): Timings(tool) for services in large for tool in tools}
    for round_ in range(repeat):
        started = load()
        for path in sampled:
            per_file["dlint"].add(dlint_argv(path))
            if dclint:
                per_file["dclint"].add([dclint, path])
        for name, (_, argv) in whole.items():
            whole_times[name].add(argv)
        for services, path in large.items():
            large_times[(services, "dlint")].add(dlint_argv(str(path)))
            if dclint:
                large_times[(services, "dclint")].add([dclint, str(path)])
        print(f"round {round_ + 1}: load average {started} -> {load()}")
    return per_file, whole_times, large_times


def report_per_file(per_file: dict[str, Timings], sampled: int, total: int, repeat: int) -> None:
    estimated = " (est.)" if sampled < total else ""
    print(f"\n2. One process per file: {sampled} of the {total} Compose files (spread over the corpus), "
          f"{rounds_text(repeat)}")
    print(f"{'':10}{'median ms/file':>15}{'mean ms/file':>14}{f'all {total} files, s' + estimated:>26}"
          f"{'max RSS MB':>12}")
    for tool, timing in per_file.items():
        mean = statistics.mean(timing.seconds)
        print(f"{tool:10}{timing.median * 1000:>15.1f}{mean * 1000:>14.1f}{mean * total:>26.1f}{timing.rss:>12.1f}")
    if "dclint" in per_file:
        print(f"  per file (medians): {faster(per_file['dlint'].median, per_file['dclint'].median)}")
    exit_notes(per_file)


def report_whole(whole: dict[str, Timings], files: int, repeat: int) -> None:
    print(f"\n3. All {files} Compose files in one process, {rounds_text(repeat)}")
    print(f"{'':16}{'median s':>9}{'files/s':>9}{'max RSS MB':>12}")
    for name, timing in whole.items():
        print(f"{name:16}{timing.median:>9.2f}{files / timing.median:>9.0f}{timing.rss:>12.1f}")
    if "dclint" in whole:
        for name in ("dlint", "dlint --jobs 1"):
            print(f"  {name} vs dclint: {faster(whole[name].median, whole['dclint'].median)}")
    exit_notes(whole)


def report_peaks(peaks: dict[str, float], files: int) -> None:
    print(f"\n5. Peak memory of the runs of 3 ({files} files; PSS of the whole process tree, sampled every 10 ms)")
    for name, peak in peaks.items():
        print(f"{name:16}{peak:>9.1f} MB")
    if "dclint" in peaks:
        print(f"  dclint uses {peaks['dclint'] / peaks['dlint']:.1f}x the memory of dlint "
              f"({peaks['dclint'] / peaks['dlint --jobs 1']:.1f}x that of dlint --jobs 1)")


def report_large(large: dict[int, Path], timings: dict[tuple[int, str], Timings], repeat: int) -> None:
    if not large:
        return
    with_dclint = any(tool == "dclint" for _, tool in timings)
    print(f"\n4. One large Compose file, {rounds_text(repeat)} (medians)")
    header = f"{'services':>9}{'lines':>8}{'dlint s':>9}{'max RSS MB':>12}"
    if with_dclint:
        header += f"{'dclint s':>10}{'max RSS MB':>12}  ratio"
    print(header)
    for services, path in large.items():
        dlint = timings[(services, "dlint")]
        line = f"{services:>9}{path.read_text().count(chr(10)):>8}{dlint.median:>9.2f}{dlint.rss:>12.1f}"
        if with_dclint:
            dclint = timings[(services, "dclint")]
            line += f"{dclint.median:>10.2f}{dclint.rss:>12.1f}  {faster(dlint.median, dclint.median)}"
        print(line)
    exit_notes({f"{services} services, {tool}": timing for (services, tool), timing in timings.items()})


def benchmark(args: argparse.Namespace, work: Path) -> None:
    version = dclint_version(args.dclint)
    dclint = str(args.dclint) if version else None
    corpus = generate(work / "corpus", args.files, args.seed)
    paths = [str(f.path) for f in corpus if f.kind == "compose"]
    if not paths:
        raise SystemExit(f"a corpus of {args.files} files holds no Compose file: raise --files")
    lines = sum(Path(path).read_bytes().count(b"\n") for path in paths)
    sampled = spread(paths, args.sample)
    large = {}
    for services in sorted(set(args.services)):
        path = work / f"large-{services}" / "compose.yaml"
        path.parent.mkdir()
        path.write_text(large_compose(services, args.seed), encoding="utf-8")
        large[services] = path

    print(machine() + (f"; dclint {version} (node {node_version()})" if dclint else ""))
    print(f"{len(paths)} Compose files, {lines:,} lines, from a corpus of {args.files} files (seed {args.seed})")
    if not dclint:
        print(f"dclint not found or not runnable at {args.dclint} (see this script's docstring): timing dlint alone")

    print("\nWhat each tool reports on all the Compose files:")
    report_summaries(paths, dclint)
    small_file(work, dclint, args.runs, args.warmup)
    print()
    per_file, whole, large_times = rounds(paths, sampled, large, dclint, args.repeat)
    peaks = {"dlint": peak_tree_mb(dlint_argv(*paths)), "dlint --jobs 1": peak_tree_mb(dlint_argv(*paths, jobs=1))}
    if dclint:
        peaks["dclint"] = peak_tree_mb([dclint, *paths])

    report_per_file(per_file, len(sampled), len(paths), args.repeat)
    report_whole(whole, len(paths), args.repeat)
    report_large(large, large_times, args.repeat)
    report_peaks(peaks, len(paths))
    print(f"load average at the end: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dclint", type=Path, default=DEFAULT_DCLINT, help="the dclint executable")
    parser.add_argument("--files", type=int, default=1000, help="size of the corpus (all kinds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=10, help="cold runs on the small file")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of sections 2 to 4; medians are shown")
    parser.add_argument("--sample", type=int, default=24, help="files run one per process (0: all)")
    parser.add_argument("--services", type=int, nargs="*", default=[50, 200, 1000],
                        help="sizes of the large Compose files (none: skip them)")
    args = parser.parse_args()
    if min(args.runs, args.repeat) < 1:
        parser.error("--runs and --repeat must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="dlint-compose-"))  # no .dlint.yaml above it
    try:
        benchmark(args, work)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
