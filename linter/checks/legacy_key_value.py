"""``ENV key value`` / ``LABEL key value``: the legacy form without ``=``, which sets one
variable to the whole rest of the line. The fix writes ``key=value`` (quoted when the value
has blanks) when the instruction is on one line and the value has no quotes or escapes.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Edit, Hit
from linter.model.span import Span

_PLAIN = re.compile(r"""[^"'\\`$]*$""")


@template("legacy-key-value", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword not in ("ENV", "LABEL") or not instruction.words or instruction.json_form:
        return
    key = instruction.words[0]
    if "=" in key.text:
        return
    parts = instruction.arguments.split(None, 1)
    if len(parts) < 2:
        return  # `ENV KEY` alone: the build fails on it anyway
    value = parts[1].strip()
    span = instruction.arguments_span
    edits: tuple[Edit, ...] = ()
    if span.line == span.end_line and _PLAIN.match(value) and key.text == parts[0]:
        written = f'"{value}"' if any(char.isspace() for char in value) else value
        edits = (Edit(Span(span.path, span.line, span.column, span.line, span.end_column), f"{key.text}={written}"),)
    yield Hit(key.span, {"keyword": instruction.keyword, "key": key.text}, edits)
