"""``COPY``/``ADD`` with several sources into a destination that is not a directory.

The classic builder refuses the instruction. BuildKit accepts it and, when the destination
does not exist as a directory, copies every source to that one path, each overwriting the
one before (moby/buildkit#1853). A destination ending in ``/`` says "directory" to both.

By default a destination BuildKit certainly treats as a directory is accepted: ``.``,
``..`` (and paths ending in ``/.``), and a directory a ``WORKDIR`` of the stage created.
With ``strict`` every destination without a trailing ``/`` is reported, as the classic
builder (and hadolint) would. A single source with a wildcard is not counted as several:
``COPY target/*.jar app.jar`` is meant to match one file.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import StageTracker, copy_operands, resolve_path
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "strict": {"type": "boolean",
                   "description": "report every destination without a trailing `/` (classic builder rule)"},
    },
}


@template("copy-multiple-sources", unit="stage", params=PARAMS)
class CopyMultipleSources:
    def __init__(self, params: dict) -> None:
        self.strict = bool(params.get("strict", False))
        self.tracker = StageTracker()
        self.directories: set[str] = set()

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.tracker.begin(stage)
        self.directories = {self.tracker.workdir} if self.tracker.workdir else set()

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword == "WORKDIR" and self.tracker.workdir:
            self.directories.add(self.tracker.workdir)
        if instruction.keyword not in ("COPY", "ADD"):
            return
        sources, dest = copy_operands(instruction)
        if len(sources) < 2 or dest is None or dest.value is None or self._is_directory(dest.value):
            return
        yield Hit(dest.span, {"dest": dest.text, "count": len(sources)})

    def _is_directory(self, text: str) -> bool:
        if text.endswith(("/", "\\")):
            return True
        if self.strict:
            return False
        if text in (".", "..") or text.endswith(("/.", "/..")):
            return True
        return resolve_path(text, self.tracker.workdir) in self.directories

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None
