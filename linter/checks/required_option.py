"""A command run without an option the rule asks for (``apt-get install --no-install-recommends``).

``options`` lists the spellings that satisfy the rule; any one is enough. ``env`` names
variables that do the same when set to one of the listed values (inline, exported, ``ENV``
or ``ARG``). ``config_patterns`` are regular expressions: when one matches the text of an
earlier ``RUN`` (or the same one) or ``COPY``/``ADD`` heredoc of the stage (or of the
stages it is built ``FROM``), the setting was made in a configuration file and every later
call is fine. ``piped_from`` names programs that answer the prompts the option would skip
(``yes | apt-get install …``): a call fed by one of them through a pipe is fine too.
``fix_option``, when the rule declares a fix, is inserted right after the matched command
words (``apt-get install --no-install-recommends …``; a new item in exec form).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, STRINGS_SCHEMA, Call, calls, match_any, patterns, run_text
from linter.checks._fixes import add_option
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
        "piped_from": {**STRINGS_SCHEMA, "description": "programs whose output piped into the call answers it"},
        "fix_option": {"type": "string", "description": "what --fix inserts after the command words"},
    },
}


@template("required-option", unit="stage", params=PARAMS)
class RequiredOption:
    def __init__(self, params: dict) -> None:
        self.commands = patterns(params["commands"])
        self.options = list(params["options"])
        self.env = {name: {value.lower() for value in values} for name, values in (params.get("env") or {}).items()}
        self.config = tuple(params.get("config_patterns", ()))
        self.piped_from = frozenset(params.get("piped_from", ()))
        self.fix_option = params.get("fix_option")
        self.configured: dict[int, bool] = {}
        # Texts of each stage not yet searched for config_patterns: they are searched only
        # once a call lacks the option, so most files never compile the patterns.
        self.unread: dict[int, list[str]] = {}
        self.bases: dict[int, int | None] = {}
        self.current = -1

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.current = stage.index
        self.configured[stage.index] = False
        self.unread[stage.index] = []
        base = stage.base.stage
        self.bases[stage.index] = base if base is not None and base < stage.index else None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword in ("COPY", "ADD") and instruction.heredocs:
            self._remember("\n".join(heredoc.body for heredoc in instruction.heredocs))
        if instruction.trigger is not None and instruction.trigger.keyword == "RUN":
            yield from self._check(instruction.trigger, None)  # ONBUILD RUN: runs in a child image
        if instruction.keyword != "RUN":
            return
        self._remember(run_text(instruction))
        yield from self._check(instruction, self.current)

    def _check(self, instruction: Instruction, stage_index: int | None) -> Iterator[Hit]:
        """The calls lacking the option, unless the stage ``stage_index`` configured it."""
        found = calls(instruction)
        for position, call in enumerate(found):
            matched = match_any(call, self.commands)
            if matched is None or call.has_option(*self.options):
                continue
            if self.piped_from and _fed_by(found, position, self.piped_from):
                continue
            if any((call.env.get(name, instruction.variables.get(name)) or "").lower() in values
                   for name, values in self.env.items()):
                continue
            if stage_index is not None and self._configured(stage_index):
                return
            edit = add_option(call, matched[1], self.fix_option, instruction) if self.fix_option else None
            yield Hit(call.span, {"command": call.text(), "option": self.options[0]}, (edit,) if edit else ())

    def _remember(self, text: str) -> None:
        if self.config and not self.configured[self.current]:
            self.unread[self.current].append(text)

    def _configured(self, index: int | None) -> bool:
        """The stage, or a stage it is built from, set the option in a configuration file."""
        while index is not None:
            if self.configured.get(index):
                return True
            texts = self.unread.get(index)
            if texts:
                self.unread[index] = []
                if any(pattern.search(text) for pattern in _compiled(self.config) for text in texts):
                    self.configured[index] = True
                    return True
            index = self.bases.get(index)
        return False

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _fed_by(found: list[Call], position: int, programs: frozenset[str]) -> bool:
    """The call reads a pipe whose writer is one of ``programs`` (``yes | apt-get install``)."""
    call = found[position]
    if call.command.operator != "|" or position == 0:
        return False
    writer = found[position - 1]
    return writer.command is not call.command and writer.tool in programs


@lru_cache(maxsize=64)
def _compiled(texts: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(text, re.IGNORECASE) for text in texts]
