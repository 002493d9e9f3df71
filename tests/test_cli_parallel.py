"""Runs over many files: `--jobs N` gives the same report as one process, and a directory walk
checks what git would track (nested `.gitignore` files, `!` re-includes, folder patterns),
while files named on the command line are always checked."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from linter import cli
from tests.test_changes import git, repo  # noqa: F401
from tests.test_cli import check_json, run_cli, write

BASES = ["ubuntu", "python:3.12-slim", "node:20-alpine", "debian:bookworm-slim", "alpine:3.19", "nginx:latest"]
IMAGES = ["postgres", "redis:7", "nginx", "mysql:8.0", "registry:2", "busybox:1.36"]
TREE_FILES = 1_000


def dockerfile(number: int) -> str:
    lines = [f"FROM {BASES[number % len(BASES)]}"]
    if number % 3 == 0:
        lines.append("RUN apt-get update && apt-get install -y curl")
    if number % 7 == 0:
        lines.append("COPY . .")
    if number % 5 == 0:
        lines.append("RUN pip install flask")
    if number % 11 == 0:
        lines.append("MAINTAINER someone@example.com")
    if number % 13 == 0:
        lines.append("RUN <<EOF\nset -e\necho heredoc\nEOF")
    lines.append(f'CMD ["serve", "{number}"]')
    return "\n".join(lines) + "\n"


def compose(number: int) -> str:
    text = f"services:\n  app{number}:\n    image: {IMAGES[number % len(IMAGES)]}\n"
    if number % 6 == 2:
        text += "    privileged: true\n"
    if number % 10 == 6:
        text += "    ports: ['5432:5432']\n    environment:\n      DB_PASSWORD: secret\n"
    return text


def manifest(number: int) -> str:
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{number}}}\nspec:\n  replicas: {number % 3}\n"
            f"  template:\n    spec:\n      containers:\n        - name: c\n"
            f"          image: {IMAGES[number % len(IMAGES)]}\n")


def generate_tree(root: Path) -> None:
    """1,000 small files in 20 folders: Dockerfiles under four naming schemes, Compose files,
    Kubernetes manifests, and a few that cannot be parsed or read. One folder has its own
    configuration, so workers must each find it."""
    for number in range(TREE_FILES):
        folder = root / f"group{number // 50:02d}" / f"p{number:04d}"
        folder.mkdir(parents=True)
        kind = number % 4
        if number % 97 == 0:
            os.symlink("missing", folder / "Dockerfile")  # unreadable
        elif number % 89 == 0:
            (folder / "compose.yaml").write_text("services:\n  web: {image: nginx:1\n")  # does not parse
        elif kind == 0:
            (folder / "Dockerfile").write_text(dockerfile(number))
        elif kind == 1:
            (folder / f"{['api', 'web', 'job'][number % 3]}.dockerfile").write_text(dockerfile(number))
        elif kind == 2:
            (folder / "compose.yaml").write_text(compose(number))
        else:
            (folder / "deploy.yaml").write_text(manifest(number))
    (root / "group03" / ".dlint.yaml").write_text("ignore: [base-image-unpinned]\nseverity:\n  WL502: error\n")


def run_in(folder: Path, *argv: str) -> tuple[int, str, str]:
    """``dlint ARGV`` in-process from ``folder``, outside any test's capsys."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(argv))
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    generate_tree(root)
    return root


@pytest.fixture(scope="module")
def reports(tree) -> dict[int, tuple[int, str, str]]:
    """The JSON report of the tree with one process and with two."""
    return {jobs: run_in(tree, "check", "--format", "json", "--jobs", str(jobs), ".") for jobs in (1, 2)}


# -- --jobs -----------------------------------------------------------------------------------------


def test_jobs_2_prints_the_same_findings_in_the_same_order_as_jobs_1(reports):
    assert TREE_FILES >= cli.PARALLEL_MINIMUM  # so that the second run really is parallel
    assert reports[2] == reports[1]


def test_the_whole_tree_is_checked(reports):
    code, out, err = reports[2]
    document = json.loads(out)
    assert (code, err) == (1, "")
    assert document["summary"]["files"] == TREE_FILES
    codes = {finding["code"] for finding in document["findings"]}
    assert {"DF501", "DF202", "DF373", "DC301", "WL303", "WL310", "KS503", "PE001", "PE002"} <= codes
    paths = [finding["path"] for finding in document["findings"]]
    assert paths == sorted(paths)  # the walk's order: folders and names sorted


def test_each_folder_keeps_its_own_configuration_in_workers(reports):
    findings = json.loads(reports[2][1])["findings"]
    configured = [f for f in findings if f["path"].startswith("group03/")]
    elsewhere = [f for f in findings if not f["path"].startswith("group03/")]
    assert configured and not any(f["code"] == "DF501" for f in configured)
    assert any(f["code"] == "DF501" for f in elsewhere)
    assert {f["severity"] for f in configured if f["code"] == "WL502"} == {"error"}
    assert {f["severity"] for f in elsewhere if f["code"] == "WL502"} == {"warning"}


