"""A script downloaded and run in one go: ``curl … | sh``, ``bash <(curl …)``, ``sh -c "$(curl …)"``.

The downloaded text is executed without being written anywhere or checked, so whatever the
server (or anyone between it and the build) returns that day runs as root in the build.
An interpreter given its program inline (``sh -c '…'``, ``python3 -c '…'``, ``perl -e``)
reads the download as data, not code, and is not reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA, Call, run_text
from linter.model.dockerfile import Instruction, ShellCommand, Stage, Word
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "downloaders": {**STRINGS_SCHEMA, "description": "programs that fetch a URL"},
        "interpreters": {"type": "object", "additionalProperties": STRINGS_SCHEMA,
                         "description": "programs that run what they read, with the options that give them the "
                                        "program inline instead"},
    },
}

_DEFAULT_INTERPRETERS = {
    "sh": ["-c"], "bash": ["-c"], "dash": ["-c"], "ash": ["-c"], "zsh": ["-c"], "ksh": ["-c"], "mksh": ["-c"],
    "python": ["-c", "-m"], "perl": ["-e", "-E"], "ruby": ["-e"], "node": ["-e", "-p", "--eval", "--print"],
    "php": ["-r"], "source": [], ".": [],
}
# Wrappers looked through before the program: name -> options that take a value.
_WRAPPERS = {"sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U"}, "doas": {"-u", "-C"},
             "env": {"-u", "-C", "-S"}, "exec": {"-a"}, "command": set(), "nohup": set(), "time": set(),
             "nice": {"-n"}}
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_SUBSTITUTION = r"(?:\$\(|`)\s*(?:sudo\s+)?(?:{names})\b"
_PIPE_IN_SCRIPT = (r"\b(?:{names})\b[^|;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?"
                   r"(?P<interpreter>{shells})\b(?!\s+-[A-Za-z]*[ce]\b)")


def _unwrap(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Words from the real program on: ``sudo -E bash -`` → ``bash -``."""
    index = 0
    for _ in range(4):
        if index >= len(words):
            break
        name = words[index].resolved.rsplit("/", 1)[-1]
        if name not in _WRAPPERS:
            break
        takes_value = _WRAPPERS[name]
        index += 1
        while index < len(words):
            text = words[index].resolved
            if text.startswith("-") and text != "-":
                index += 2 if text in takes_value else 1
            elif name == "env" and _ASSIGNMENT.match(text):
                index += 1
            else:
                break
    return words[index:]


def _name(word: Word) -> str:
    """``python3.12`` → ``python``; paths dropped."""
    base = word.resolved.rsplit("/", 1)[-1]
    stripped = base.rstrip("0123456789.")
    return stripped or base


@template("remote-script-pipe", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN" or not instruction.commands:
        return
    downloaders = frozenset(params.get("downloaders", ["curl", "wget"]))
    interpreters = params.get("interpreters") or _DEFAULT_INTERPRETERS
    key = (tuple(sorted(downloaders)), tuple(sorted(interpreters)))
    download: Word | None = None
    previous: tuple[Word, ...] = ()
    for command in instruction.commands:
        words = _unwrap(command.words)
        if not words:
            previous = ()
            continue
        program = _name(words[0])
        if command.operator != "|":
            download = None
        stdin = _runs_stdin(words, interpreters.get(program), program in _SHELLS)
        if command.operator == "|" and download is not None and stdin:
            yield Hit(download.span.cover(words[0].span), {"interpreter": words[0].text})
            download = None
        elif (command.operator == "(" and program in downloaders and previous
              and _name(previous[0]) in interpreters and _patterns(*key)[2].search(run_text(instruction))):
            yield Hit(previous[0].span.cover(words[0].span), {"interpreter": previous[0].text})
        if program in downloaders and _to_stdout(program, words, command):
            download = words[0]
        elif program in interpreters or program == "eval":
            substitution, piped, _ = _patterns(*key)
            yield from _inline(words, substitution, piped)
        previous = words


@lru_cache(maxsize=32)
def _patterns(downloaders: tuple[str, ...], interpreters: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    """A download in a command substitution, one piped to a shell inside a script string, and
    one read through process substitution; compiled when a RUN first needs them."""
    names = "|".join(re.escape(name) for name in downloaders)
    shells = "|".join(re.escape(name) + (r"[\d.]*" if name == "python" else "")
                      for name in interpreters if name not in ("source", "."))
    return (re.compile(_SUBSTITUTION.format(names=names)),
            re.compile(_PIPE_IN_SCRIPT.format(names=names, shells=shells)),
            re.compile(r"<\(\s*(?:sudo\s+)?(?:" + names + r")\b"))


def _runs_stdin(words: tuple[Word, ...], inline_options: list[str] | None, shell: bool) -> bool:
    """The interpreter reads its program from standard input: no ``-c``/``-e`` script and
    no script file (``bash -``, ``sh -s -- -y`` and a bare ``python3`` do)."""
    if inline_options is None:
        return False
    short = [option[1] for option in inline_options if len(option) == 2 and option[0] == "-"]
    for word in words[1:]:
        text = word.resolved
        if text in ("-", "--"):
            return True
        if not text.startswith("-"):
            return False  # a script file
        if text.startswith("--"):
            if text.split("=", 1)[0] in inline_options:
                return False
            continue
        if any(letter in text[1:] for letter in short):
            return False
        if shell and "s" in text[1:]:
            return True  # `sh -s arg…`: the arguments are the script's, the script is stdin
    return True


def _to_stdout(program: str, words: tuple[Word, ...], command: ShellCommand) -> bool:
    if program == "wget":
        return _wget_target(words) in ("-", "/dev/stdout")
    call = Call(program, words, words[1:], command, 0)
    if program == "curl":
        return not call.option_values("-o", "--output") and not call.has_option("-O", "--remote-name",
                                                                                 "--remote-name-all")
    return True


_WGET_OUTPUT = re.compile(r"-[A-Za-z]*O(.*)$")


def _wget_target(words: tuple[Word, ...]) -> str | None:
    """Where ``wget`` writes: the value of ``-O``, ``-qO-``, ``-O -``, ``--output-document=``."""
    texts = [word.resolved for word in words[1:]]
    for index, text in enumerate(texts):
        following = texts[index + 1] if index + 1 < len(texts) else None
        if text == "--output-document":
            return following
        if text.startswith("--output-document="):
            return text.split("=", 1)[1]
        found = _WGET_OUTPUT.match(text) if not text.startswith("--") else None
        if found:
            return found.group(1) or following
    return None


def _inline(words: tuple[Word, ...], substitution: re.Pattern, piped: re.Pattern) -> Iterator[Hit]:
    """``sh -c "$(curl …)"``, ``eval "$(wget -qO- …)"``, ``sh -c 'curl … | sh'``."""
    interpreter = words[0].text
    for word in words[1:]:
        found = piped.search(word.text)
        if found or substitution.search(word.text):
            yield Hit(word.span, {"interpreter": found.group("interpreter") if found else interpreter})
            return
