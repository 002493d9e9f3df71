"""The real pre-commit, running the hooks this repository publishes in `.pre-commit-hooks.yaml`,
inside a temporary git repository: with `dlint` a bad Dockerfile fails and a fixed one passes;
`dlint-cost` prints the size change of what is staged and never fails.

pre-commit builds the hook's environment by pip-installing this project (hatchling and the
runtime dependencies come from the package index), once per test session: ``PRE_COMMIT_HOME``
is shared, and the hook repository is a snapshot commit of the working tree, so every call
below reuses the same (repository, revision) environment.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import CLEAN

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git, which is not installed")

BAD = "FROM ubuntu\n"
IDENTITY = {"GIT_AUTHOR_NAME": "dlint tests", "GIT_AUTHOR_EMAIL": "tests@dlint.invalid",
            "GIT_COMMITTER_NAME": "dlint tests", "GIT_COMMITTER_EMAIL": "tests@dlint.invalid"}


def _env(home: Path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "NO_COLOR", "FORCE_COLOR", "PRE_COMMIT_COLOR", "GIT_DIR", "GIT_INDEX_FILE",
                          "GIT_WORK_TREE", "VIRTUAL_ENV")}
    env.update(IDENTITY, PRE_COMMIT_HOME=str(home), GIT_CONFIG_NOSYSTEM="1")
    return env


def _git(*args: str, cwd: Path, env: dict) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory, pre_commit_home) -> tuple[Path, str]:
    """This project's working tree (its tracked files, as they are now) committed into a fresh
    repository — what `pre-commit try-repo <repo root>` would use, but with a stable revision."""
    env = _env(pre_commit_home)
    snapshot = tmp_path_factory.mktemp("hook-repo")
    if (ROOT / ".git").exists():
        listed = _git("ls-files", "-z", cwd=ROOT, env=env).split("\0")
        files = [name for name in listed if name and (ROOT / name).is_file()]
    else:  # an unpacked sdist: take the project's own folders
        files = [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
                 if path.is_file() and not {".venv", "__pycache__", ".git"} & set(path.relative_to(ROOT).parts)]
    for name in files:
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    _git("init", "-q", cwd=snapshot, env=env)
    _git("add", "-A", cwd=snapshot, env=env)
    _git("commit", "-q", "--no-verify", "-m", "snapshot for the pre-commit test", cwd=snapshot, env=env)
    return snapshot, _git("rev-parse", "HEAD", cwd=snapshot, env=env).strip()


@pytest.fixture
def project(tmp_path, pre_commit_home) -> Path:
    """A user's repository, where Dockerfiles are committed."""
    _git("init", "-q", cwd=tmp_path, env=_env(pre_commit_home))
    return tmp_path


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=_env(home),
                          capture_output=True, text=True, timeout=900)


