"""``FROM --platform=$TARGETPLATFORM``: the platform a stage is built for by default,
written out. The fix removes the flag (when it and the image are on one line).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Edit, Hit
from linter.model.span import Span

_TARGET = re.compile(r"""(["']?)\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})\1$""")


@template("redundant-platform", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "FROM" or not instruction.words:
        return
    flag = instruction.flag("platform")
    if flag is None or not _TARGET.match(flag.value or ""):
        return
    image = instruction.words[0].span
    span = flag.span
    edits = ()
    if span.end_line == image.line and (span.line, span.column) < (image.line, image.column):
        edits = (Edit(Span(span.path, span.line, span.column, image.line, image.column), ""),)
    yield Hit(span, {"platform": flag.value}, edits)
