"""What a check reports, once the engine has attached its rule."""
from __future__ import annotations

from dataclasses import dataclass

from linter.model.span import Span

SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """Higher is more severe; ``never`` ranks above everything so nothing reaches it."""
    if severity == "never":
        return len(SEVERITIES) + 1
    return len(SEVERITIES) - SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    span: Span

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check yields: where, and the values its rule's message is filled with."""

    span: Span
    context: dict
