"""``action.yml``, the composite GitHub Action: its structure, its shell steps run with bash
against a stand-in ``dlint`` (which records its arguments, then runs this checkout's dlint),
its comment script run with Node.js against a stand-in for the GitHub API, and the workflow
the README offers to copy.

``${{ … }}`` expressions are filled from the values each test gives; the steps that need the
network (installing dlint, the actions it calls) are not run.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from linter.cli import build_parser
from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
INPUTS = ACTION["inputs"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
IDENTITY = {"GIT_AUTHOR_NAME": "dlint tests", "GIT_AUTHOR_EMAIL": "tests@dlint.invalid",
            "GIT_COMMITTER_NAME": "dlint tests", "GIT_COMMITTER_EMAIL": "tests@dlint.invalid",
            "GIT_CONFIG_NOSYSTEM": "1"}

needs_bash_and_git = pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None,
                                        reason="the action's steps run in bash and use git")


def _step(step_id: str) -> dict:
    return next(step for step in STEPS if step.get("id") == step_id)


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return [node] if isinstance(node, str) else []


def _expressions(node) -> list[str]:
    """The expressions in ``node``: each ``${{ }}``, and a step's bare ``if:`` condition."""
    found = [expression for text in _strings(node) for expression in EXPRESSION.findall(text)]
    if isinstance(node, dict) and "${{" not in node.get("if", "${{"):
        found.append(node["if"])
    return found


# -- structure ------------------------------------------------------------------------------


def test_is_a_composite_action_whose_run_steps_name_their_shell():
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] == "dlint" and ACTION["description"].strip()
    run_steps = [step for step in STEPS if "run" in step]
    assert len(run_steps) == 5
    assert all(step.get("shell") == "bash" for step in run_steps)
    assert all(("run" in step) != ("uses" in step) for step in STEPS)
    ids = [step["id"] for step in STEPS if "id" in step]
    assert len(ids) == len(set(ids))


def test_every_input_is_described_used_and_every_reference_declared():
    referenced = {name for node in (ACTION, *STEPS) for expression in _expressions(node)
                  for name in re.findall(r"\binputs\.([\w-]+)", expression)}
    assert referenced == set(INPUTS)
    assert all(spec["description"].strip() and "default" in spec for spec in INPUTS.values())
    assert INPUTS["compare-ref"]["default"] == "${{ github.event.pull_request.base.sha }}"


def test_step_outputs_read_are_written_by_an_earlier_step():
    position = {step["id"]: index for index, step in enumerate(STEPS) if "id" in step}
    readers = [(index, expression) for index, step in enumerate(STEPS) for expression in _expressions(step)]
    readers += [(len(STEPS), expression) for expression in _expressions(ACTION["outputs"])]
    references = [(index, step_id, name) for index, expression in readers
                  for step_id, name in re.findall(r"\bsteps\.([\w-]+)\.outputs\.([\w-]+)", expression)]
    assert {(step_id, name) for _, step_id, name in references} >= {("check", "exit-code"), ("check", "sarif-file")}
    for index, step_id, name in references:
        assert position[step_id] < index, f"steps.{step_id} runs after the step reading its {name}"
        writer = STEPS[position[step_id]]
        if "run" in writer:
            assert f'echo "{name}=' in writer["run"] and "GITHUB_OUTPUT" in writer["run"], (step_id, name)


def test_actions_used_are_pinned_to_a_release():
    used = {step["uses"] for step in STEPS if "uses" in step}
    assert {reference.split("@")[0] for reference in used} == {
        "actions/setup-python", "github/codeql-action/upload-sarif", "actions/github-script"}
    for reference in used:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})", reference), reference


def test_scripts_read_inputs_from_the_environment_never_from_expressions():
    scripts = [step["run"] for step in STEPS if "run" in step]
    scripts += [step["with"]["script"] for step in STEPS if "script" in step.get("with", {})]
    assert len(scripts) == 6
    for script in scripts:
        assert "${{" not in script


def test_installs_this_repository_at_the_action_revision():
    install = _step("install")["run"]
    assert 'pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"' in install
    assert _step("python")["with"]["update-environment"] is False