class RecordingPool(ThreadPoolExecutor):
    """Stands in for the process pool, to see whether a run asks for one."""

    started: list[int] = []

    def __init__(self, max_workers: int, **options) -> None:
        RecordingPool.started.append(max_workers)
        super().__init__(max_workers=max_workers, **options)


@pytest.fixture
def pool_requests(tmp_path, monkeypatch) -> list[int]:
    """The worker counts of the pools runs start, in an empty working folder."""
    import concurrent.futures

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(RecordingPool, "started", [])
    monkeypatch.setattr(cli, "_worker_checker", None)  # the threads set it; put it back afterwards
    return RecordingPool.started


def unpinned_dockerfiles(count: int) -> None:
    for number in range(count):
        write(f"f{number:03d}/Dockerfile", "FROM ubuntu\n")


@pytest.mark.parametrize("files, pooled", [(cli.PARALLEL_MINIMUM - 1, False), (cli.PARALLEL_MINIMUM, True)])
def test_workers_start_only_for_runs_of_many_files(capsys, pool_requests, files, pooled):
    unpinned_dockerfiles(files)
    code, document, _ = check_json(capsys, "--jobs", "2", "--select", "DF501", ".")
    assert code == 1
    assert len(document["findings"]) == files
    assert pool_requests == ([2] if pooled else [])


def test_jobs_1_never_starts_workers(capsys, pool_requests):
    unpinned_dockerfiles(cli.PARALLEL_MINIMUM * 2)
    assert run_cli(capsys, "check", "-j", "1", "-q", "--select", "DF501", ".")[0] == 1
    assert pool_requests == []


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_of_1_or_more(capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", "--jobs", value, "."])
    assert exit_info.value.code == 2
    assert f"argument --jobs/-j: expected a whole number of 1 or more, not '{value}'" in capsys.readouterr().err


# -- .gitignore ---------------------------------------------------------------------------------------


def checked(capsys, *argv: str) -> list[str]:
    """The files a run reports on (each file below has one DF501 finding)."""
    _, document, _ = check_json(capsys, "--select", "DF501", *argv)
    return [finding["path"] for finding in document["findings"]]


def dockerfiles(root: Path, *names: str) -> None:
    for name in names:
        write(root / name, "FROM ubuntu\n")


def build_ignoring_tree(root: Path) -> None:
    dockerfiles(root, "Dockerfile", "Dockerfile.ci", "build/Dockerfile", "out/Dockerfile", "lib/out/Dockerfile",
                "app/Dockerfile", "app/keep.dockerfile", "app/drop.dockerfile", "app/gen/Dockerfile",
                "app/sub/Dockerfile", "docs/Dockerfile", "docs/x/Dockerfile", "ci/Dockerfile.ci/Dockerfile")
    write(root / ".gitignore", "# build output\nbuild/\n*.dockerfile\n!keep.dockerfile\n/out/\nDockerfile.ci/\n")
    write(root / "app" / ".gitignore", "gen/\nsub\n")
    write(root / "docs" / ".gitignore", "x/\n")


@pytest.fixture
def ignoring_tree(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    build_ignoring_tree(tmp_path)
    return tmp_path


def test_a_walk_skips_what_the_gitignore_files_ignore(capsys, ignoring_tree):
    assert checked(capsys, ".") == ["Dockerfile", "Dockerfile.ci", "app/Dockerfile", "app/keep.dockerfile",
                                    "docs/Dockerfile", "lib/out/Dockerfile"]


def test_files_named_on_the_command_line_are_checked_even_when_ignored(capsys, ignoring_tree):
    assert checked(capsys, "build/Dockerfile", "app/drop.dockerfile", "app/gen/Dockerfile") == [
        "build/Dockerfile", "app/drop.dockerfile", "app/gen/Dockerfile"]


def test_an_ignored_folder_named_on_the_command_line_is_walked_with_the_gitignore_below_it(capsys, ignoring_tree):
    assert checked(capsys, "app/gen", "docs") == ["app/gen/Dockerfile", "docs/Dockerfile"]


def test_nothing_below_an_ignored_folder_can_be_included_again(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dockerfiles(tmp_path, "build/Dockerfile", "vendor/Dockerfile", "vendor/keep/Dockerfile", "deep/a/b/Dockerfile",
                "deep/a/Dockerfile")
    write(tmp_path / ".gitignore", "build/\n!build/Dockerfile\nvendor/*\n!vendor/keep/\ndeep/**/b\n")
    assert checked(capsys, ".") == ["deep/a/Dockerfile", "vendor/keep/Dockerfile"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_walk_agrees_with_git(capsys, repo):  # noqa: F811
    build_ignoring_tree(repo)
    untracked = git("ls-files", "--others", "--exclude-standard").split()
    assert sorted(checked(capsys, ".")) == sorted(name for name in untracked if not name.endswith(".gitignore"))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_walking_a_subfolder_honours_the_gitignore_above_it(capsys, repo):  # noqa: F811
    dockerfiles(repo, "app/Dockerfile", "app/drop.dockerfile", "app/build/Dockerfile")
    write(repo / ".gitignore", "*.dockerfile\nbuild/\n")
    assert checked(capsys, ".") == ["app/Dockerfile"]
    assert checked(capsys, "app") == ["app/Dockerfile"]
