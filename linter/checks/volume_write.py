"""A ``RUN`` that changes files under a path a ``VOLUME`` of the stage already declared.

The legacy builder runs each ``RUN`` with the declared volumes mounted and discards what is
written to them; BuildKit keeps it. The same Dockerfile then builds two different images,
and the data a container finds in its fresh volume depends on the builder.

Writes are recognised from commands that name their target — ``mkdir``, ``touch``, ``cp``,
``mv``, ``ln``, ``install``, ``rm``, ``chown``/``chmod``, ``tar -C``, ``unzip -d``,
``sed -i``, downloads (``curl -o``, ``wget``, ``git clone``) — and from ``>``/``>>``
redirections to an absolute path. Volumes of the base image are unknown; those of an
earlier stage this one is built ``FROM`` are inherited.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import (
    Call, StageTracker, calls, covers, removed_paths, resolve_path, substitute, written_paths,
)
from linter.model.dockerfile import Dockerfile, Instruction, Stage, Word
from linter.model.finding import Hit
from linter.model.span import Span

PARAMS = {"type": "object", "additionalProperties": False, "properties": {}}

_LAST_OPERAND = frozenset({"cp", "mv", "ln", "install", "rsync"})
_ALL_OPERANDS = frozenset({"mkdir", "touch", "truncate"})
_AFTER_FIRST = frozenset({"chown", "chmod", "chgrp"})
_REDIRECT = r"(?<![<>&\d])\d?>>?\|?[ \t]*([\"']?)(/[^\s;&|()<>\"'`]+)\1"  # text: compiled on first use


def _extracts(text: str) -> bool:
    """``-xzf``, ``xzf``, ``--extract``: a tar operation word that extracts."""
    if text == "--extract":
        return True
    letters = text[1:] if text.startswith("-") and not text.startswith("--") else text
    return letters.isalpha() and "x" in letters


def written_targets(call: Call) -> list[Word]:
    """Paths a file command writes, creates, changes or removes."""
    positional = [word for _, word in call.positionals()]
    tool = call.tool
    if tool in _ALL_OPERANDS:
        return positional
    if tool in _LAST_OPERAND:
        target = call.option_values("-t", "--target-directory")
        if target:
            return target
        return positional[-1:] if len(positional) >= 2 else []
    if tool in _AFTER_FIRST:
        return positional if call.has_option("--reference") else positional[1:]
    if tool == "tar" and any(_extracts(word.resolved) for word in call.args[:2]):
        return call.option_values("-C", "--directory")
    if tool == "unzip":
        return call.option_values("-d")
    if tool == "sed" and call.has_option("-i", "--in-place"):
        return positional[1:]
    return removed_paths(call) + written_paths(call)


@template("volume-write", unit="stage", params=PARAMS)
class VolumeWrite:
    def __init__(self, params: dict) -> None:
        self.tracker = StageTracker()
        self.volumes: list[tuple[str, int]] = []
        self.ends: dict[int, list[tuple[str, int]]] = {}
        self.lines: list[str] = []

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.lines = dockerfile.lines
        self.tracker.begin(stage)
        parent = stage.base.stage
        self.volumes = list(self.ends.get(parent, [])) if parent is not None else []

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.ends[stage.index] = self.volumes
        return None

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        self.tracker.see(instruction)
        if instruction.keyword == "VOLUME":
            self._declare(instruction)
        elif instruction.keyword == "RUN" and self.volumes:
            hit = self._run(instruction)
            if hit is not None:
                yield hit

    def _declare(self, instruction: Instruction) -> None:
        texts = [word.resolved for word in instruction.words]
        if instruction.arguments.startswith("["):
            try:
                items = json.loads(instruction.arguments)
            except ValueError:
                items = None
            if isinstance(items, list):
                texts = [substitute(str(item), instruction.variables) for item in items]
        for text in texts:
            path = resolve_path(text, self.tracker.workdir, self.tracker.home)
            if path is not None and "$" not in path and path != "/":
                self.volumes.append((path, instruction.span.line))

    def _volume_of(self, path: str | None) -> tuple[str, int] | None:
        if path is None:
            return None
        return next(((volume, line) for volume, line in self.volumes if covers(volume, path)), None)

    def _run(self, instruction: Instruction) -> Hit | None:
        home = self.tracker.home
        for call in calls(instruction, self.tracker.workdir):
            for word in written_targets(call):
                path = resolve_path(word.resolved, call.cwd, home) if word.value is not None else None
                found = self._volume_of(path)
                if found is not None:
                    return Hit(word.span, {"command": call.text(), "path": path, "volume": found[0],
                                           "line": found[1]})
        return self._redirect(instruction)

    def _redirect(self, instruction: Instruction) -> Hit | None:
        """``echo … > /data/file``: redirections are not words, so read the source lines."""
        for number in range(instruction.span.line, instruction.span.end_line + 1):
            text = self.lines[number - 1] if number - 1 < len(self.lines) else ""
            for match in re.finditer(_REDIRECT, text):
                path = resolve_path(substitute(match.group(2), instruction.variables), "/")
                found = self._volume_of(path)
                if found is not None:
                    span = Span(instruction.span.path, number, match.start(2) + 1, number, match.end(2) + 1)
                    return Hit(span, {"command": match.group(0).strip(), "path": path, "volume": found[0],
                                      "line": found[1]})
        return None