def test_the_sarif_upload_runs_after_failures_and_the_verdict_comes_last():
    upload = next(step for step in STEPS if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["if"].startswith("always() && inputs.upload-sarif == 'true'")
    assert upload["if"].endswith(
        "&& (!github.event.pull_request || github.event.pull_request.head.repo.full_name == github.repository)")
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    assert STEPS.index(upload) > STEPS.index(_step("check"))
    assert STEPS[-1]["id"] == "verdict" and STEPS[-1]["run"] == 'exit "$DLINT_EXIT_CODE"'
    assert STEPS[-1]["env"]["DLINT_EXIT_CODE"] == "${{ steps.check.outputs.exit-code }}"


def _vendored_schema(name: str) -> dict:
    """A schema from SchemaStore as check-jsonschema ships it: read from disk, never downloaded."""
    spec = importlib.util.find_spec("check_jsonschema")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("check-jsonschema (which ships SchemaStore's GitHub schemas) is not installed")
    return json.loads(Path(spec.submodule_search_locations[0], "builtin_schemas", "vendor", name).read_text("utf-8"))


def test_matches_the_schemastore_schema_for_action_metadata():
    import jsonschema

    jsonschema.validate(ACTION, _vendored_schema("github-actions.json"))


# -- running the shell steps ----------------------------------------------------------------


class Runner:
    """Runs the action's ``run`` steps one at a time, as the GitHub runner would with
    ``shell: bash`` (``bash --noprofile --norc -eo pipefail``), in ``workspace``."""

    def __init__(self, tmp_path: Path, workspace: Path, inputs: dict[str, str], github: dict[str, str]) -> None:
        self.workspace = workspace
        self.temp = tmp_path / "runner-temp"
        self.temp.mkdir()
        self.calls = tmp_path / "dlint-calls"
        self.values = {f"inputs.{name}": inputs.get(name, spec["default"]) for name, spec in INPUTS.items()}
        self.values.update(github)
        self.values["steps.install.outputs.dlint"] = str(self._stand_in_dlint(tmp_path))
        self.summaries: dict[str, str] = {}

    def _stand_in_dlint(self, tmp_path: Path) -> Path:
        # Records each call's arguments (one JSON list a line), then runs this checkout's dlint.
        program = tmp_path / "bin" / "dlint"
        program.parent.mkdir()
        python, calls = shlex.quote(sys.executable), shlex.quote(str(self.calls))
        program.write_text(
            f"#!/usr/bin/env bash\n"
            f"{python} -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \"$@\" >> {calls}\n"
            f"exec {python} -m linter \"$@\"\n", encoding="utf-8")
        program.chmod(0o755)
        return program

    def fill(self, text: str) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("steps.") and name not in self.values:
                return ""  # as on GitHub: an output the step did not write is empty
            return EXPRESSION.sub(value, self.values[name])

        return EXPRESSION.sub(value, text)

    def run(self, step_id: str) -> subprocess.CompletedProcess:
        step = _step(step_id)
        output = self.temp / f"output-{step_id}"
        summary = self.temp / f"summary-{step_id}"
        output.touch()
        summary.touch()
        env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "GITHUB_"))}
        env.update(IDENTITY, RUNNER_TEMP=str(self.temp), GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary),
                   GITHUB_ACTION_PATH=str(ROOT), PYTHONPATH=str(ROOT))
        env.update({name: self.fill(text) for name, text in step.get("env", {}).items()})
        completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                   cwd=self.workspace, env=env, capture_output=True, text=True, timeout=300)
        for line in output.read_text(encoding="utf-8").splitlines():
            name, _, text = line.partition("=")
            self.values[f"steps.{step_id}.outputs.{name}"] = text
        self.summaries[step_id] = summary.read_text(encoding="utf-8")
        return completed

    def output(self, step_id: str, name: str) -> str | None:
        return self.values.get(f"steps.{step_id}.outputs.{name}")

    def dlint_calls(self) -> list[argparse.Namespace]:
        lines = self.calls.read_text(encoding="utf-8").splitlines() if self.calls.exists() else []
        return [build_parser().parse_args(json.loads(line)) for line in lines]


