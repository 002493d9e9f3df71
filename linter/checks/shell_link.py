"""``ln … /bin/sh``: replacing the system shell with a link to another one (``bash``).

Only a link *named* ``/bin/sh`` (or ``/usr/bin/sh``, the same file on merged-/usr systems)
is reported — the last operand of ``ln``, or one inside ``-t /bin`` — not a link that
merely points at ``/bin/sh``.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import calls, normalize
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

_SHELLS = frozenset({"/bin/sh", "/usr/bin/sh"})


@template("shell-link", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN":
        return
    for call in calls(instruction):
        if call.tool != "ln":
            continue
        operands = [word for _, word in call.positionals()]
        directory = call.option_values("-t", "--target-directory")
        if directory:
            names = [(word, posixpath.join(directory[-1].resolved, posixpath.basename(word.resolved)))
                     for word in operands]
        elif len(operands) >= 2:
            names = [(operands[-1], operands[-1].resolved)]
        else:
            continue
        for word, name in names:
            if normalize(name) in _SHELLS:
                yield Hit(word.span, {"command": call.text(), "link": name})
                break
