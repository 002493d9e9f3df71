"""Application files copied before a ``RUN`` that does not need them, in the same stage.

A ``COPY``/``ADD`` layer's cache key is the content of what it copies, and every later
layer of the stage is rebuilt when it changes. When a dependency install (``pip install
-r requirements.txt``, ``npm ci``, ``go mod download``, ``apt-get install``…) comes after a
copy of application files it does not read, every edit to those files re-runs it.

A copy counts as application files when one of its sources is not a dependency manifest
(``manifests`` globs, matched on the base name) — ``.``, a directory, source files. Copies
from another stage or image (``--from``), remote ``ADD`` URLs, heredoc sources and copies
into configuration directories (``exempt_destinations``) are not. An install does not bust
the copy when:

* the ``RUN`` mentions a copied name (``COPY app.py /opt/`` … ``python /opt/app.py``), or
* the install reads a local path that is not a manifest (``pip install .``,
  ``pip install -e ./lib``, ``apt-get install ./x.deb``), or
* it is one of ``project_builds`` (``cargo build``, ``poetry install``…), which build the
  project from every file it has, or
* it installs from the manifests alone (no operand but manifests) with a package manager
  that already did so after the manifests were copied, before this copy: the second half
  of the manifests-first layout (``pnpm fetch`` … ``COPY . .`` … ``pnpm install --offline``).

One finding per offending copy, at its sources, naming the first install it busts.
"""
from __future__ import annotations

import fnmatch
import re
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    PATTERNS_SCHEMA, STRINGS_SCHEMA, Call, StageTracker, calls, copy_operands, is_url, match_any, mounts, operands,
    patterns, resolve_path, run_text,
)
from linter.checks._globs import globs
from linter.checks._manifest_first import manifest_first_edits
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["installs", "manifests"],
    "properties": {
        "installs": {**PATTERNS_SCHEMA, "description": "dependency installs that only need the manifests"},
        "project_builds": {**PATTERNS_SCHEMA,
                           "description": "installs that also build the project, so read every copied file"},
        "manifests": {**STRINGS_SCHEMA, "description": "globs of dependency manifest, lock and config file names"},
        "exempt_destinations": {**STRINGS_SCHEMA, "description": "globs of COPY destinations that are configuration"},
        "path_options": {**STRINGS_SCHEMA,
                         "description": "`tool --option` pairs whose value is an input path (`pip -e`)"},
    },
}

_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".deb", ".rpm", ".apk", ".gem", ".jar")
_REMOTE = ("git@", "git+", "github.com/")


# A pending application copy: where to report it, what it brought, and the package managers
# that had installed from the manifests before it.
_Copy = namedtuple("_Copy", "instruction span sources names families_before")
# One install of a RUN: whether it reads the copied files, and whether it installs from the
# manifests alone (no package or path operands).
_Install = namedtuple("_Install", "call reads_copy from_manifests")


def _basename(text: str) -> str:
    stripped = text.rstrip("/")
    return stripped.rsplit("/", 1)[-1] if stripped else text


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-])", text) is not None


