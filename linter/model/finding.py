"""What a check reports, once the engine has attached its rule."""
from __future__ import annotations

from collections import namedtuple

SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """Higher is more severe; ``never`` ranks above everything so nothing reaches it."""
    if severity == "never":
        return len(SEVERITIES) + 1
    return len(SEVERITIES) - SEVERITIES.index(severity)


class Finding(namedtuple("Finding", "code name severity message span")):
    """A rule's code, name and effective severity, the rendered message, and the :class:`Span`."""

    __slots__ = ()

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code)


class Hit(namedtuple("Hit", "span context")):
    """What a check yields: where (a :class:`Span`), and the values its rule's message is filled with."""

    __slots__ = ()
