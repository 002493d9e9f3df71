"""A package index refreshed in a ``RUN`` that installs nothing from it.

The layer holding the fresh index is cached by its command text, so later builds reuse
the old index while the ``RUN`` that installs changes — it then installs outdated versions
or fails on packages the mirror no longer has. An update counts as used only when a
command of the same package-manager family (``apt-get``/``apt``/``aptitude``,
``yum``/``dnf``/``microdnf``…) installs or upgrades after it in the same ``RUN``.

The fix merges a ``RUN`` that is nothing but the update into the ``RUN`` right after it,
when that one installs with the same package manager: ``RUN apt-get update && <its
commands>``. Only when the result fails exactly when one of the two would have: the next
``RUN`` is shell form without heredocs, its commands are joined by ``&&`` or ``|`` only, and
it has no flag but ``--mount`` (``--network=none`` would starve the update).
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, Call, calls, match_any, patterns
from linter.checks._fixes import delete_lines, insert_at
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "updates": {**PATTERNS_SCHEMA, "description": "commands that refresh a package index"},
        "installs": {**PATTERNS_SCHEMA, "description": "commands that read the index (install, upgrade…)"},
    },
}


@template("update-without-install", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN":
        return
    updates = patterns(params.get("updates"))
    installs = patterns(params.get("installs"))
    found = calls(instruction)
    for position, call in enumerate(found):
        if match_any(call, updates) is None:
            continue
        used = any(later.family == call.family and match_any(later, installs) is not None
                   for later in found[position + 1:])
        if not used:
            yield Hit(call.span, {"command": call.text(), "tool": call.tool},
                      _merge(instruction, stage, call, updates, installs) if len(found) == 1 else ())


def _merge(instruction: Instruction, stage: Stage | None, call: Call, updates, installs) -> tuple:
    """Edits moving a ``RUN`` that only updates to the front of the next ``RUN``, or ()."""
    commands = instruction.commands
    if (stage is None or instruction.json_form or instruction.heredocs or instruction.flags
            or len(commands) != 1 or commands[0].span != instruction.arguments_span
            or instruction.span.line != instruction.span.end_line):
        return ()
    position = next((index for index, other in enumerate(stage.instructions) if other is instruction), None)
    if position is None or position + 1 >= len(stage.instructions):
        return ()  # an ONBUILD trigger, or the last instruction of its stage
    following = stage.instructions[position + 1]
    if (following.keyword != "RUN" or following.json_form or following.heredocs or not following.commands
            or any(flag.name != "mount" for flag in following.flags)
            or any(command.operator not in ("&&", "|") for command in following.commands[1:])):
        return ()
    for later in calls(following):
        if later.family != call.family:
            continue
        if match_any(later, updates) is not None:
            return ()  # it updates already: the merge would run two updates
        if match_any(later, installs) is not None:
            start = following.arguments_span
            return (delete_lines(instruction.span),
                    insert_at(start.line, start.column, start.path, f"{instruction.arguments} && "))
    return ()
