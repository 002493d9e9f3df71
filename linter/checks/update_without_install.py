"""A package index refreshed in a ``RUN`` that installs nothing from it.

The layer holding the fresh index is cached by its command text, so later builds reuse
the old index while the ``RUN`` that installs changes — it then installs outdated versions
or fails on packages the mirror no longer has. An update counts as used only when a
command of the same package-manager family (``apt-get``/``apt``/``aptitude``,
``yum``/``dnf``/``microdnf``…) installs or upgrades after it in the same ``RUN``.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, calls, match_any, patterns
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
            yield Hit(call.span, {"command": call.text(), "tool": call.tool})
