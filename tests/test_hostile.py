"""Hostile input through the real command line: every file gives a finding or a clear message,
an exit code of 0, 1 or 2, within bounded time and memory, and never a traceback.

Each check runs ``python -m linter check`` in a child process limited to 1 GiB of address
space and 60 s of CPU (and a wall-clock timeout). Small inputs are committed in
tests/hostile/; big ones (50 MB, a 10 MB line, 100,000 instructions, 10,000 levels of
nesting), FIFOs, symbolic-link loops and unreadable files are made in ``tmp_path``. The
regression inputs the fuzz targets found are replayed here too (tests/hostile/fuzz/).
"""
from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fuzz.harness import REGRESSIONS
from tests.test_cli import subprocess_env

HOSTILE = ROOT / "tests" / "hostile"
MEMORY_BYTES = 1 << 30
CPU_SECONDS = 60
WALL_SECONDS = 120
# Linux capabilities that let root read a file whatever its mode, and prctl's PR_CAPBSET_DROP.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24
# Run before dlint in the child: any attempt to reach the network or start a process is
# refused and reported, and so is compiling Python source that came from a checked file.
GUARD = """
import runpy, sys

BLOCKED = ("socket.", "subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork",
           "os.forkpty", "pty.spawn", "urllib.Request")

def guard(event, args):
    if event.startswith(BLOCKED) or event == "compile" and "dlint-evaluated" in str(args[0]):
        sys.stderr.write(f"BLOCKED {event}\\n")
        raise PermissionError(f"blocked {event}")

sys.addaudithook(guard)
runpy.run_module("linter", run_name="__main__", alter_sys=True)
"""


class Run(namedtuple("Run", "code findings stderr")):
    """A finished ``dlint check --format json``: exit code, findings, standard error."""

    __slots__ = ()

    def where(self, code: str) -> list[tuple[int, int]]:
        return [(f["line"], f["column"]) for f in self.findings if f["code"] == code]

    def codes(self) -> set[str]:
        return {f["code"] for f in self.findings}

    def message(self, code: str) -> str:
        return next(f["message"] for f in self.findings if f["code"] == code)


def _limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _file_modes_apply() -> bool:
    """Whether a child process can be made to obey file modes (not when root may not give up
    its capabilities)."""
    try:
        subprocess.run([sys.executable, "-c", ""], preexec_fn=_limit_resources_and_file_access, check=True)
    except subprocess.SubprocessError:
        return False
    return True


