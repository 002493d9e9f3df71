"""A stage name (``FROM … AS name``) that is reserved (``scratch``, ``context``) or not
written in lower case. The lower-case fix rewrites the name where it is defined; Docker
matches stage names without regard to case, so references to it keep working.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Edit, Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "reserved": {"type": "array", "items": {"type": "string"},
                     "description": "names a stage must not have (compared in lower case)"},
        "lowercase": {"type": "boolean", "description": "report names that are not all lower case"},
    },
}


@template("stage-name", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "FROM" or stage is None or stage.alias is None or len(instruction.words) < 3:
        return
    word = instruction.words[-1]
    name = stage.alias
    if name.lower() in {reserved.lower() for reserved in params.get("reserved", ())}:
        yield Hit(word.span, {"stage": name})
    elif params.get("lowercase") and name != name.lower():
        simple = word.text == name and word.span.end_column - word.span.column == len(name)
        yield Hit(word.span, {"stage": name, "lowercase": name.lower()},
                  (Edit(word.span, name.lower()),) if simple else ())
