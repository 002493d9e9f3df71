"""What a check reports, once the engine has attached its rule."""
from __future__ import annotations

from collections import namedtuple

SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """Higher is more severe; ``never`` ranks above everything so nothing reaches it."""
    if severity == "never":
        return len(SEVERITIES) + 1
    return len(SEVERITIES) - SEVERITIES.index(severity)


class Edit(namedtuple("Edit", "span text")):
    """Replace the text a :class:`Span` covers in the file as it was read with ``text``.

    An empty span (``end`` equal to its start) inserts. ``text`` uses ``\\n`` for new lines;
    the fixer writes the file's own line ending. A span may end at column 1 of the line after
    the last one to reach the end of the file.
    """

    __slots__ = ()


class Finding(namedtuple("Finding", "code name severity message span edits", defaults=((),))):
    """A rule's code, name and effective severity, the rendered message, the :class:`Span`,
    and the :class:`Edit` objects that fix it (empty unless the rule declares a ``fix``;
    applied all together or not at all)."""

    __slots__ = ()

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code)


class Hit(namedtuple("Hit", "span context edits", defaults=((),))):
    """What a check yields: where (a :class:`Span`), the values its rule's message is filled
    with, and optionally the :class:`Edit` objects that would fix it."""

    __slots__ = ()