def _limit_resources_and_file_access() -> None:
    """Also take from root the power to read any file, so a file's mode applies to it too. A
    capability dropped from the bounding set is gone from the program about to be executed."""
    _limit_resources()
    if os.geteuid() == 0:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run(*argv: str, cwd: Path, timeout: float = WALL_SECONDS, guarded: bool = False,
        respect_file_modes: bool = False) -> Run:
    """``dlint check --format json ARGV`` in a limited child process; the contract's checks."""
    # Guarded runs check in this one process: the guard refuses even the fork of a worker.
    program = ["-c", GUARD, "check", "--jobs", "1"] if guarded else ["-m", "linter", "check"]
    completed = subprocess.run(
        [sys.executable, *program, "--format", "json", *argv], cwd=cwd, capture_output=True,
        env=subprocess_env(), timeout=timeout,
        preexec_fn=_limit_resources_and_file_access if respect_file_modes else _limit_resources)
    stderr = completed.stderr.decode("utf-8", "replace")
    assert completed.returncode in (0, 1, 2), (completed.returncode, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    findings = json.loads(completed.stdout)["findings"] if completed.returncode != 2 else []
    return Run(completed.returncode, findings, stderr)


def hostile(name: str) -> str:
    return str(HOSTILE / name)


def only(result: Run) -> tuple:
    assert len(result.findings) == 1, result.findings
    finding = result.findings[0]
    return finding["code"], finding["line"], finding["column"], finding["message"]


# -- encodings and line endings ---------------------------------------------------------------


def test_a_binary_file(tmp_path):
    assert only(run(hostile("binary.Dockerfile"), cwd=tmp_path)) == (
        "PE003", 1, 8, "binary file (it contains NUL bytes)")


def test_invalid_utf8_is_reported_at_its_position(tmp_path):
    assert only(run(hostile("compose.invalid-utf8.yaml"), cwd=tmp_path)) == (
        "PE003", 5, 18, "not valid UTF-8 (byte 0xe9)")


def test_a_file_cut_inside_a_character(tmp_path):
    (tmp_path / "Dockerfile").write_bytes("FROM ubuntu:24.04\nLABEL author=José".encode()[:-1])
    assert only(run("Dockerfile", cwd=tmp_path)) == ("PE003", 2, 17, "not valid UTF-8 (byte 0xc3)")


def test_utf16_with_a_bom_is_read(tmp_path):
    result = run(hostile("k8s-utf16-bom.yaml"), cwd=tmp_path)
    assert result.where("WL303") == [(10, 21)]
    assert result.where("KS501") == [(7, 7)]


def test_a_utf8_bom_does_not_shift_columns(tmp_path):
    assert run(hostile("compose.utf8-bom.yaml"), cwd=tmp_path).where("WL303") == [(4, 17)]


def test_crlf_keeps_lines_columns_and_comments(tmp_path):
    result = run(hostile("compose.crlf.yaml"), cwd=tmp_path)
    assert result.where("WL303") == [(5, 17)]
    assert "WL501" not in result.codes()  # silenced by the `# dlint: ignore=` line above the image


def test_a_lone_cr_in_a_dockerfile_is_reported(tmp_path):
    # Docker ends lines at LF only: the file is one line to it, whatever an editor shows.
    result = run(hostile("lone-cr.Dockerfile"), cwd=tmp_path)
    assert result.where("PE001") == [(1, 18)]
    assert result.message("PE001").startswith("carriage return (CR) without a line feed")


def test_a_lone_cr_ends_a_yaml_line(tmp_path):
    # YAML counts a lone CR as a line break: the comment on line 4 silences line 5's finding,
    # and a folder walk recognises the manifest by its lines.
    for name in ("compose.lone-cr.yaml", "k8s-lone-cr.yaml"):
        (tmp_path / name).write_bytes((HOSTILE / name).read_bytes())
    result = run(".", cwd=tmp_path)
    by_file = {(f["path"], f["code"]): (f["line"], f["column"]) for f in result.findings}
    assert by_file[("compose.lone-cr.yaml", "WL304")] == (6, 19)
    assert ("compose.lone-cr.yaml", "WL303") not in by_file
    assert by_file[("k8s-lone-cr.yaml", "WL303")] == (10, 21)


# -- size -------------------------------------------------------------------------------------


def _write_repeated(path: Path, head: bytes, line: bytes, megabytes: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = line * ((1 << 20) // len(line))
    with open(path, "wb") as handle:
        handle.write(head)
        for _ in range(megabytes):
            handle.write(chunk)


def test_50_mb_files_are_refused_without_parsing_them(tmp_path):
    _write_repeated(tmp_path / "tree" / "Dockerfile", b"FROM ubuntu\n", b"RUN echo a line of a big file\n", 50)
    _write_repeated(tmp_path / "tree" / "big.yaml", b"apiVersion: v1\nkind: List\nitems:\n",
                    b"  - {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n", 50)
    result = run("tree", cwd=tmp_path)
    assert [(f["path"], f["code"], f["line"], f["column"]) for f in result.findings] == [
        (os.path.join("tree", "Dockerfile"), "PE004", 1, 1), (os.path.join("tree", "big.yaml"), "PE004", 1, 1)]
    assert result.message("PE004") == "not checked: it is larger than the 4 MiB limit"


def test_a_single_10_mb_line_is_refused(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"FROM ubuntu:24.04\nRUN echo " + b"a" * (10 << 20) + b"\n")
    assert only(run("Dockerfile", cwd=tmp_path))[:3] == ("PE004", 1, 1)


def test_a_single_3_mb_line_under_the_limit_is_checked(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"FROM ubuntu:24.04\nUSER 1000\nRUN apt-get install " + b"a" * (3 << 20)
                                          + b"\n")
    manifest = json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {"note": "n" * (3 << 20)}},
        "spec": {"containers": [{"name": "a", "image": "nginx:1.27", "securityContext": {"privileged": True}}]},
    })
    (tmp_path / "pod.yaml").write_text(manifest, encoding="utf-8")
    result = run("Dockerfile", "pod.yaml", cwd=tmp_path)
    assert result.where("DF415") == [(3, 5)]
    assert result.where("WL303") == [(1, manifest.index('"privileged": true') + len('"privileged": ') + 1)]


