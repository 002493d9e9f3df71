"""`rule-set: "<version>"` pins the default rules to those of one dlint release, so an upgrade
turns on no new default rule in a pinned project until it raises the pin."""
from __future__ import annotations

import pytest

from linter import __version__
from linter.config import Settings, select_rules, version_key
from tests.test_cli import check_json, run_cli, write

# Unpinned base (DF501, on since 0.1.0), `COPY . .` without a .dockerignore (DF373, on since
# 0.2.0) and an ignore of a rule that finds nothing (PE601, on since 0.2.0).
DOCKERFILE = '# dlint: ignore=DF201 -- apt lists\nFROM alpine\nCOPY . /app\nUSER 1000\nCMD ["app"]\n'


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def found_codes(capsys, *argv: str) -> list[str]:
    _, document, _ = check_json(capsys, *argv)
    return sorted({finding["code"] for finding in document["findings"]})


def default_codes(catalog, **settings) -> set[str]:
    return {rule.code for rule in select_rules(catalog, Settings(**settings), None, [])}


def test_pinning_the_first_release_leaves_out_the_rules_turned_on_since(catalog):
    assert default_codes(catalog) - default_codes(catalog, rule_set="0.1.0") == {
        "DF373", "PE601", "DC407", "DC408", "DC640", "KS412", "WL403", "DF456"}
    assert default_codes(catalog, rule_set="0.1.0") <= default_codes(catalog)


def test_without_a_pin_every_default_rule_runs(capsys, tmp_path):
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert found_codes(capsys, "Dockerfile") == ["DF373", "DF501", "PE601"]


def test_a_pinned_project_does_not_get_newer_default_rules(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", 'rule-set: "0.1.0"\n')
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert found_codes(capsys, "Dockerfile") == ["DF501"]


@pytest.mark.parametrize("pin", ["0.1", "0.1.0"])
def test_a_pin_in_pyproject_and_with_two_numbers(capsys, tmp_path, pin):
    write(tmp_path / "pyproject.toml", f'[tool.dlint]\nrule-set = "{pin}"\n')
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert found_codes(capsys, "Dockerfile") == ["DF501"]


def test_rules_selected_by_name_run_whatever_the_pin(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", 'rule-set: "0.1.0"\nselect: [DF501, dockerignore-missing]\n')
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert found_codes(capsys, "Dockerfile") == ["DF373", "DF501"]
    assert found_codes(capsys, "--select", "DF201,unused-suppression", "Dockerfile") == ["PE601"]


def test_require_reason_runs_whatever_the_pin(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", 'rule-set: "0.1.0"\nrequire-reason: true\n')
    write(tmp_path / "Dockerfile", '# dlint: ignore=DF501\nFROM alpine\nUSER 1000\nCMD ["app"]\n')
    assert found_codes(capsys, "Dockerfile") == ["PE602"]


def test_versions_compare_number_by_number():
    assert version_key("0.10.0") > version_key("0.9.0")
    assert version_key("1.0") > version_key("0.99.99")
    assert version_key("0.2") == version_key("0.2.0")


# -- mistakes ---------------------------------------------------------------------------------


def config_error(capsys) -> str:
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert (code, out, err.count("\n")) == (2, "", 1), err
    return err.rstrip("\n")


@pytest.mark.parametrize("text, where, message", [
    ('rule-set: "99.0.0"\n', "1:11",
     f"99.0.0 is newer than this dlint ({__version__}): upgrade dlint, or pin {__version__} or older"),
    ("fail-on: error\nrule-set: latest\n", "2:11", f"'latest' is not a dlint version such as \"{__version__}\""),
    ('rule-set: "v0.1.0"\n', "1:11", f"'v0.1.0' is not a dlint version such as \"{__version__}\""),
    ("rule-set: 0.10\n", "1:11",
     f"write the version in quotes (\"{__version__}\"): unquoted, it is read as the number 0.1"),
    ("rule-set: [0.1.0]\n", "1:11", f"['0.1.0'] is not a dlint version such as \"{__version__}\""),
])
def test_a_bad_rule_set_is_a_config_error_at_its_value(capsys, tmp_path, text, where, message):
    config = write(tmp_path / ".dlint.yaml", text)
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert config_error(capsys) == f"dlint: {config}:{where}: rule-set: {message}"


def test_a_rule_set_newer_than_dlint_in_pyproject(capsys, tmp_path):
    config = write(tmp_path / "pyproject.toml", '[tool.dlint]\nfail-on = "error"\nrule-set = "99.1"\n')
    write(tmp_path / "Dockerfile", DOCKERFILE)
    assert config_error(capsys).startswith(f"dlint: {config}:3:1: rule-set: 99.1 is newer than this dlint")
