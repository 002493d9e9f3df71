"""One Dockerfile with its folder as the build context, from the command line: `dlint explain
FILE` walks it layer by layer; `dockerignore-missing` (DF373) reads the ignore file BuildKit
would; `--fix` moves the dependency manifests before the install when the context shows it
is safe. `dlint explain RULE` still shows the rule page."""
from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tests.test_cli import check_json, run_cli, write

COST_SCHEMA = json.loads((ROOT / "schemas" / "cost.schema.json").read_text(encoding="utf-8"))
MULTI_STAGE = (
    "FROM python:3.12-slim AS build\n"
    "WORKDIR /src\n"
    "COPY requirements.txt .\n"
    "RUN pip install --no-cache-dir -r requirements.txt\n"
    "FROM scratch\n"
    "COPY --from=build /src /app\n"
    "ADD app.txt /app/app.txt\n"
    "USER 1000\n"
)
COPY_ALL = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER 1000\nCMD ["python", "app.py"]\n'


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project():
    write("Dockerfile", MULTI_STAGE)
    write("requirements.txt", "flask==3.0.3\n")
    write("app.txt", "a" * 5_000)


def walk_sections(out: str) -> dict[str, list[str]]:
    """The walk's ``##``/``###`` headings, each with the lines under it."""
    sections: dict[str, list[str]] = {}
    heading = None
    for line in out.splitlines():
        if line.startswith("## ") or line.startswith("### "):
            heading = line
            sections[heading] = []
        elif heading is not None and line:
            sections[heading].append(line)
    return sections


# -- dlint explain FILE ------------------------------------------------------------------------------


def test_the_walk_shows_each_instruction_with_its_cache_key_size_and_findings(capsys, project):
    code, out, err = run_cli(capsys, "explain", "Dockerfile")
    assert (code, err) == (0, "")
    assert out.startswith("# Dockerfile\n\nFinal image: **5.0 kB** on disk, ")
    sections = walk_sections(out)
    assert [heading for heading in sections if heading.startswith("## ")] == [
        "## Stage `build` (build stage, does not ship)", "## Stage `1` (ships)", "## After a source edit"]
    assert [heading.split(":")[0] for heading in sections if heading.startswith("### ")] == [
        f"### line {number}" for number in range(1, 9)]

    add = sections["### line 7: `ADD app.txt /app/app.txt`"]
    assert add[:4] == [
        "- cache key: the content and metadata of the files it copies from the build context",
        "- a change here rebuilds 1 later instruction of this stage",
        "- adds 5.0 kB (high confidence)",
        "- rebuilt by an edit to the application sources",
    ]
    assert add[4].startswith("- **DF611** add-instead-of-copy (warning, line 7): `ADD app.txt` ")
    assert len(add) == 5

    assert sections["### line 1: `FROM python:3.12-slim AS build`"][0] == (
        "- cache key: the image `python:3.12-slim` as the tag resolves when the build pulls it: a moved tag "
        "rebuilds everything")
    assert sections["### line 2: `WORKDIR /src`"][1] == (
        "- a change here rebuilds 2 later instructions of this stage and stage `1`")
    assert sections["### line 3: `COPY requirements.txt .`"][2] == "- adds 13 B (high confidence)"
    assert sections["### line 5: `FROM scratch`"][1].startswith("- adds 0 B (high confidence)")
    assert sections["## After a source edit"] == [
        "2 layers rebuild from line 7, downloading 0 B and writing 5.0 kB again."]


def test_the_walk_shows_each_instruction_as_written(capsys, project):
    _, out, _ = run_cli(capsys, "explain", "Dockerfile")
    assert "### line 6: `COPY --from=build /src /app`" in walk_sections(out)


def test_the_walk_shows_every_finding_check_reports(capsys, project):
    write("Dockerfile", "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nCOPY . .\n")
    _, document, _ = check_json(capsys, "Dockerfile")
    _, out, _ = run_cli(capsys, "explain", "Dockerfile")
    expected = [f"- **{f['code']}** {f['name']} ({f['severity']}, line {f['line']}): {f['message']}"
                for f in document["findings"]]
    assert len(expected) >= 5
    assert [line.split(" — estimated cost here: ")[0] for line in out.splitlines() if line.startswith("- **")] \
        == expected


