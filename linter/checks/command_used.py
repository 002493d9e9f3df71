"""A ``RUN`` that calls a program (or runs under a wrapper such as ``sudo``) the rule names.

``commands`` entries name a command pattern (``ps``, ``service ... start``) and the reason
it does not belong in a build; an entry can be excused by an option (``top -b``), by an
argument prefix (``vim +PlugInstall``: any argument starting with ``+`` or ``-`` scripts
the editor), by a ``RUN --mount`` type (``ssh`` with ``--mount=type=ssh``), or — with
``unless_followed`` — by a later command of the same ``RUN`` that does real work (a
service started to load data is fine; one started as the last thing is not). ``wrappers``
names wrapper programs (``sudo``, ``doas``), reported at the wrapper's word wherever it
wraps a call, ``sh -c`` strings included.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import STRINGS_SCHEMA, Call, calls, match_any, mounts, patterns
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

_ENTRY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["command", "reason"],
    "properties": {
        "command": {"type": "string", "minLength": 1, "description": "a command pattern: `ps`, `service ... start`"},
        "reason": {"type": "string", "minLength": 1},
        "unless_options": {**STRINGS_SCHEMA, "description": "options that make the call fine (`-b`)"},
        "unless_argument_prefixes": {**STRINGS_SCHEMA,
                                     "description": "an argument starting with one of these makes the call fine"},
        "unless_mount_types": {**STRINGS_SCHEMA, "description": "RUN --mount types that make the call fine"},
        "unless_followed": {"type": "boolean",
                            "description": "fine when a later command of the same RUN does real work"},
    },
}
_WRAPPER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "reason"],
    "properties": {"name": {"type": "string", "minLength": 1}, "reason": {"type": "string", "minLength": 1}},
}
PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "commands": {"type": "array", "items": _ENTRY},
        "wrappers": {"type": "array", "items": _WRAPPER},
    },
}

# Commands after a started service that do no work with it.
_TRIVIAL = frozenset({"true", ":", "echo", "printf", "sleep", "exit", "false"})


@template("command-used", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN":
        return
    found = calls(instruction)
    if not found:
        return
    entries = params.get("commands", ())
    if entries:
        commands, by_text = _compiled(entries)
        for position, call in enumerate(found):
            matched = match_any(call, commands)
            entry = by_text[matched[0].text] if matched else None
            if entry is not None and not _excused(entry, instruction, found, position):
                yield Hit(call.words[0].span, {"command": call.text(), "program": call.words[0].text,
                                               "reason": entry["reason"]})
    yield from _wrappers(found, params.get("wrappers", ()))


_COMPILED: dict[int, tuple] = {}


def _compiled(entries: list[dict]) -> tuple:
    """The entries' patterns, indexed by tool, and each entry by its pattern text (kept per
    params list: an instruction template is called with the same params for every RUN)."""
    found = _COMPILED.get(id(entries))
    if found is None or found[0] is not entries:
        if len(_COMPILED) > 64:
            _COMPILED.clear()
        texts = tuple(entry["command"] for entry in entries)
        found = _COMPILED[id(entries)] = (entries, patterns(texts), {entry["command"]: entry for entry in entries})
    return found[1], found[2]


def _excused(entry: dict, instruction: Instruction, found: list[Call], position: int) -> bool:
    call = found[position]
    if entry.get("unless_options") and call.has_option(*entry["unless_options"]):
        return True
    prefixes = tuple(entry.get("unless_argument_prefixes", ()))
    if prefixes and any(word.resolved.startswith(prefixes) for word in call.args):
        return True
    types = entry.get("unless_mount_types")
    if types and any(mount.type in types for mount in mounts(instruction)):
        return True
    return bool(entry.get("unless_followed")) and any(later.tool not in _TRIVIAL for later in found[position + 1:])


def _wrappers(found: list[Call], wanted: list[dict]) -> Iterator[Hit]:
    reasons = {entry["name"]: entry["reason"] for entry in wanted}
    if not reasons:
        return
    seen = set()
    for call in found:
        for word in call.wrappers:
            name = word.resolved.rsplit("/", 1)[-1]
            if name in reasons and word.span not in seen:
                seen.add(word.span)  # `sudo sh -c 'a && b'`: one finding for the one sudo
                yield Hit(word.span, {"command": call.text(), "program": word.text, "reason": reasons[name]})
