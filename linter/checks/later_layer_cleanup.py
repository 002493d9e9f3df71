"""Cleanup in a later layer than the one that created the files: the image does not shrink.

Each ``RUN`` is a layer; deleting in layer N+1 only hides what layer N holds, and layer N
still ships. Within a stage this template remembers, per earlier layer:

* ``caches`` a package manager filled and did not empty in the same ``RUN`` (the apt
  lists after ``apt-get update``, pip's cache after ``pip install``…; the same cache
  descriptions as the ``package-cache`` template), and flags a later clean command or
  ``rm`` of the cache directory;
* ``packages`` installed by name (``packages`` entries: install, remove and autoremove
  commands, the ``syntax`` of a package word, options naming a group such as
  ``apk add --virtual .deps``), and flags a later remove/purge/uninstall of one of them, or
  a later autoremove in a ``RUN`` that installs nothing itself;
* ``files`` written by ``COPY``/``ADD`` or downloaded by ``curl -o``/``wget``/``git clone``,
  and flags a later ``rm``/``find -delete`` of one of them (or of a parent directory).
  Removing something *inside* a directory tree an earlier ``COPY`` wrote is only flagged
  when the ``RUN`` does nothing but remove (``RUN rm -rf /app/.git``): otherwise the files
  may well come from that same ``RUN`` (``make && rm -rf build``).
"""
from __future__ import annotations

import bisect
import fnmatch
import posixpath
import re
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    CACHE_SCHEMA, PATTERNS_SCHEMA, STRINGS_SCHEMA, UNPACKED_ARCHIVES, Cache, Call, Patterns, StageTracker, calls,
    copy_operands, is_url, match_any, mount_covering, normalize, operands, package_name, patterns, removal_covers,
    removed_paths, resolve_path, written_paths,
)
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PACKAGES_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["install", "remove"],
    "properties": {
        "install": PATTERNS_SCHEMA,
        "remove": PATTERNS_SCHEMA,
        "autoremove": PATTERNS_SCHEMA,
        "syntax": {"enum": ["pip", "npm", "apk", "apt", "rpm"]},
        "group_options": {**STRINGS_SCHEMA, "description": "install options whose value names a removable group"},
    },
}

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "caches": {"type": "array", "items": CACHE_SCHEMA},
        "packages": {"type": "array", "items": PACKAGES_SCHEMA},
        "files": {"type": "boolean", "description": "track files written by COPY/ADD and downloads"},
        "removal_tools": {**STRINGS_SCHEMA,
                          "description": "programs a RUN may consist of and still count as removal only"},
    },
}



def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


