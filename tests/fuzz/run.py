"""Run the fuzz targets for a bounded time or number of inputs; exit 1 when one crashes.

    python -m tests.fuzz.run                          # every target, 10 seconds each
    python -m tests.fuzz.run fuzz_yaml --runs 20000   # one target, a fixed number of inputs

With atheris installed, each target runs under libFuzzer (coverage-guided) in its own process;
without it, or with ``--engine builtin``, a built-in loop mutates the seed corpus with a
deterministic random generator (``--seed``), so the same command tries the same inputs. The
seeds are the target's ``SEEDS`` files from examples/ and tests/, plus its regression inputs in
tests/hostile/fuzz/<target>/. A crashing input is saved under ``--artifacts`` and its traceback
printed; copy it into tests/hostile/fuzz/<target>/ once fixed, so it is replayed for ever.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tests.fuzz.harness import REGRESSIONS, ROOT, seed_files

TARGETS = ("fuzz_dockerfile", "fuzz_shell", "fuzz_yaml", "fuzz_compose", "fuzz_kubernetes")
MAX_INPUT = 64 * 1024
MEMORY_LIMIT_MB = 2048
EXIT_CLEAN, EXIT_CRASH = 0, 1


class SlowInput(BaseException):
    """Raised by the alarm when one input takes too long (a BaseException, so no ``except
    Exception`` in the code under test can swallow it)."""


def corpus(target: str, module) -> list[Path]:
    return seed_files(module.SEEDS) + sorted(path for path in (REGRESSIONS / target).glob("*") if path.is_file())


def mutate(data: bytes, rng: random.Random, tokens: list[bytes], seeds: list[bytes]) -> bytes:
    """One to four random edits: flip, insert, delete, duplicate, splice in a token or another seed."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(buffer))
        choice = rng.randrange(7)
        if choice == 0 and buffer:
            buffer[min(where, len(buffer) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1:
            buffer[where:where] = bytes([rng.randrange(256)])
        elif choice == 2:
            del buffer[where:where + rng.randint(1, 64)]
        elif choice == 3 and buffer:
            start = rng.randrange(len(buffer))
            buffer[where:where] = buffer[start:start + rng.randint(1, 256)]
        elif choice == 4 and len(buffer) > 1:
            del buffer[rng.randrange(1, len(buffer)):]
        elif choice == 5:
            other = rng.choice(seeds)
            start = rng.randrange(len(other) + 1)
            buffer[where:where] = other[start:start + rng.randint(1, 512)]
        else:
            buffer[where:where] = rng.choice(tokens)
    return bytes(buffer[:MAX_INPUT])


def artifact_folder(artifacts: Path | None) -> Path:
    """Where crashing inputs are kept: ``--artifacts``, or a new temporary folder (made only
    when something crashed, so clean runs leave nothing behind)."""
    if artifacts is None:
        return Path(tempfile.mkdtemp(prefix="dlint-fuzz-crashes-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    return artifacts


def save_crash(data: bytes, target: str, artifacts: Path | None) -> Path:
    path = artifact_folder(artifacts) / f"{target}-crash-{hashlib.sha1(data).hexdigest()[:12]}"
    path.write_bytes(data)
    return path


def run_builtin(target: str, seconds: float | None, runs: int | None, seed: int, timeout: float,
                artifacts: Path | None) -> int:
    module = importlib.import_module(f"tests.fuzz.{target}")
    seeds = [path.read_bytes() for path in corpus(target, module)] or [b""]
    tokens = [token.encode("utf-8") for token in module.TOKENS]
    rng = random.Random(f"{seed}:{target}")

    def too_slow(signum, frame):
        raise SlowInput(f"one input took more than {timeout:g} s")

    signal.signal(signal.SIGALRM, too_slow)
    deadline = time.monotonic() + seconds if seconds is not None else None
    done = 0
    try:
        while True:
            if runs is not None and done >= runs or deadline is not None and time.monotonic() >= deadline:
                break
            # Seeds first, unchanged (a regression input must still pass), then mutants.
            data = seeds[done] if done < len(seeds) else mutate(rng.choice(seeds), rng, tokens, seeds)
            crash = None
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                module.test_one_input(data)
            except (Exception, SlowInput):
                crash = traceback.format_exc()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if crash is not None:
                print(crash, file=sys.stderr)
                print(f"{target}: crash after {done:,} inputs; input saved to {save_crash(data, target, artifacts)}",
                      file=sys.stderr)
                return EXIT_CRASH
            done += 1
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    print(f"{target}: {done:,} inputs, no crash (builtin, seed {seed})")
    return EXIT_CLEAN


def _dictionary_entry(token: str) -> str:
    escaped = "".join(chr(byte) if 32 <= byte < 127 and chr(byte) not in '\\"' else f"\\x{byte:02x}"
                      for byte in token.encode("utf-8"))
    return f'"{escaped}"'


def run_atheris(target: str, seconds: float | None, runs: int | None, seed: int, timeout: float,
                artifacts: Path | None, corpus_dir: Path) -> int:
    module = importlib.import_module(f"tests.fuzz.{target}")
    own_corpus = corpus_dir / target
    own_corpus.mkdir(parents=True, exist_ok=True)
    for path in corpus(target, module):
        shutil.copyfile(path, own_corpus / hashlib.sha1(path.read_bytes()).hexdigest())
    dictionary = corpus_dir / f"{target}.dict"
    dictionary.write_text("".join(_dictionary_entry(token) + "\n" for token in module.TOKENS), encoding="utf-8")
    crashes = corpus_dir / f"{target}.crashes"
    crashes.mkdir(exist_ok=True)
    limit = f"-max_total_time={int(seconds)}" if seconds is not None else f"-runs={runs}"
    command = [sys.executable, "-m", f"tests.fuzz.{target}", str(own_corpus), limit, f"-seed={seed}",
               f"-timeout={int(timeout)}", f"-rss_limit_mb={MEMORY_LIMIT_MB}", f"-max_len={MAX_INPUT}",
               f"-dict={dictionary}", f"-artifact_prefix={crashes}{os.sep}{target}-", "-print_final_stats=1"]
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace")
    if completed.returncode != 0:
        print(completed.stdout[-20000:], file=sys.stderr)
        kept = artifact_folder(artifacts)
        for path in crashes.iterdir():
            shutil.move(path, kept / path.name)
        print(f"{target}: crash (exit {completed.returncode}); the input is in {kept}", file=sys.stderr)
        return EXIT_CRASH
    executed = next((line.split(":")[-1].strip() for line in completed.stdout.splitlines()
                     if line.startswith("stat::number_of_executed_units")), "?")
    print(f"{target}: {executed} inputs, no crash (atheris, seed {seed})")
    return EXIT_CLEAN


def atheris_installed() -> bool:
    return importlib.util.find_spec("atheris") is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"targets to run (default: all of {', '.join(TARGETS)})")
    bound = parser.add_mutually_exclusive_group()
    bound.add_argument("--seconds", type=float, help="time per target (default: 10)")
    bound.add_argument("--runs", type=int, help="number of inputs per target")
    parser.add_argument("--engine", choices=["auto", "atheris", "builtin"], default="auto",
                        help="atheris when it is installed (auto), or the built-in mutation loop")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds one input may take (default: 10)")
    parser.add_argument("--artifacts", type=Path,
                        help="where crashing inputs are saved (default: a new temporary folder, on a crash)")
    parser.add_argument("--corpus", type=Path,
                        help="atheris: a folder that keeps the corpus between runs (default: a temporary folder)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target {unknown[0]!r} (choose from {', '.join(TARGETS)})")
    seconds = args.seconds if args.seconds is not None or args.runs is not None else 10.0
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if atheris_installed() else "builtin"
    elif engine == "atheris" and not atheris_installed():
        parser.error("atheris is not installed (pip install atheris); --engine builtin needs nothing")
    if engine == "builtin":  # a runaway input becomes a MemoryError, not a frozen machine (libFuzzer has its own)
        limit = MEMORY_LIMIT_MB << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    failed = False
    with tempfile.TemporaryDirectory(prefix="dlint-fuzz-corpus-") as scratch:
        for target in args.targets or TARGETS:
            if engine == "builtin":
                status = run_builtin(target, seconds, args.runs, args.seed, args.timeout, args.artifacts)
            else:
                status = run_atheris(target, seconds, args.runs, args.seed, args.timeout, args.artifacts,
                                     args.corpus or Path(scratch))
            failed = failed or status != EXIT_CLEAN
    return EXIT_CRASH if failed else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
