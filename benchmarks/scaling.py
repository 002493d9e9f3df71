"""Growth with input size: dlint on single Dockerfiles of 100, 1,000 and 10,000 instructions, and on
single instructions 10,000 lines (or commands) long. Budget: linear, i.e. time per instruction
(or per line) stays flat as the file grows.

Run from the project root:  /tmp/venv/bin/python benchmarks/scaling.py [--repeat 5]
"in-process" times linter.cli.main on the file (no interpreter start-up); "cold" is a whole
`python -m linter check FILE` process minus the cold run on a 10-instruction file. Never asserts.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from linter.cli import main as dlint_main  # noqa: E402

# dlint's bytecode cached outside the tree, as after a pip install (this sandbox sets PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dlint-bench-pycache")
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
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "linter", "check", "--fail-on", "never", str(path)],
                   cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per file; the median is shown")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dlint-scaling-"))
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