def test_100000_instructions(tmp_path):
    body = "".join(f"RUN echo {n}\n" for n in range(100_000))
    (tmp_path / "Dockerfile").write_text(f'FROM ubuntu:24.04\n{body}CMD ["a"]\nCMD ["b"]\nFROM debian\n',
                                         encoding="utf-8")
    # Two rules, one per instruction and one per stage, keep the run short on a busy machine.
    result = run("--select", "DF501,DF445", "Dockerfile", cwd=tmp_path)
    assert [(f["code"], f["line"], f["column"]) for f in result.findings] == [
        ("DF445", 100_003, 1), ("DF501", 100_004, 6)]


# -- YAML that attacks the parser -------------------------------------------------------------


def test_10000_levels_of_nesting(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    x-deep: " + "[" * 10_000 + "]" * 10_000 + "\n",
        encoding="utf-8")
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", encoding="utf-8")
    result = run("compose.yaml", "pod.yaml", cwd=tmp_path)
    problems = [(f["path"], f["line"]) for f in result.findings if f["code"] == "PE001"]
    assert problems == [("compose.yaml", 4), ("pod.yaml", 3)]
    assert all("nesting" in f["message"] for f in result.findings if f["code"] == "PE001")


@pytest.mark.parametrize("name", ["compose.alias-bomb.yaml", "k8s-alias-bomb.yaml"])
def test_a_billion_laughs_is_refused(tmp_path, name):
    result = run(hostile(name), cwd=tmp_path)
    assert result.where("PE001") == [(1, 1)]
    assert "refusing to read it" in result.message("PE001")


def test_unknown_tags_are_kept_as_text_and_never_constructed(tmp_path):
    result = run(hostile("compose.unknown-tags.yaml"), hostile("k8s-unknown-tags.yaml"), cwd=tmp_path, guarded=True)
    assert list(tmp_path.iterdir()) == []  # the tags would have created dlint-evaluated-* files here
    assert "BLOCKED" not in result.stderr
    by_file = {(Path(f["path"]).name, f["code"], f["line"], f["column"]) for f in result.findings}
    assert {("compose.unknown-tags.yaml", "WL303", 13, 17), ("compose.unknown-tags.yaml", "DC410", 3, 12),
            ("k8s-unknown-tags.yaml", "WL303", 12, 21)} <= by_file


# -- Dockerfiles that end too early -----------------------------------------------------------


def test_an_unterminated_heredoc(tmp_path):
    result = run(hostile("unterminated-heredoc.Dockerfile"), cwd=tmp_path)
    assert result.where("PE001") == [(2, 1)]
    assert result.message("PE001") == "heredoc 'EOF' is not closed"
    assert result.where("DF201") == [(3, 1)]  # the body up to the end of the file is still checked


def test_a_continuation_at_the_end_of_the_file(tmp_path):
    result = run(hostile("continuation-at-eof.Dockerfile"), cwd=tmp_path)
    assert result.where("DF415") == [(3, 5)]
    assert "PE001" not in result.codes()  # Docker accepts it, and so does dlint


# -- what is on the disk ----------------------------------------------------------------------


def test_symbolic_link_loops_in_a_walk(tmp_path):
    tree = tmp_path / "tree"
    (tree / "app").mkdir(parents=True)
    (tree / "app" / "Dockerfile").write_text("FROM ubuntu\n", encoding="utf-8")
    os.symlink(".", tree / "app" / "again")  # a folder that contains itself
    os.symlink("..", tree / "app" / "up")
    os.symlink("compose.yaml", tree / "compose.yaml")  # a link to itself
    os.symlink("Dockerfile.b", tree / "Dockerfile.a")
    os.symlink("Dockerfile.a", tree / "Dockerfile.b")
    os.symlink("loop.yaml", tree / "loop.yaml")
    result = run("tree", cwd=tmp_path)
    assert [(f["path"], f["code"]) for f in result.findings if f["code"] in ("PE002", "DF501")] == [
        (os.path.join("tree", "Dockerfile.a"), "PE002"), (os.path.join("tree", "Dockerfile.b"), "PE002"),
        (os.path.join("tree", "compose.yaml"), "PE002"), (os.path.join("tree", "app", "Dockerfile"), "DF501")]
    assert result.message("PE002") == "cannot read this file: Too many levels of symbolic links"


