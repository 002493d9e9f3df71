"""The user the image runs as is given by name (``USER app``) rather than by number.

Only the ``USER`` that decides the image's user is read: the last one of the final stage,
or of the stage it is built ``FROM``. ``root`` is left to the rules about running as root;
a name from a variable with no known value is skipped, and so are Windows images (their
users, ``ContainerUser``, have no uid, and Kubernetes' ``runAsNonRoot`` does not apply).
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import ancestry, is_windows
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit


@template("named-user", unit="stage", params={"type": "object", "additionalProperties": False})
class NamedUser:
    def __init__(self, params: dict) -> None:
        self.last: dict[int, Instruction] = {}

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword == "USER" and instruction.words:
            self.last[stage.index] = instruction
        return iter(())

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> Iterator[Hit]:
        if not stage.is_final:
            return
        user = next((self.last[s.index] for s in ancestry(stage, dockerfile.stages) if s.index in self.last), None)
        if user is None:
            return
        word = user.words[0]
        if word.value is None or is_windows(stage, dockerfile.stages, dockerfile.escape):
            return
        name, _, group = word.value.partition(":")
        if name and not name.isdigit() and name != "root":
            yield Hit(word.span, {"user": name})

