"""A comment directly above an ``ARG`` or a named ``FROM`` that does not start with the
argument's or stage's name (BuildKit's experimental InvalidDefinitionDescription).

``docker buildx build --call=outline`` and ``--call=targets`` show such a comment as the
description of the argument or stage. Pragmas (``# hadolint …``, ``# dlint: …``,
``# checkov:…``, ``# trivy:…``, ``# check=…``) and parser directives are not descriptions.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Dockerfile, Instruction
from linter.model.finding import Hit

_PRAGMA = re.compile(r"#\s*(hadolint\b|dlint:|checkov:|trivy:|check\s*=|syntax\s*=|escape\s*=)", re.IGNORECASE)


@template("definition-description", unit="dockerfile", params={"type": "object", "additionalProperties": False})
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    comments = {comment.span.line: comment for comment in dockerfile.comments}
    for instruction in dockerfile.instructions:
        name = _defined_name(instruction)
        comment = comments.get(instruction.span.line - 1)
        if name is None or comment is None or _PRAGMA.match(comment.text):
            continue
        text = comment.text.lstrip("#").strip()
        if text and text.split(None, 1)[0] != name:
            yield Hit(comment.span, {"name": name, "keyword": instruction.keyword})


def _defined_name(instruction: Instruction) -> str | None:
    words = instruction.words
    if instruction.keyword == "ARG" and len(words) == 1:
        return words[0].text.partition("=")[0] or None
    if instruction.keyword == "FROM" and len(words) >= 3 and words[-2].text.lower() == "as":
        return words[-1].text
    return None
