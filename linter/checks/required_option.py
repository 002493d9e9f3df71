"""A command run without an option the rule asks for (``apt-get install --no-install-recommends``).

``options`` lists the spellings that satisfy the rule; any one is enough. ``env`` names
variables that do the same when set to one of the listed values (inline, exported, ``ENV``
or ``ARG``). ``config_patterns`` are regular expressions: when one matches the text of an
earlier ``RUN`` (or the same one) or ``COPY``/``ADD`` heredoc of the stage (or of the
stages it is built ``FROM``), the setting was made in a configuration file and every later
call is fine.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, STRINGS_SCHEMA, calls, match_any, patterns, run_text
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["commands", "options"],
    "properties": {
        "commands": PATTERNS_SCHEMA,
        "options": {**STRINGS_SCHEMA, "minItems": 1,
                    "description": "accepted spellings: `--flag`, `-y`, or an option and its value `-o KEY=VALUE`"},
        "env": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "config_patterns": STRINGS_SCHEMA,
    },
}


@template("required-option", unit="stage", params=PARAMS)
class RequiredOption:
    def __init__(self, params: dict) -> None:
        self.commands = patterns(params["commands"])
        self.options = list(params["options"])
        self.env = {name: {value.lower() for value in values} for name, values in (params.get("env") or {}).items()}
        self.config = [re.compile(text, re.IGNORECASE) for text in params.get("config_patterns", ())]
        self.configured: dict[int, bool] = {}
        self.current = -1

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.current = stage.index
        self.configured[stage.index] = bool(stage.base.stage is not None and self.configured.get(stage.base.stage))

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword in ("COPY", "ADD") and instruction.heredocs:
            self._configure("\n".join(heredoc.body for heredoc in instruction.heredocs))
        if instruction.trigger is not None and instruction.trigger.keyword == "RUN":
            yield from self._check(instruction.trigger)  # ONBUILD RUN: runs in a child image
        if instruction.keyword != "RUN":
            return
        self._configure(run_text(instruction))
        if not self.configured[self.current]:
            yield from self._check(instruction)

    def _check(self, instruction: Instruction) -> Iterator[Hit]:
        for call in calls(instruction):
            if match_any(call, self.commands) is None or call.has_option(*self.options):
                continue
            if any((call.env.get(name, instruction.variables.get(name)) or "").lower() in values
                   for name, values in self.env.items()):
                continue
            yield Hit(call.span, {"command": call.text(), "option": self.options[0]})

    def _configure(self, text: str) -> None:
        if any(pattern.search(text) for pattern in self.config):
            self.configured[self.current] = True

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
