"""Shell-style globs from rule params, matched as ``fnmatch.fnmatchcase`` does (``*`` also
crosses ``/``) but without a regular expression for the usual forms: literal names and
``*`` globs are matched with string methods, and only globs with ``?`` or ``[…]`` go through
fnmatch. Compiling the dozens of patterns some rules list would cost a pre-commit run on one
file more than linting it.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterable


def _starred(name: str, head: str, middle: tuple[str, ...], tail: str) -> bool:
    """``name`` matches ``head*middle[0]*…*tail``."""
    if len(name) < len(head) + len(tail) or not name.startswith(head) or not name.endswith(tail):
        return False
    position, end = len(head), len(name) - len(tail)
    for part in middle:
        position = name.find(part, position, end)
        if position < 0:
            return False
        position += len(part)
    return True


class Globs:
    """Several globs matched together."""

    __slots__ = ("names", "starred", "others")

    def __init__(self, globs: Iterable[str]) -> None:
        self.names: set[str] = set()
        self.starred: list[tuple[str, tuple[str, ...], str]] = []
        self.others: list[str] = []
        for glob in globs:
            if "?" in glob or "[" in glob:
                self.others.append(glob)
            elif "*" in glob:
                head, *middle, tail = glob.split("*")
                self.starred.append((head, tuple(part for part in middle if part), tail))
            else:
                self.names.add(glob)

    def __bool__(self) -> bool:
        return bool(self.names or self.starred or self.others)

    def match(self, name: str) -> bool:
        if name in self.names:
            return True
        for head, middle, tail in self.starred:
            if _starred(name, head, middle, tail):
                return True
        return any(fnmatch.fnmatchcase(name, glob) for glob in self.others)


def globs(texts: Iterable[str] | None) -> Globs:
    """The :class:`Globs` of ``texts``, memoized: stateful templates read their params once
    per file."""
    key = tuple(texts or ())
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 256:
            _MEMO.clear()
        found = _MEMO[key] = Globs(key)
    return found


_MEMO: dict[tuple[str, ...], Globs] = {}
