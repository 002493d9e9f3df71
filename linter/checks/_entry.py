"""What the final image runs: its ``CMD``/``ENTRYPOINT``, and whether that looks like a
development or CI container (a bare shell, ``sleep infinity``) rather than an application."""
from __future__ import annotations

from collections.abc import Iterable

from linter.checks._commands import shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "fish", "ksh"})
IDLE = frozenset({"sleep", "tail"})


def final_entry(dockerfile: Dockerfile) -> Instruction | None:
    """The instruction that decides what the final image starts: the last ``ENTRYPOINT``
    of the stages it is built from, else their last ``CMD`` (``None`` when neither is set)."""
    shipping = shipping_stages(dockerfile.stages)
    entry = None
    for stage in dockerfile.stages:
        if stage.index not in shipping:
            continue
        for instruction in stage.instructions:
            if instruction.keyword in ("CMD", "ENTRYPOINT") and instruction.words:
                if instruction.keyword == "ENTRYPOINT" or entry is None or entry.keyword == "CMD":
                    entry = instruction
    return entry


def entry_programs(dockerfile: Dockerfile) -> set[str]:
    """Base names of every word of every ``CMD``/``ENTRYPOINT`` of the shipped stages, the
    words of ``sh -c`` strings included."""
    shipping = shipping_stages(dockerfile.stages)
    names: set[str] = set()
    for stage in dockerfile.stages:
        if stage.index in shipping:
            for instruction in stage.instructions:
                if instruction.keyword in ("CMD", "ENTRYPOINT"):
                    for word in instruction.words:
                        names.update(part.rsplit("/", 1)[-1] for part in word.resolved.split())
    return names


def is_development(entry: Instruction | None, interactive: Iterable[str] = SHELLS,
                   idle: Iterable[str] = IDLE) -> bool:
    """A bare shell (``bash``, ``bash -l``) or a keep-alive (``sleep infinity``,
    ``tail -f /dev/null``): the container is for working in, not an application.
    ``sh -c '…'`` and ``bash start.sh`` run something and are not."""
    if entry is None or not entry.words:
        return False
    texts = [word.resolved for word in entry.words]
    program = texts[0].rsplit("/", 1)[-1]
    if program in set(idle):
        return True
    runs = any(not text.startswith("-") or "c" in text[1:] for text in texts[1:])
    return program in set(interactive) and not runs
