"""Empty lines inside an instruction continued with the escape character (``\\``).

The builder skips them and keeps joining lines, so ``RUN a \\`` followed by an empty line
and ``RUN b`` runs ``a RUN b``; BuildKit warns that such lines will become an error.
Comment lines inside a continuation are allowed and do not end it; heredoc bodies are
text, not continuation lines.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Hit
from linter.model.span import Span


@template("empty-continuation", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    lines, escape = dockerfile.lines, dockerfile.escape
    for instruction in dockerfile.instructions:
        span = instruction.span
        if span.line == span.end_line:
            continue
        bodies = [heredoc.span for heredoc in instruction.heredocs]
        continued = False
        for number in range(span.line, span.end_line + 1):
            if any(body.line <= number <= body.end_line for body in bodies):
                break  # the heredoc bodies come after the instruction's own lines
            line = lines[number - 1]
            stripped = line.strip()
            if not stripped:
                if continued:
                    yield Hit(Span(dockerfile.path, number, 1, number, len(line) + 1), {"keyword": instruction.keyword,
                                                                                      "line": span.line})
            elif not stripped.startswith("#") or number == span.line:
                continued = line.rstrip(" \t").endswith(escape)