def _try_repo(hook_repo, project: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    repo, _ = hook_repo
    return _pre_commit("try-repo", str(repo), "dlint", "--color", "never", "--verbose", "--files", *files,
                       cwd=project, home=home)


def _hook_output(output: str, hook_id: str) -> str:
    """What one hook printed, from pre-commit's verbose report of several hooks."""
    section = output.split(f"- hook id: {hook_id}\n", 1)[1]
    return section.split("\n- hook id: ", 1)[0]


def _write(project: Path, name: str, text: str) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _git("add", name, cwd=project, env={**os.environ, **IDENTITY})


def test_try_repo_fails_on_a_bad_dockerfile_and_passes_on_the_fix(hook_repo, project, pre_commit_home):
    _write(project, "Dockerfile", BAD)
    bad = _try_repo(hook_repo, project, pre_commit_home, "Dockerfile")
    assert bad.returncode != 0, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "Dockerfile:1:6: DF501 [warning] base-image-unpinned" in bad.stdout

    _write(project, "Dockerfile", CLEAN)
    good = _try_repo(hook_repo, project, pre_commit_home, "Dockerfile")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    assert "DF501" not in good.stdout


def test_the_hook_only_receives_dockerfiles(hook_repo, project, pre_commit_home):
    for name in ("README.md", "notes/Dockerfile-howto.txt"):
        _write(project, name, BAD)
    skipped = _try_repo(hook_repo, project, pre_commit_home, "README.md", "notes/Dockerfile-howto.txt")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "no files to check" in skipped.stdout

    names = ["docker/Dockerfile.prod", "api.dockerfile", "Containerfile", "build/containerfile.dev"]
    for name in names:
        _write(project, name, BAD)
    checked = _try_repo(hook_repo, project, pre_commit_home, "README.md", *names)
    assert checked.returncode != 0
    for name in names:
        assert f"{name}:1:6: DF501" in checked.stdout
    assert "README.md" not in checked.stdout.split("- hook id: dlint", 1)[-1]


def test_as_a_commit_hook(hook_repo, project, pre_commit_home):
    repo, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: dlint\n", encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=project, env=_env(pre_commit_home))
    installed = _pre_commit("install", cwd=project, home=pre_commit_home)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    env = _env(pre_commit_home)
    _write(project, "Dockerfile", BAD)
    refused = subprocess.run(["git", "commit", "-m", "add a Dockerfile"], cwd=project, env=env,
                             capture_output=True, text=True, timeout=900)
    assert refused.returncode != 0
    assert "Dockerfile:1:6: DF501" in refused.stdout + refused.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=project, env=env,
                          capture_output=True).returncode != 0, "nothing may be committed"

    _write(project, "Dockerfile", CLEAN)
    accepted = subprocess.run(["git", "commit", "-m", "add a pinned Dockerfile"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert _git("log", "--format=%s", cwd=project, env=env).strip() == "add a pinned Dockerfile"


def test_the_hook_checks_compose_files_and_manifests_and_passes_over_other_yaml(hook_repo, project, pre_commit_home):
    _write(project, "compose.yaml", "services:\n  db:\n    image: postgres\n")
    _write(project, "k8s/web.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
                                    "  containers:\n    - name: web\n      image: nginx\n")
    _write(project, ".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
    checked = _try_repo(hook_repo, project, pre_commit_home, "compose.yaml", "k8s/web.yaml",
                        ".github/workflows/ci.yml")
    assert checked.returncode != 0
    assert "compose.yaml:3:12: WL502" in checked.stdout
    assert "k8s/web.yaml:7:14: WL502" in checked.stdout
    assert "ci.yml:" not in checked.stdout


def test_both_hooks_on_a_staged_change_lint_fails_and_cost_prints_the_size_change(hook_repo, project,
                                                                                    pre_commit_home):
    _write(project, "Dockerfile", "FROM python:3.12-slim\n")
    _git("commit", "-q", "--no-verify", "-m", "base", cwd=project, env={**os.environ, **IDENTITY})
    _write(project, "Dockerfile", "FROM ubuntu:24.04\n")
    (project / "Dockerfile").write_text("FROM python:3.12\n", encoding="utf-8")  # not staged: left out

    repo, _ = hook_repo
    both = _pre_commit("try-repo", str(repo), "--color", "never", cwd=project, home=pre_commit_home)
    assert both.returncode == 1, both.stdout + both.stderr
    assert re.search(r"^dlint\.+Failed$", both.stdout, re.M)
    assert re.search(r"^dlint cost\.+Passed$", both.stdout, re.M)
    assert "Dockerfile:1:6: WL301 [warning] runs-as-root" in _hook_output(both.stdout, "dlint")
    cost = _hook_output(both.stdout, "dlint-cost")
    assert "Compared with HEAD:\n  Dockerfile: 43.2 MB → 29.8 MB compressed (−13.4 MB)" in cost
    assert "FROM ubuntu:24.04" in cost and "410.9 MB" not in cost
    assert (project / "Dockerfile").read_text(encoding="utf-8") == "FROM python:3.12\n"


def test_the_cost_hook_passes_over_other_files(hook_repo, project, pre_commit_home):
    _write(project, "README.md", BAD)
    repo, _ = hook_repo
    skipped = _pre_commit("try-repo", str(repo), "dlint-cost", "--color", "never", cwd=project, home=pre_commit_home)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert re.search(r"^dlint cost\.+\(no files to check\)Skipped$", skipped.stdout, re.M)


def test_the_cost_hook_lets_the_first_commit_through(hook_repo, project, pre_commit_home):
    repo, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: dlint-cost\n", encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=project, env=_env(pre_commit_home))
    installed = _pre_commit("install", cwd=project, home=pre_commit_home)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    _write(project, "Dockerfile", CLEAN)
    first = subprocess.run(["git", "commit", "-m", "the first commit"], cwd=project, env=_env(pre_commit_home),
                           capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Dockerfile: new, 29.8 MB compressed" in first.stdout + first.stderr


def test_the_hooks_file_patterns_select_what_a_directory_walk_finds():
    """pre-commit hands the hook only the files its patterns select; dlint reads each named
    file by its name, so the patterns must pick exactly the names dlint knows."""
    import yaml

    from linter.discover import dockerfile_kind

    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    names = ["Dockerfile", "Dockerfile.prod", "Dockerfile-dev", "Dockerfile_prod", "dev-Dockerfile", "dev_Dockerfile",
             "api.dockerfile", "Containerfile", "build/containerfile.dev", "DOCKERFILE", "Dockerfile.j2",
             "Dockerfile.md", "Dockerfile-notes.txt", "dockerfile_test.go", "dockerfiles.md", "dockerfile.go",
             "Dockerfile.dockerignore", "notes/Dockerfile-howto.txt", "README.md", "Dockerfile.prod.md"]
    for name in names:
        selected = re.search(hook["files"], name) is not None and re.search(hook["exclude"], name) is None
        assert selected == dockerfile_kind(name.rsplit("/", 1)[-1]), name