def test_the_walk_shows_findings_outside_the_stages(capsys):
    write("Dockerfile", "ARG API_TOKEN=abc123\nFROM alpine:3.19\n# dlint: ignore=DF501\nRUN echo hi\nUSER 1000\n")
    _, document, _ = check_json(capsys, "Dockerfile")
    assert [(f["code"], f["line"]) for f in document["findings"]] == [("DF340", 1), ("PE601", 3)]
    _, out, _ = run_cli(capsys, "explain", "Dockerfile")
    assert "**DF340** secret-in-arg-or-env (warning, line 1)" in out
    assert "**PE601** unused-suppression (info, line 3)" in out


def test_the_walk_of_a_file_that_does_not_parse_shows_the_problem(capsys):
    write("Dockerfile", "FROM ubuntu:24.04\nRUN <<EOF\necho never closed\n")
    code, out, _ = run_cli(capsys, "explain", "Dockerfile")
    assert code == 0
    assert "- **PE001** parse-error (error, line 2): heredoc 'EOF' is not closed" in out.splitlines()


def test_the_walk_in_json(capsys, project):
    code, out, err = run_cli(capsys, "explain", "--format", "json", "Dockerfile")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert sorted(document) == ["cost", "findings", "image", "other_findings", "path", "rebuild", "stages"]
    assert document["path"] == "Dockerfile"
    rows = [row for stage in document["stages"] for row in stage["instructions"]]
    assert [row["line"] for row in rows] == list(range(1, len(rows) + 1))
    assert all(row["cache_key"] for row in rows)
    assert rows[0]["rebuilds"] is None and rows[-1]["rebuilds"] == "nothing else in this stage"
    _, checked, _ = check_json(capsys, "Dockerfile")
    assert document["findings"] == checked["findings"]
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(COST_SCHEMA).validate(document["cost"])
    assert document["cost"]["image"]["uncompressed"] == 5_000 + 13  # app.txt and requirements.txt
    assert [stage["name"] for stage in document["cost"]["stages"]] == ["build", "1"]


def test_explain_of_a_rule_still_shows_the_rule(capsys, project):
    code, out, err = run_cli(capsys, "explain", "DF101")
    assert (code, err) == (0, "")
    assert out.startswith("# DF101 cache-busting-copy\n")
    assert run_cli(capsys, "explain", "cache-busting-copy")[1] == out


def test_explain_of_a_path_that_does_not_exist_is_a_usage_error(capsys):
    code, out, err = run_cli(capsys, "explain", "no/such/Dockerfile")
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("dlint: ")


# -- dockerignore-missing (DF373) --------------------------------------------------------------------


def dockerignore_findings(capsys, *paths: str) -> list[tuple[str, int, int]]:
    _, document, _ = check_json(capsys, "--select", "DF373", *paths)
    return [(f["path"], f["line"], f["column"]) for f in document["findings"]]


def test_copy_all_without_a_dockerignore_is_reported(capsys):
    write("Dockerfile", COPY_ALL)
    code, out, _ = run_cli(capsys, "check", "--select", "dockerignore-missing", "Dockerfile")
    assert code == 1
    assert out.splitlines()[0] == (
        "Dockerfile:3:6: DF373 [warning] dockerignore-missing: `COPY .` copies the whole build context and there is "
        "no .dockerignore beside the Dockerfile: repository history, local secrets and build output reach the "
        "image, and any change to them rebuilds this layer")


def test_a_dockerignore_that_keeps_git_out_silences_it(capsys):
    write("Dockerfile", COPY_ALL)
    write(".dockerignore", "# not in the image\n.git\n__pycache__\n")
    assert dockerignore_findings(capsys, "Dockerfile") == []


