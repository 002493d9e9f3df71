"""Building the edits a fix consists of (see :class:`linter.model.finding.Edit`).

Templates call these when they yield a :class:`Hit`; the runner passes the edits on only for
rules that declare a ``fix``, and ``dlint check --fix`` applies them (``linter.fix``). Every
helper returns ``None`` when it cannot edit safely — the finding is then reported unfixed.
Spans are those of the file as parsed; replacements use ``\\n`` for new lines.
"""
from __future__ import annotations

import json

from linter.model.dockerfile import Instruction, Word
from linter.model.finding import Edit
from linter.model.span import Span

# Shells that may run a script file, and directories whose programs are system tools rather
# than the project's own scripts.
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_SYSTEM_DIRS = ("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/")


def literal(call) -> bool:
    """The call's words are the file's own (not the insides of an ``sh -c '…'`` string, whose
    words all carry the string's span and cannot be edited one by one)."""
    first = call.words[0]
    return any(first is word for word in call.command.words)


def insert_at(line: int, column: int, path: str, text: str) -> Edit:
    return Edit(Span(path, line, column, line, column), text)


def insert_after(word: Word, text: str) -> Edit:
    span = word.span
    return insert_at(span.end_line, span.end_column, span.path, text)


def replace(span: Span, text: str) -> Edit:
    return Edit(span, text)


def delete_lines(span: Span) -> Edit:
    """Remove whole lines, their line endings included."""
    return Edit(Span(span.path, span.line, 1, span.end_line + 1, 1), "")


def add_option(call, end: int, option: str, instruction: Instruction) -> Edit | None:
    """Insert ``option`` after the subcommand words a pattern matched (``end`` as returned by
    ``match_any``: an index into ``call.args``; 0 means right after the tool's word).

    In exec form the option is a new JSON item. ``None`` inside an ``sh -c`` string.
    """
    if not literal(call):
        return None
    anchor = call.args[end - 1] if end > 0 else call.words[len(call.words) - len(call.args) - 1]
    if instruction.json_form:
        return insert_after(anchor, ", " + json.dumps(option))
    return insert_after(anchor, " " + option)


def runs_script(call) -> bool:
    """The call runs a file of the project (``./install.sh``, ``bash -e scripts/setup``),
    whose commands dlint cannot see."""
    program = call.words[0].resolved
    if "/" in program and not program.startswith(_SYSTEM_DIRS):
        return True
    if call.tool not in _SHELLS:
        return False
    words = [word.resolved for word in call.args]
    index = 0
    while index < len(words) and words[index].startswith(("-", "+")) and words[index] not in ("-", "--"):
        option = words[index]
        if not option.startswith("--") and "c" in option:
            return False  # `sh -c '…'`: its commands are read like any other
        index += 2 if option[-1] in "oO" and not option.startswith("--") else 1
    return index < len(words) and words[index] != "--"


def run_tail_is_empty(instruction: Instruction, lines: list[str], word: Word, escape: str = "\\") -> bool:
    """Nothing but blanks, escape characters, comment lines or one ``;`` follows ``word`` up
    to the end of the ``RUN`` (no redirection, operator or comment to keep after it)."""
    span = word.span
    last = instruction.span.end_line
    if span.end_line > last or span.end_line > len(lines):
        return False
    pieces = [lines[span.end_line - 1][span.end_column - 1:]]
    pieces += [line for line in lines[span.end_line:last]]
    rest = []
    for index, piece in enumerate(pieces):
        stripped = piece.strip()
        if index and stripped.startswith("#"):
            continue  # a comment line inside a continued RUN is not part of the command
        rest.append(stripped)
    text = "".join(part[:-1].strip() if part.endswith(escape) else part for part in rest)
    return text in ("", ";")
