"""``dlint check --build-arg NAME=VALUE``: values given on the command line replace ARG defaults
everywhere a value is used, as ``docker build --build-arg`` does (offline)."""
from __future__ import annotations

import pytest

from linter.cli import main
from tests.test_cli import check_json, positions, run_cli, write

PINNED_BY_DEFAULT = "ARG TAG=3.12\nFROM python:${TAG}\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Every test runs in an empty folder, where it writes its Dockerfile."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_build_arg_replaces_the_default_of_an_arg_used_in_from(capsys):
    write("Dockerfile", PINNED_BY_DEFAULT)
    code, document, _ = check_json(capsys, "--select", "base-image-unpinned", "Dockerfile")
    assert (code, positions(document)) == (0, [])
    code, document, _ = check_json(capsys, "--select", "base-image-unpinned", "--build-arg", "TAG=latest",
                                   "Dockerfile")
    assert code == 1
    assert positions(document) == [("Dockerfile", "DF501", 2, 6)]


def test_build_arg_is_repeatable_and_the_last_value_wins(capsys):
    write("Dockerfile", "ARG IMAGE=python\nARG TAG=3.12\nFROM ${IMAGE}:${TAG}\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG=latest",
                                   "--build-arg", "IMAGE=node", "--build-arg", "TAG=22", "Dockerfile")
    assert (code, positions(document)) == (0, [])
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG=22", "--build-arg", "TAG=latest",
                                   "Dockerfile")
    assert positions(document) == [("Dockerfile", "DF501", 3, 6)]


def test_a_build_arg_for_an_undeclared_arg_changes_nothing(capsys):
    write("Dockerfile", "FROM python:3.12\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG=latest", "Dockerfile")
    assert (code, positions(document)) == (0, [])


def test_an_empty_value_is_a_value(capsys):
    write("Dockerfile", "ARG TAG=3.12\nFROM python${TAG:+:}${TAG}\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG=", "Dockerfile")
    assert positions(document) == [("Dockerfile", "DF501", 2, 6)]


def test_a_name_alone_takes_the_value_from_the_environment(capsys, monkeypatch):
    write("Dockerfile", PINNED_BY_DEFAULT)
    monkeypatch.setenv("TAG", "latest")
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG", "Dockerfile")
    assert positions(document) == [("Dockerfile", "DF501", 2, 6)]
    monkeypatch.delenv("TAG")
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG", "Dockerfile")
    assert positions(document) == []  # unset in the environment: the default stands, as in docker


def test_build_args_reach_standard_input_too(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PINNED_BY_DEFAULT.encode())))
    code, document, _ = check_json(capsys, "--select", "DF501", "--build-arg", "TAG=latest", "-")
    assert positions(document) == [("-", "DF501", 2, 6)]


@pytest.mark.parametrize("value", ["=latest", " =x", "A B=1"])
def test_a_malformed_build_arg_is_a_usage_error(capsys, value):
    write("Dockerfile", PINNED_BY_DEFAULT)
    code, out, err = run_cli(capsys, "check", "--build-arg", value, "Dockerfile")
    assert (code, out) == (2, "")
    assert "--build-arg" in err and "NAME=VALUE" in err


def test_build_arg_is_documented_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "--build-arg NAME[=VALUE]" in capsys.readouterr().out
