"""`dlint cost` from the command line: the bundled examples and small trees in text, JSON and
Markdown; `--compare REF` in a real git repository; `--changed`, `--nodes`; and its exit
codes (2 for usage errors, 0 whatever it estimates).

Sizes asserted exactly are those dlint measures rather than models: files copied from the
build context onto `scratch`, whose size is zero."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.conftest import ROOT
from tests.test_changes import commit_all, repo, write  # noqa: F401
from tests.test_cli import run_cli

COST_SCHEMA = json.loads((ROOT / "schemas" / "cost.schema.json").read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "cost-report.schema.json").read_text(encoding="utf-8"))
SCRATCH_APP = "FROM scratch\nCOPY a.txt /a.txt\n"
DAEMONSET = ("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n"
             "      containers:\n        - name: agent\n          image: agent:1.0\n"
             "          resources:\n            requests: {cpu: '1', memory: 1Gi}\n")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cost_json(capsys, *argv: str) -> dict:
    code, out, err = run_cli(capsys, "cost", "--format", "json", *argv)
    assert (code, err) == (0, "")
    document = json.loads(out)
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    registry = Registry().with_resource(COST_SCHEMA["$id"], Resource.from_contents(COST_SCHEMA))
    jsonschema.Draft202012Validator(REPORT_SCHEMA, registry=registry).validate(document)
    return document


def scratch_app(folder: str = ".") -> None:
    """An image of exactly 5,000 bytes: one text file copied onto scratch."""
    write(os.path.join(folder, "a.txt"), "a" * 5_000)
    write(os.path.join(folder, "Dockerfile"), SCRATCH_APP)


# -- the bundled examples ----------------------------------------------------------------------------


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_examples_in_text(capsys, at_root):
    code, out, err = run_cli(capsys, "cost", "examples/")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "examples/seed/Dockerfile: estimated image size (linux/amd64)"
    assert any(line.startswith("Final image: ") and line.endswith(" compressed (low confidence)") for line in lines)
    assert any(line.startswith("Rebuild after an edit to app.py: 3 layers rebuild (lines 3, 4, 5)") for line in lines)
    assert "examples/seed/compose.yaml:" in lines and "examples/seed/k8s/deployment.yaml:" in lines
    assert any(line.split()[:3] == ["web", "Deployment", "5"] for line in lines)
    assert any(line.startswith("Total (5 workloads): ") and line.endswith(" + unbounded per month") for line in lines)


def test_examples_in_json(capsys, at_root):
    document = cost_json(capsys, "examples/")
    assert [image["path"] for image in document["images"]] == ["examples/seed/Dockerfile"]
    image = document["images"][0]["image"]
    assert image["uncompressed"] > image["compressed"] > 0
    assert [layer["line"] for layer in document["images"][0]["stages"][0]["layers"]] == [1, 2, 3, 4, 5]
    rows = document["workloads"]["workloads"]
    assert [(row["name"], row["kind"], row["replicas"]["min"]) for row in rows] == [
        ("web", "service", 1), ("db", "service", 1), ("cache", "service", 1), ("registry", "service", 1),
        ("web", "Deployment", 5)]
    assert rows[0]["monthly"]["low"] == rows[0]["monthly"]["high"] > 0  # limits written: a bounded price
    assert [row["monthly"]["high"] for row in rows[1:]] == [None, None, None, None]  # unbounded, not 0


def test_examples_in_markdown(capsys, at_root):
    code, out, _ = run_cli(capsys, "cost", "--format", "markdown", "examples/")
    lines = out.splitlines()
    assert code == 0
    assert lines[:4] == ["### dlint cost", "",
                         "| Dockerfile | Image (compressed) | On disk | Rebuild after a source edit |",
                         "|---|---:|---:|---:|"]
    assert lines[4].startswith("| `examples/seed/Dockerfile` | ")
    assert any(line.startswith("| `web`<br><sub>examples/seed/k8s/deployment.yaml:") for line in lines)


# -- small trees ---------------------------------------------------------------------------------------


def test_a_measured_image_in_text_and_json(capsys):
    scratch_app()
    code, out, _ = run_cli(capsys, "cost", ".")
    assert code == 0
    assert "Final image: 5.0 kB uncompressed, " in out
    assert "Rebuild after an edit to a.txt: 1 layer" in out
    document = cost_json(capsys, ".")
    assert document["workloads"] is None
    image = document["images"][0]
    assert image["path"] == "Dockerfile"
    assert (image["image"]["uncompressed"], image["image"]["confidence"]) == (5_000, "high")
    assert [(layer["line"], layer["added"]) for layer in image["stages"][0]["layers"]] == [(1, 0), (2, 5_000)]


def test_unknown_sizes_are_null_never_zero(capsys):
    write("a.txt", "a" * 5_000)
    write("Dockerfile", "FROM registry.example.com/team/base:1.0\nCOPY missing.txt /m\nCOPY a.txt /a.txt\n")
    image = cost_json(capsys, ".")["images"][0]
    assert (image["image"]["uncompressed"], image["image"]["compressed"]) == (None, None)
    assert (image["image"]["known_uncompressed"], image["image"]["unknown_layers"]) == (5_000, 2)
    assert [(layer["line"], layer["added"], layer["unknown"]) for layer in image["stages"][0]["layers"]] == [
        (1, None, True), (2, None, True), (3, 5_000, False)]
    _, out, _ = run_cli(capsys, "cost", ".")
    assert "Final image: unknown uncompressed (at least 5.0 kB), " in out


def test_a_mixed_tree_prices_compose_and_kubernetes_workloads(capsys):
    scratch_app("app")
    write("compose.yaml", "services:\n  web:\n    image: nginx:1\n    deploy:\n      replicas: 2\n"
                          "      resources: {reservations: {cpus: '0.5', memory: 256M}}\n")
    write("k8s/agent.yaml", DAEMONSET)
    document = cost_json(capsys, ".")
    assert [image["path"] for image in document["images"]] == ["app/Dockerfile"]
    rows = {(row["path"], row["name"]): row for row in document["workloads"]["workloads"]}
    assert sorted(rows) == [("compose.yaml", "web"), ("k8s/agent.yaml", "agent")]
    web = rows[("compose.yaml", "web")]
    assert (web["replicas"], web["cpu"]["cores"], web["memory"]["bytes"]) == ({"min": 2, "max": 2}, 0.5, 256 * 2**20)
    assert rows[("k8s/agent.yaml", "agent")]["basis"] == "node"


def test_changed_picks_the_edit_the_rebuild_estimate_starts_from(capsys):
    scratch_app()
    write("b.txt", "b" * 20_000)
    write("Dockerfile", SCRATCH_APP + "COPY b.txt /b.txt\n")
    default = cost_json(capsys, ".")["images"][0]["rebuild"]
    assert (default["changed"], default["trigger_line"]) == (["a.txt"], 2)
    rebuild = cost_json(capsys, "--changed", "b.txt", ".")["images"][0]["rebuild"]
    assert (rebuild["changed"], rebuild["trigger_line"], rebuild["write"]) == (["b.txt"], 3, 20_000)
    assert [layer["line"] for layer in rebuild["layers"]] == [3]
    _, out, _ = run_cli(capsys, "cost", "--changed", "b.txt", ".")
    assert "Rebuild after an edit to b.txt: 1 layer" in out


def test_nodes_turns_a_daemonset_price_per_node_into_a_monthly_one(capsys):
    write("agent.yaml", DAEMONSET)
    per_node = cost_json(capsys, ".")["workloads"]
    on_three = cost_json(capsys, "--nodes", "3", ".")["workloads"]
    row, priced = per_node["workloads"][0], on_three["workloads"][0]
    assert (row["basis"], row["replicas"]) == ("node", {"min": 1, "max": 1})
    assert per_node["total"]["monthly"]["low"] == 0
    assert (priced["basis"], priced["replicas"]) == ("month", {"min": 3, "max": 3})
    assert priced["monthly"]["low"] == pytest.approx(3 * row["monthly"]["low"])
    assert on_three["total"]["monthly"]["low"] == pytest.approx(3 * row["monthly"]["low"])
    _, out, _ = run_cli(capsys, "cost", "--nodes", "3", ".")
    assert "one pod on each of 3 nodes" in out


def test_nothing_to_estimate_is_said_and_exits_0(capsys):
    write("README.md", "nothing here\n")
    assert run_cli(capsys, "cost", ".") == (0, "No Dockerfiles, Compose files or Kubernetes workloads found.\n", "")


def test_files_that_cannot_be_read_or_parsed_still_exit_0(capsys, tmp_path):
    write("bad/Dockerfile", "FROM ubuntu\nRUN <<EOF\necho never closed\n")
    write("binary.Dockerfile", b"\x00\x01FROM\xff")
    write("broken/compose.yaml", "services:\n  web: {image: nginx:1\n")
    write("k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [\n")
    os.symlink("missing", tmp_path / "gone.Dockerfile")
    scratch_app("ok")
    code, out, err = run_cli(capsys, "cost", ".")
    assert (code, err) == (0, "")
    assert "bad/Dockerfile: no estimate (line 2: heredoc 'EOF' is not closed)\n" in out
    assert "ok/Dockerfile: estimated image size (linux/amd64)" in out
    images = {image["path"]: image for image in cost_json(capsys, ".")["images"]}
    assert images["bad/Dockerfile"] == {"path": "bad/Dockerfile", "problem": "line 2: heredoc 'EOF' is not closed"}
    assert images["ok/Dockerfile"]["image"]["uncompressed"] == 5_000


def test_a_path_that_does_not_exist_is_a_usage_error(capsys):
    assert run_cli(capsys, "cost", "no/such/folder") == (2, "", "dlint: no/such/folder: no such file or directory\n")


@pytest.mark.parametrize("argv", [["--nodes", "0"], ["--format", "sarif"], ["--platform", "linux/s390x"]])
def test_bad_options_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "cost", *argv, ".")
    assert exit_info.value.code == 2


# -- --compare REF -------------------------------------------------------------------------------------


@pytest.fixture
def committed_app(repo):  # noqa: F811
    """The 5,000-byte image and a Compose service, committed; a 20,000-byte file beside them."""
    scratch_app()
    write("b.txt", "b" * 20_000)
    write("compose.yaml", "services:\n  web:\n    image: nginx:1\n"
                          "    deploy: {resources: {reservations: {cpus: '0.5', memory: 256M}}}\n")
    commit_all("app")
    return repo


def compressed(document: dict) -> int:
    return document["images"][0]["image"]["compressed"]


@needs_git
def test_compare_shows_what_an_edit_adds_to_the_image(capsys, committed_app):
    from linter.report.cost import format_size

    before = compressed(cost_json(capsys, "."))
    write("Dockerfile", SCRATCH_APP + "COPY b.txt /b.txt\n")
    after = compressed(cost_json(capsys, "."))
    assert after > before

    code, out, err = run_cli(capsys, "cost", "--compare", "HEAD", ".")
    assert (code, err) == (0, "")
    comparison = out[out.index("Compared with HEAD:\n"):].splitlines()
    assert comparison[1] == (f"  Dockerfile: {format_size(before)} → {format_size(after)} compressed "
                             f"(+{format_size(after - before)})")
    assert comparison[2].startswith("  workloads per month: ") and comparison[2].endswith(" at the low end)")

    document = cost_json(capsys, "--compare", "HEAD", ".")
    assert document["compare"]["images"] == [{"path": "Dockerfile", "compressed_before": before,
                                              "compressed_after": after, "change": after - before, "new": False}]
    assert document["compare"]["monthly"]["change_low"] == 0

    _, markdown, _ = run_cli(capsys, "cost", "--compare", "HEAD", "--format", "markdown", ".")
    assert f"| `Dockerfile` | {format_size(after)} | +{format_size(after - before)} | 25.0 kB |" in markdown


@needs_git
def test_compare_shows_a_workload_price_change(capsys, committed_app):
    before = cost_json(capsys, ".")["workloads"]["total"]["monthly"]["low"]
    write("compose.yaml", "services:\n  web:\n    image: nginx:1\n"
                          "    deploy: {replicas: 3, resources: {reservations: {cpus: '0.5', memory: 256M}}}\n")
    monthly = cost_json(capsys, "--compare", "HEAD", ".")["compare"]["monthly"]
    assert monthly["before"]["low"] == pytest.approx(before)
    assert monthly["after"]["low"] == pytest.approx(3 * before)
    assert monthly["change_low"] == pytest.approx(2 * before)


@needs_git
def test_compare_marks_a_dockerfile_new_since_the_revision(capsys, committed_app):
    scratch_app("api")
    change = {row["path"]: row for row in cost_json(capsys, "--compare", "HEAD", ".")["compare"]["images"]}
    assert change["api/Dockerfile"]["new"] is True
    assert change["api/Dockerfile"]["compressed_before"] is None
    assert change["Dockerfile"]["change"] == 0
    _, out, _ = run_cli(capsys, "cost", "--compare", "HEAD", ".")
    assert "  api/Dockerfile: new, " in out
    assert "  Dockerfile: " in out and "(no change)" in out


@needs_git
def test_compare_with_an_unknown_revision_is_a_usage_error(capsys, committed_app):
    code, out, err = run_cli(capsys, "cost", "--compare", "no-such-branch", ".")
    assert (code, out) == (2, "")
    assert err == "dlint: no-such-branch: unknown revision; fetch it first (actions/checkout with fetch-depth: 0)\n"


@needs_git
def test_compare_outside_a_repository_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    scratch_app()
    code, out, err = run_cli(capsys, "cost", "--compare", "HEAD", ".")
    assert (code, out) == (2, "")
    assert err == f"dlint: HEAD: {tmp_path} is not inside a git repository\n"


def test_a_binary_dockerfile_gets_no_estimate_and_says_why(capsys):
    write("Dockerfile", b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    code, out, err = run_cli(capsys, "cost", "Dockerfile")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Dockerfile: no estimate (binary file (it contains NUL bytes))"
