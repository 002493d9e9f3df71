"""Source positions."""
from __future__ import annotations

from collections import namedtuple


class Span(namedtuple("Span", "path line column end_line end_column")):
    """A region of one file: 1-based lines and columns; ``end_column`` is exclusive.

    Columns count characters (code points), not bytes, so they match what an editor shows.
    Model records are named tuples rather than dataclasses because a pre-commit hook pays
    for every millisecond of start-up, and creating dataclasses costs milliseconds each.
    """

    __slots__ = ()

    def cover(self, other: Span) -> Span:
        """The smallest span holding both ``self`` and ``other`` (same file)."""
        start = min((self.line, self.column), (other.line, other.column))
        end = max((self.end_line, self.end_column), (other.end_line, other.end_column))
        return Span(self.path, start[0], start[1], end[0], end[1])
