"""`exclude: [globs]` in the configuration: paths a directory walk skips, matched like
`.gitignore` patterns relative to the configuration's folder; files named on the command line
are checked all the same."""
from __future__ import annotations

import os

import pytest

from linter.discover import discover
from tests.test_cli import UNPINNED, check_json, run_cli, write

MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: nginx}]\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def checked(capsys, *argv: str) -> list[str]:
    """The paths with a finding of image-unpinned or base-image-unpinned (every file below has one)."""
    _, document, _ = check_json(capsys, "--select", "DF501,WL501,image-unpinned", *argv)
    return sorted({finding["path"] for finding in document["findings"]})


@pytest.fixture
def tree(tmp_path):
    for name in ("Dockerfile", "vendor/Dockerfile", "app/vendor/lib/Dockerfile", "app/Dockerfile",
                 "app/testdata/Dockerfile", "app/testdata/deep/Dockerfile", "legacy/Dockerfile",
                 "app/legacy/Dockerfile"):
        write(tmp_path / name, UNPINNED)
    write(tmp_path / "k8s" / "pod.yaml", MANIFEST)
    write(tmp_path / "k8s" / "pod.generated.yaml", MANIFEST)
    return tmp_path


def test_without_exclude_the_walk_finds_everything(capsys, tree):
    assert len(checked(capsys, ".")) == 10


def test_exclude_patterns_follow_gitignore(capsys, tree):
    write(tree / ".dlint.yaml", 'exclude: [vendor/, "**/testdata/**", "*.generated.yaml", /legacy]\n')
    assert checked(capsys, ".") == ["Dockerfile", "app/Dockerfile", "app/legacy/Dockerfile", "k8s/pod.yaml"]


def test_a_pattern_can_let_a_file_back_in(capsys, tree):
    write(tree / ".dlint.yaml", 'exclude: ["k8s/*.yaml", "!pod.yaml", app/, vendor/, legacy/]\n')
    assert checked(capsys, ".") == ["Dockerfile", "k8s/pod.yaml"]


def test_a_folder_pattern_does_not_match_a_file(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "exclude: [Dockerfile/]\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    assert checked(capsys, ".") == ["Dockerfile"]


def test_patterns_are_relative_to_the_config_not_the_working_folder(capsys, tree, monkeypatch):
    write(tree / ".dlint.yaml", "exclude: [app/legacy/, vendor/]\n")
    monkeypatch.chdir(tree / "app")
    assert checked(capsys, ".") == ["Dockerfile", "testdata/Dockerfile", "testdata/deep/Dockerfile"]


def test_files_named_on_the_command_line_are_checked(capsys, tree):
    write(tree / ".dlint.yaml", 'exclude: [vendor/, "*.generated.yaml", legacy/Dockerfile]\n')
    paths = ("vendor/Dockerfile", "k8s/pod.generated.yaml", "legacy/Dockerfile")
    assert checked(capsys, *paths) == sorted(paths)


def test_a_folder_named_on_the_command_line_is_walked_with_the_exclusions_below_it(capsys, tree):
    write(tree / ".dlint.yaml", "exclude: [vendor/, lib/]\n")
    assert checked(capsys, "vendor", "app/vendor") == ["vendor/Dockerfile"]


def test_the_nearest_config_decides_for_its_files(capsys, tree):
    write(tree / ".dlint.yaml", "exclude: [testdata/]\n")
    write(tree / "app" / ".dlint.yaml", "exclude: [legacy/]\n")
    assert checked(capsys, ".") == [
        "Dockerfile", "app/Dockerfile", "app/testdata/Dockerfile", "app/testdata/deep/Dockerfile",
        "app/vendor/lib/Dockerfile", "k8s/pod.generated.yaml", "k8s/pod.yaml", "legacy/Dockerfile",
        "vendor/Dockerfile"]


def test_exclude_must_be_a_list(capsys, tmp_path):
    config = write(tmp_path / ".dlint.yaml", "exclude: vendor/\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    code, out, err = run_cli(capsys, "check", ".")
    assert (code, out) == (2, "")
    assert err == f"dlint: {config}:1:10: exclude: 'vendor/' is not of type 'array'\n"


def test_discover_asks_about_folders_with_a_trailing_separator(tmp_path):
    write(tmp_path / "a" / "Dockerfile", UNPINNED)
    write(tmp_path / "b" / "Dockerfile", UNPINNED)
    asked = []

    def excluded(path: str) -> bool:
        asked.append(os.path.relpath(path, tmp_path) + (os.sep if path.endswith(os.sep) else ""))
        return path.endswith(os.path.join("b", ""))

    targets = discover([str(tmp_path)], excluded=excluded).targets
    assert [os.path.relpath(target.path, tmp_path) for target in targets] == [os.path.join("a", "Dockerfile")]
    assert sorted(asked) == [os.path.join("a", ""), os.path.join("a", "Dockerfile"), os.path.join("b", "")]
