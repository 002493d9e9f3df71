"""``--diff REF``: the lines changed since a git revision, read from a real repository.

Every test builds its repository in tmp_path with a fixed author and date, and with the
user's and the system's git configuration shut out, so only what the test sets applies.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.changes import ChangeError, changed_since, file_at
from linter.engine.runner import FileResult, Linter
from linter.model.finding import Finding
from tests.test_cli import write
from linter.model.span import Span

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SEED = (
    "FROM ubuntu\n"
    "RUN apt-get update && apt-get install -y python3-pip\n"
    "COPY ./app.py /opt/app.py\n"
    "RUN pip3 install flask\n"
    'ENTRYPOINT ["python3", "/opt/app.py"]\n'
)
BAD_LINE = "RUN pip install requests\n"
SEED_WITH_BAD_LINE = SEED.replace("ENTRYPOINT", BAD_LINE + "ENTRYPOINT")  # the new line is line 5
# The rules the seed Dockerfile breaks, so these tests hold while the catalogue grows.
SEED_RULES = ("base-image-unpinned", "apt-install-recommends", "apt-lists-not-removed", "cache-busting-copy",
              "pip-cache-kept", "pip-package-unpinned", "parse-error", "not-text")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """An empty repository in tmp_path/repo, which is also the working folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Dee Lint")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "dlint@example.com")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2024-01-02T03:04:05+00:00")
    path = tmp_path / "repo"
    path.mkdir()
    monkeypatch.chdir(path)
    git("init", "-q", "-b", "main")
    return path


def git(*arguments: str) -> str:
    completed = subprocess.run(["git", *arguments], capture_output=True, check=True)
    return completed.stdout.decode()


def commit_all(message: str = "change") -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)




def lint(catalog, *paths: str) -> list[FileResult]:
    """The real linter over ``paths`` (as dlint would print them), with the seed's rules."""
    rules = [rule for rule in catalog if any(rule.matches(name) for name in SEED_RULES)]
    linter = Linter(rules, catalog)
    return [linter.lint_bytes(Path(path).read_bytes(), path) for path in paths]


def positions(results: list[FileResult]) -> list[tuple[str, str, int]]:
    return [(finding.span.path, finding.name, finding.span.line) for result in results for finding in result.findings]


def finding_at(path: str, line: int, column: int = 1, end_line: int | None = None, end_column: int = 2,
               code: str = "DF101") -> Finding:
    return Finding(code, "rule", "warning", "message", Span(path, line, column, end_line or line, end_column))


# -- the acceptance case --------------------------------------------------------------------


def test_only_the_findings_on_the_added_line_remain(repo, catalog):
    write("Dockerfile", SEED)
    commit_all("the seed, already bad")
    write("Dockerfile", SEED_WITH_BAD_LINE)  # not committed: the work tree counts

    results = lint(catalog, "Dockerfile")
    assert len(positions(results)) == 8
    assert positions(changed_since("HEAD").filter(results)) == [
        ("Dockerfile", "pip-cache-kept", 5),
        ("Dockerfile", "pip-package-unpinned", 5),
    ]


def test_a_committed_change_counts_against_an_older_revision_only(repo, catalog):
    write("Dockerfile", SEED)
    commit_all("seed")
    write("Dockerfile", SEED_WITH_BAD_LINE)
    commit_all("one more install")

    results = lint(catalog, "Dockerfile")
    assert positions(changed_since("HEAD~1").filter(results)) == [
        ("Dockerfile", "pip-cache-kept", 5),
        ("Dockerfile", "pip-package-unpinned", 5),
    ]
    assert positions(changed_since("HEAD").filter(results)) == []
    assert positions(changed_since("main~1").filter(results)) == positions(changed_since("HEAD~1").filter(results))


def test_a_modified_line_counts_and_a_removed_one_does_not_move_the_rest(repo, catalog):
    write("Dockerfile", SEED)
    commit_all()
    # line 3 removed, line 4 (now 3) modified: only the modified line is new
    write("Dockerfile", SEED.replace("COPY ./app.py /opt/app.py\n", "").replace("flask", "flask requests"))

    changes = changed_since("HEAD")
    assert [(name, line) for _, name, line in positions(changes.filter(lint(catalog, "Dockerfile")))] == [
        ("pip-cache-kept", 3),
        ("pip-package-unpinned", 3),
        ("pip-package-unpinned", 3),
    ]


# -- which findings a change covers ---------------------------------------------------------


