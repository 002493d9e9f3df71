"""What every check of a clash between Compose services asks: can these two services run at
the same time (profiles), and where to report a value a service did not write itself (one it
inherits through ``extends`` or a YAML merge key shares its node with the service it came from).
"""
from __future__ import annotations

from linter.model.compose import ComposeFile, Service
from linter.model.span import Span


def run_together(first: Service, second: Service) -> bool:
    """False only for services that are alternatives: each lists profiles, and they share none
    (``app`` under ``cpu``, ``app-gpu`` under ``gpu``). A service without profiles always starts."""
    mine = {profile.value for profile in first.profiles}
    theirs = {profile.value for profile in second.profiles}
    return not mine or not theirs or not mine.isdisjoint(theirs)


def inherited_anchor(compose: ComposeFile, service: Service) -> Span:
    """Where to report a value ``service`` shares with the service it was written for: its
    ``extends`` key when it has one, else the service's own key."""
    extends = compose.raw.at("services", service.name, "extends") if compose.raw is not None else None
    return extends.anchor if extends is not None else service.anchor


def line_of(span: Span, reported_in: str) -> str:
    """``line 6``, or ``line 6 of compose.override.yaml`` when the finding is in another file."""
    return f"line {span.line}" if span.path == reported_in else f"line {span.line} of {span.path}"
