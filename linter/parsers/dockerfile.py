"""Dockerfile text to :class:`linter.model.dockerfile.Dockerfile`, with exact spans.

A line-oriented lexer of our own (see the README's design notes): directives at the top,
instructions with escape-character continuations (comment and blank lines inside them are
skipped), here-documents whose bodies are consumed as bodies, exec and shell forms, flags,
stages, and ``ARG``/``ENV`` values tracked so ``$VAR`` can be resolved where it is known.
"""
from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping

from linter.model.dockerfile import (
    Comment, Dockerfile, Flag, Heredoc, ImageRef, Instruction, ParseProblem, ShellCommand, Stage, Word,
)
from linter.model.span import Span
from linter.parsers.shell import Token, expand, split_commands, tokenize

KEYWORDS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
_FLAGGED = frozenset({"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"})
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
_KEYWORD = re.compile(r"\S+")
_FLAG = re.compile(r"--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?")
_DIGEST = re.compile(r"@([A-Za-z0-9_+.-]+:[A-Fa-f0-9]+)$")
_HEREDOC_MARKER = re.compile(r"\d*<<(?:-|(?!-))[^\s<]")  # Docker: the word must follow ``<<``/``<<-`` directly
_JSON_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "HEALTHCHECK", "COPY", "ADD"})