def test_a_finding_spanning_lines_is_covered_when_any_of_them_changed(repo):
    write("Dockerfile", "".join(f"line {n}\n" for n in range(1, 11)))
    commit_all()
    write("Dockerfile", "".join(f"line {n}{' changed' if n == 6 else ''}\n" for n in range(1, 11)))
    changes = changed_since("HEAD")

    assert changes.covers(finding_at("Dockerfile", 6))
    assert changes.covers(finding_at("Dockerfile", 4, end_line=7))
    assert not changes.covers(finding_at("Dockerfile", 5))
    assert not changes.covers(finding_at("Dockerfile", 2, end_line=5))
    # a span that ends at column 1 of line 6 stops at the end of line 5
    assert not changes.covers(finding_at("Dockerfile", 4, end_line=6, end_column=1))
    assert not changes.covers(finding_at("Other", 6))


def test_file_level_findings_count_in_a_changed_file_only(repo):
    write("Dockerfile", "".join(f"line {n}\n" for n in range(1, 6)))
    write("Unchanged", "".join(f"line {n}\n" for n in range(1, 6)))
    commit_all()
    write("Dockerfile", "".join(f"line {n}\n" for n in range(1, 5)))  # the last line deleted, none added
    changes = changed_since("HEAD")

    whole_file = finding_at("Dockerfile", 1, end_column=1, code="WL301")
    assert changes.covers(whole_file)
    assert changes.covers(finding_at("Dockerfile", 2, code="PE001"))  # a parse error may come from any edit
    assert not changes.covers(finding_at("Dockerfile", 2, code="DF101"))
    assert not changes.covers(finding_at("Unchanged", 1, end_column=1, code="WL301"))
    assert not changes.covers(finding_at("Unchanged", 2, code="PE001"))


def test_paths_compare_the_way_dlint_prints_them(repo):
    write("docker/web/Dockerfile", "FROM a\nFROM b\n")
    commit_all()
    write("docker/web/Dockerfile", "FROM a\nFROM c\n")
    changes = changed_since("HEAD")

    for path in ("docker/web/Dockerfile", "./docker/web/Dockerfile", "docker/../docker/web/Dockerfile",
                 str(repo / "docker" / "web" / "Dockerfile")):
        assert changes.covers(finding_at(path, 2)), path
        assert not changes.covers(finding_at(path, 1)), path


def test_from_a_subfolder_paths_are_relative_to_it(repo):
    write("docker/web/Dockerfile", "FROM a\nFROM b\n")
    commit_all()
    write("docker/web/Dockerfile", "FROM a\nFROM c\n")

    changes = changed_since("HEAD", cwd="docker")
    assert changes.covers(finding_at("web/Dockerfile", 2))
    assert not changes.covers(finding_at("docker/web/Dockerfile", 2))


# -- new, renamed, binary and oddly named files ---------------------------------------------


def test_untracked_files_are_wholly_changed_and_ignored_ones_are_not(repo, catalog):
    write("README", "hello\n")
    write(".gitignore", "build/\n")
    commit_all()
    write("api/Dockerfile", SEED)
    write("build/Dockerfile", SEED)

    changes = changed_since("HEAD")
    new, ignored = lint(catalog, "api/Dockerfile", "build/Dockerfile")
    assert [line for _, _, line in positions(changes.filter([new]))] == [1, 2, 2, 3, 4, 4]
    assert positions(changes.filter([ignored])) == []


def test_a_new_file_added_to_the_index_is_wholly_changed(repo):
    write("README", "hello\n")
    commit_all()
    write("Dockerfile", "")
    git("add", "Dockerfile")

    assert changed_since("HEAD").covers(finding_at("Dockerfile", 1, end_column=1, code="PE001"))


def test_a_renamed_file_counts_its_new_lines_only(repo, catalog):
    write("Dockerfile", SEED)
    commit_all()
    git("mv", "Dockerfile", "Dockerfile.prod")
    write("Dockerfile.prod", SEED_WITH_BAD_LINE)

    assert positions(changed_since("HEAD").filter(lint(catalog, "Dockerfile.prod"))) == [
        ("Dockerfile.prod", "pip-cache-kept", 5),
        ("Dockerfile.prod", "pip-package-unpinned", 5),
    ]


def test_a_pure_rename_adds_nothing(repo, catalog):
    write("Dockerfile", SEED)
    commit_all()
    git("mv", "Dockerfile", "Containerfile")

    assert positions(changed_since("HEAD").filter(lint(catalog, "Containerfile"))) == []


@pytest.mark.skipif(sys.platform == "win32", reason="names with tabs and quotes are POSIX only")
@pytest.mark.parametrize("folder", ["with space", "ünïcödé", "tab\there \"quoted\" ü", "bell\a escape\x1b"])
def test_file_names_with_spaces_non_ascii_and_quotes(repo, folder):
    path = f"{folder}/Dockerfile"
    write(path, "FROM a\nFROM b\n")
    write(f"{folder}/renamed from", "one\ntwo\n")
    commit_all()
    write(path, "FROM a\nFROM c\n")
    git("mv", f"{folder}/renamed from", f"{folder}/renamed to")
    write(f"{folder}/renamed to", "one\ntwo\nthree\n")

    changes = changed_since("HEAD")
    assert changes.covers(finding_at(path, 2))
    assert not changes.covers(finding_at(path, 1))
    assert changes.covers(finding_at(f"{folder}/renamed to", 3))
    assert not changes.covers(finding_at(f"{folder}/renamed to", 2))


