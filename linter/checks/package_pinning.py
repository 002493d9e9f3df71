"""Packages installed by name without a version, so each build may get a different one.

``syntax`` says how the package manager spells a version: ``pip`` (PEP 440 specifiers,
``==``, ``>=``, ``~=``…), ``npm`` (``name@version``), ``apk`` (``name=1.2``, ``name~1.2``,
``name>1``), ``apt`` (``name=1.2-3``), ``rpm`` (yum, dnf, zypper: ``name-1.2``,
``name-1.2-3.el9``, ``name>=1.2``, a module stream ``name:18``; ``@group`` is no package),
``go`` (only an explicit moving query is unpinned: ``@latest``, ``@upgrade``, ``@patch``, a
branch; without ``@`` the module's ``go.mod`` decides), ``gem`` (``name:version``). Paths,
archives and URLs name one artefact and are not packages to pin; a VCS URL is pinned by its
``@ref`` (pip) or ``#ref`` (npm). A word whose value depends on a variable with no known
value is skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    PATTERNS_SCHEMA, STRINGS_SCHEMA, Call, calls, is_url, match_any, operands, package_name, patterns,
)
from linter.model.dockerfile import Instruction, Stage, Word
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["commands", "syntax"],
    "properties": {
        "commands": PATTERNS_SCHEMA,
        "syntax": {"enum": ["pip", "npm", "apk", "apt", "rpm", "go", "gem"]},
        "exempt_options": {**STRINGS_SCHEMA,
                           "description": "options that pin everything the call installs (a constraints file)"},
        "upgrade_exempt": {**STRINGS_SCHEMA,
                           "description": "packages that may be installed unpinned together with -U/--upgrade"},
        "upgrade_options": STRINGS_SCHEMA,
    },
}

_PIP_SPECIFIER = re.compile(r"===|==|~=|!=|<=|>=|<|>")
_PIP_VCS = ("git+", "hg+", "svn+", "bzr+")
_DIRECT_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@")
_GITHUB_SHORTHAND = r"[\w.-]+/[\w.-]+(#.*)?$"  # text: compiled on first use, through re's cache
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar", ".egg", ".deb", ".apk", ".rpm")


def _is_path(text: str) -> bool:
    return (text in (".", "..") or text.startswith(("./", "../", "/", "~/", "file:", ".[", "..["))
            or text.lower().endswith(_ARCHIVES))


def pip_pinned(text: str) -> bool:
    """True when a pip requirement word names a version or a single artefact."""
    text = text.strip()
    if not text or _is_path(text):
        return True
    if text.startswith(_PIP_VCS):
        rest = text.split("://", 1)[-1].split("#", 1)[0]
        path = rest.split("/", 1)[1] if "/" in rest else ""
        return "@" in path
    if is_url(text) or _DIRECT_REFERENCE.match(text):
        return True
    if "/" in text:  # a relative directory such as src/pkg
        return True
    requirement = text.split(";", 1)[0]
    return bool(_PIP_SPECIFIER.search(requirement))


def npm_pinned(text: str) -> bool:
    if _is_path(text) or is_url(text) and not text.startswith(("git", "github")):
        return True
    if text.startswith(("git+", "git://", "github:", "gitlab:", "bitbucket:")) \
            or re.match(_GITHUB_SHORTHAND, text):
        return "#" in text
    name, at, version = text[1:].rpartition("@") if text.startswith("@") else text.rpartition("@")
    return bool(at and name and version and version not in ("latest", "next", "*"))


def apk_pinned(text: str) -> bool:
    return _is_path(text) or bool(re.search(r"[=~<>]", text))


def apt_pinned(text: str) -> bool:
    return _is_path(text) or "=" in text or "/" in text


# Text, compiled on first use through re's cache (most files install no rpm or Go package).
_RPM_VERSION = r"-\d|[=<>]|:[^:]"
_GO_VERSION = r"[vV]?\d|[0-9a-f]{7,40}$"


def rpm_pinned(text: str) -> bool:
    """``gcc-12.1``, ``curl-7.76.1-26.el9``, ``bash = 5.1``, ``nodejs:18``; ``@group`` is no package."""
    return _is_path(text) or text.startswith("@") or bool(re.search(_RPM_VERSION, text))


def go_pinned(text: str) -> bool:
    """``pkg@v1.2.3``, a commit, ``@none`` (go get removes it); without ``@`` go.mod decides."""
    path, at, version = text.rpartition("@")
    return not at or not path or version == "none" or bool(re.match(_GO_VERSION, version))


def gem_pinned(text: str) -> bool:
    """``rails:7.1.3`` (``-v`` is an exempt option: gem refuses it with several gems); a ``.gem`` file."""
    name, colon, version = text.partition(":")
    return _is_path(text) or text.endswith(".gem") or bool(colon and name and version)


_SYNTAXES = {"pip": pip_pinned, "npm": npm_pinned, "apk": apk_pinned, "apt": apt_pinned, "rpm": rpm_pinned,
             "go": go_pinned, "gem": gem_pinned}


@template("package-pinning", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN":
        return
    commands = patterns(params["commands"])
    syntax = params["syntax"]
    pinned = _SYNTAXES[syntax]
    exempt_options = params.get("exempt_options", [])
    upgrade_exempt = {package_name(name, syntax) for name in params.get("upgrade_exempt", [])}
    upgrade_options = params.get("upgrade_options", ["-U", "--upgrade"])
    for call in calls(instruction):
        found = match_any(call, commands)
        if found is None or exempt_options and call.has_option(*exempt_options):
            continue
        upgrading = bool(upgrade_options) and call.has_option(*upgrade_options)
        for word in _packages(call, found[1]):
            value = word.value
            if value is None:  # depends on a variable with no known value
                continue
            if pinned(value) or upgrading and package_name(value, syntax) in upgrade_exempt:
                continue
            yield Hit(word.span, {"package": value, "name": package_name(value, syntax), "command": call.text(),
                                  "tool": call.tool})


def _packages(call: Call, after: int) -> list[Word]:
    return [word for word in operands(call, after) if word.resolved not in ("", "-")]
