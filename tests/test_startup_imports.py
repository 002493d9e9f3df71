"""What `dlint check Dockerfile` imports: a pre-commit hook pays for every module at every commit.

A child process runs ``python -m linter check`` (through runpy, as ``-m`` does) and prints what
ended up in ``sys.modules``. ``python -X importtime`` would not do: it does not see modules
loaded with ``importlib.import_module``, which is how check templates are loaded.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from linter.engine.catalog import load_catalog

from tests.conftest import ROOT

PROBE = """\
import json, runpy, sys
sys.argv = ["dlint", *sys.argv[1:]]
code = None
try:
    runpy.run_module("linter", run_name="__main__", alter_sys=True)
except SystemExit as exit_:
    code = exit_.code
sys.__stdout__.write("\\n" + json.dumps({"exit": code, "modules": sorted(sys.modules)}) + "\\n")
"""

UNPINNED = "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nUSER 1000\n"


def run_dlint(folder, *args: str) -> tuple[int, set[str]]:
    """Exit code and imported module names of `python -m linter <args>` run in ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLINT")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    found = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=folder, env=env, capture_output=True,
                           text=True, check=True)
    facts = json.loads(found.stdout.strip().splitlines()[-1])
    return facts["exit"], set(facts["modules"])


def templates(modules: set[str]) -> set[str]:
    """The check templates among ``modules``: ``linter.checks.<name>``, not the shared ``_`` modules."""
    return {name.rsplit(".", 1)[1] for name in modules
            if name.startswith("linter.checks.") and not name.rsplit(".", 1)[1].startswith("_")}


def template_modules(rules, target: str | None = None) -> set[str]:
    """Module names of the templates the checks of ``rules`` use (for ``target`` only, if given)."""
    return {check.template.replace("-", "_") for rule in rules for check in rule.checks
            if target is None or target in check.targets}


@pytest.fixture
def project(tmp_path):
    """A folder with one Dockerfile and no configuration anywhere above it that dlint would read."""
    (tmp_path / "Dockerfile").write_text(UNPINNED)
    return tmp_path


@pytest.mark.parametrize("output", [[], ["--format", "json"]], ids=["text", "json"])
def test_a_dockerfile_run_imports_no_yaml_jsonschema_or_rich(project, output):
    code, modules = run_dlint(project, "check", *output, "Dockerfile")
    assert code == 1  # the unpinned base image is a warning: the run really linted the file
    assert {"yaml", "jsonschema", "rich"} & modules == set()
    assert not any(name.startswith(("yaml.", "jsonschema.", "rich.")) for name in modules)


def test_a_dockerfile_run_imports_only_the_templates_of_dockerfile_rules(project):
    _, modules = run_dlint(project, "check", "Dockerfile")
    defaults = [rule for rule in load_catalog() if rule.enabled_by_default]
    expected = template_modules(defaults, "dockerfile")
    assert expected < template_modules(defaults)  # Compose and Kubernetes templates exist to be left out
    assert templates(modules) == expected


def test_selecting_one_rule_imports_its_template_alone(project):
    code, modules = run_dlint(project, "check", "--select", "base-image-unpinned", "Dockerfile")
    assert code == 1
    assert templates(modules) == {"base_image_tag"}


def test_a_configuration_file_is_read_with_yaml_and_its_ignores_keep_templates_out(project):
    (project / ".dlint.yaml").write_text("ignore: [base-image-unpinned]\n")
    code, modules = run_dlint(project, "check", "Dockerfile")
    assert code == 0  # DF501 was the only warning
    assert "yaml" in modules  # the probe sees an import when there is one
    assert "rich" not in modules
    defaults = [rule for rule in load_catalog() if rule.enabled_by_default and rule.name != "base-image-unpinned"]
    assert templates(modules) == template_modules(defaults, "dockerfile")