def test_a_binary_change_covers_the_whole_file(repo):
    write("Dockerfile", "FROM a\n")
    commit_all()
    write("Dockerfile", b"FROM a\n\0\1\2\n")

    assert changed_since("HEAD").covers(finding_at("Dockerfile", 2, code="PE003"))
    assert changed_since("HEAD").covers(finding_at("Dockerfile", 1, code="DF101"))


def test_an_added_line_that_reads_like_a_diff_header_is_just_a_line(repo):
    write("notes", "one\n")
    commit_all()
    write("notes", "one\n++ b/elsewhere\n@@ -1 +7,3 @@\n")

    changes = changed_since("HEAD")
    assert changes.covers(finding_at("notes", 2))
    assert changes.covers(finding_at("notes", 3))
    assert not changes.covers(finding_at("elsewhere", 7))
    assert not changes.covers(finding_at("notes", 7))


# -- git's configuration cannot get in -----------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in tool is a shell script")
def test_external_diff_drivers_text_filters_and_pagers_are_not_run(repo, tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    tool = tmp_path / "tool.sh"
    # Each one, if run, leaves a marker and prints a diff claiming line 1 changed.
    tool.write_text(f"#!/bin/sh\necho ran >> '{marker}'\nprintf '@@ -1 +1 @@\\n+x\\n'\n")
    tool.chmod(0o755)
    git("config", "diff.external", str(tool))
    git("config", "core.pager", str(tool))
    git("config", "pager.diff", "true")
    git("config", "color.ui", "always")
    git("config", "diff.noprefix", "true")
    git("config", "diff.shout.textconv", str(tool))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(tool))
    monkeypatch.setenv("GIT_PAGER", str(tool))
    write(".gitattributes", "Dockerfile diff=shout\n")
    write("Dockerfile", "FROM a\nFROM b\nFROM c\n")
    commit_all()
    write("Dockerfile", "FROM a\nFROM b\nFROM d\n")

    changes = changed_since("HEAD")
    assert changes.covers(finding_at("Dockerfile", 3))
    assert not changes.covers(finding_at("Dockerfile", 1))
    assert file_at("HEAD", "Dockerfile") == b"FROM a\nFROM b\nFROM c\n"
    assert not marker.exists()


# -- errors ----------------------------------------------------------------------------------


def test_an_unknown_revision_says_how_to_fetch_it(repo):
    write("Dockerfile", "FROM a\n")
    commit_all()

    with pytest.raises(ChangeError) as raised:
        changed_since("origin/main")
    assert str(raised.value) == ("--diff origin/main: unknown revision; "
                                 "fetch it first (actions/checkout with fetch-depth: 0)")


def test_a_folder_outside_any_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ChangeError) as raised:
        changed_since("main")
    assert str(raised.value) == f"--diff main: {tmp_path} is not inside a git repository"


def test_an_option_is_not_taken_for_a_revision(repo, tmp_path):
    write("Dockerfile", "FROM a\n")
    commit_all()

    with pytest.raises(ChangeError) as raised:
        changed_since(f"--output={tmp_path / 'written'}")
    assert "not a revision" in str(raised.value)
    assert not (tmp_path / "written").exists()


def test_no_git_installed(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo))

    with pytest.raises(ChangeError) as raised:
        changed_since("main")
    assert str(raised.value) == "--diff main: git is not installed (or not on PATH)"


# -- a file as it was -------------------------------------------------------------------------


def test_file_at_reads_a_revision_without_touching_the_work_tree(repo):
    write("docker/Dockerfile", "FROM a\n")
    commit_all()
    write("docker/Dockerfile", "FROM b\n")
    write("docker/new.Dockerfile", "FROM c\n")

    assert file_at("HEAD", "docker/Dockerfile") == b"FROM a\n"
    assert file_at("HEAD", "./docker/Dockerfile") == b"FROM a\n"
    assert file_at("HEAD", str(repo / "docker" / "Dockerfile")) == b"FROM a\n"
    assert file_at("HEAD", "Dockerfile", cwd="docker") == b"FROM a\n"
    assert file_at("HEAD", "docker/new.Dockerfile") is None
    assert file_at("HEAD", "docker") is None  # a folder has no content
    assert Path("docker/Dockerfile").read_text() == "FROM b\n"
    with pytest.raises(ChangeError, match="^nope: unknown revision"):
        file_at("nope", "docker/Dockerfile")
