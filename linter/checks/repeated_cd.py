"""Several ``RUN`` instructions of a stage that each start by changing into the same directory
(``RUN cd /app && …``) — the job ``WORKDIR`` does once, for every later instruction.

A ``RUN`` counts when its first command (after any ``set -e``-style line) is ``cd DIR`` and
more commands follow; the directory is resolved against the ``WORKDIR`` in effect. The
second and later ones are reported, at their ``cd``, and so is a leading ``cd`` into the
``WORKDIR`` itself. A ``cd`` elsewhere in a ``RUN``, and
a ``cd`` into a scratch directory (``ignore`` globs: ``/tmp``…, where a ``WORKDIR`` would be
wrong for the instructions after), are normal shell use and not reported.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA, StageTracker, resolve_path
from linter.checks._globs import globs
from linter.model.dockerfile import Dockerfile, Instruction, ShellCommand, Stage
from linter.model.finding import Hit


PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"ignore": {**STRINGS_SCHEMA, "description": "globs of directories never worth a WORKDIR"}},
}


@template("repeated-cd", unit="stage", params=PARAMS)
class RepeatedCd:
    def __init__(self, params: dict) -> None:
        self.ignore = globs(params.get("ignore"))
        self.tracker = StageTracker()
        self.first: dict[str, int] = {}
        self.workdir_known = False

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.tracker.begin(stage)
        self.first = {}
        self.workdir_known = False

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword == "WORKDIR" and instruction.words:
            # Only an absolute WORKDIR of this stage is certain; a relative one depends on the base image.
            self.workdir_known = instruction.words[0].resolved.startswith("/") or (
                self.workdir_known and self.tracker.workdir is not None)
        if instruction.keyword != "RUN" or instruction.json_form:
            return
        commands = [command for command in instruction.commands if not _is_set(command)]
        if len(commands) < 2 or not commands[0].words or commands[0].words[0].resolved != "cd":
            return
        target = next((word for word in commands[0].words[1:] if not word.resolved.startswith("-")), None)
        if target is None or target.value is None:
            return
        directory = resolve_path(target.value, self.tracker.workdir) or target.value
        if self.ignore.match(directory):
            return
        span = commands[0].words[0].span
        if self.workdir_known and directory == self.tracker.workdir:
            yield Hit(span, {"dir": directory,
                             "problem": "changes into the WORKDIR, where the RUN starts anyway; drop it"})
        elif directory in self.first:
            yield Hit(span, {"dir": directory, "problem": f"again (the first is at line {self.first[directory]}): "
                                                          f"set `WORKDIR {directory}` once instead"})
        else:
            self.first[directory] = span.line

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _is_set(command: ShellCommand) -> bool:
    return bool(command.words) and command.words[0].resolved == "set"
