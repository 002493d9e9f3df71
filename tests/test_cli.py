"""The command line as a user meets it: exit codes, text and JSON output, standard input,
directory walking, `explain`, `rules` and `--version`.

Most tests call ``linter.cli.main`` in-process; the few where a real terminal, the
environment or a process boundary matters run ``python -m linter``. Rule-specific
assertions use ``--select DF501`` so they hold while the catalogue grows.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import linter
from linter.cli import main
from tests.conftest import ROOT

FINDINGS_SCHEMA = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
HEADLINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]{2}\d{3}) "
                      r"\[(?P<severity>error|warning|info)\] (?P<name>[a-z0-9-]+): (?P<message>.+)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
UNPINNED = "FROM ubuntu\n"
# Clean under every rule, including the ones still being written (tag, non-root user, exec form).
CLEAN = 'FROM ubuntu:24.04\nUSER 1000\nCMD ["true"]\n'


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``dlint ARGV`` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def findings_document(out: str) -> dict:
    """Parse ``--format json`` output, checking it against the published schema."""
    jsonschema = pytest.importorskip("jsonschema")
    document = json.loads(out)
    jsonschema.Draft202012Validator(FINDINGS_SCHEMA).validate(document)
    return document


def check_json(capsys, *argv: str) -> tuple[int, dict, str]:
    code, out, err = run_cli(capsys, "check", "--format", "json", *argv)
    return code, findings_document(out), err


def positions(document: dict) -> list[tuple[str, str, int, int]]:
    return [(f["path"], f["code"], f["line"], f["column"]) for f in document["findings"]]


def subprocess_env(**extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_process(*argv: str, cwd: Path, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linter", *argv], cwd=cwd, input=stdin, capture_output=True,
                          env=subprocess_env(**env), timeout=120)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Run from an empty folder, so paths in the output are short and no config applies."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path | str, text: str | bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- exit codes ------------------------------------------------------------------------------


def test_clean_file_exits_0_and_says_so(capsys):
    write("Dockerfile", CLEAN)
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert (code, out, err) == (0, "No findings in 1 file.\n", "")


def test_a_warning_exits_1_by_default(capsys):
    write("Dockerfile", UNPINNED)
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "Dockerfile")
    assert code == 1
    assert "DF501" in out


@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_sets_the_threshold_for_a_warning(capsys, fail_on, expected):
    write("Dockerfile", UNPINNED)
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "--fail-on", fail_on, "Dockerfile")
    assert code == expected
    assert "DF501 [warning]" in out  # the finding is reported whatever the threshold


def test_info_only_findings_exit_0_unless_fail_on_info(capsys):
    write(".dlint.yaml", "severity:\n  DF501: info\n")
    write("Dockerfile", UNPINNED)
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", "Dockerfile")
    assert code == 0
    assert "DF501 [info]" in out
    assert run_cli(capsys, "check", "--select", "DF501", "--fail-on", "info", "Dockerfile")[0] == 1


def test_fail_on_never_passes_even_with_errors(capsys):
    write("Dockerfile", b"\x00\x01binary")
    code, out, _ = run_cli(capsys, "check", "--fail-on", "never", "Dockerfile")
    assert code == 0
    assert "PE003 [error]" in out


def test_an_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--frobnicate", "Dockerfile"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_an_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml", "."])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_on_the_command_line_exits_2_with_a_suggestion(capsys, option):
    write("Dockerfile", UNPINNED)
    code, out, err = run_cli(capsys, "check", option, "DF501,base-image-unpined", "Dockerfile")
    assert code == 2
    assert out == ""
    assert err == f"dlint: {option}: unknown rule 'base-image-unpined' (did you mean 'base-image-unpinned'?)\n"


def test_a_mistyped_code_in_lower_case_gets_a_suggestion(capsys):
    code, _, err = run_cli(capsys, "check", "--ignore", "df5o1", ".")
    assert (code, err) == (2, "dlint: --ignore: unknown rule 'df5o1' (did you mean 'DF501'?)\n")


def test_an_unknown_rule_is_reported_even_when_no_file_is_found(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = run_cli(capsys, "check", "--select", "NOPE", "empty")
    assert code == 2
    assert "unknown rule 'NOPE'" in err


def test_a_path_that_does_not_exist_exits_2(capsys):
    code, out, err = run_cli(capsys, "check", "no/such/Dockerfile")
    assert (code, out) == (2, "")
    assert err == "dlint: no/such/Dockerfile: no such file or directory\n"


def test_a_bad_configuration_exits_2_without_output(capsys):
    write(".dlint.yaml", "fail-on: sometimes\n")
    write("Dockerfile", UNPINNED)
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert (code, out) == (2, "")
    assert "fail-on" in err and "Traceback" not in err


@pytest.fixture
def internal_error(monkeypatch):
    from linter.engine.runner import Linter

    def explode(self, *args, **kwargs):
        raise RuntimeError("the engine broke\nacross two lines")

    monkeypatch.setattr(Linter, "lint_text", explode)


def test_an_internal_error_exits_3_with_one_line_and_no_traceback(capsys, internal_error):
    write("Dockerfile", CLEAN)
    code, out, err = run_cli(capsys, "check", "Dockerfile")
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1
    assert "internal error" in err and "RuntimeError: the engine broke across two lines" in err
    assert "--debug" in err and "https://" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["check", "--debug", "Dockerfile"], ["--debug", "check", "Dockerfile"]])
def test_debug_shows_the_traceback_and_still_exits_3(capsys, internal_error, argv):
    write("Dockerfile", CLEAN)
    code, _, err = run_cli(capsys, *argv)
    assert code == 3
    assert err.startswith("Traceback (most recent call last):")
    assert "RuntimeError: the engine broke" in err
    assert "in explode" in err


def test_an_internal_error_in_a_real_process_prints_no_traceback(tmp_path):
    write(tmp_path / "Dockerfile", CLEAN)
    script = (
        "import sys\n"
        "from linter.engine.runner import Linter\n"
        "def explode(*a, **k): raise KeyError('boom')\n"
        "Linter.lint_text = explode\n"
        "from linter.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for extra, traceback in (([], False), (["--debug"], True)):
        process = subprocess.run([sys.executable, "-c", script, "check", *extra, "Dockerfile"], cwd=tmp_path,
                                 capture_output=True, text=True, env=subprocess_env(), timeout=120)
        assert process.returncode == 3
        assert ("Traceback" in process.stderr) is traceback
        assert process.stderr.strip().splitlines()[-1].startswith("dlint: internal error (KeyError: 'boom')")


# -- text output ----------------------------------------------------------------------------


def test_a_reader_that_stops_early_does_not_change_the_verdict(tmp_path):
    """`dlint check . | head -1` under `set -o pipefail` must still fail when there are findings."""
    write(tmp_path / "Dockerfile", "FROM ubuntu\n" * 5_000)
    process = subprocess.Popen([sys.executable, "-m", "linter", "check", "--select", "DF501", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert first.startswith(b"Dockerfile:1:6: DF501")
    assert stderr == b""



def test_text_output_is_one_headline_per_finding_and_a_summary(capsys):
    write("Dockerfile", "FROM ubuntu\nRUN true\nFROM node:latest AS build\n")
    write("sub/Containerfile", CLEAN)
    code, out, _ = run_cli(capsys, "check", "--select", "DF501", ".")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == ("Dockerfile:1:6: DF501 [warning] base-image-unpinned: base image `ubuntu` has no tag, "
                        "so it means `latest`; pin a version tag (or a digest) so builds are repeatable")
    second = HEADLINE.match(lines[1])
    assert second and second.group("path", "line", "column", "code", "severity", "name") == (
        "Dockerfile", "3", "6", "DF501", "warning", "base-image-unpinned")
    assert "node:latest" in second.group("message")
    assert lines[2:] == ["Found 2 findings (2 warnings) in 2 files."]


def test_summary_counts_each_severity(capsys):
    write(".dlint.yaml", "severity:\n  DF501: info\n")
    write("a/Dockerfile", UNPINNED)
    write("b/Dockerfile", b"\xff\xfe\xfd not utf-16 either" + b"\x00")
    _, out, _ = run_cli(capsys, "check", "--select", "DF501", "a", "b")
    assert out.splitlines()[-1] == "Found 2 findings (1 error, 1 info) in 2 files."


def test_no_colour_when_output_is_piped(tmp_path):
    write(tmp_path / "Dockerfile", UNPINNED)
    process = run_process("check", "--select", "DF501", "Dockerfile", cwd=tmp_path, TERM="xterm-256color")
    assert process.returncode == 1
    assert b"\x1b" not in process.stdout
    assert HEADLINE.match(process.stdout.decode().splitlines()[0])


def _run_on_terminal(tmp_path: Path, *argv: str, **env: str) -> tuple[int, str]:
    """Run ``dlint ARGV`` with its stdout and stderr on a pseudo-terminal; return (exit code, what it showed)."""
    import pty

    master, slave = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "linter", *argv], cwd=tmp_path, stdin=subprocess.DEVNULL,
                                   stdout=slave, stderr=slave, env=subprocess_env(**{"TERM": "xterm-256color", **env}))
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_terminal_gets_colour_and_a_code_frame(tmp_path):
    write(tmp_path / "Dockerfile", "FROM ubuntu:24.04\nRUN echo :fire: [bold]x[/bold]\nFROM   node:latest AS b\n")
    code, shown = _run_on_terminal(tmp_path, "check", "--select", "DF501", "Dockerfile")
    assert code == 1
    assert ANSI.search(shown), "expected colour on a terminal"
    plain = ANSI.sub("", shown).splitlines()
    assert plain[0].startswith("Dockerfile:3:8: DF501 [warning] base-image-unpinned:")
    source = next(n for n, line in enumerate(plain) if line.endswith("| FROM   node:latest AS b"))
    caret = plain[source + 1]
    # The caret line sits under the image reference: columns 8..18 of line 3.
    offset = plain[source].index("| ") + 2
    assert caret[offset:] == " " * 7 + "^" * len("node:latest")
    assert plain[-1] == "Found 1 finding (1 warning) in 1 file."


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_code_frame_shows_the_source_text_verbatim(tmp_path):
    write(tmp_path / "Dockerfile", "FROM ubuntu AS a:fire:[bold]x[/bold]\n")
    _, shown = _run_on_terminal(tmp_path, "check", "--select", "DF501", "Dockerfile")
    assert " 1 | FROM ubuntu AS a:fire:[bold]x[/bold]\n" in ANSI.sub("", shown)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_colour_on_a_terminal_with_no_color_or_a_dumb_terminal(tmp_path, env):
    write(tmp_path / "Dockerfile", UNPINNED)
    code, shown = _run_on_terminal(tmp_path, "check", "--select", "DF501", "Dockerfile", **env)
    assert code == 1
    assert "\x1b" not in shown
    assert shown.splitlines()[0].startswith("Dockerfile:1:6: DF501 [warning] base-image-unpinned: ")


# -- JSON output ----------------------------------------------------------------------------


def test_json_output_follows_the_schema_with_exact_positions(capsys):
    write("Dockerfile", "FROM ubuntu:24.04\nFROM node:latest AS build\n")
    code, document, err = check_json(capsys, "--select", "DF501", "Dockerfile")
    assert (code, err) == (1, "")
    assert document["tool"] == "dlint" and document["version"] == linter.__version__
    assert document["summary"] == {"files": 1, "findings": 1, "by_severity": {"error": 0, "warning": 1, "info": 0}}
    [finding] = document["findings"]
    assert finding == {
        "code": "DF501", "name": "base-image-unpinned", "severity": "warning", "message": finding["message"],
        "path": "Dockerfile", "line": 2, "column": 6, "end_line": 2, "end_column": 17,
    }
    assert "node:latest" in finding["message"]


def test_json_output_of_a_clean_run(capsys):
    write("Dockerfile", CLEAN)
    code, document, _ = check_json(capsys, "Dockerfile")
    assert code == 0
    assert document["findings"] == []
    assert document["summary"]["files"] == 1


def test_json_output_for_problem_files(capsys):
    write("empty/Dockerfile", "")
    write("binary/Dockerfile", b"FROM x\x00")
    code, document, _ = check_json(capsys, "empty", "binary")
    assert code == 1
    assert sorted(positions(document)) == [
        ("binary/Dockerfile", "PE003", 1, 7), ("empty/Dockerfile", "PE001", 1, 1)]
    assert document["summary"]["by_severity"]["error"] == 2


# -- standard input -------------------------------------------------------------------------


def _stdin(monkeypatch, data: bytes) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_dash_reads_standard_input(capsys, monkeypatch):
    _stdin(monkeypatch, b"FROM ubuntu:24.04\nFROM alpine\n")
    code, document, _ = check_json(capsys, "--select", "DF501", "-")
    assert code == 1
    assert positions(document) == [("-", "DF501", 2, 6)]


def test_dash_with_type_dockerfile_in_text_format(capsys, monkeypatch):
    _stdin(monkeypatch, b"FROM alpine\n")
    code, out, _ = run_cli(capsys, "check", "--type", "dockerfile", "--select", "DF501", "-")
    assert code == 1
    assert out.startswith("-:1:6: DF501 [warning] base-image-unpinned: ")


def test_standard_input_in_a_real_process(tmp_path):
    process = run_process("check", "--select", "DF501", "-", cwd=tmp_path, stdin=b"FROM ubuntu\n")
    assert process.returncode == 1
    assert process.stdout.decode().startswith("-:1:6: DF501 ")
    clean = run_process("check", "-", cwd=tmp_path, stdin=CLEAN.encode())
    assert (clean.returncode, clean.stdout) == (0, b"No findings in 1 file.\n")


# -- walking directories --------------------------------------------------------------------


def test_walking_finds_dockerfiles_by_name_and_skips_vendored_trees(capsys, tmp_path):
    found = ["Dockerfile", "Dockerfile.prod", "prod.Dockerfile", "svc/api.dockerfile", "svc/Containerfile",
             "svc/containerfile.dev", ".github/docker/Dockerfile", "deep/a/b/c/DOCKERFILE", "Dockerfile-dev",
             "svc/Dockerfile_prod", "dev-Dockerfile"]
    ignored = ["README.md", "Dockerfile-notes.txt", "dockerfiles.md", "node_modules/pkg/Dockerfile",
               ".git/Dockerfile", "svc/.venv/Dockerfile", "Dockerfile.md", "pkg/dockerfile_test.go"]
    for name in found + ignored:
        write(tmp_path / name, UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", ".")
    assert code == 1
    reported = sorted(Path(finding["path"]).as_posix() for finding in document["findings"])
    assert reported == sorted(found)
    assert document["summary"]["files"] == len(found)


def test_a_file_named_explicitly_is_checked_whatever_its_name(capsys, tmp_path):
    write(tmp_path / "node_modules" / "base.txt", UNPINNED)
    code, document, _ = check_json(capsys, "--select", "DF501", "node_modules/base.txt")
    assert code == 1
    assert positions(document) == [("node_modules/base.txt", "DF501", 1, 6)]


def test_a_json_manifest_named_explicitly_is_read_as_kubernetes(capsys, tmp_path):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx:latest"}]}}
    write(tmp_path / "pod.json", json.dumps(pod))
    write(tmp_path / "package.json", '{"name": "app", "version": "1.0.0"}')
    code, document, _ = check_json(capsys, "--select", "WL502", "pod.json", "package.json")
    assert code == 1
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("pod.json", "WL502")]
    assert document["summary"]["files"] == 2


def test_a_file_given_twice_is_checked_once(capsys, tmp_path):
    write(tmp_path / "Dockerfile", UNPINNED)
    _, document, _ = check_json(capsys, "--select", "DF501", ".", "Dockerfile", "./Dockerfile")
    assert document["summary"] == {"files": 1, "findings": 1, "by_severity": {"error": 0, "warning": 1, "info": 0}}


def test_default_path_is_the_current_folder(capsys, tmp_path):
    write(tmp_path / "app" / "Dockerfile", UNPINNED)
    code, out, _ = run_cli(capsys, "check", "--select", "DF501")
    assert code == 1
    assert out.startswith(os.path.join("app", "Dockerfile") + ":1:6: DF501")


def test_a_symlink_loop_in_a_walked_tree_terminates(capsys, tmp_path):
    write(tmp_path / "tree" / "sub" / "Dockerfile", UNPINNED)
    os.symlink(tmp_path / "tree", tmp_path / "tree" / "sub" / "back-to-top")
    os.symlink("loop-b", tmp_path / "tree" / "loop-a")
    os.symlink("loop-a", tmp_path / "tree" / "loop-b")
    code, document, _ = check_json(capsys, "--select", "DF501", "tree")
    assert code == 1
    assert positions(document) == [(os.path.join("tree", "sub", "Dockerfile"), "DF501", 1, 6)]


def test_an_empty_folder_has_no_findings(capsys, tmp_path):
    (tmp_path / "nothing").mkdir()
    assert run_cli(capsys, "check", "nothing") == (0, "No findings in 0 files.\n", "")


# -- explain, rules, version ----------------------------------------------------------------


def test_explain_by_code_and_by_name_show_the_same_page(capsys):
    code, by_code, _ = run_cli(capsys, "explain", "DF501")
    assert code == 0
    assert run_cli(capsys, "explain", "base-image-unpinned")[1] == by_code
    assert run_cli(capsys, "explain", "df501")[1] == by_code
    assert by_code.startswith("# DF501 base-image-unpinned\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert heading in by_code
    assert "```dockerfile\nFROM ubuntu\n" in by_code
    assert "hadolint DL3006, DL3007" in by_code


def test_explain_json_has_docs_and_examples(capsys, catalog):
    code, out, _ = run_cli(capsys, "explain", "base-image-unpinned", "--format", "json")
    assert code == 0
    data = json.loads(out)
    rule = next(rule for rule in catalog if rule.code == "DF501")
    assert (data["code"], data["name"], data["severity"]) == ("DF501", "base-image-unpinned", "warning")
    assert data["docs"]["what_it_does"] == rule.docs["what_it_does"]
    assert data["examples"]["bad"][0] == {"code": "FROM ubuntu\nRUN echo hi\n", "findings": ["1:6"]}
    assert len(data["examples"]["good"]) == len(rule.good) > 0
    assert data["markdown"].startswith("# DF501 base-image-unpinned")


def test_explain_of_an_unknown_rule_suggests_the_closest(capsys):
    code, out, err = run_cli(capsys, "explain", "base-image-unpined")
    assert (code, out) == (2, "")
    assert err == "dlint: unknown rule 'base-image-unpined' (did you mean 'base-image-unpinned'?)\n"
    # Codes are compared as codes whatever the case they are typed in.
    assert run_cli(capsys, "explain", "df5o1")[2] == "dlint: unknown rule 'df5o1' (did you mean 'DF501'?)\n"
    code, _, err = run_cli(capsys, "explain", "zzzzzz")
    assert code == 2
    assert "unknown rule 'zzzzzz'" in err and "dlint rules" in err


def test_explain_every_rule_in_every_format(capsys, catalog):
    for rule in catalog:
        assert run_cli(capsys, "explain", rule.code)[0] == 0
        code, out, _ = run_cli(capsys, "explain", rule.name, "--format", "json")
        assert code == 0 and json.loads(out)["code"] == rule.code


def test_rules_lists_the_whole_catalogue(capsys, catalog):
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(catalog)
    assert [line.split()[:2] for line in lines] == [[rule.code, rule.name] for rule in catalog]
    assert re.match(r"DF501  base-image-unpinned +warning  Base image without a tag", lines[
        [rule.code for rule in catalog].index("DF501")])


def test_rules_markdown_is_the_readme_table(capsys, catalog):
    code, out, _ = run_cli(capsys, "rules", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[0] == ("| Code | Name | Severity | On by default | Fix | hadolint / BuildKit | "
                                   "What it flags |")
    assert "| DF501 | `base-image-unpinned` | warning | yes |  | DL3006, DL3007 |" in out
    assert "| DF202 | `apt-install-recommends` | info | yes | yes | DL3015 |" in out
    assert len(out.splitlines()) == len(catalog) + 2


def test_rules_json(capsys, catalog):
    code, out, _ = run_cli(capsys, "rules", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [item["code"] for item in data] == [rule.code for rule in catalog]
    df501 = next(item for item in data if item["code"] == "DF501")
    assert df501["name"] == "base-image-unpinned"
    assert df501["equivalents"]["hadolint"] == ["DL3006", "DL3007"]
    assert df501["enabled_by_default"] is True


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"dlint {linter.__version__}\n"


def test_python_dash_m_linter_works(tmp_path):
    process = run_process("--version", cwd=tmp_path)
    assert (process.returncode, process.stdout.decode()) == (0, f"dlint {linter.__version__}\n")


def test_no_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "usage: dlint" in capsys.readouterr().err


def test_rules_text_shows_equivalents_and_fixes(capsys):
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("DF202 "))
    assert "(fix)" in line and "[DL3015]" in line
    line = next(line for line in out.splitlines() if line.startswith("DF510 "))
    assert "(off)" in line


def test_a_dockerignore_named_like_a_dockerfile_is_read_with_it_not_linted(capsys):
    write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER 10001\n")
    write("Dockerfile.dockerignore", "**/__pycache__\n")
    code, out, _ = run_cli(capsys, "check", "--select", "DF373,PE", "Dockerfile", "Dockerfile.dockerignore")
    assert code == 1
    assert out.splitlines() == [
        "Dockerfile:3:6: DF373 [warning] dockerignore-missing: `COPY .` copies the whole build context and "
        "Dockerfile.dockerignore does not exclude `.git`: repository history, local secrets and build output reach "
        "the image, and any change to them rebuilds this layer",
        "Found 1 finding (1 warning) in 1 file.",
    ]