def _git(*args: str, cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return subprocess.run(["git", *args], cwd=cwd, env={**env, **IDENTITY}, check=True, capture_output=True,
                          text=True).stdout.strip()


def _repository(path: Path, dockerfile: str) -> str:
    """A repository at ``path`` with one commit holding ``dockerfile``; returns that commit."""
    path.mkdir(exist_ok=True)
    _git("init", "-q", cwd=path)
    (path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    _git("add", "Dockerfile", cwd=path)
    _git("commit", "-q", "-m", "base", cwd=path)
    return _git("rev-parse", "HEAD", cwd=path)


@needs_bash_and_git
def test_check_writes_sarif_annotations_and_a_summary_and_the_verdict_is_its_exit_code(tmp_path):
    workspace = tmp_path / "workspace"
    _repository(workspace, "FROM ubuntu\n")
    runner = Runner(tmp_path, workspace, {}, {})

    check = runner.run("check")
    assert check.returncode == 0, check.stderr
    assert runner.output("check", "exit-code") == "1"
    sarif_path = runner.temp / "dlint.sarif"
    assert runner.output("check", "sarif-file") == str(sarif_path)
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = {(result["ruleId"], result["locations"][0]["physicalLocation"]["region"]["startLine"])
               for result in sarif["runs"][0]["results"]}
    assert ("DF501", 1) in results
    assert "::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=DF501 base-image-unpinned::" \
        in check.stdout
    assert "| `Dockerfile:1` | DF501 `base-image-unpinned` | warning |" in runner.summaries["check"]

    [call] = runner.dlint_calls()
    assert call.command == "check"
    assert call.reports == [["sarif", str(sarif_path)], ["markdown", str(runner.temp / "summary-check")],
                            ["github", None]]
    assert call.paths == ["."] and call.fail_on is None

    assert runner.run("verdict").returncode == 1


@needs_bash_and_git
def test_check_takes_fail_on_paths_and_extra_arguments(tmp_path):
    workspace = tmp_path / "workspace"
    _repository(workspace, "FROM ubuntu\n")
    (workspace / "docs").mkdir()
    (workspace / "docs" / "Dockerfile").write_text("FROM alpine\n", encoding="utf-8")
    runner = Runner(tmp_path, workspace, {"fail-on": "error", "args": "--select DF501 --ignore WL301",
                                          "paths": "Dockerfile docs"}, {})

    check = runner.run("check")
    assert check.returncode == 0, check.stderr
    assert runner.output("check", "exit-code") == "0"  # DF501 is a warning, below fail-on
    [call] = runner.dlint_calls()
    assert (call.fail_on, call.select, call.ignore) == ("error", ["DF501"], ["WL301"])
    assert call.paths == ["Dockerfile", "docs"]
    assert "file=docs/Dockerfile,line=1,col=6" in check.stdout
    assert runner.run("verdict").returncode == 0


@needs_bash_and_git
def test_a_usage_error_fails_the_verdict_and_leaves_nothing_to_upload(tmp_path):
    workspace = tmp_path / "workspace"
    _repository(workspace, "FROM ubuntu\n")
    runner = Runner(tmp_path, workspace, {"paths": "no-such-folder"}, {})

    check = runner.run("check")
    assert check.returncode == 0
    assert runner.output("check", "exit-code") == "2"
    assert "no-such-folder: no such file or directory" in check.stderr
    assert runner.output("check", "sarif-file") is None
    assert runner.run("verdict").returncode == 2


@needs_bash_and_git
def test_cost_reports_the_size_change_against_the_base_commit(tmp_path):
    workspace = tmp_path / "workspace"
    base = _repository(workspace, "FROM python:3.12-slim\n")
    (workspace / "Dockerfile").write_text("FROM ubuntu:24.04\n", encoding="utf-8")
    runner = Runner(tmp_path, workspace, {}, {"github.event.pull_request.base.sha": base})

    compare = runner.run("compare")
    assert compare.returncode == 0, compare.stderr
    assert runner.output("compare", "commit") == base
    cost = runner.run("cost")
    assert cost.returncode == 0, cost.stderr
    report = Path(runner.output("cost", "report")).read_text(encoding="utf-8")
    assert "| `Dockerfile` | 29.8 MB | −13.4 MB |" in report
    assert runner.summaries["cost"] == report
    [call] = runner.dlint_calls()
    assert (call.command, call.compare, call.format, call.paths) == ("cost", base, "markdown", ["."])


@needs_bash_and_git
def test_the_base_commit_is_fetched_into_a_shallow_checkout(tmp_path):
    origin = tmp_path / "origin"
    base = _repository(origin, "FROM python:3.12-slim\n")
    (origin / "Dockerfile").write_text("FROM python:3.12\n", encoding="utf-8")
    _git("commit", "-q", "-am", "head", cwd=origin)
    workspace = tmp_path / "workspace"
    _git("clone", "-q", "--depth=1", f"file://{origin}", str(workspace), cwd=tmp_path)
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=workspace,
                          capture_output=True).returncode != 0
    runner = Runner(tmp_path, workspace, {"compare-ref": base}, {})

    compare = runner.run("compare")
    assert compare.returncode == 0, compare.stderr
    assert runner.output("compare", "commit") == base
    assert runner.run("cost").returncode == 0
    report = Path(runner.output("cost", "report")).read_text(encoding="utf-8")
    assert "| `Dockerfile` | 410.9 MB | +367.7 MB |" in report


@needs_bash_and_git
def test_a_revision_that_cannot_be_fetched_leaves_out_the_cost_report_with_a_warning(tmp_path):
    origin = tmp_path / "origin"
    _repository(origin, "FROM python:3.12-slim\n")
    workspace = tmp_path / "workspace"
    _git("clone", "-q", "--depth=1", f"file://{origin}", str(workspace), cwd=tmp_path)
    missing = "0123456789abcdef0123456789abcdef01234567"
    runner = Runner(tmp_path, workspace, {"compare-ref": missing}, {})

    compare = runner.run("compare")
    assert compare.returncode == 0, compare.stderr
    assert f"::warning title=dlint::cannot fetch {missing} from origin: no cost report" in compare.stdout
    assert runner.output("compare", "commit") is None


# -- the pull request comment ---------------------------------------------------------------

HARNESS = r"""
const fs = require('fs');
const script = fs.readFileSync(process.argv[2], 'utf8');
const setup = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const calls = [];
const record = (name) => async (params) => {
  calls.push([name, params]);
  if (setup.failWith) { const error = new Error('refused'); error.status = setup.failWith; throw error; }
};
const github = {
  paginate: async (method, params) => method(params),
  rest: { issues: { listComments: async () => setup.comments,
                    updateComment: record('update'), createComment: record('create') } },
};
const context = { repo: { owner: 'acme', repo: 'shop' }, payload: { pull_request: { number: 7 } } };
const core = { warning: (message) => calls.push(['warning', message]) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => console.log(JSON.stringify(calls)))
  .catch((error) => { console.error(String(error)); process.exit(1); });
"""


def _comment(tmp_path: Path, comments: list[dict], fail_with: int | None = None) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.skip("Node.js, which runs actions/github-script, is not installed")
    step = next(step for step in STEPS if step.get("uses", "").startswith("actions/github-script@"))
    report = tmp_path / "dlint-cost.md"
    report.write_text("### dlint cost\n\n| `Dockerfile` | 29.8 MB | −13.4 MB |\n", encoding="utf-8")
    (tmp_path / "script.js").write_text(step["with"]["script"], encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    (tmp_path / "setup.json").write_text(json.dumps({"comments": comments, "failWith": fail_with}), encoding="utf-8")
    return subprocess.run(["node", "harness.js", "script.js", "setup.json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "DLINT_COST_REPORT": str(report)})


def test_the_first_run_creates_the_comment(tmp_path):
    completed = _comment(tmp_path, [{"id": 1, "body": "Looks good to me"}])
    assert completed.returncode == 0, completed.stderr
    [(kind, params)] = json.loads(completed.stdout)
    assert kind == "create"
    assert params == {"owner": "acme", "repo": "shop", "issue_number": 7,
                      "body": "<!-- dlint cost -->\n### dlint cost\n\n| `Dockerfile` | 29.8 MB | −13.4 MB |\n"}


def test_a_rerun_edits_its_comment_instead_of_adding_one(tmp_path):
    comments = [{"id": 1, "body": "Looks good to me"}, {"id": 2, "body": None},
                {"id": 3, "body": "<!-- dlint cost -->\n### dlint cost\n\nold numbers\n"}]
    completed = _comment(tmp_path, comments)
    assert completed.returncode == 0, completed.stderr
    [(kind, params)] = json.loads(completed.stdout)
    assert kind == "update"
    assert params["comment_id"] == 3
    assert params["body"].endswith("| `Dockerfile` | 29.8 MB | −13.4 MB |\n")


def test_a_read_only_token_warns_instead_of_failing(tmp_path):
    completed = _comment(tmp_path, [], fail_with=403)
    assert completed.returncode == 0, completed.stderr
    calls = json.loads(completed.stdout)
    assert [kind for kind, _ in calls] == ["create", "warning"]
    assert "cannot comment on this pull request (refused)" in calls[1][1]


def test_other_api_errors_fail_the_step(tmp_path):
    completed = _comment(tmp_path, [], fail_with=500)
    assert completed.returncode == 1
    assert "refused" in completed.stderr


# -- the README's workflow ------------------------------------------------------------------


def _readme_workflow() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```ya?ml\n(.*?)```", readme, re.S)
    workflows = [block for block in blocks if "uses: dlint-dev/dlint@" in block]
    assert len(workflows) == 1, "the README shows one workflow that uses the action"
    return yaml.safe_load(workflows[0])


def test_the_readme_workflow_uses_declared_inputs_and_grants_what_they_need():
    workflow = _readme_workflow()
    [job] = workflow["jobs"].values()
    [step] = [step for step in job["steps"] if step.get("uses", "").startswith("dlint-dev/dlint@")]
    assert re.fullmatch(r"dlint-dev/dlint@v\d+\.\d+\.\d+", step["uses"])
    assert set(step.get("with", {})) <= set(INPUTS)
    permissions = job.get("permissions") or workflow["permissions"]
    assert permissions.get("security-events") == "write"
    if str(step.get("with", {}).get("comment")).lower() == "true":
        assert permissions.get("pull-requests") == "write"
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True


def test_the_readme_workflow_matches_the_schemastore_schema_for_workflows():
    import jsonschema

    workflow = _readme_workflow()
    workflow["on"] = workflow.pop(True)
    jsonschema.validate(workflow, _vendored_schema("github-workflows.json"))
