"""``CMD``/``ENTRYPOINT`` (and, when asked, ``HEALTHCHECK CMD``) written in shell form, so the
container's main process is ``/bin/sh -c "…"`` rather than the program itself.

As in BuildKit's JSONArgsRecommended, a stage where ``SHELL`` was set (here or in a stage it
is built ``FROM``) is not reported: the author chose the shell on purpose. A command that
starts with ``exec`` replaces the shell and is fine. A shell-form ``CMD`` under an exec-form
``ENTRYPOINT`` is reported with its sharper problem: it reaches the entrypoint as
``/bin/sh -c …`` arguments.

The fix (when the rule declares one) rewrites a one-line command of plain words (no
variables, quotes, operators, globs or redirections, not a shell built-in) as a JSON array
— not a ``CMD`` under an exec-form ``ENTRYPOINT`` (its arguments would change), nor an
``ENTRYPOINT`` in a stage that also has a ``CMD`` (which would start reaching it).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._fixes import replace
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "keywords": {"type": "array", "items": {"enum": ["CMD", "ENTRYPOINT", "HEALTHCHECK"]}, "uniqueItems": True,
                     "description": "instructions to check (HEALTHCHECK means its CMD)"},
    },
}

_SHELL_SYNTAX = re.compile(r"[$&|;<>*?`'\"\\(){}~]")
_PLAIN = re.compile(r"[\w./:@%+=,-]+")
# Names the shell itself runs: as the program of an exec-form command they do not exist.
_BUILTINS = frozenset({"cd", "export", "source", ".", "exit", "set", "unset", "alias", "eval", "exec", "if", "for",
                       "while", "until", "case", "[[", "trap", "ulimit", "umask", "wait", "read", "shift",
                       "return", "declare", "local", "typeset", "readonly", "!", "{", "(", "function"})
_PROBLEMS = {
    "ENTRYPOINT": "runs as `/bin/sh -c …`: `CMD` and `docker run` arguments are ignored, and the shell, "
                  "not the program, receives `docker stop`'s SIGTERM",
    "CMD": "runs as `/bin/sh -c …`, and the shell, not the program, receives `docker stop`'s SIGTERM: "
           "the program may be killed after the timeout instead of shutting down cleanly",
    "CMD under ENTRYPOINT": "reaches the exec-form ENTRYPOINT as the arguments `/bin/sh -c …`",
    "HEALTHCHECK": "runs every check through `/bin/sh -c`",
}


@template("shell-form-command", unit="stage", params=PARAMS)
class ShellFormCommand:
    def __init__(self, params: dict) -> None:
        self.keywords = set(params.get("keywords", ["CMD", "ENTRYPOINT"]))
        self.ends: dict[int, tuple[bool, bool]] = {}  # stage -> (SHELL set, exec-form ENTRYPOINT)
        self.current = -1

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        self.current = stage.index
        inherited = self.ends.get(stage.base.stage) if stage.base.stage is not None else None
        self.ends[stage.index] = inherited or (False, False)

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        shell_set, exec_entrypoint = self.ends[self.current]
        keyword = instruction.keyword
        if keyword == "SHELL":
            self.ends[self.current] = (True, exec_entrypoint)
            return
        if keyword == "ENTRYPOINT":
            self.ends[self.current] = (shell_set, instruction.json_form)
        if keyword not in self.keywords or shell_set:
            return
        words = list(instruction.words)
        if keyword == "HEALTHCHECK":
            if not words or words[0].text.upper() != "CMD" or len(words) < 2 or words[1].text.startswith("["):
                return
            words = words[1:]
        elif instruction.json_form or not words:
            return
        if words[0].text == "exec":
            return
        problem = _PROBLEMS[keyword]
        if keyword == "CMD" and exec_entrypoint:
            problem = _PROBLEMS["CMD under ENTRYPOINT"]
        span = words[0].span.cover(words[-1].span)
        edits = ()
        if problem != _PROBLEMS["CMD under ENTRYPOINT"] and _plain(words) and not (
                keyword == "ENTRYPOINT" and any(other.keyword == "CMD" for other in stage.instructions)):
            edits = (replace(span, "[" + ", ".join(json.dumps(word.text) for word in words) + "]"),)
        yield Hit(span, {"keyword": keyword, "problem": problem, "fix": _fix(keyword, words)}, edits)

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None


def _plain(words: list) -> bool:
    """One line of plain words whose meaning is the same with or without a shell."""
    if words[0].span.line != words[-1].span.end_line or words[0].text in _BUILTINS:
        return False
    if "=" in words[0].text:  # `CMD PORT=8080 app`: an assignment for the shell, not a program
        return False
    return all(_PLAIN.fullmatch(word.text) and word.span.end_column - word.span.column == len(word.text)
               for word in words)


def _fix(keyword: str, words: list) -> str:
    """A JSON array when the command uses no shell syntax, else the other ways out."""
    shown = "HEALTHCHECK CMD" if keyword == "HEALTHCHECK" else keyword
    if len(words) <= 8 and not any(_SHELL_SYNTAX.search(word.text) for word in words):
        items = ", ".join('"' + word.text + '"' for word in words)
        return f"write `{shown} [{items}]`"
    return "write it as a JSON array, start it with `exec`, or move it into a script run in exec form"