def test_a_dockerignore_that_lets_git_through_is_reported(capsys):
    write("Dockerfile", COPY_ALL)
    write(".dockerignore", "node_modules\n*.log\n")
    code, out, _ = run_cli(capsys, "check", "--select", "DF373", "Dockerfile")
    assert code == 1
    assert "`COPY .` copies the whole build context and .dockerignore does not exclude `.git`:" in out


@pytest.mark.parametrize("general, specific, expected", [
    pytest.param(".git\n", "node_modules\n", [("Dockerfile", 3, 6)], id="the Dockerfile's own file lets .git in"),
    pytest.param("node_modules\n", ".git\n", [], id="the Dockerfile's own file keeps .git out"),
])
def test_the_dockerfiles_own_ignore_file_wins(capsys, general, specific, expected):
    write("Dockerfile", COPY_ALL)
    write(".dockerignore", general)
    write("Dockerfile.dockerignore", specific)
    assert dockerignore_findings(capsys, "Dockerfile") == expected


def test_each_dockerfile_of_a_folder_reads_its_own_ignore_file(capsys):
    write("Dockerfile", COPY_ALL)
    write("Dockerfile.prod", COPY_ALL)
    write("Dockerfile.prod.dockerignore", ".git\n")
    code, document, _ = check_json(capsys, "--select", "DF373", ".")
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("Dockerfile", 3)]
    assert document["summary"]["files"] == 2  # the ignore file is not taken for a Dockerfile
    assert code == 1


def test_each_folder_is_its_own_build_context(capsys):
    write("api/Dockerfile", COPY_ALL)
    write("api/.dockerignore", ".git\n")
    write("web/Dockerfile", COPY_ALL)
    write(".dockerignore", ".git\n")  # the folder above is not the context of either
    assert dockerignore_findings(capsys, ".") == [("web/Dockerfile", 3, 6)]


def test_nothing_is_reported_for_standard_input(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(COPY_ALL.encode()), encoding="utf-8"))
    assert run_cli(capsys, "check", "--select", "DF373", "-") == (0, "No findings in 1 file.\n", "")


# -- --fix: the dependency manifests first -----------------------------------------------------------

PIP_APP = ('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n'
           'CMD ["python", "app.py"]\n')
MANIFESTS_FIRST = ('FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\n'
                   'RUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n')


@pytest.fixture
def pip_app():
    write("Dockerfile", PIP_APP)
    write("requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\n")
    write("app.py", "print('hello')\n")


def read_dockerfile() -> str:
    with open("Dockerfile", encoding="utf-8", newline="") as handle:
        return handle.read()


def test_fix_copies_the_manifests_before_the_install(capsys, pip_app):
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "cache-busting-copy", "Dockerfile")
    assert read_dockerfile() == MANIFESTS_FIRST
    assert (code, out, err) == (0, "No findings in 1 file.\n", "dlint: applied 1 fix to 1 file\n")
    assert run_cli(capsys, "check", "--fix", "--select", "cache-busting-copy", "Dockerfile") == (
        0, "No findings in 1 file.\n", "")
    assert read_dockerfile() == MANIFESTS_FIRST


def test_fix_with_every_default_rule_is_idempotent(capsys, pip_app):
    _, _, err = run_cli(capsys, "check", "--fix", "Dockerfile")
    fixed = read_dockerfile()
    assert err.startswith("dlint: applied ")
    lines = fixed.splitlines()
    install = next(number for number, line in enumerate(lines) if line.startswith("RUN pip install"))
    assert lines.index("COPY requirements.txt ./") < install < lines.index("COPY . .")
    first = run_cli(capsys, "check", "Dockerfile")
    assert run_cli(capsys, "check", "--fix", "Dockerfile") == (*first[:2], "")
    assert read_dockerfile() == fixed


def test_no_fix_without_the_requirements_file_on_disk(capsys):
    write("Dockerfile", PIP_APP)
    code, out, err = run_cli(capsys, "check", "--fix", "--select", "DF101", "Dockerfile")
    assert read_dockerfile() == PIP_APP
    assert (code, err) == (1, "")
    assert out.startswith("Dockerfile:3:6: DF101 [warning] cache-busting-copy: ")
