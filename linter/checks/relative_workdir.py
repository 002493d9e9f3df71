"""The first ``WORKDIR`` of a stage is a relative path, so where it lands depends on the base
image's working directory, which this file does not set and which can change.

Like BuildKit's WorkdirRelativePath, only the first ``WORKDIR`` of a stage is checked: once
it is absolute, later relative ones resolve against it. A stage built ``FROM`` an earlier
stage of the file inherits that stage's state. A path that starts with a variable
(``$HOME/app``) is taken to be absolute; Windows paths (``C:\\app``, ``\\app``) are absolute.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

_ABSOLUTE = re.compile(r"([A-Za-z]:)?[\\/]|\$")


@template("relative-workdir", unit="stage", params={"type": "object", "additionalProperties": False})
class RelativeWorkdir:
    def __init__(self, params: dict) -> None:
        self.ends: dict[int, bool] = {}  # stage index -> an absolute WORKDIR is known at its end
        self.current = -1

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.current = stage.index
        self.ends[stage.index] = stage.base.stage is not None and self.ends.get(stage.base.stage, False)

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword != "WORKDIR" or not instruction.words:
            return
        word = instruction.words[0]
        if not self.ends[self.current] and not _ABSOLUTE.match(word.resolved) and not _ABSOLUTE.match(word.text):
            yield Hit(word.span, {"path": word.text})
        self.ends[self.current] = True  # every later relative WORKDIR is fixed by fixing this one

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
