"""An instruction keyword that should not be used (``MAINTAINER``), or that must not be an
``ONBUILD`` trigger (``ONBUILD ONBUILD``, ``ONBUILD FROM``, ``ONBUILD MAINTAINER``).

The engine calls instruction templates for every instruction and again for the trigger an
``ONBUILD`` wraps; triggers are left to the ``as_trigger`` form, so ``ONBUILD MAINTAINER``
is reported once. ``replacement`` (``LABEL org.opencontainers.image.authors``) turns the
instruction's text into a ``LABEL`` with that key: the fix.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Edit, Hit
from linter.model.span import Span

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["keywords"],
    "properties": {
        "keywords": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                     "description": "instruction keywords (upper case)"},
        "as_trigger": {"type": "boolean",
                       "description": "report them only as the trigger of an ONBUILD (default false: anywhere)"},
        "label": {"type": "string", "description": "the LABEL key whose value the instruction's text becomes (fix)"},
    },
}


@template("forbidden-instruction", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    keywords = params["keywords"]
    if params.get("as_trigger"):
        trigger = instruction.trigger
        if instruction.keyword == "ONBUILD" and trigger is not None and trigger.keyword in keywords:
            yield Hit(trigger.keyword_span, {"keyword": trigger.keyword})
        return
    if instruction.keyword not in keywords or stage is not None and instruction.stage_index != stage.index:
        return  # a trigger has no stage of its own
    yield Hit(instruction.keyword_span, {"keyword": instruction.keyword}, _as_label(instruction, params.get("label")))


def _as_label(instruction: Instruction, key: str | None) -> tuple[Edit, ...]:
    """``MAINTAINER Jane <j@x>`` → ``LABEL key="Jane <j@x>"`` (one-line instructions only)."""
    start, end = instruction.keyword_span, instruction.arguments_span
    text = instruction.arguments.strip()
    # LABEL expands `$VAR` and reads the file's escape character (`\` or a backtick, which
    # this template cannot see) inside quotes, where MAINTAINER took its text as it stood.
    if not key or not text or start.line != end.end_line or any(ch in text for ch in '"\\$`'):
        return ()
    return (Edit(Span(start.path, start.line, start.column, end.end_line, end.end_column), f'LABEL {key}="{text}"'),)
