"""A build argument whose value changes on every build, declared above an expensive ``RUN``.

Both builders hand every ``ARG`` in scope to each later ``RUN`` of the stage as an
environment variable (BuildKit adds it to the state's environment, so it is part of the
``RUN``'s cache key; the legacy builder documents the same). A commit SHA, build date or
CI build number is therefore a cache miss for *every* ``RUN`` below its declaration, used
or not. ``LABEL``/``ENV`` lines that read it can only come after it, so the declaration is
where the cost starts and where the finding points.

A declaration is harmless when the first ``RUN`` that mentions the variable comes before
any expensive ``RUN`` (that layer must rebuild anyway, and everything after it with it).
Stages built ``FROM`` this one inherit the arguments, so a pending declaration follows them.
"""
from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import PATTERNS_SCHEMA, STRINGS_SCHEMA, StageTracker, calls, match_any, patterns, run_text
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names", "expensive"],
    "properties": {
        "names": {**STRINGS_SCHEMA, "description": "regular expressions (full match, any case) of volatile names"},
        "exclude": {**STRINGS_SCHEMA, "description": "regular expressions of names that are never volatile"},
        "expensive": {**PATTERNS_SCHEMA, "description": "commands that make a RUN slow to rebuild"},
    },
}

# A declaration still waiting for the first RUN after it.
_Pending = namedtuple("_Pending", "name span")


@template("volatile-arg", unit="stage", params=PARAMS)
class VolatileArg:
    def __init__(self, params: dict) -> None:
        self.params = params
        self._names: tuple[list, list] | None = None  # compiled at the first ARG, ENV or LABEL
        self.expensive = patterns(params["expensive"])
        self.tracker = StageTracker()
        self.pending: list[_Pending] = []
        self.ends: dict[int, list[_Pending]] = {}

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.tracker.begin(stage)
        parent = stage.base.stage
        self.pending = list(self.ends.get(parent, [])) if parent is not None else []

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.ends[stage.index] = self.pending
        return None

    def _volatile(self, name: str) -> bool:
        if self._names is None:
            self._names = ([re.compile(text, re.IGNORECASE) for text in self.params["names"]],
                           [re.compile(text, re.IGNORECASE) for text in self.params.get("exclude", [])])
        names, exclude = self._names
        return any(p.fullmatch(name) for p in names) and not any(p.fullmatch(name) for p in exclude)

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword == "ARG":
            for word in instruction.words:
                name = word.text.partition("=")[0]
                if name and self._volatile(name) and all(p.name != name for p in self.pending):
                    self.pending.append(_Pending(name, word.span))
        elif instruction.keyword == "RUN" and self.pending:
            yield from self._run(instruction)

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        text = run_text(instruction)
        used = {p.name for p in self.pending if re.search(r"\$\{?" + re.escape(p.name) + r"\b", text)}
        expensive = None
        for call in calls(instruction, self.tracker.workdir):
            if match_any(call, self.expensive) is not None:
                expensive = call
                break
        remaining = []
        for pending in self.pending:
            if pending.name in used:
                continue  # this RUN needs the value: it and everything after it rebuild anyway
            if expensive is None:
                remaining.append(pending)
                continue
            yield Hit(pending.span, {"name": pending.name, "command": expensive.text(), "line": expensive.line})
        self.pending = remaining
