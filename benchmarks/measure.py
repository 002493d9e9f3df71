"""Process timing and memory for the benchmark scripts: wall time, the largest process's max
RSS (from ``wait4``), and the peak memory of a whole process tree (PSS summed over the
process and its children, sampled), plus a line describing the machine.

PSS (proportional set size) splits pages shared between processes, so a parent and its
forked workers are not counted twice; where ``smaps_rollup`` is missing, RSS is summed.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = Path("/tmp/venv-checkov/bin/checkov")
# dlint's bytecode cached outside the tree, as after a pip install (this sandbox sets
# PYTHONDONTWRITEBYTECODE, which would make every run recompile dlint's modules).
DLINT_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
DLINT_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dlint-bench-pycache")
DLINT = [sys.executable, "-m", "linter"]
_INSTALLS = Path(tempfile.gettempdir()) / "dlint-bench-install"

Run = namedtuple("Run", "seconds returncode max_rss_mb stdout")


def hadolint() -> str | None:
    here = Path(sys.executable).parent / "hadolint"
    if here.exists():
        return str(here)
    import shutil

    return shutil.which("hadolint")


def checkov() -> str | None:
    return str(CHECKOV) if CHECKOV.exists() else None


def installed_dlint() -> list[str]:
    """dlint as the README's ``pip install .`` leaves it: the console script of a wheel built
    from this checkout, in a virtual environment of its own (rules read from the package, no
    ``runpy``). Built once per state of the code (a hash of linter/, rules/, schemas/ and
    pyproject.toml) under the temporary folder; the first build installs the dependencies."""
    import hashlib

    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for folder in ("linter", "rules", "schemas"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    home = _INSTALLS / digest.hexdigest()[:12]
    script = home / "venv" / "bin" / "dlint"
    if not script.exists():
        subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(home / "dist"), str(ROOT)],
                       check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
        wheel = next((home / "dist").glob("*.whl"))
        subprocess.run([str(home / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], check=True)
    return [str(script)]


def run(argv: list[str], env: dict | None = None, capture: bool = False) -> Run:
    """Run ``argv`` from the project root; stderr is discarded (checkov logs a line per
    unsupported instruction). ``max_rss_mb`` is the largest process of its tree."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, env=env or DLINT_ENV, stdin=subprocess.DEVNULL,
                                   stdout=out if capture else subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        text = ""
        if capture:
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
    return Run(seconds, process.returncode, usage.ru_maxrss / 1024, text)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields after the last ')'.
        parent = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _memory_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def _tree_memory_kb(root: int) -> int:
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _memory_kb(pid)
        stack.extend(children.get(pid, ()))
    return total


def peak_tree_mb(argv: list[str], env: dict | None = None, interval: float = 0.01) -> float:
    """Peak memory of ``argv`` and all its children together, sampled every ``interval``
    seconds (a separate run from the timed ones: sampling costs CPU)."""
    process = subprocess.Popen(argv, cwd=ROOT, env=env or DLINT_ENV, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory_kb(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak / 1024


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(argv: list[str]) -> str:
    try:
        found = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (found.stdout or found.stderr).strip().splitlines()[-1] if (found.stdout or found.stderr) else "?"


def machine() -> str:
    """One paragraph: date, CPU, cores, memory, load, Python and the anchors' versions."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parts = [time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), f"{_cpu_model()}, {os.cpu_count()} CPUs",
             f"{memory:.1f} GiB", f"load average {load()}", f"Python {platform.python_version()}"]
    hadolint_path, checkov_path = hadolint(), checkov()
    if hadolint_path:
        parts.append(f"hadolint {_version([hadolint_path, '--version']).split()[-1]}")
    if checkov_path:
        parts.append(f"checkov {_version([checkov_path, '--version'])}")
    return "; ".join(parts)

