"""An instruction that only counts once per stage (``CMD``, ``ENTRYPOINT``, ``HEALTHCHECK``)
written again in the same stage: only the last one takes effect.

Each repetition is reported, at its keyword, naming the line of the one it overrides
(where hadolint reports, so its ``ignore`` pragmas keep working).
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["keyword"],
    "properties": {"keyword": {"type": "string", "description": "the instruction keyword (upper case)"}},
}


@template("repeated-instruction", unit="stage", params=PARAMS)
class RepeatedInstruction:
    def __init__(self, params: dict) -> None:
        self.keyword = params["keyword"]
        self.previous: Instruction | None = None

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.previous = None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword != self.keyword:
            return
        if self.previous is not None:
            yield Hit(instruction.keyword_span, {"keyword": self.keyword, "line": self.previous.span.line})
        self.previous = instruction

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
