"""Two tools that do the same job both used in one stage (``curl`` and ``wget``).

Once every tool of ``tools`` has been used in the stage, each ``RUN`` that uses one of them
is reported at its first such call (where hadolint reports). Only the stages that ship are
checked — the final stage and the stages it is built ``FROM`` — since a builder's tools
never reach the image; ``ONBUILD RUN`` triggers count too.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import calls, shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["tools"],
    "properties": {"tools": {"type": "array", "items": {"type": "string"}, "minItems": 2}},
}


@template("mixed-tools", unit="stage", params=PARAMS)
class MixedTools:
    def __init__(self, params: dict) -> None:
        self.tools = frozenset(params["tools"])
        self.seen: dict[str, int] = {}
        self.shipping: set[int] = set()
        self.active = False

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.active = stage.index in self.shipping
        self.seen = {}

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        run = instruction.trigger if instruction.keyword == "ONBUILD" else instruction
        if not self.active or run is None or run.keyword != "RUN":
            return
        used = [call for call in calls(run) if call.tool in self.tools]
        for call in used:
            self.seen.setdefault(call.tool, call.line)
        if used and len(self.seen) == len(self.tools):
            call = used[0]
            others = sorted((line, tool) for tool, line in self.seen.items() if tool != call.tool)
            yield Hit(call.span, {"tool": call.tool, "other": others[0][1], "line": others[0][0]})

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