@template("copy-before-install", unit="stage", params=PARAMS)
class CopyBeforeInstall:
    def __init__(self, params: dict) -> None:
        self.installs = patterns(params["installs"])
        self.builds = {pattern.text for pattern in patterns(params.get("project_builds"))}
        self.manifests = globs(params["manifests"])
        self.exempt = globs(params.get("exempt_destinations"))
        self.path_options: dict[str, list[str]] = {}
        for text in params.get("path_options", []):
            tool, _, option = text.partition(" ")
            self.path_options.setdefault(tool, []).append(option.strip())
        self.tracker = StageTracker()
        self.pending: list[_Copy] = []
        self.families: set[str] = set()
        self.manifests_copied = False
        self.dockerfile: Dockerfile | None = None
        self.previous: Instruction | None = None

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.tracker.begin(stage)
        self.pending = []
        self.families = set()
        self.manifests_copied = False
        self.dockerfile = dockerfile
        self.previous = None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword in ("COPY", "ADD"):
            self._copy(instruction)
        elif instruction.keyword == "RUN":
            yield from self._run(instruction)
        self.previous = instruction

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    # -- COPY ---------------------------------------------------------------------------

    def _is_manifest(self, text: str) -> bool:
        """The base name matches a manifest glob, or a folder on the path is a manifest name;
        a source glob such as ``package*.json`` counts when it starts with a literal name and
        matches a manifest name."""
        name = _basename(text)
        if self.manifests.match(name):
            return True
        # A file inside a manifest folder (`requirements/base.txt`, `.mvn/wrapper/…`).
        if any(part in self.manifests.names for part in text.strip("/").split("/")[:-1]):
            return True
        prefix = re.split(r"[*?\[]", name, 1)[0]
        return prefix != name and len(prefix) >= 3 and any(
            fnmatch.fnmatchcase(literal, name) for literal in self.manifests.names)

    def _copy(self, instruction: Instruction) -> None:
        if instruction.flag("from") is not None:
            return
        sources, destination = copy_operands(instruction)
        sources = [word for word in sources if not word.text.startswith("<<")]
        if destination is None or not sources:
            return
        target = resolve_path(destination.resolved, self.tracker.workdir) or destination.resolved
        if self.exempt.match(target) or self.exempt.match(target + "/"):
            return
        local = [word for word in sources if not is_url(word.resolved) and not word.resolved.startswith(_REMOTE)]
        application = [word for word in local if not self._is_manifest(word.resolved)]
        if len(application) < len(local):
            self.manifests_copied = True
        if not application:
            return
        names = []
        for word in application:
            name = _basename(word.resolved)
            if name not in (".", "..", "") and not any(ch in name for ch in "*?[$"):
                names.append(name)
        if len(sources) == 1 and not destination.resolved.endswith("/") and names and "." in names[0][1:]:
            dest_name = _basename(destination.resolved)
            if dest_name not in (".", "..", "") and "$" not in dest_name:
                names.append(dest_name)
        span = sources[0].span.cover(sources[-1].span)
        text = " ".join(word.text for word in sources)
        self.pending.append(_Copy(instruction, span, text, tuple(names), frozenset(self.families)))

    # -- RUN ----------------------------------------------------------------------------

    def _uses_local_path(self, call: Call, after: int) -> bool:
        """The install reads a local, non-manifest path: an operand such as ``.``, ``./lib``
        or ``x.whl``, or the value of a ``path_options`` option (``-e src/pkg``)."""
        candidates = [(word.resolved, False) for word in operands(call, after)]
        options = self.path_options.get(call.tool)
        if options:
            candidates += [(word.resolved, True) for word in call.option_values(*options)]
        for value, is_path in candidates:
            if is_url(value) or value.startswith(("git+", "hg+", "svn+", "bzr+")) or self._is_manifest(value):
                continue
            if is_path or value in (".", "..") or value.startswith(("./", "../", "/", "~/", ".[", "..[")) \
                    or value.endswith(_ARCHIVES):
                return True
        return False

    def _mounts_manifests(self, instruction: Instruction) -> bool:
        """A bind mount of a context manifest (``--mount=type=bind,source=go.mod,…``)."""
        return any(mount.type == "bind" and "from" not in mount.options
                   and self._is_manifest(mount.options.get("source", "")) for mount in mounts(instruction))

    def _installs(self, instruction: Instruction) -> list[_Install]:
        found = []
        for call in calls(instruction, self.tracker.workdir):
            matched = match_any(call, self.installs)
            if matched is not None:
                pattern, end = matched
                reads_copy = pattern.text in self.builds or self._uses_local_path(call, end)
                from_manifests = all(self._is_manifest(word.resolved) for word in operands(call, end))
                found.append(_Install(call, reads_copy, from_manifests))
        return found

    @staticmethod
    def _busted(copy: _Copy, installs: list[_Install]) -> Call | None:
        """The first install that does not read ``copy`` and is not the second half of a
        manifests-first layout begun before it."""
        for install in installs:
            if install.reads_copy or install.from_manifests and install.call.family in copy.families_before:
                continue
            return install.call
        return None

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        installs = self._installs(instruction)
        if not installs:
            return
        text = run_text(instruction) if any(copy.names for copy in self.pending) else ""
        remaining = []
        for copy in self.pending:
            busted = None if any(_mentions(text, name) for name in copy.names) else self._busted(copy, installs)
            if busted is None:
                remaining.append(copy)
                continue
            keyword = copy.instruction.keyword
            edits = ()
            if copy.instruction is self.previous and self.dockerfile is not None:
                edits = manifest_first_edits(copy.instruction, instruction, self.tracker.workdir, self.dockerfile)
            install = busted.text()
            yield Hit(copy.span, {"keyword": keyword, "sources": copy.sources, "install": install,
                                  "install_line": busted.line}, edits)
        self.pending = remaining
        if self.manifests_copied or self._mounts_manifests(instruction):
            self.families.update(install.call.family for install in installs if install.from_manifests)
