"""``ENV A=1 B=$A``: a value that refers to a variable set earlier in the *same* ``ENV``.

Docker substitutes every value of an ``ENV`` with the variables as they were *before* the
instruction, so ``B`` gets the old ``A`` — empty when nothing defined it before. Reported
only when no ``ARG`` or ``ENV`` of the stage (or of a stage it is built ``FROM``) defined
the name earlier; a variable referring to its own old value (``PATH=/x:$PATH``) is fine.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import pairs, part_span, references, word_raw
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit


@template("env-self-reference", unit="stage", params={"type": "object", "additionalProperties": False})
class EnvSelfReference:
    def __init__(self, params: dict) -> None:
        self.defined: dict[int, set[str]] = {}
        self.global_args: set[str] = set()
        self.current: set[str] = set()

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        inherited = self.defined.get(stage.base.stage, set()) if stage.base.stage is not None else set()
        self.current = self.defined[stage.index] = set(inherited)

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword not in ("ENV", "ARG"):
            return
        found = pairs(instruction)
        if instruction.keyword == "ENV" and len(found) > 1 and not found[0].legacy:
            yield from self._check(instruction, found)
        self.current.update(pair.name for pair in found)

    def _check(self, instruction: Instruction, found: list) -> Iterator[Hit]:
        for position, pair in enumerate(found[1:], 1):
            earlier = {item.name for item in found[:position]} - {pair.name} - self.current
            if not earlier:
                continue
            raw = word_raw(instruction, pair.word)
            text = raw if raw is not None else pair.word.text
            offset = text.find("=") + 1
            for ref in references(text[offset:]):
                if ref.name in earlier:
                    span = part_span(pair.word, offset + ref.start, offset + ref.end) if raw else pair.word.span
                    yield Hit(span, {"variable": ref.name, "name": pair.name})

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
