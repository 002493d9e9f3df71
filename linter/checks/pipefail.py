"""A ``RUN`` whose pipeline can fail unnoticed: without ``pipefail`` a pipeline's status is
its last command's, so ``curl … | tar x`` succeeds when the download fails.

``pipefail`` counts as on when, before the pipeline:

* the stage's ``SHELL`` (or that of a stage it is built ``FROM``) passes ``-o pipefail``
  (``["/bin/bash", "-euo", "pipefail", "-c"]``, also for ``ash``/``zsh``/``ksh``);
* the same ``RUN`` (its heredoc body included) runs ``set -o pipefail`` (``set -euo
  pipefail``, ``set -o errexit -o pipefail``…), and no later ``set +o pipefail`` undoes it;
* the ``RUN`` feeds its heredoc to a shell started with it (``RUN bash -o pipefail <<EOF``).

Not reported: pipelines whose writers cannot fail (``echo``, ``printf``, ``yes``,
``true``, ``cat`` reading a heredoc) — with ``yes |`` pipefail would even break the build —
pipelines followed by ``||`` (the failure is handled), exec-form ``RUN``, and stages whose
shell is not POSIX (``pwsh``, ``cmd``, a Windows base image, or ``# hadolint
shell=powershell``). One finding per
``RUN``, at the first command of its first unprotected pipeline.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from linter.checks import template
from linter.checks._arguments import ancestry, is_windows
from linter.model.dockerfile import Dockerfile, Instruction, ShellCommand, Stage
from linter.model.finding import Hit

_PIPES = frozenset({"|", "|&"})
_SAFE_WRITERS = frozenset({"echo", "printf", "yes", "true"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_NON_POSIX = frozenset({"pwsh", "powershell", "cmd"})
_PRAGMA = re.compile(r"#\s*hadolint\s+shell\s*=\s*(pwsh|powershell|cmd)\b", re.IGNORECASE)
_ASH_FIX = "start the `RUN` with `set -o pipefail &&`, or add `SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`"
_BASH_FIX = ("add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it (or `set -o pipefail &&` in a "
             "shell that has it)")


@template("pipefail", unit="stage", params={"type": "object", "additionalProperties": False})
class Pipefail:
    def __init__(self, params: dict) -> None:
        self.shells: dict[int, tuple[bool, bool]] = {}  # stage → (POSIX shell, pipefail set by SHELL)
        self.skip_file = False
        self.current = -1
        self.fix = _BASH_FIX

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        if stage.index == 0:
            self.skip_file = any(_PRAGMA.match(comment.text) for comment in dockerfile.comments)
        self.current = stage.index
        parent = stage.base.stage
        default = (not is_windows(stage, dockerfile.stages, dockerfile.escape), False)  # cmd /S /C on Windows
        self.shells[stage.index] = self.shells.get(parent, default) if parent is not None else default
        root = ancestry(stage, dockerfile.stages)[-1].base
        text = f"{root.repository}:{root.tag or ''}".lower()
        self.fix = _ASH_FIX if "alpine" in text or "busybox" in text else _BASH_FIX

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword == "SHELL" and instruction.json_form and instruction.words:
            self.shells[self.current] = _shell(instruction.words)
            return
        posix, pipefail = self.shells[self.current]
        if instruction.keyword != "RUN" or instruction.json_form or not posix or self.skip_file:
            return
        found = _unprotected(instruction, pipefail)
        if found is not None:
            yield Hit(found.span, {"command": " ".join(word.text for word in found.words[:3]), "fix": self.fix})

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _shell(words: Sequence) -> tuple[bool, bool]:
    program = words[0].text.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower().removesuffix(".exe")
    return program not in _NON_POSIX, _set_pipefail([word.text for word in words[1:]], False)


def _set_pipefail(args: list[str], current: bool) -> bool:
    """The pipefail state after ``set ARGS`` (or a shell's options): ``-o pipefail``,
    ``-euo pipefail``, ``+o pipefail``."""
    for index, arg in enumerate(args[:-1]):
        if len(arg) >= 2 and arg[0] in "-+" and arg[1] != "-" and arg.endswith("o") and args[index + 1] == "pipefail":
            current = arg[0] == "-"
    return current


def _unprotected(instruction: Instruction, pipefail: bool) -> ShellCommand | None:
    commands = instruction.commands
    for index, command in enumerate(commands):
        program = command.words[0].text.rsplit("/", 1)[-1] if command.words else ""
        args = [word.text for word in command.words[1:]]
        if program == "set" or index == 0 and program in _SHELLS and instruction.heredoc_program is not None:
            pipefail = _set_pipefail(args, pipefail)
            continue
        starts = command.operator not in _PIPES and index + 1 < len(commands) and commands[index + 1].operator in _PIPES
        if pipefail or not starts:
            continue
        end = index + 1
        while end + 1 < len(commands) and commands[end + 1].operator in _PIPES:
            end += 1
        if all(_cannot_fail(writer) for writer in commands[index:end]):
            continue
        if end + 1 < len(commands) and commands[end + 1].operator == "||":
            continue
        return command
    return None


def _cannot_fail(command: ShellCommand) -> bool:
    program = command.words[0].text.rsplit("/", 1)[-1] if command.words else ""
    return program in _SAFE_WRITERS or program == "cat" and len(command.words) == 1
