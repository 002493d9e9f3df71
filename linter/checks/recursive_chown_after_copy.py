"""``chown -R``/``chmod -R`` in a later ``RUN`` over files an earlier ``COPY``/``ADD`` wrote.

A metadata change copies the whole file into the new layer (overlay file systems copy up
on any change), so every copied byte is stored twice. ``COPY --chown``/``--chmod`` set
owner and mode in the copying layer itself.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    STRINGS_SCHEMA, Call, StageTracker, calls, copy_operands, covers, resolve_path, shipping_stages,
)
from linter.model.dockerfile import Dockerfile, Instruction, Stage, Word
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tools": {**STRINGS_SCHEMA, "description": "commands that change metadata (chown, chmod, chgrp)"},
        "stages": {"enum": ["shipping", "all"]},
    },
}



def _recursive(call: Call) -> bool:
    """``-R``/``--recursive``, also in a group such as ``-Rf`` (case matters: ``chmod -r`` is a mode)."""
    for word in call.args:
        text = word.resolved
        if text == "--recursive" or (text.startswith("-") and not text.startswith("--") and "R" in text[1:]
                                     and text[1:].isalpha()):
            return True
        if text == "--":
            break
    return False


def changed_paths(call: Call) -> list[Word]:
    """Operands of ``chown OWNER PATH…``/``chmod MODE PATH…``; all of them with ``--reference``."""
    positional = [word for _, word in call.positionals()]
    if call.has_option("--reference"):
        return positional
    return positional[1:]


@template("recursive-chown-after-copy", unit="stage", params=PARAMS)
class RecursiveChownAfterCopy:
    def __init__(self, params: dict) -> None:
        self.tools = frozenset(params.get("tools", ["chown", "chmod", "chgrp"]))
        self.all_stages = params.get("stages", "shipping") == "all"
        self.tracker = StageTracker()
        self.shipping: set[int] = set()
        self.active = True
        self.copied: list[tuple[str, int, str]] = []

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping
        self.copied = []

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if not self.active:
            return
        if instruction.keyword in ("COPY", "ADD"):
            self._copy(instruction)
        elif instruction.keyword == "RUN" and self.copied:
            yield from self._run(instruction)

    @staticmethod
    def _made(path: str, created: list[str]) -> bool:
        """``path`` (inside a copied tree) is, holds or lies in a directory this RUN created."""
        return any(covers(path, made) or covers(made, path) for made in created)

    def _copy(self, instruction: Instruction) -> None:
        sources, destination = copy_operands(instruction)
        if destination is None or all(word.text.startswith("<<") for word in sources):
            return
        target = resolve_path(destination.resolved, self.tracker.workdir, self.tracker.home)
        if target is not None and target != "/":
            self.copied.append((target, instruction.span.line, instruction.keyword))

    def _run(self, instruction: Instruction) -> Iterator[Hit]:
        home = self.tracker.home
        created: list[str] = []  # directories this RUN made itself: their files are not copies
        for call in calls(instruction, self.tracker.workdir):
            if call.tool == "mkdir":
                made = (resolve_path(word.resolved, call.cwd, home) for _, word in call.positionals())
                created += [directory for directory in made if directory is not None]
                continue
            if call.tool not in self.tools or not _recursive(call):
                continue
            for word in changed_paths(call):
                path = resolve_path(word.resolved, call.cwd, home) if word.value is not None else None
                if path is None or path == "/":
                    continue
                earlier = next(((target, line, keyword) for target, line, keyword in self.copied
                                if covers(path, target) or covers(target, path) and not self._made(path, created)),
                               None)
                if earlier is not None:
                    target, line, keyword = earlier
                    option = "--chmod" if call.tool == "chmod" else "--chown"
                    yield Hit(call.span, {"command": call.text(), "tool": call.tool, "path": target, "line": line,
                                          "keyword": keyword, "option": option})
                    return  # one layer, one copy of the files: one finding per RUN
