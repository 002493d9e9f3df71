"""``.gitignore`` matching for directory walks: what git itself would not track is not checked.

Git's rules (gitignore(5)): blank lines and ``#`` comments are skipped; ``!`` re-includes;
a trailing ``/`` matches directories only; a pattern with a ``/`` before its end is
anchored to the folder of its ``.gitignore``, one without matches a name at any depth below
it; ``*`` and ``?`` never cross ``/``; ``**`` spans folders; the last matching pattern wins,
deeper files after shallower ones; and nothing below an ignored folder can be re-included
(the walk does not descend into it).
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence

_GLOB = re.compile(r"\*\*/|/\*\*$|\*\*|\*|\?|\[(?:\\.|[^\]])+\]|\\.|.", re.S)


class _Pattern:
    __slots__ = ("regex", "negated", "directory_only")

    def __init__(self, regex: re.Pattern, negated: bool, directory_only: bool) -> None:
        self.regex = regex
        self.negated = negated
        self.directory_only = directory_only


def _translate(glob: str) -> str:
    parts = []
    for match in _GLOB.finditer(glob):
        token = match.group(0)
        if token == "**/":
            parts.append("(?:.*/)?")
        elif token == "/**":
            parts.append("/.*")
        elif token in ("**", "*"):
            parts.append("[^/]*")
        elif token == "?":
            parts.append("[^/]")
        elif token.startswith("[") and len(token) > 1:
            body = token[1:-1]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            parts.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
        elif token.startswith("\\") and len(token) == 2:
            parts.append(re.escape(token[1]))
        else:
            parts.append(re.escape(token))
    return "".join(parts)


def parse_gitignore(text: str) -> list[_Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        line = re.sub(r"(?<!\\) +$", "", line)
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        try:
            regex = re.compile(body if anchored else "(?:.*/)?" + body)
        except re.error:
            continue  # git skips a pattern it cannot read; so does the walk
        patterns.append(_Pattern(regex, negated, directory_only))
    return patterns


class GitIgnore:
    """The ``.gitignore`` files of a walk, each applying below its own folder: those the walk
    meets, and those of the folders above its start up to the repository's top (the folder
    holding ``.git``), as git reads them when a subfolder is checked."""

    def __init__(self) -> None:
        self._by_folder: dict[str, list[_Pattern]] = {}

    def start(self, root: str) -> None:
        """Read the ``.gitignore`` files above ``root``, up to the repository's top."""
        folder = os.path.abspath(root)
        ancestors = []
        while True:
            parent = os.path.dirname(folder)
            if os.path.exists(os.path.join(folder, ".git")) or parent == folder:
                break
            folder = parent
            ancestors.append(folder)
        if not os.path.exists(os.path.join(folder, ".git")):
            return  # not in a repository: only the walk's own files apply
        for ancestor in ancestors:
            self._read(ancestor)

    def enter(self, folder: str, names: Sequence[str]) -> None:
        """Read ``folder``'s ``.gitignore`` when the listing shows one."""
        if ".gitignore" in names:
            self._read(os.path.abspath(folder))

    def _read(self, folder: str) -> None:
        try:
            with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
                patterns = parse_gitignore(handle.read(1 << 20))
        except OSError:
            return
        if patterns:
            self._by_folder[folder] = patterns

    def ignored(self, path: str, is_directory: bool) -> bool:
        if not self._by_folder:
            return False
        path = os.path.abspath(path)
        chain = []
        folder = os.path.dirname(path)
        while True:
            if folder in self._by_folder:
                chain.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        verdict = False
        for folder in reversed(chain):
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            for pattern in self._by_folder[folder]:
                if pattern.directory_only and not is_directory:
                    continue
                if pattern.regex.fullmatch(relative):
                    verdict = not pattern.negated
        return verdict
