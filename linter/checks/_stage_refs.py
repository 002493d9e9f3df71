"""Shared helpers for templates that read instruction flags and stage references:
the span of a flag's value, and what a ``--from``/``from=`` reference names.
"""
from __future__ import annotations

from collections import namedtuple

from linter.model.dockerfile import Dockerfile, Flag, Instruction
from linter.model.span import Span


def flag_value_span(flag: Flag) -> Span:
    """The span of the value of ``--name=value`` (the whole flag when it cannot be narrowed)."""
    span = flag.span
    prefix = len(flag.name) + 3  # "--", the name, "="
    if span.line != span.end_line or span.end_column - span.column <= prefix:
        return span
    return Span(span.path, span.line, span.column + prefix, span.line, span.end_column)


def option_value_span(flag: Flag, key: str) -> Span:
    """The span of ``key=value`` inside a comma-separated flag value (``--mount=…,from=x``)."""
    span = flag.span
    value = flag.value or ""
    start = 0
    for part in value.split(","):
        name, eq, _ = part.partition("=")
        if eq and name.strip().lower() == key:
            offset = len(flag.name) + 3 + start + len(name) + 1
            if span.line == span.end_line and span.column + offset < span.end_column:
                return Span(span.path, span.line, span.column + offset, span.line,
                            span.column + offset + len(part) - len(name) - 1)
            return span
        start += len(part) + 1
    return span


# A stage reference: the text, where it is written, and the instruction holding it.
Reference = namedtuple("Reference", "text span instruction kind")


def stage_references(instruction: Instruction) -> list[Reference]:
    """``COPY --from=x`` / ``ADD --from`` and ``RUN --mount=…,from=x`` references."""
    out = []
    if instruction.keyword in ("COPY", "ADD"):
        flag = instruction.flag("from")
        if flag is not None and flag.value:
            out.append(Reference(flag.value, flag_value_span(flag), instruction, "COPY --from"))
    elif instruction.keyword == "RUN":
        for flag in instruction.flags:
            if flag.name == "mount":
                source = flag.options().get("from")
                if source:
                    out.append(Reference(source, option_value_span(flag, "from"), instruction, "RUN --mount from"))
    return out


def stage_index(dockerfile: Dockerfile, name: str) -> int | None:
    """The index of the stage an alias (case-insensitive) or a number names, else None."""
    stage = dockerfile.stage_by_name(name)
    return stage.index if stage is not None else None
