"""The Dockerfile model: directives, stages, instructions, heredocs and shell commands.

Every node carries the :class:`Span` of the text it came from in the original file, so a
finding can point at a flag, a word inside a continued ``RUN`` or a line of a heredoc body.
Immutable nodes are named tuples; the three containers are plain classes with slots.
"""
from __future__ import annotations

from collections import namedtuple


class Word(namedtuple("Word", "text span value", defaults=(None,))):
    """One shell word (or one JSON array element) with quotes removed.

    ``value`` is the word with ``$VAR``/``${VAR…}`` substituted where every variable has a
    known value, else ``None``.
    """

    __slots__ = ()

    @property
    def resolved(self) -> str:
        """The substituted value when known, else the literal text."""
        return self.value if self.value is not None else self.text


class ShellCommand(namedtuple("ShellCommand", "words operator span assignments", defaults=((),))):
    """A simple command of a ``RUN`` body: ``program args…``.

    ``operator`` is what joins it to the command before it (``""`` for the first one,
    ``&&``, ``||``, ``;``, ``|``, ``&`` or a newline as ``"\\n"``). Leading ``VAR=value``
    assignments are kept in ``assignments``; redirections are dropped from ``words``.
    """

    __slots__ = ()

    @property
    def program(self) -> str:
        return self.words[0].resolved.rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> tuple:
        return self.words[1:]

    def arg_values(self) -> list[str]:
        return [word.resolved for word in self.words[1:]]


class Flag(namedtuple("Flag", "name value span")):
    """An instruction flag such as ``--mount=type=cache,target=/root/.cache``."""

    __slots__ = ()

    def options(self) -> dict[str, str]:
        """``key=value`` pairs of a comma-separated value (``--mount``); bare keys map to ``""``."""
        pairs: dict[str, str] = {}
        for part in (self.value or "").split(","):
            key, _, val = part.partition("=")
            if key:
                pairs[key.strip().lower()] = val.strip()
        return pairs


class Heredoc(namedtuple("Heredoc", "delimiter strip_tabs quoted body span body_span marker_span")):
    """A here-document: ``<<EOF`` / ``<<-EOF`` / ``<<'EOF'`` and its body.

    ``span`` covers the body lines and the closing delimiter; ``body_span`` only the body
    (it is empty, at the closing line, when the body is empty); ``marker_span`` the ``<<EOF``.
    """

    __slots__ = ()


class Instruction:
    """One instruction, from its keyword to its last continuation or heredoc line.

    ``arguments`` is the logical text after the flags, continuations joined and comment
    lines removed. ``words`` are its shell-split words for shell form, or the array items
    for exec (JSON) form (then ``json_form`` is True). ``commands`` holds the shell commands
    of a ``RUN`` (and of a heredoc body run by a shell). ``trigger`` is the instruction an
    ``ONBUILD`` wraps. ``variables`` are the ARG/ENV values known where it stands.
    """

    __slots__ = ("keyword", "span", "keyword_span", "flags", "arguments", "arguments_span", "words", "json_form",
                 "heredocs", "commands", "stage_index", "trigger", "variables")

    def __init__(self, keyword: str, span, keyword_span, flags: tuple, arguments: str, arguments_span,
                 words: tuple, json_form: bool, heredocs: tuple = (), commands: tuple = (), stage_index: int = -1,
                 trigger: Instruction | None = None, variables: dict | None = None) -> None:
        self.keyword = keyword
        self.span = span
        self.keyword_span = keyword_span
        self.flags = flags
        self.arguments = arguments
        self.arguments_span = arguments_span
        self.words = words
        self.json_form = json_form
        self.heredocs = heredocs
        self.commands = commands
        self.stage_index = stage_index
        self.trigger = trigger
        self.variables = variables if variables is not None else {}

    def __repr__(self) -> str:
        return f"<Instruction {self.keyword} {self.arguments[:40]!r} at {self.span.line}:{self.span.column}>"

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


class ImageRef(namedtuple("ImageRef", "text registry repository tag digest stage unresolved",
                          defaults=(None, False))):
    """A parsed image reference. ``stage`` is the index of the earlier stage it names, if any.

    ``text`` is the reference with known variables substituted; ``unresolved`` is True when a
    variable in it has no known value, in which case the parts are best effort.
    """

    __slots__ = ()

    @property
    def is_scratch(self) -> bool:
        return self.repository == "scratch" and self.registry is None


class Stage:
    """A build stage: its ``FROM`` and every instruction up to the next ``FROM`` (``FROM`` included)."""

    __slots__ = ("index", "alias", "base", "platform", "from_instruction", "instructions", "is_final")

    def __init__(self, index: int, alias: str | None, base: ImageRef, platform: str | None,
                 from_instruction: Instruction, instructions: list | None = None, is_final: bool = False) -> None:
        self.index = index
        self.alias = alias
        self.base = base
        self.platform = platform
        self.from_instruction = from_instruction
        self.instructions = instructions if instructions is not None else []
        self.is_final = is_final

    def __repr__(self) -> str:
        return f"<Stage {self.index} {self.alias or ''} FROM {self.base.text}>"


class Comment(namedtuple("Comment", "text span")):
    __slots__ = ()


class ParseProblem(namedtuple("ParseProblem", "message span")):
    __slots__ = ()


class BuildContext(namedtuple("BuildContext", "dockerignore files")):
    """What is known of the build context of a Dockerfile: its parsed ``.dockerignore`` (None
    when the context has none) and ``files``, a mapping whose ``get(relative path)`` gives the
    text of a small file of the context, or None."""

    __slots__ = ()

    def read(self, relpath: str) -> str | None:
        """A context file as the build sees it: None when absent or excluded by the ignore file."""
        relpath = relpath.lstrip("/")
        while relpath.startswith("./"):
            relpath = relpath[2:]
        if not relpath or relpath == ".." or relpath.startswith("../") or "/../" in relpath:
            return None
        if self.dockerignore is not None and self.dockerignore.excludes(relpath):
            return None
        return self.files.get(relpath)


class Dockerfile:
    """A parsed Dockerfile: source lines, directives, all instructions, stages, comments, problems.

    ``context`` is a :class:`BuildContext` when the file was read from disk with its folder as
    the build context, None when nothing is known of the context (standard input)."""

    __slots__ = ("path", "lines", "directives", "escape", "instructions", "global_args", "stages", "comments",
                 "problems", "context")

    def __init__(self, path: str, lines: list[str], directives: dict[str, str], escape: str, instructions: list,
                 global_args: list, stages: list, comments: list, problems: list) -> None:
        self.path = path
        self.lines = lines
        self.directives = directives
        self.escape = escape
        self.instructions = instructions
        self.global_args = global_args
        self.stages = stages
        self.comments = comments
        self.problems = problems
        self.context: BuildContext | None = None

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
