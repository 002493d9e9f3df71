"""``chown -R``/``chmod -R`` in a later ``RUN`` over files an earlier ``COPY``/``ADD`` wrote.

A metadata change copies the whole file into the new layer (overlay file systems copy up
on any change), so every copied byte is stored twice. ``COPY --chown``/``--chmod`` set
owner and mode in the copying layer itself.

A copy writes a tree (a directory source, ``.``, an archive ``ADD`` unpacks: its files land
anywhere under the destination) or single files (``COPY php.ini /etc/php/`` writes
``/etc/php/php.ini`` and nothing else). A recursive change of ``D`` rewrites copied files
when ``D`` holds a copied file or tree, or lies inside a copied tree; a sibling directory
of a copied file is untouched.
"""
from __future__ import annotations

import posixpath
from collections import namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    STRINGS_SCHEMA, UNPACKED_ARCHIVES, Call, StageTracker, calls, copy_operands, covers, is_url, resolve_path,
    shipping_stages,
)
from linter.model.dockerfile import BuildContext, Dockerfile, Instruction, Stage, Word
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tools": {**STRINGS_SCHEMA, "description": "commands that change metadata (chown, chmod, chgrp)"},
        "stages": {"enum": ["shipping", "all"]},
    },
}

# What one source of a COPY/ADD wrote: a single file (or a glob of files) at ``path``, or a
# tree whose files may be anywhere under ``path``.
_Copied = namedtuple("_Copied", "path tree line keyword")


def _is_file(source: str, from_context: bool, context: BuildContext | None) -> bool:
    """The source names a file, not a directory: the context holds it as a file, or its name
    has an extension (``app.ini``, ``*.conf``) other than a directory's ``.d``. Anything else
    (``.``, ``src/``, ``bin``, ``$DIR``) is taken as a directory, whose contents are copied."""
    if source.endswith("/") or "$" in source:
        return False
    name = source.rsplit("/", 1)[-1]
    if from_context and context is not None and not any(ch in source for ch in "*?[") \
            and context.read(source) is not None:
        return True
    stem, dot, extension = name.lstrip(".").rpartition(".")
    return bool(dot and stem and extension) and extension != "d" and extension.isalnum()


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
        self.copied: list[_Copied] = []
        self.context: BuildContext | None = None

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
        self.tracker.begin(stage)
        self.active = self.all_stages or stage.index in self.shipping
        self.copied = []
        self.context = dockerfile.context

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
        if destination is None:
            return
        target = resolve_path(destination.resolved, self.tracker.workdir, self.tracker.home)
        if target is None:
            return
        # Several sources, or a destination that is a directory, put each file under its own name.
        into_directory = len(sources) > 1 or destination.resolved.endswith("/") \
            or destination.resolved in (".", "..") or target == self.tracker.workdir
        from_context = instruction.flag("from") is None
        line, keyword = instruction.span.line, instruction.keyword
        # Heredoc sources are small files written by the copy itself: not worth a finding.
        for source in (word.resolved for word in sources if not word.text.startswith("<<")):
            if self._writes_tree(instruction, source, from_context):
                if target != "/":
                    self.copied.append(_Copied(target, True, line, keyword))
                continue
            inside = posixpath.join(target, source.rsplit("/", 1)[-1])
            # Any other destination names the file, or a directory the image already has.
            for path in (inside,) if into_directory else (target, inside):
                self.copied.append(_Copied(path, False, line, keyword))

    def _writes_tree(self, instruction: Instruction, source: str, from_context: bool) -> bool:
        """``source`` may write files anywhere under the destination."""
        if instruction.flag("parents") is not None:
            return True  # the source's own folders are recreated under the destination
        if instruction.keyword == "ADD" and (is_url(source) or source.startswith("git@")
                                             or source.endswith(UNPACKED_ARCHIVES)):
            return True
        return not _is_file(source, from_context, self.context)

    def _overlap(self, path: str, created: list[str]) -> _Copied | None:
        """The first copy a recursive change of ``path`` rewrites: ``path`` holds what it
        wrote, or lies inside a copied tree (in a part this RUN did not create itself)."""
        for copied in self.copied:
            if covers(path, copied.path):
                return copied
            if copied.tree and covers(copied.path, path) and not self._made(path, created):
                return copied
        return None

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
                copied = self._overlap(path, created)
                if copied is not None:
                    option = "--chmod" if call.tool == "chmod" else "--chown"
                    yield Hit(call.span, {"command": call.text(), "tool": call.tool, "path": copied.path,
                                          "line": copied.line, "keyword": copied.keyword, "option": option})
                    return  # one layer, one copy of the files: one finding per RUN
