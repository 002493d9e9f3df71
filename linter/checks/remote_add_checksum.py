"""``ADD https://…`` without ``--checksum``: the build takes whatever the URL serves that day.

Git sources (``….git``, ``…git#ref``, ``git@…``) are pinned by their ref instead and are
not reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import copy_operands
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

PARAMS = {"type": "object", "additionalProperties": False, "properties": {}}

# Text: compiled on the first ADD.
_HTTP = r"(?i)https?://"
_GIT = r"(?i)(\.git)(#|$|/?$)|^git@|^git://|^ssh://"


@template("remote-add-checksum", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "ADD" or instruction.flag("checksum") is not None \
            or instruction.flag("keep-git-dir") is not None:
        return
    sources, _ = copy_operands(instruction)
    for word in sources:
        url = word.resolved
        if re.match(_HTTP, url) and not re.search(_GIT, url.split("?", 1)[0]):
            yield Hit(word.span, {"url": word.text})
