"""Two ``RUN`` instructions in a row that could be one layer (hadolint DL3059, made quieter).

A ``RUN`` is reported when the instruction just before it in the stage (comments do not
count) is a ``RUN`` with the same flags (``--mount``, ``--network``, ``--security``), both
are shell form without here-documents, and each holds at most ``max_commands`` simple
commands — a longer ``RUN`` shows the author already groups commands and split these two
on purpose (for the build cache, or for readability).
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_commands": {"type": "integer", "minimum": 1,
                         "description": "the most simple commands each RUN may hold to be reported (default 2)"},
    },
}


@template("consecutive-runs", unit="stage", params=PARAMS)
class ConsecutiveRuns:
    def __init__(self, params: dict) -> None:
        self.max_commands = params.get("max_commands", 2)
        self.previous: Instruction | None = None

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.previous = None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        previous, self.previous = self.previous, instruction
        if instruction.keyword != "RUN" or previous is None or previous.keyword != "RUN":
            return
        if not (self._mergeable(instruction) and self._mergeable(previous)):
            return
        if _flags(instruction) != _flags(previous):
            return
        yield Hit(instruction.keyword_span, {"line": previous.span.line})

    def _mergeable(self, instruction: Instruction) -> bool:
        return (not instruction.json_form and not instruction.heredocs
                and 0 < len(instruction.commands) <= self.max_commands)

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _flags(instruction: Instruction) -> list[tuple[str, str]]:
    return sorted((flag.name, flag.value or "") for flag in instruction.flags)