class _Files:
    """Paths written by earlier layers (path -> (line, is a directory tree)), kept sorted so a
    removal finds what it covers by prefix instead of scanning everything."""

    def __init__(self) -> None:
        self.paths: dict[str, tuple[int, bool]] = {}
        self._sorted: list[str] = []
        self._globs: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.paths)

    def add(self, path: str, line: int, tree: bool) -> None:
        if path not in self.paths:
            bisect.insort(self._sorted, path)
            if _has_glob(path):
                self._globs.add(path)
        self.paths[path] = (line, tree)

    def update(self, other: "_Files") -> None:
        for path, (line, tree) in other.paths.items():
            self.add(path, line, tree)

    def discard(self, path: str) -> None:
        if self.paths.pop(path, None) is not None:
            del self._sorted[bisect.bisect_left(self._sorted, path)]
            self._globs.discard(path)

    def _under(self, directory: str) -> list[str]:
        """``directory`` itself and every path below it."""
        out = [directory] if directory in self.paths else []
        prefix = directory.rstrip("/") + "/"
        start = bisect.bisect_left(self._sorted, prefix)
        for path in self._sorted[start:]:
            if not path.startswith(prefix):
                break
            out.append(path)
        return out

    def removed_by(self, removed: str) -> list[str]:
        """Paths that removing ``removed`` deletes: itself, what is below it, glob matches."""
        base = removed
        for suffix in ("/*", "/**", "/.*"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        if not base or base == "/":
            return []
        if not _has_glob(base):
            found = self._under(base)
        else:
            literal = re.split(r"[*?\[]", base, 1)[0].rsplit("/", 1)[0] or "/"
            found = [path for path in self._under(literal) if path != literal and (
                fnmatch.fnmatchcase(path, removed) or removal_covers(removed, path))]
        found += [path for path in self._globs if path not in found and fnmatch.fnmatchcase(removed, path)]
        return found

    def tree_holding(self, removed: str) -> str | None:
        """The nearest directory tree (not ``/``) that ``removed`` lies inside."""
        parent = removed
        while "/" in parent.strip("/"):
            parent = parent.rsplit("/", 1)[0]
            entry = self.paths.get(parent)
            if entry is not None and entry[1]:
                return parent
        return None


_Packages = namedtuple("_Packages", "install remove autoremove syntax group_options")


@template("later-layer-cleanup", unit="stage", params=PARAMS)
class LaterCleanup:
    def __init__(self, params: dict) -> None:
        self.caches = [Cache.from_params(data) for data in params.get("caches", [])]
        self.packages = [
            _Packages(patterns(data["install"]), patterns(data["remove"]),
                      patterns(data.get("autoremove")), data.get("syntax", "apt"),
                      tuple(data.get("group_options", ())))
            for data in params.get("packages", [])
        ]
        self.files = params.get("files", True)
        self.removal_tools = set(params.get("removal_tools", ["rm", "rmdir", "find", "unlink", "true", "set"]))
        # The package managers the params name: any other call (mkdir, curl, tar…) is only
        # looked at for the paths it writes or removes.
        self.managers = {pattern.tool for cache in self.caches for pattern in [*cache.fill, *cache.clean]} | {
            pattern.tool for entry in self.packages for pattern in [*entry.install, *entry.remove, *entry.autoremove]}
        self.tracker = StageTracker()
        self.filled: dict[int, int] = {}
        self.installed: list[dict[str, int]] = []
        self.last_install: list[int | None] = []
        self.created = _Files()

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.tracker.begin(stage)
        self.filled = {}
        self.installed = [{} for _ in self.packages]
        self.last_install = [None for _ in self.packages]
        self.created = _Files()

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword in ("COPY", "ADD"):
            if self.files:
                self._copied(instruction)
        elif instruction.keyword == "RUN":
            yield from self._run(instruction)

    # -- COPY/ADD -----------------------------------------------------------------------

    def _copied(self, instruction: Instruction) -> None:
        sources, destination = copy_operands(instruction)
        if destination is None:
            return
        target = resolve_path(destination.resolved, self.tracker.workdir, self.tracker.home)
        if target is None:
            return
        into_directory = destination.resolved.endswith("/") or len(sources) > 1
        line = instruction.span.line
        for word in sources:
            text = word.resolved
            if text.startswith("<<"):
                name = text.lstrip("<-").strip("'\"")
                self.created.add(normalize(posixpath.join(target, name)) if into_directory else target, line, False)
            elif is_url(text):
                name = text.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
                self.created.add(normalize(posixpath.join(target, name)) if into_directory else target, line, False)
            elif text in (".", "./") or text.endswith("/") or (instruction.keyword == "ADD"
                                                               and text.lower().endswith(UNPACKED_ARCHIVES)):
                self.created.add(target, line, True)
            else:
                name = text.rstrip("/").rsplit("/", 1)[-1]
                path = posixpath.join(target, name) if into_directory else target
                self.created.add(normalize(path), line, "." not in name[1:])

    # -- RUN ----------------------------------------------------------------------------

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        home = self.tracker.home
        variables = instruction.variables
        found = calls(instruction, self.tracker.workdir)
        removal_only = bool(found) and all(self._is_cleanup(call) for call in found)
        filled_here: set[int] = set()
        installed_here: list[dict[str, int]] = [{} for _ in self.packages]
        created_here = _Files()
        for call in found:
            manager = call.tool in self.managers
            hit = (self._cache_cleanup(call, filled_here, home)
                   or manager and self._package_cleanup(call, installed_here)
                   or self._file_cleanup(call, created_here, removal_only, home))
            if hit is not None:
                yield hit
            if manager:
                filled_here.update(index for index, cache in enumerate(self.caches) if cache.fills(call))
                self._track_installs(call, installed_here)
            if self.files:
                for word in written_paths(call):
                    path = resolve_path(word.resolved, call.cwd, home)
                    if path is not None:
                        created_here.add(path, call.line, call.tool == "git")
        self._remember_caches(instruction, found, variables, home)
        for index, names in enumerate(installed_here):
            self.installed[index].update(names)
            if names:
                self.last_install[index] = max(names.values())
        self.created.update(created_here)

    def _is_cleanup(self, call: Call) -> bool:
        """Only removes: ``rm``/``find``…, a cache clean, a package remove or autoremove."""
        if call.tool in self.removal_tools:
            return True
        return call.tool in self.managers and (
            any(match_any(call, cache.clean) is not None for cache in self.caches)
            or any(match_any(call, entry.remove) is not None or match_any(call, entry.autoremove) is not None
                   for entry in self.packages))

    def _cache_cleanup(self, call: Call, filled_here: set[int], home: str) -> Hit | None:
        for index, cache in enumerate(self.caches):
            if index in self.filled and index not in filled_here and cache.cleans(call, cache.paths, home):
                line = self.filled.pop(index)
                return Hit(call.span, {"command": call.text(), "what": f"the {cache.name}", "line": line})
        return None

    def _remember_caches(self, instruction: Instruction, found: list[Call], variables: dict, home: str) -> None:
        for index, cache in enumerate(self.caches):
            for position, call in enumerate(found):
                if call.tool not in self.managers or not cache.fills(call) or cache.skipped(call, variables):
                    continue
                locations = cache.locations(call, variables)
                if mount_covering(instruction, locations, home=home) is not None:
                    continue
                if any(cache.cleans(later, locations, home) for later in found[position + 1:]):
                    self.filled.pop(index, None)
                else:
                    self.filled[index] = call.line

    def _track_installs(self, call: Call, installed_here: list[dict[str, int]]) -> None:
        for index, entry in enumerate(self.packages):
            found = match_any(call, entry.install)
            if found is not None:
                names = [package_name(word.resolved, entry.syntax) for word in operands(call, found[1])]
                if entry.group_options:
                    names += [word.resolved for word in call.option_values(*entry.group_options)]
                for name in names:
                    if name and "$" not in name:
                        installed_here[index][name] = call.line
                continue
            found = match_any(call, entry.remove)
            if found is not None:
                for word in operands(call, found[1]):
                    installed_here[index].pop(package_name(word.resolved, entry.syntax), None)

    def _package_cleanup(self, call: Call, installed_here: list[dict[str, int]]) -> Hit | None:
        for index, entry in enumerate(self.packages):
            earlier = self.installed[index]
            found = match_any(call, entry.remove)
            if found is not None:
                for word in operands(call, found[1]):
                    name = package_name(word.resolved, entry.syntax)
                    if name in earlier and name not in installed_here[index]:
                        line = earlier.pop(name)
                        return Hit(call.span, {"command": call.text(), "what": f"package `{name}`", "line": line})
                continue
            line = self.last_install[index]
            if match_any(call, entry.autoremove) is not None and line is not None and not installed_here[index]:
                return Hit(call.span, {"command": call.text(), "what": "automatically installed packages",
                                       "line": line})
        return None

    def _file_cleanup(self, call: Call, created_here: _Files, removal_only: bool, home: str) -> Hit | None:
        if not self.files:
            return None
        for word in removed_paths(call):
            removed = resolve_path(word.resolved, call.cwd, home)
            if removed is None:
                continue
            for path in created_here.removed_by(removed):
                created_here.discard(path)
            earlier = self.created.removed_by(removed)
            if earlier:
                path = earlier[0]
                line = self.created.paths[path][0]
                for each in earlier:
                    self.created.discard(each)
                return Hit(call.span, {"command": call.text(), "what": f"`{path}`", "line": line})
            tree = self.created.tree_holding(removed) if removal_only and self.created else None
            if tree is not None:
                line = self.created.paths[tree][0]
                return Hit(call.span, {"command": call.text(), "what": f"`{removed}`", "line": line})
        return None
