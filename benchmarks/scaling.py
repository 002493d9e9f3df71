"""Growth with input size, two ways. Budget: linear, i.e. time per file (or per instruction,
per line) stays flat as the input grows.

* The corpus (``corpus.py``: Dockerfiles, Compose files, Kubernetes manifests) at 1x, 4x and
  16x ``--base`` files: one cold ``python -m linter check TREE`` each, with its peak memory.
* Single Dockerfiles of 100, 1,000 and 10,000 instructions (several stages, and one stage),
  and single instructions 10,000 lines (or commands) long: "in-process" times
  linter.cli.main on the file (no interpreter start-up); "cold" is a whole
  ``python -m linter check FILE`` process minus the cold run on a 10-instruction file.
  (Compose files and Kubernetes streams by size: ``manifests.py``.)

Run from the project root:  /tmp/venv/bin/python benchmarks/scaling.py [--base 1000] [--repeat 3]
``--base 0`` skips the corpus. Runs are interleaved round by round; medians are shown. Never asserts.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate, summary
from measure import DLINT, ROOT, load, machine, peak_tree_mb, run

sys.path.insert(0, str(ROOT))
from linter.cli import main as dlint_main  # noqa: E402

FACTORS = (1, 4, 16)
TEMPLATES = [
    "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1 \\\n    && rm -rf /var/lib/apt/lists/*",
    "COPY src/{i} /app/{i}",
    "ENV VAR_{i}=value_{i} OTHER_{i}=\"two words\"",
    "RUN pip install --no-cache-dir package{i}==1.0.{i}",
    "ARG BUILD_{i}=x",
    "LABEL com.example.n{i}=\"{i}\"",
    "RUN <<EOF\necho {i}\nset -eux\nEOF",
    "WORKDIR /srv/{i}",
    "COPY --from={prev} /out/{i} /bin/",
]


def instructions(count: int, stage_every: int = 50) -> str:
    """``count`` instructions; a new stage (FROM) every ``stage_every``."""
    lines = []
    for i in range(count):
        stage = i // stage_every
        if i % stage_every == 0:
            lines.append(f"FROM debian:bookworm-slim AS stage{stage}")
        else:
            prev = f"stage{stage - 1}" if stage else "busybox:1.36"
            lines.append(TEMPLATES[i % len(TEMPLATES)].format(i=i, prev=prev))
    return "\n".join(lines) + "\n"


CASES = {
    **{f"{n:,} instructions": (n, lambda n=n: instructions(n)) for n in (100, 1_000, 10_000)},
    **{f"{n:,} instructions, one stage": (n, lambda n=n: instructions(n, stage_every=10**9)) for n in (1_000, 10_000)},
    "RUN continued over 10,000 lines": (10_000, lambda: "FROM debian:12\nRUN apt-get install -y \\\n"
                                        + "".join(f"    pkg{i} \\\n" for i in range(9_999)) + "    last\n"),
    "RUN heredoc of 10,000 lines": (10_000, lambda: "FROM debian:12\nRUN <<EOF\n"
                                    + "".join(f"echo {i}\n" for i in range(10_000)) + "EOF\n"),
    "RUN with 10,000 commands on 1 line": (10_000, lambda: "FROM debian:12\nRUN "
                                           + " && ".join(f"echo {i}" for i in range(10_000)) + "\n"),
}


def in_process(path: Path) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        dlint_main(["check", "--fail-on", "never", str(path)])
    return time.perf_counter() - start


def cold(path: Path) -> float:
    return run([*DLINT, "check", "--fail-on", "never", str(path)]).seconds


def corpus_growth(base: int, repeat: int, work: Path) -> None:
    """dlint over the corpus at each factor; rounds interleave the sizes."""
    trees = []
    for factor in FACTORS:
        tree = work / f"corpus-{factor}x"
        files = generate(tree, base * factor)
        lines = sum(f.path.read_bytes().count(b"\n") for f in files)
        trees.append((factor, tree, len(files), lines))
        print(f"{factor:>2}x: {summary(files)}")
    argv = {factor: [*DLINT, "check", "--fail-on", "never", str(tree)] for factor, tree, _, _ in trees}
    run(argv[FACTORS[0]])  # warm-up: bytecode cache
    times: dict[int, list[float]] = {factor: [] for factor in FACTORS}
    for round_ in range(repeat):
        started = load()
        for factor in FACTORS:
            times[factor].append(run(argv[factor]).seconds)
        print(f"round {round_ + 1}: load average {started} -> {load()}")
    print(f"\n{'corpus':<8}{'files':>7}{'lines':>10}{'median s':>10}{'ms/file':>9}{'us/line':>9}"
          f"{'marginal ms/file':>18}{'peak MB':>9}")
    previous = None
    for factor, _, count, lines in trees:
        seconds = statistics.median(times[factor])
        marginal = "" if previous is None else f"{(seconds - previous[0]) / (count - previous[1]) * 1000:.2f}"
        previous = (seconds, count)
        print(f"{factor:>2}x{'':<5}{count:>7}{lines:>10,}{seconds:>10.2f}{seconds / count * 1000:>9.2f}"
              f"{seconds / lines * 1e6:>9.1f}{marginal:>18}{peak_tree_mb(argv[factor]):>9.1f}")
    print("(marginal = the extra time per extra file from the size above: linear growth keeps it flat, while"
          " ms/file falls as the start-up is shared by more files; peak MB is the process tree's PSS)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=1000, help="files in the 1x corpus (0: skip the corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the median is shown")
    args = parser.parse_args()
    print(machine())
    work = Path(tempfile.mkdtemp(prefix="dlint-scaling-"))
    if args.base:
        corpus_growth(args.base, args.repeat, work)
    small = work / "small" / "Dockerfile"
    small.parent.mkdir()
    small.write_text(instructions(10))
    in_process(small), cold(small)  # warm up lazy imports and the bytecode cache
    base_cold = statistics.median(cold(small) for _ in range(args.repeat))
    print(f"cold run on a 10-instruction file: {base_cold * 1000:.1f} ms (subtracted below); median of {args.repeat}\n")
    print(f"{'file':<36}{'bytes':>10}{'in-process ms':>15}{'us/unit':>9}{'cold ms':>9}{'us/unit':>9}")
    for index, (name, (units, make)) in enumerate(CASES.items()):
        path = work / str(index) / "Dockerfile"
        path.parent.mkdir()
        path.write_text(make())
        warm = statistics.median(in_process(path) for _ in range(args.repeat))
        whole = statistics.median(cold(path) for _ in range(args.repeat))
        print(f"{name:<36}{path.stat().st_size:>10,}{warm * 1000:>15.1f}{warm / units * 1e6:>9.1f}"
              f"{whole * 1000:>9.1f}{(whole - base_cold) / units * 1e6:>9.1f}")
    shutil.rmtree(work)
    print("\nLinear growth shows as a flat us/unit column for 100 -> 1,000 -> 10,000 instructions, and for"
          " one stage 1,000 -> 10,000 (a per-stage quadratic rule shows there: its us/unit grows ~10x).")


if __name__ == "__main__":
    main()
