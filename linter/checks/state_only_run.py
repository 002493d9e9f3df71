"""A ``RUN`` that only changes the state of its own shell: ``cd``, ``export``, ``source``,
``umask``, ``set``, ``alias``, a bare ``VAR=value``… Each ``RUN`` starts a new shell, so the
change is gone when it ends and the next instruction sees nothing of it.

Only a ``RUN`` whose every command is such a built-in is reported (at its first command):
``RUN cd /app && make`` uses the ``cd`` and is fine. Exec-form ``RUN`` and programs run
through ``sh -c`` are not looked into.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.model.dockerfile import Instruction, ShellCommand, Stage
from linter.model.finding import Hit

# Built-in -> what to do instead.
_WORKDIR, _ENV, _SAME_RUN = "use `WORKDIR`", "use `ENV`", "do it in the `RUN` that needs it"
_ADVICE = {
    "cd": _WORKDIR, "pushd": _WORKDIR, "popd": _WORKDIR,
    "export": _ENV, "declare": _ENV, "typeset": _ENV, "readonly": _ENV, "local": _ENV, "unset": _ENV,
    "source": _SAME_RUN, ".": _SAME_RUN, "umask": _SAME_RUN, "ulimit": _SAME_RUN, "hash": _SAME_RUN,
    "set": "set it in the `RUN` that needs it (or with `SHELL`)",
    "shopt": "set it in the `RUN` that needs it (or with `SHELL`)",
    "alias": "put the command in a script on the `PATH`", "unalias": "put the command in a script on the `PATH`",
}


# `RUN A=1 B="x y"`: the shell splitter keeps no command for bare assignments.
# Text, compiled on first use through re's cache.
_ASSIGNMENT = r"""[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|[^\s;&|"']*)"""
_ASSIGNMENTS = r"(%s\s*)+" % _ASSIGNMENT


@template("state-only-run", unit="instruction", params={"type": "object", "additionalProperties": False})
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN" or instruction.json_form:
        return
    if not instruction.commands:
        if not instruction.heredocs and re.fullmatch(_ASSIGNMENTS, instruction.arguments):
            shown = re.match(_ASSIGNMENT, instruction.arguments).group()
            yield Hit(instruction.arguments_span, {"command": shown, "builtin": "=", "advice": _ENV})
        return
    builtins = [_builtin(command) for command in instruction.commands]
    if None in builtins:
        return
    first = instruction.commands[0]
    word = (first.words or first.assignments)[0]
    advice = _ADVICE.get(builtins[0], _ENV)
    shown = " ".join(w.text for w in (first.assignments + first.words)[:4])
    yield Hit(word.span, {"command": shown, "builtin": builtins[0], "advice": advice})


def _builtin(command: ShellCommand) -> str | None:
    """The state built-in a command runs (``"="`` for a bare assignment), else None."""
    if not command.words:
        return "=" if command.assignments else None
    name = command.words[0].resolved
    return name if name in _ADVICE else None
