""".dockerignore text to :class:`DockerIgnore`, matched the way Docker matches it.

Reading follows Docker's ignore-file reader: a UTF-8 byte order mark is dropped, lines end at
``\\n`` (a final ``\\r`` is dropped), a line whose first character is ``#`` is a comment (so
``  # x`` is a pattern, not a comment), surrounding white space is trimmed and empty lines are
skipped. ``!`` negates; the rest is trimmed again, cleaned like Go's ``filepath.Clean``
(``./a//b/`` is ``a/b``) and loses a leading ``/``: patterns are relative to the context root.

Matching follows moby's ``patternmatcher``: ``*`` and ``?`` never match ``/``; ``[...]`` classes
(``^`` negates) and ``\\`` escapes work as in Go's ``filepath.Match``; ``**`` matches any number
of directories, including none. A pattern that begins with ``**`` and has no other wildcard
matches any path ending with the rest (moby's suffix match), so ``**.pyc`` is every ``.pyc``
file. A pattern also matches everything below a directory it matches, the last pattern that
matches decides, and a later ``!`` pattern can re-include a path below an excluded directory.

Docker refuses to build with a pattern that is only ``!`` or that does not compile (an unclosed
``[``, a trailing ``\\``, a range such as ``[z-a]``). Here such a pattern is left out of
matching and listed in :attr:`DockerIgnore.problems`, so a caller can report it.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable

from linter.model.dockerfile import ParseProblem
from linter.model.span import Span

# Go's unicode.IsSpace, which Docker trims with; str.strip() would also strip \x1c-\x1f.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"
_WILDCARDS = frozenset("*?[]\\")
_GLOB_START = frozenset("*?[\\")
_NEEDS_CLEANING = re.compile(r"(?:^|/)\.\.?(?:/|$)|//|^/|/$").search


class IgnorePattern(namedtuple("IgnorePattern", "text negated span")):
    """One pattern of the file: ``text`` as cleaned, without its ``!``; ``span`` covers the
    line's trimmed text, ``!`` included."""

    __slots__ = ()


class DockerIgnore:
    """One ignore file: ``patterns`` are the ones matching uses, in file order; ``problems``
    the lines Docker would reject, left out of matching."""

    __slots__ = ("path", "patterns", "problems", "_rules", "_reinclude_prefixes")

    def __init__(self, path: str, patterns: list[IgnorePattern], problems: list[ParseProblem],
                 matchers: list[Callable[[str], object]]) -> None:
        self.path = path
        self.patterns = patterns
        self.problems = problems
        self._rules = tuple((pattern.negated, matcher) for pattern, matcher in zip(patterns, matchers))
        self._reinclude_prefixes = tuple(_literal_dirs(p.text) for p in patterns if p.negated)

    def excludes(self, relpath: str) -> bool:
        """Whether the file or directory at ``relpath`` ('/'-separated, relative to the context
        root) is left out of the build context."""
        if _NEEDS_CLEANING(relpath):
            relpath = clean(relpath).lstrip("/")
        if relpath in (".", ""):
            return False  # Docker never excludes the context root itself
        excluded = False
        for negated, matches in self._rules:
            # a pattern can only change the outcome when it points the other way
            if negated == excluded and matches(relpath):
                excluded = not negated
        return excluded

    def reincludes_below(self, directory: str) -> bool:
        """Whether a ``!`` pattern could re-include a path below ``directory``, so an excluded
        directory must still be walked. Errs towards True."""
        parts = clean(directory).lstrip("/").split("/")
        for prefix in self._reinclude_prefixes:
            common = min(len(prefix), len(parts))
            if prefix[:common] == parts[:common]:
                return True
        return False


