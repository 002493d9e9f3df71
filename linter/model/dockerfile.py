"""The Dockerfile model: directives, stages, instructions, heredocs and shell commands.

Every node carries the :class:`Span` of the text it came from in the original file, so a
finding can point at a flag, a word inside a continued ``RUN`` or a line of a heredoc body.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from linter.model.span import Span


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word (or one JSON array element) with quotes removed.

    ``value`` is the word with ``$VAR``/``${VAR…}`` substituted where every variable has a
    known value, else ``None``.
    """

    text: str
    span: Span
    value: str | None = None

    @property
    def resolved(self) -> str:
        """The substituted value when known, else the literal text."""
        return self.value if self.value is not None else self.text


@dataclass(frozen=True, slots=True)
class ShellCommand:
    """A simple command of a ``RUN`` body: ``program args…``.

    ``operator`` is what joins it to the command before it (``""`` for the first one,
    ``&&``, ``||``, ``;``, ``|``, ``&`` or a newline as ``"\\n"``). Leading ``VAR=value``
    assignments are kept in ``assignments``; redirections are dropped from ``args``.
    """

    words: tuple[Word, ...]
    operator: str
    span: Span
    assignments: tuple[Word, ...] = ()

    @property
    def program(self) -> str:
        return self.words[0].resolved.rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[1:]

    def arg_values(self) -> list[str]:
        return [word.resolved for word in self.words[1:]]


@dataclass(frozen=True, slots=True)
class Flag:
    """An instruction flag such as ``--mount=type=cache,target=/root/.cache``."""

    name: str
    value: str | None
    span: Span

    def options(self) -> dict[str, str]:
        """``key=value`` pairs of a comma-separated value (``--mount``); bare keys map to ``""``."""
        pairs: dict[str, str] = {}
        for part in (self.value or "").split(","):
            key, _, val = part.partition("=")
            if key:
                pairs[key.strip().lower()] = val.strip()
        return pairs


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A here-document: ``<<EOF`` / ``<<-EOF`` / ``<<'EOF'`` and its body.

    ``span`` covers the body lines and the closing delimiter; ``body_span`` only the body
    (it is empty, at the closing line, when the body is empty).
    """

    delimiter: str
    strip_tabs: bool
    quoted: bool
    body: str
    span: Span
    body_span: Span
    marker_span: Span


@dataclass(slots=True)
class Instruction:
    """One instruction, from its keyword to its last continuation or heredoc line.

    ``arguments`` is the logical text after the flags, continuations joined and comment
    lines removed. ``words`` are its shell-split words for shell form, or the array items
    for exec (JSON) form (then ``json_form`` is True). ``commands`` holds the shell commands
    of a shell-form ``RUN`` (and of a heredoc body run by a shell). ``trigger`` is the
    instruction an ``ONBUILD`` wraps.
    """

    keyword: str
    span: Span
    keyword_span: Span
    flags: tuple[Flag, ...]
    arguments: str
    arguments_span: Span
    words: tuple[Word, ...]
    json_form: bool
    heredocs: tuple[Heredoc, ...] = ()
    commands: tuple[ShellCommand, ...] = ()
    stage_index: int = -1
    trigger: Instruction | None = None
    variables: dict[str, str] = field(default_factory=dict, repr=False)

    def flag(self, name: str) -> Flag | None:
        for flag in self.flags:
            if flag.name == name:
                return flag
        return None

    def mounts(self) -> list[dict[str, str]]:
        return [flag.options() for flag in self.flags if flag.name == "mount"]

    @property
    def heredoc_program(self) -> str | None:
        """For ``RUN python3 <<EOF``: the program the heredoc feeds (``None`` for a bare ``RUN <<EOF``)."""
        if not self.heredocs or not self.words:
            return None
        first = self.words[0].text
        return None if first.startswith("<<") else first.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed image reference. ``stage`` is the index of the earlier stage it names, if any.

    ``text`` is the reference with known variables substituted; ``unresolved`` is True when a
    variable in it has no known value, in which case the parts are best effort.
    """

    text: str
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None
    stage: int | None = None
    unresolved: bool = False

    @property
    def is_scratch(self) -> bool:
        return self.repository == "scratch" and self.registry is None


@dataclass(slots=True)
class Stage:
    index: int
    alias: str | None
    base: ImageRef
    platform: str | None
    from_instruction: Instruction
    instructions: list[Instruction] = field(default_factory=list)
    is_final: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class ParseProblem:
    message: str
    span: Span


@dataclass(slots=True)
class Dockerfile:
    path: str
    lines: list[str]
    directives: dict[str, str]
    escape: str
    instructions: list[Instruction]
    global_args: list[Instruction]
    stages: list[Stage]
    comments: list[Comment]
    problems: list[ParseProblem]

    def stage_by_name(self, name: str) -> Stage | None:
        """The stage an alias or a numeric index names."""
        if name.isdigit():
            index = int(name)
            return self.stages[index] if index < len(self.stages) else None
        lowered = name.lower()
        for stage in self.stages:
            if stage.alias and stage.alias.lower() == lowered:
                return stage
        return None
