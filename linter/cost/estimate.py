"""What the cost model says about one thing: a size in bytes, how sure it is, and why.

``size`` is None when the model cannot tell: an unknown is reported as unknown, never as
zero. Confidence is one of :data:`CONFIDENCES`, best first.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable

CONFIDENCES = ("high", "medium", "low", "unknown")


def lowest(confidences: Iterable[str]) -> str:
    """The least sure of several confidences (``high`` when there are none)."""
    worst = 0
    for confidence in confidences:
        worst = max(worst, CONFIDENCES.index(confidence))
    return CONFIDENCES[worst]


class Estimate(namedtuple("Estimate", "size confidence notes unknown", defaults=((), 0))):
    """``size`` in bytes (None: unknown); ``notes`` the assumptions behind it, for a person;
    ``unknown`` how many parts of a combined estimate could not be sized (their bytes are
    missing from ``size``)."""

    __slots__ = ()

    @classmethod
    def unknown_size(cls, note: str) -> Estimate:
        return cls(None, "unknown", (note,), 1)

    @property
    def known(self) -> bool:
        return self.size is not None


def combine(parts: Iterable[Estimate]) -> Estimate:
    """The sum of several estimates: known sizes add up, unknown parts are counted, the
    confidence is the lowest one, notes are kept in order without repeats.

    All parts unknown gives an unknown size, not zero; no parts at all give zero."""
    size, confidences, notes, unknown, any_known = 0, [], [], 0, False
    for part in parts:
        confidences.append(part.confidence)
        notes.extend(note for note in part.notes if note not in notes)
        if part.size is None:
            unknown += max(part.unknown, 1)
        else:
            size += part.size
            unknown += part.unknown
            any_known = True
    if not confidences:
        return Estimate(0, "high")
    return Estimate(size if any_known else None, lowest(confidences), tuple(notes), unknown)
