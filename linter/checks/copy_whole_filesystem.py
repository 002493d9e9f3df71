"""``COPY --from=<stage> / /``: a stage's whole filesystem copied over another image.

Every file of the source — its base image included — is stored again in one new layer on
top of a base that already has most of them. Copying onto ``scratch`` (flattening a stage
into one layer) is the exception: there is nothing below to duplicate.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import copy_operands, normalize
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

_WHOLE = frozenset({"/", "/*"})


@template("copy-whole-filesystem", unit="stage", params={"type": "object", "additionalProperties": False})
class CopyWholeFilesystem:
    def __init__(self, params: dict) -> None:
        self.scratch: dict[int, bool] = {}

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        parent = stage.base.stage
        self.scratch[stage.index] = self.scratch.get(parent, False) if parent is not None else stage.base.is_scratch

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        source = instruction.flag("from")
        if instruction.keyword != "COPY" or source is None or self.scratch[stage.index]:
            return
        sources, destination = copy_operands(instruction)
        if destination is None or normalize(destination.resolved) != "/":
            return
        for word in sources:
            if normalize(word.resolved) in _WHOLE:
                yield Hit(word.span, {"source": source.value})
                return

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