def test_unreadable_files(tmp_path):
    if not _file_modes_apply():
        pytest.skip("root cannot give up its power to read any file here")
    for name in ("Dockerfile", "compose.yaml"):
        (tmp_path / name).write_text("FROM ubuntu\n" if name == "Dockerfile" else "services: {}\n", encoding="utf-8")
        (tmp_path / name).chmod(0)
    result = run(".", cwd=tmp_path, respect_file_modes=True)
    assert [(f["path"], f["code"], f["message"]) for f in result.findings] == [
        ("Dockerfile", "PE002", "cannot read this file: Permission denied"),
        ("compose.yaml", "PE002", "cannot read this file: Permission denied")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifos_named_like_files_to_check(tmp_path):
    os.mkfifo(tmp_path / "Dockerfile")
    os.mkfifo(tmp_path / "compose.yaml")
    result = run(".", cwd=tmp_path, timeout=30)
    assert [(f["path"], f["code"], f["message"]) for f in result.findings] == [
        ("Dockerfile", "PE002", "cannot read this file: not a regular file"),
        ("compose.yaml", "PE002", "cannot read this file: not a regular file")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_among_yaml_files_does_not_block_the_walk(tmp_path):
    os.mkfifo(tmp_path / "manifest.yaml")
    assert run(".", cwd=tmp_path, timeout=6).findings == []


# -- never the network, never a process, never an evaluation ----------------------------------


def test_the_whole_cli_runs_with_network_and_processes_blocked(tmp_path):
    paths = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures"), str(HOSTILE)]
    result = run(*paths, cwd=tmp_path, guarded=True)
    assert "BLOCKED" not in result.stderr, result.stderr
    assert result.code == 1
    assert {"DF501", "PE001", "PE003", "WL303", "KS502"} <= result.codes()
    assert list(tmp_path.iterdir()) == []


def test_dockerfile_contents_are_never_run(tmp_path):
    (tmp_path / "Dockerfile").write_text(
        "# syntax=docker/dockerfile:1\n"
        "ARG BASE=$(touch dlint-evaluated-arg)\n"
        "FROM ubuntu:`touch dlint-evaluated-from` AS build\n"
        "SHELL [\"/bin/sh\", \"-c\", \"touch dlint-evaluated-shell\"]\n"
        "RUN touch dlint-evaluated-run && python3 -c \"open('dlint-evaluated-python', 'w')\" && apt-get install curl\n"
        "RUN <<EOF\n#!/usr/bin/env python3\nopen('dlint-evaluated-heredoc', 'w')\nEOF\n"
        "ONBUILD RUN touch dlint-evaluated-onbuild\n"
        "HEALTHCHECK CMD touch dlint-evaluated-healthcheck\n"
        "ENTRYPOINT [\"touch\", \"dlint-evaluated-entrypoint\"]\n", encoding="utf-8")
    result = run("Dockerfile", cwd=tmp_path, guarded=True)
    assert "BLOCKED" not in result.stderr
    assert result.where("DF415") == [(5, 86)]  # the RUN was read, not run
    assert [path.name for path in tmp_path.iterdir()] == ["Dockerfile"]


# -- inputs the fuzz targets found ------------------------------------------------------------

FUZZ_REGRESSIONS = sorted(path for path in REGRESSIONS.glob("*/*") if path.is_file())


@pytest.mark.parametrize("path", FUZZ_REGRESSIONS, ids=[f"{p.parent.name}/{p.name}" for p in FUZZ_REGRESSIONS])
def test_fuzz_regression_inputs_pass_their_target(path):
    importlib.import_module(f"tests.fuzz.{path.parent.name}").test_one_input(path.read_bytes())


def test_a_syntax_error_at_the_end_of_the_file_points_into_it(tmp_path):
    result = run(str(REGRESSIONS / "fuzz_yaml" / "end-of-file-inside-mapping.yaml"), cwd=tmp_path)
    assert result.where("PE001") == [(3, 4)]  # after the `c` of the last line, which has no `:`


def test_an_ignore_brought_in_by_a_merge_key_applies(tmp_path):
    (tmp_path / "compose.yaml").write_bytes((REGRESSIONS / "fuzz_compose" / "merge-only-service.yaml").read_bytes())
    result = run("compose.yaml", cwd=tmp_path)
    assert "WL511" not in result.codes()
    assert result.where("WL512") == [(5, 3)]


def test_a_mapping_that_merges_itself_is_refused(tmp_path):
    (tmp_path / "compose.yaml").write_bytes((REGRESSIONS / "fuzz_yaml" / "merge-key-into-itself.yaml").read_bytes())
    result = run("compose.yaml", cwd=tmp_path)
    assert result.where("PE001") == [(2, 3)]
    assert result.message("PE001") == "a merge key (<<) brings in a mapping that contains it"