class SourceMap:
    """Maps offsets in an instruction's logical text (continuations joined) to file positions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._starts: list[int] = []
        self._places: list[tuple[int, int]] = []
        self.single_line: int | None = None  # set when offset o is simply column o + 1 of this line

    def add(self, offset: int, line: int, column: int) -> None:
        self._starts.append(offset)
        self._places.append((line, column))

    def position(self, offset: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        line, column = self._places[index]
        return line, column + offset - self._starts[index]

    def span(self, start: int, end: int) -> Span:
        line = self.single_line
        if line is not None:  # the common case, without a search
            return Span(self.path, line, start + 1, line, max(end, start) + 1)
        line, column = self.position(start)
        if end <= start:
            return Span(self.path, line, column, line, column)
        end_line, end_column = self.position(end - 1)
        return Span(self.path, line, column, end_line, end_column + 1)


class _Scope:
    """ARG and ENV values visible at a point of the file (ENV wins over ARG, as in Docker)."""

    def __init__(self, build_args: Mapping[str, str]) -> None:
        self.build_args = build_args
        self.global_args: dict[str, str] = {}
        self.args: dict[str, str] = {}
        self.env: dict[str, str] = {}
        self.variables: dict[str, str] = {}

    def _refresh(self) -> None:
        self.variables = {**self.args, **self.env}

    def declare_arg(self, name: str, default: str | None, in_stage: bool) -> None:
        target = self.args if in_stage else self.global_args
        if name in self.build_args:
            value: str | None = self.build_args[name]
        elif default is not None:
            value = default
        else:
            value = self.global_args.get(name) if in_stage else None
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
        if in_stage:
            self._refresh()

    def set_env(self, name: str, value: str | None) -> None:
        if value is None:  # unknown: it still hides an ARG of the same name
            self.env.pop(name, None)
            self.args.pop(name, None)
        else:
            self.env[name] = value
        self._refresh()

    def start_stage(self, inherited_env: Mapping[str, str]) -> None:
        self.args = {}
        self.env = dict(inherited_env)
        self._refresh()


class _Parser:
    def __init__(self, text: str, path: str, build_args: Mapping[str, str]) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.path = path
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        if self.lines and self.lines[-1] == "" and text.endswith("\n"):
            self.lines.pop()
        self.directives: dict[str, str] = {}
        self.escape = "\\"
        self.comments: list[Comment] = []
        self.problems: list[ParseProblem] = []
        self.instructions: list[Instruction] = []
        self.global_args: list[Instruction] = []
        self.stages: list[Stage] = []
        self.scope = _Scope(build_args)
        self.stage_env: list[dict[str, str]] = []

    # -- reading lines -------------------------------------------------------------------

    def parse(self) -> Dockerfile:
        self._lone_carriage_return()
        index = self._read_directives()
        while index < len(self.lines):
            line = self.lines[index]
            stripped = line.lstrip()
            if not stripped:
                index += 1
            elif stripped.startswith("#"):
                self._comment(index)
                index += 1
            else:
                index = self._instruction(index)
        if self.stages:
            self.stages[-1].is_final = True
        return Dockerfile(self.path, self.lines, self.directives, self.escape, self.instructions,
                          self.global_args, self.stages, self.comments, self.problems)

    def _lone_carriage_return(self) -> None:
        """Classic Mac OS line endings: Docker ends lines at LF only, so a CR alone joins what an
        editor shows as two lines into one, and the file does not mean what it looks like."""
        for index, line in enumerate(self.lines):
            column = line.find("\r")
            if column >= 0:
                self._problem("carriage return (CR) without a line feed: Docker does not end the line here; "
                              "save the file with LF (or CRLF) line endings", index, column + 1, column + 2)
                return

    def _read_directives(self) -> int:
        index = 0
        while index < len(self.lines):
            match = _DIRECTIVE.match(self.lines[index])
            name = match.group(1).lower() if match else ""
            if not match or name in self.directives or name not in {"syntax", "escape", "check"}:
                return index
            value = match.group(2)
            if name == "escape":
                if value not in ("\\", "`"):
                    self._problem(f"invalid escape character {value!r}: use \\ or `", index, 1, len(self.lines[index]) + 1)
                    return index + 1
                self.escape = value
            self.directives[name] = value
            self._comment(index)
            index += 1
        return index

    def _comment(self, index: int) -> None:
        line = self.lines[index]
        column = len(line) - len(line.lstrip()) + 1
        self.comments.append(Comment(line.strip(), Span(self.path, index + 1, column, index + 1, len(line) + 1)))

    def _problem(self, message: str, index: int, column: int, end_column: int) -> None:
        self.problems.append(ParseProblem(message, Span(self.path, index + 1, column, index + 1, end_column)))

    def _continues(self, line: str) -> bool:
        return line.rstrip(" \t").endswith(self.escape)

    def _instruction(self, index: int) -> int:
        """Read one instruction starting at line ``index``; return the next line index."""
        source = SourceMap(self.path)
        parts: list[str] = []
        offset = 0
        first = index
        last = index
        while index < len(self.lines):
            line = self.lines[index]
            if index != first and (not line.strip() or line.lstrip().startswith("#")):
                if line.strip():
                    self._comment(index)
                index += 1
                continue
            continued = self._continues(line)
            content = line.rstrip(" \t")[:-1] if continued else line
            source.add(offset, index + 1, 1)
            parts.append(content)
            offset += len(content)
            last = index
            index += 1
            if not continued:
                break
        logical = "".join(parts)
        if not logical.strip():  # only escape characters and blanks: nothing to build
            return index
        source.add(offset, last + 1, len(self.lines[last]) + 1)
        if len(parts) == 1:
            source.single_line = first + 1
        instruction, index = self._build(logical, source, index, first, last)
        self._place(instruction)
        return index

    # -- building instructions -----------------------------------------------------------

    def _build(self, logical: str, source: SourceMap, next_index: int, first: int, last: int,
               ) -> tuple[Instruction, int]:
        match = _KEYWORD.search(logical)
        assert match is not None  # the caller only starts instructions on non-blank lines
        keyword = match.group().upper()
        keyword_span = source.span(match.start(), match.end())
        if keyword not in KEYWORDS:
            self.problems.append(ParseProblem(f"unknown instruction {match.group()!r}", keyword_span))
        position = match.end()
        flags: list[Flag] = []
        if keyword in _FLAGGED:
            position = self._flags(logical, position, source, flags)
        rest_start = _skip_blanks(logical, position)
        arguments = logical[rest_start:].rstrip()
        arguments_span = source.span(rest_start, rest_start + len(arguments))
        variables = self.scope.variables if self.stages and keyword != "FROM" else self.scope.global_args

        trigger = None
        if keyword == "ONBUILD" and arguments:
            # Blank out "ONBUILD" so the trigger's offsets still index the same logical text.
            trigger, next_index = self._build(" " * rest_start + arguments, source, next_index, first, last)
        words, json_form, tokens = self._words(keyword, arguments, rest_start, source, variables)
        heredocs: list[Heredoc] = []
        if keyword in _HEREDOC_KEYWORDS:
            markers = [token for token in tokens if token.kind == "heredoc" and _HEREDOC_MARKER.match(token.raw)]
            next_index = self._heredoc_bodies(markers, rest_start, next_index, heredocs, source)
        end_line = max(next_index if heredocs or (trigger and trigger.heredocs) else last + 1, last + 1)
        span = Span(self.path, keyword_span.line, keyword_span.column, end_line, len(self.lines[end_line - 1]) + 1)
        instruction = Instruction(
            keyword=keyword, span=span, keyword_span=keyword_span, flags=tuple(flags), arguments=arguments,
            arguments_span=arguments_span, words=words, json_form=json_form, heredocs=tuple(heredocs),
            trigger=trigger, variables=variables,
        )
        if keyword == "RUN":
            instruction.commands = self._commands(instruction, tokens, rest_start, source, variables)
        return instruction, next_index

    def _flags(self, logical: str, position: int, source: SourceMap, flags: list[Flag]) -> int:
        while True:
            start = _skip_blanks(logical, position)
            match = _FLAG.match(logical, start)
            if not match or (match.end() < len(logical) and not logical[match.end()].isspace()):
                return position
            flags.append(Flag(match.group(1).lower(), match.group(2), source.span(start, match.end())))
            position = match.end()

    def _words(self, keyword: str, arguments: str, start: int, source: SourceMap, variables: Mapping[str, str],
               ) -> tuple[tuple[Word, ...], bool, list[Token]]:
        if arguments.startswith("[") and keyword in _JSON_KEYWORDS:
            items = _json_array(arguments)
            if items is not None:
                return tuple(Word(text, source.span(start + a, start + b), text) for text, a, b in items), True, []
        tokens = tokenize(arguments, variables, shell=keyword == "RUN", escape=self.escape)
        words = tuple(
            Word(token.text if token.kind == "word" else token.raw, source.span(start + token.start, start + token.end),
                 token.value if token.kind == "word" else token.raw)
            for token in tokens if token.kind != "op"
        )
        if keyword != "RUN":
            tokens = [_as_heredoc(t) for t in tokens]
        return words, False, tokens

    def _heredoc_bodies(self, markers: list[Token], base: int, index: int, heredocs: list[Heredoc],
                        source: SourceMap) -> int:
        """Read the bodies of ``markers`` (tokens at offset ``base`` of the logical line) from
        line ``index`` on; return the index after the last one."""
        for marker in markers:
            delimiter = marker.text
            body_start = index
            body: list[str] = []
            while index < len(self.lines):
                line = self.lines[index]
                candidate = line.lstrip("\t") if marker.heredoc_strip else line
                if candidate == delimiter:
                    break
                body.append(candidate)
                index += 1
            marker_span = source.span(base + marker.start, base + marker.end)
            if index >= len(self.lines):
                self._problem(f"heredoc {delimiter!r} is not closed", body_start - 1, 1,
                              len(self.lines[body_start - 1]) + 1)
                closing = len(self.lines)  # no delimiter line: the body runs to the end of the file
            else:
                closing = index + 1
                index += 1
            first_body = min(body_start + 1, closing)
            last_body = body_start + len(body)
            body_span = Span(self.path, first_body, 1, last_body if body else first_body,
                             len(self.lines[last_body - 1]) + 1 if body else 1)
            span = Span(self.path, first_body, 1, closing, len(self.lines[closing - 1]) + 1)
            heredocs.append(Heredoc(delimiter, marker.heredoc_strip, marker.heredoc_quoted,
                                    "\n".join(body) + ("\n" if body else ""), span, body_span, marker_span))
        return index

    def _commands(self, instruction: Instruction, tokens: list[Token], base: int, source: SourceMap,
                  variables: Mapping[str, str]) -> tuple[ShellCommand, ...]:
        if instruction.json_form:
            words = instruction.words
            span = words[0].span.cover(words[-1].span) if words else instruction.arguments_span
            return (ShellCommand(words, "", span),) if words else ()
        commands = _shell_commands(tokens, source, base)
        program = instruction.heredoc_program
        if instruction.heredocs and (program is None or program in _SHELLS):
            heredoc = instruction.heredocs[0]
            if program is not None or not heredoc.body.startswith("#!") or _shebang_is_shell(heredoc.body):
                commands += _shell_commands(tokenize(heredoc.body, variables), self._body_map(heredoc), 0)
        return commands

    def _body_map(self, heredoc: Heredoc) -> SourceMap:
        """Offsets in a heredoc body to file positions (``<<-`` bodies lost their leading tabs)."""
        body_map = SourceMap(self.path)
        offset = 0
        first_line = heredoc.body_span.line
        for number, line in enumerate(heredoc.body[:-1].split("\n") if heredoc.body else []):
            physical = self.lines[first_line - 1 + number]
            body_map.add(offset, first_line + number, 1 + len(physical) - len(line))
            offset += len(line) + 1
        if not heredoc.body:
            body_map.add(0, first_line, 1)
        return body_map

    # -- stages and scope ----------------------------------------------------------------

    def _place(self, instruction: Instruction) -> None:
        self.instructions.append(instruction)
        keyword = instruction.keyword
        if keyword == "FROM":
            self._start_stage(instruction)
            return
        if not self.stages:
            if keyword == "ARG":
                self.global_args.append(instruction)
                self._declare_args(instruction, in_stage=False)
            return
        stage = self.stages[-1]
        instruction.stage_index = stage.index
        stage.instructions.append(instruction)
        if keyword == "ARG":
            self._declare_args(instruction, in_stage=True)
        elif keyword == "ENV":
            for name, value in _pairs(instruction, legacy=True):
                self.scope.set_env(name, value)
        self.stage_env[-1] = self.scope.env

    def _declare_args(self, instruction: Instruction, in_stage: bool) -> None:
        for word in instruction.words:
            # word.value was substituted with the values from before this instruction, quotes respected.
            name, eq, _ = word.text.partition("=")
            value = word.value.partition("=")[2] if eq and word.value is not None else None
            self.scope.declare_arg(name, value, in_stage)
        instruction.variables = self.scope.variables if in_stage else dict(self.scope.global_args)

    def _start_stage(self, instruction: Instruction) -> None:
        words = [word for word in instruction.words]
        alias = None
        if len(words) >= 3 and words[-2].text.lower() == "as":
            alias = words[-1].text
        image_word = words[0] if words else None
        platform_flag = instruction.flag("platform")
        platform = platform_flag.value if platform_flag else None
        base = self._image_ref(image_word)
        index = len(self.stages)
        instruction.stage_index = index
        inherited = self.stage_env[base.stage] if base.stage is not None else {}
        self.scope.start_stage(inherited)
        self.stage_env.append(self.scope.env)
        self.stages.append(Stage(index, alias, base, platform, instruction, [instruction]))
        instruction.variables = self.scope.variables

    def _image_ref(self, word: Word | None) -> ImageRef:
        if word is None:
            return ImageRef("", None, "", None, None, unresolved=True)
        text = word.value if word.value is not None else word.text
        earlier = next((s.index for s in self.stages if s.alias and s.alias.lower() == text.lower()), None)
        reference = parse_image_reference(text)
        if earlier is not None:
            return ImageRef(text, None, text, None, None, stage=earlier)
        return ImageRef(text, *reference, unresolved=word.value is None)


def _skip_blanks(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _as_heredoc(token: Token) -> Token:
    match = re.match(r"\d*<<(-?)(.+)$", token.raw) if token.kind == "word" else None
    if not match or "<" in match.group(2):
        return token
    raw = match.group(2)
    delimiter = raw.strip("'\"")
    return Token("heredoc", delimiter, token.start, token.end, delimiter, token.raw,
                 heredoc_strip=bool(match.group(1)), heredoc_quoted=delimiter != raw)


def _shebang_is_shell(body: str) -> bool:
    interpreter = body.split("\n", 1)[0][2:].split()
    if interpreter and interpreter[0].endswith("/env"):
        interpreter = interpreter[1:]
    return bool(interpreter) and interpreter[0].rsplit("/", 1)[-1] in _SHELLS


def _shell_commands(tokens: list[Token], source: SourceMap, base: int) -> tuple[ShellCommand, ...]:
    def word(token: Token) -> Word:
        # An unclosed quote or backtick runs to the end of the text; the span stops at the line's end.
        end = token.start + len(token.raw.rstrip("\n")) if token.raw.endswith("\n") else token.end
        return Word(token.text, source.span(base + token.start, base + end), token.value)

    commands = []
    for operator, assignments, words in split_commands(tokens):
        word_nodes = tuple(word(t) for t in words)
        assignment_nodes = tuple(word(t) for t in assignments)
        first = (assignment_nodes or word_nodes)[0].span
        commands.append(ShellCommand(word_nodes, operator, first.cover(word_nodes[-1].span), assignment_nodes))
    return tuple(commands)


def _json_array(text: str) -> list[tuple[str, int, int]] | None:
    """Items of a JSON array of strings with their offsets, or None when it is not one."""
    try:
        values = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    items = []
    for match, value in zip(re.finditer(r'"(?:[^"\\]|\\.)*"', text), values):
        items.append((value, match.start(), match.end()))
    return items


def _pairs(instruction: Instruction, legacy: bool) -> list[tuple[str, str | None]]:
    """``KEY=value`` pairs of ENV/LABEL/ARG; ``ENV KEY value…`` (legacy form) too."""
    words = instruction.words
    if legacy and words and "=" not in words[0].text:
        if not words[0].text:
            return []
        rest = instruction.arguments.split(None, 1)[1:]
        return [(words[0].text, expand(rest[0].strip() if rest else "", instruction.variables))]
    pairs = []
    for word in words:
        name, _, value = word.text.partition("=")
        if name:
            pairs.append((name, word.value.partition("=")[2] if word.value is not None else None))
    return pairs


def parse_image_reference(text: str) -> tuple[str | None, str, str | None, str | None]:
    """Split ``[registry/]repository[:tag][@digest]`` into its parts."""
    digest = None
    match = _DIGEST.search(text)
    if match:
        digest = match.group(1)
        text = text[: match.start()]
    registry = None
    first, slash, remainder = text.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, text = first, remainder
    repository, colon, tag = text.rpartition(":")
    if not colon or "/" in tag:
        repository, tag = text, ""
    return registry, repository, tag or None, digest


def parse_dockerfile(text: str, path: str, build_args: Mapping[str, str] | None = None) -> Dockerfile:
    """Parse Dockerfile ``text``; problems are collected in ``Dockerfile.problems``, never raised."""
    return _Parser(text, path, build_args or {}).parse()
