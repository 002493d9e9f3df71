"""An ``EXPOSE`` port that cannot exist: above 65535, a range that runs backwards, or not a
number at all (``EXPOSE http``) — the build fails on it, or the metadata is nonsense.

Each port is checked after ``ARG``/``ENV`` substitution; a port built from a variable with
no known value is skipped. A protocol suffix (``/tcp``, ``/udp``, ``/sctp``) is allowed. Words
with a ``:`` (an address or a host mapping) are left to the rule about EXPOSE's format.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

_PORT = re.compile(r"(\d+)(?:-(\d+))?$")
_HIGHEST = 65535


@template("expose-port", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "EXPOSE":
        return
    for word in instruction.words:
        value = word.value
        if value is None or not value or ":" in value:
            continue
        problem = _problem(value.split("/", 1)[0])
        if problem:
            yield Hit(word.span, {"port": value, "problem": problem})


def _problem(port: str) -> str | None:
    found = _PORT.match(port)
    if not found:
        return "it is not a port number or a range such as `8000-8010`"
    start, end = int(found.group(1)), int(found.group(2) or found.group(1))
    if max(start, end) > _HIGHEST:
        return f"ports go up to {_HIGHEST}"
    if end < start:
        return "the range ends below its start"
    return None
