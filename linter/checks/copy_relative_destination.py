"""``COPY``/``ADD`` to a relative destination in a stage that never set ``WORKDIR``: the
files land relative to whatever working directory the base image happens to have.

A ``WORKDIR`` in a stage this one is built ``FROM`` counts. A destination with a variable
of unknown value, a Windows path (``C:\\app``) and a stage rooted in ``scratch`` (whose
working directory is ``/``) are not reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import copy_operands
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

_WINDOWS = re.compile(r"[A-Za-z]:[\\/]")


@template("copy-relative-destination", unit="stage", params={"type": "object", "additionalProperties": False})
class CopyRelativeDestination:
    def __init__(self, params: dict) -> None:
        self.workdir: dict[int, bool] = {}
        self.scratch: dict[int, bool] = {}
        self.current = -1

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.current = stage.index
        parent = stage.base.stage
        self.workdir[stage.index] = self.workdir.get(parent, False) if parent is not None else False
        self.scratch[stage.index] = self.scratch.get(parent, False) if parent is not None else stage.base.is_scratch

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword == "WORKDIR":
            self.workdir[self.current] = True
            return
        if instruction.keyword not in ("COPY", "ADD") or self.workdir[self.current] or self.scratch[self.current]:
            return
        _, destination = copy_operands(instruction)
        if destination is None or destination.value is None:
            return
        path = destination.value.strip("\"'")
        if not path or path.startswith(("/", "\\")) or _WINDOWS.match(path):
            return
        yield Hit(destination.span, {"keyword": instruction.keyword, "destination": path})

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