def parse_dockerignore(text: str, path: str) -> DockerIgnore:
    """Read ignore-file ``text``; ``path`` is where it came from (for spans)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    patterns: list[IgnorePattern] = []
    problems: list[ParseProblem] = []
    matchers: list[Callable[[str], object]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("#"):
            continue
        written = line.strip(_GO_SPACE)
        if not written:
            continue
        start = len(line) - len(line.lstrip(_GO_SPACE)) + 1
        span = Span(path, number, start, number, start + len(written))
        negated, cleaned = _clean_pattern(written)
        if negated and not cleaned:
            problems.append(ParseProblem(f"`{written}` negates nothing: a pattern cannot be only `!`", span))
            continue
        try:
            source = _translate(cleaned, double_star=True)
        except ValueError as error:
            problems.append(ParseProblem(f"`{written}` is not a valid pattern: {error}", span))
            continue
        patterns.append(IgnorePattern(cleaned, negated, span))
        matchers.append(re.compile(f"(?:{source})(?:/.*)?", re.DOTALL).fullmatch)
    return DockerIgnore(path, patterns, problems, matchers)


def glob_matcher(pattern: str) -> Callable[[str], object]:
    """A matcher for one path component with Go's ``filepath.Match`` rules (the wildcards of
    ``COPY`` sources: ``**`` is no more than ``*``). Raises ValueError for a bad pattern."""
    return re.compile(_translate(pattern, double_star=False), re.DOTALL).fullmatch


def has_wildcards(component: str) -> bool:
    """Whether a path component holds an unescaped ``*``, ``?`` or ``[`` (BuildKit's test for
    a ``COPY`` source that must be expanded)."""
    index = 0
    while index < len(component):
        char = component[index]
        if char == "\\":
            index += 2
            continue
        if char in "*?[":
            return True
        index += 1
    return False


def clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent path ('.' for an empty one)."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    joined = "/".join(parts)
    if rooted:
        return "/" + joined
    return joined or "."


def _clean_pattern(written: str) -> tuple[bool, str]:
    """(negated, cleaned text) as Docker's reader and then its matcher prepare a line."""
    negated = written.startswith("!")
    body = written[1:].strip(_GO_SPACE) if negated else written
    if body:
        body = clean(body)
        if len(body) > 1 and body.startswith("/"):
            body = body[1:]
    if negated:
        # the matcher cleans "!" + body once more: "!/" becomes "!", a bare negation
        return True, clean("!" + body)[1:]
    return False, body


def _literal_dirs(pattern: str) -> list[str]:
    """The leading components of a pattern that hold no wildcard."""
    literal = []
    for part in pattern.split("/"):
        if any(char in _GLOB_START for char in part):
            break
        literal.append(part)
    return literal


def _translate(pattern: str, double_star: bool) -> str:
    """Regular-expression source for a cleaned pattern; ValueError where Docker rejects it."""
    rest = pattern[2:]
    if double_star and pattern.startswith("**") and not any(char in _WILDCARDS for char in rest):
        if rest.startswith("/"):
            return "(?:.*/)?" + re.escape(rest[1:])
        return ".*" + re.escape(rest)
    out: list[str] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        index += 1
        if char == "*" and double_star and pattern.startswith("*", index):
            index += 1
            if pattern.startswith("/", index):
                index += 1
            piece = ".*" if index == length else "(?:.*/)?"
            if not (out and out[-1] == piece == "(?:.*/)?"):  # "**/**/" is "**/": keep matching linear
                out.append(piece)
        elif char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\":
            if index == length:
                raise ValueError("it ends with an escaping `\\`")
            out.append(re.escape(pattern[index]))
            index += 1
        elif char == "[":
            piece, index = _character_class(pattern, index)
            out.append(piece)
        else:
            out.append(re.escape(char))
    return "".join(out)


def _character_class(pattern: str, index: int) -> tuple[str, int]:
    """The class opened just before ``index``: (regex source, index after its ``]``)."""
    negated = pattern.startswith("^", index)
    if negated:
        index += 1
    ranges: list[str] = []
    while True:
        if pattern.startswith("]", index) and ranges:
            return ("[^" if negated else "[") + "".join(ranges) + "]", index + 1
        low, index = _class_member(pattern, index)
        high = low
        if pattern.startswith("-", index):
            high, index = _class_member(pattern, index + 1)
        if low > high:
            raise ValueError(f"the range `{low}-{high}` is out of order")
        ranges.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")


def _class_member(pattern: str, index: int) -> tuple[str, int]:
    """One character of a class (Go's ``getEsc``): (character, index after it)."""
    if index >= len(pattern) or pattern[index] in "-]":
        raise ValueError("a `[` class is empty, unclosed or has a stray `-`")
    if pattern[index] == "\\":
        index += 1
        if index >= len(pattern):
            raise ValueError("a `[` class is not closed")
    index += 1
    if index >= len(pattern):
        raise ValueError("a `[` class is not closed")
    return pattern[index - 1], index
