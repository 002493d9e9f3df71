"""Configuration: `.dlint.yaml` / `[tool.dlint]` found by walking up from each file, every
setting taking effect, and every mistake reported as one positioned line with exit code 2."""
from __future__ import annotations

import pytest

from tests.test_cli import UNPINNED, check_json, positions, run_cli, write



@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def config_error(capsys, *argv: str) -> str:
    """Run ``dlint check ARGV``, expect a configuration error, and return its single stderr line."""
    code, out, err = run_cli(capsys, "check", *argv)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.rstrip("\n")


# -- finding the file -----------------------------------------------------------------------


def test_dlint_yaml_is_found_by_walking_up_from_the_file(capsys, tmp_path, monkeypatch):
    write(tmp_path / "repo" / ".dlint.yaml", "severity:\n  DF501: error\n")
    write(tmp_path / "repo" / "services" / "api" / "Dockerfile", UNPINNED)
    monkeypatch.chdir(tmp_path)  # the config is above the file, not above the working folder
    _, document, _ = check_json(capsys, "--select", "DF501", "repo/services/api/Dockerfile")
    assert [f["severity"] for f in document["findings"]] == ["error"]


def test_the_nearest_config_wins_and_each_file_gets_its_own(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "severity:\n  DF501: error\n")
    write(tmp_path / "legacy" / ".dlint.yml", "severity:\n  DF501: info\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    write(tmp_path / "legacy" / "Dockerfile", UNPINNED)
    _, document, _ = check_json(capsys, "--select", "DF501", ".")
    assert {f["path"]: f["severity"] for f in document["findings"]} == {
        "Dockerfile": "error", "legacy/Dockerfile": "info"}


def test_tool_dlint_in_pyproject(capsys, tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.dlint]\nfail-on = "error"\n\n'
                                       '[tool.dlint.severity]\nbase-image-unpinned = "info"\n')
    write(tmp_path / "Dockerfile", UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert code == 0
    assert [f["severity"] for f in document["findings"]] == ["info"]


def test_a_pyproject_without_tool_dlint_is_passed_over(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "severity:\n  DF501: error\n")
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n[tool.ruff]\nselect = ["E"]\n')
    write(tmp_path / "pkg" / "Dockerfile", UNPINNED)
    _, document, _ = check_json(capsys, "--select", "DF501", "pkg")
    assert [f["severity"] for f in document["findings"]] == ["error"]


def test_an_empty_config_means_the_defaults(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "# nothing yet\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert code == 1
    assert positions(document) == [("Dockerfile", "DF501", 1, 6)]


def test_standard_input_uses_the_config_of_the_working_folder(capsys, tmp_path, monkeypatch):
    import io
    import sys

    write(tmp_path / ".dlint.yaml", "ignore: [DF501]\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNPINNED.encode())))
    code, document, _ = check_json(capsys, "--select", "DF501", "-")
    assert (code, document["findings"]) == (0, [])


# -- every setting takes effect -------------------------------------------------------------


def test_select_in_config_replaces_the_default_set(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "select: [PE]\n")
    write(tmp_path / "Dockerfile", UNPINNED + "RUNN oops\n")
    code, document, _ = check_json(capsys, "Dockerfile")
    assert code == 1
    assert positions(document) == [("Dockerfile", "PE001", 2, 1)]


def test_select_on_the_command_line_overrides_the_config(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "select: [PE]\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    _, document, _ = check_json(capsys, "--select", "base-image-unpinned", "Dockerfile")
    assert positions(document) == [("Dockerfile", "DF501", 1, 6)]


@pytest.mark.parametrize("selector", ["DF501", "base-image-unpinned", "DF5", "DF"])
def test_ignore_in_config_by_code_name_or_prefix(capsys, tmp_path, selector):
    write(tmp_path / ".dlint.yaml", f"ignore: [{selector}]\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert (code, document["findings"]) == (0, [])


def test_severity_in_config_changes_the_finding_and_the_exit_code(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "severity:\n  base-image-unpinned: info\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert code == 0
    assert document["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 1}


def test_per_path_ignores_apply_to_matching_files_only(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", 'per-path-ignores:\n  "legacy/**": [base-image-unpinned]\n'
                                    '  "tools/Dockerfile.*": [DF501]\n')
    for name in ("legacy/Dockerfile", "legacy/deep/er/Dockerfile", "tools/Dockerfile.ci", "tools/Dockerfile",
                 "app/Dockerfile"):
        write(tmp_path / name, UNPINNED)
    _, document, _ = check_json(capsys, "--select", "DF501", ".")
    assert sorted(f["path"] for f in document["findings"]) == ["app/Dockerfile", "tools/Dockerfile"]


def test_per_path_ignores_are_relative_to_the_config_not_the_working_folder(capsys, tmp_path, monkeypatch):
    write(tmp_path / "repo" / ".dlint.yaml", 'per-path-ignores:\n  "legacy/*": [DF501]\n')
    write(tmp_path / "repo" / "legacy" / "Dockerfile", UNPINNED)
    monkeypatch.chdir(tmp_path / "repo" / "legacy")
    code, document, _ = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert (code, document["findings"]) == (0, [])


@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_in_config(capsys, tmp_path, fail_on, expected):
    write(tmp_path / ".dlint.yaml", f"fail-on: {fail_on}\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    assert run_cli(capsys, "check", "--select", "DF501", "Dockerfile")[0] == expected


def test_fail_on_on_the_command_line_overrides_the_config(capsys, tmp_path):
    write(tmp_path / ".dlint.yaml", "fail-on: never\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    assert run_cli(capsys, "check", "--select", "DF501", "--fail-on", "warning", "Dockerfile")[0] == 1


# -- mistakes: one line, file:line:col, exit 2 ----------------------------------------------


def test_an_unknown_setting_names_its_position_and_the_likely_one(capsys, tmp_path):
    config = write(tmp_path / ".dlint.yaml", "# team settings\nfail-on: error\nselct: [DF501]\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    line = config_error(capsys, "Dockerfile")
    assert line.startswith(f"dlint: {config}:3:1: ")
    assert line.endswith("unknown setting 'selct' (did you mean 'select'?)")


def test_an_unknown_setting_in_pyproject(capsys, tmp_path):
    config = write(tmp_path / "pyproject.toml", '[tool.dlint]\nselect = ["DF501"]\n  failon = "error"\n')
    write(tmp_path / "Dockerfile", UNPINNED)
    line = config_error(capsys, "Dockerfile")
    assert line.startswith(f"dlint: {config}:3:3: ")
    assert line.endswith("unknown setting 'failon' (did you mean 'fail-on'?)")


@pytest.mark.parametrize("text, where, message", [
    ("select: DF501\n", "1:9", "select: 'DF501' is not of type 'array'"),
    ("fail-on: sometimes\n", "1:10", "fail-on: 'sometimes' is not one of ['error', 'warning', 'info', 'never']"),
    ("severity:\n  DF501: fatal\n", "2:10", "severity.DF501: 'fatal' is not one of ['error', 'warning', 'info']"),
    ("ignore:\n  - DF501\n  - 7\n", "3:5", "ignore.1: 7 is not of type 'string'"),
    ("per-path-ignores:\n  legacy: DF501\n", "2:11", "per-path-ignores.legacy: 'DF501' is not of type 'array'"),
])
def test_a_value_of_the_wrong_type_points_at_the_value(capsys, tmp_path, text, where, message):
    config = write(tmp_path / ".dlint.yaml", text)
    write(tmp_path / "Dockerfile", UNPINNED)
    assert config_error(capsys, "Dockerfile") == f"dlint: {config}:{where}: {message}"


def test_a_config_that_is_not_a_mapping(capsys, tmp_path):
    config = write(tmp_path / ".dlint.yaml", "- select\n- DF501\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    assert config_error(capsys, "Dockerfile") == \
        f"dlint: {config}:1:1: the configuration must be a mapping of settings"


def test_invalid_yaml_has_its_position(capsys, tmp_path):
    config = write(tmp_path / ".dlint.yaml", "select: [DF501\nignore: []\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    line = config_error(capsys, "Dockerfile")
    assert line.startswith(f"dlint: {config}:2:")
    assert "invalid YAML" in line


def test_invalid_toml_has_its_position(capsys, tmp_path):
    config = write(tmp_path / "pyproject.toml", '[tool.dlint]\nselect = ["DF501"]\nfail-on = error\n')
    write(tmp_path / "Dockerfile", UNPINNED)
    line = config_error(capsys, "Dockerfile")
    assert line.startswith(f"dlint: {config}:3:11: invalid TOML: ")


@pytest.mark.parametrize("text, where, setting, rule, hint", [
    ("select:\n  - DF501\n  - DF999\n", "3:5", "select.1", "DF999", ""),
    ("ignore: [base-image-unpined]\n", "1:10", "ignore.0", "base-image-unpined", " (did you mean 'base-image-unpinned'?)"),
    ("severity:\n  base-image-unpined: info\n", "2:3", "severity.base-image-unpined", "base-image-unpined",
     " (did you mean 'base-image-unpinned'?)"),
    # A glob that matches nothing is still checked: a typo must not wait for the day a file matches.
    ('per-path-ignores:\n  "nowhere/**": [DF501, DF5O1]\n', "2:25", "per-path-ignores.nowhere/**.1", "DF5O1",
     " (did you mean 'DF501'?)"),
])
def test_an_unknown_rule_in_the_config_names_its_position(capsys, tmp_path, text, where, setting, rule, hint):
    config = write(tmp_path / ".dlint.yaml", text)
    write(tmp_path / "Dockerfile", UNPINNED)
    assert config_error(capsys, "Dockerfile") == f"dlint: {config}:{where}: {setting}: unknown rule {rule!r}{hint}"


def test_an_unknown_rule_in_pyproject_names_its_line(capsys, tmp_path):
    config = write(tmp_path / "pyproject.toml",
                   '[tool.other]\nselect = ["whatever"]\n\n[tool.dlint]\nfail-on = "error"\n'
                   'severity = { DF501 = "info", not-a-rule = "error" }\n')
    write(tmp_path / "Dockerfile", UNPINNED)
    assert config_error(capsys, "Dockerfile") == \
        f"dlint: {config}:6:30: severity.not-a-rule: unknown rule 'not-a-rule'"


def test_a_bad_config_is_reported_even_with_json_output(capsys, tmp_path):
    config = write(tmp_path / ".dlint.yaml", "selct: []\n")
    write(tmp_path / "Dockerfile", UNPINNED)
    line = config_error(capsys, "--format", "json", "Dockerfile")
    assert line.startswith(f"dlint: {config}:1:1:")
