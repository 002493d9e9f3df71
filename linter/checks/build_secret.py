"""A secret passed through ``ARG`` or ``ENV`` (hadolint DL3064, BuildKit
SecretsUsedInArgOrEnv), judged by name *and* by where the value ends up.

For each ``ARG``/``ENV`` pair, the first that applies:

1. its value (an ``ARG`` default, an ``ENV`` value) has the shape of a well-known
   credential (``value_patterns``) — whatever the name: the secret is in the Dockerfile;
2. its name looks like a secret (a word of it, split at ``_``/``-``/``.``/camelCase, is one
   of ``names``; its last word is not one of ``ignore_suffixes`` such as ``FILE``,
   ``PATH``, ``URL``, ``USER``) and the value is a literal — not empty, not a boolean, not
   an absolute path: the secret is written in the Dockerfile (any stage);
3. the name looks like a secret and the value comes from the build: ``ARG NAME`` without
   a default, or ``ENV NAME=$NAME`` — reported only in the stages that ship (the final one
   and those it is built ``FROM``), where build arguments used by ``RUN`` are recorded in
   the image history and ``ENV`` values in its configuration.

Values never appear in messages.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import Pair, pairs
from linter.checks._commands import shipping_stages
from linter.model.dockerfile import Dockerfile, Instruction, Stage
from linter.model.finding import Hit

_STRINGS = {"type": "array", "items": {"type": "string"}}
PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "names": {**_STRINGS, "description": "words (or sequences such as `api_key`) that make a name secret-like"},
        "ignore_suffixes": {**_STRINGS, "description": "last words of a name that mean it is not the secret itself"},
        "ignore_names": {**_STRINGS, "description": "whole names never reported by name"},
        "ignore_words": {**_STRINGS, "description": "words that, anywhere in a name, mean it is not secret "
                                                    "(`public`: `NEXT_PUBLIC_API_KEY` ships to browsers)"},
        "value_patterns": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["kind", "regex"],
            "properties": {"kind": {"type": "string"}, "regex": {"type": "string"}}}},
    },
}

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1", "null", "none"})


def _words(name: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(name)]


@template("build-secret", unit="stage", params=PARAMS)
class BuildSecret:
    def __init__(self, params: dict) -> None:
        self.names = [part for part in (_words(name) for name in params.get("names", ())) if part]
        self.suffixes = {suffix.lower() for suffix in params.get("ignore_suffixes", ())}
        self.ignored = set(params.get("ignore_names", ()))
        self.public = {word.lower() for word in params.get("ignore_words", ())}
        self.value_patterns = params.get("value_patterns", ())
        self._patterns: list | None = None  # compiled at the first ARG or ENV with a value
        self.shipping: set[int] = set()
        self.ships = False

    def begin_stage(self, stage: Stage, dockerfile: Dockerfile) -> Iterator[Hit]:
        self.ships = stage.index in self.shipping
        if stage.index == 0:
            self.shipping = shipping_stages(dockerfile.stages)
            self.ships = stage.index in self.shipping
            for instruction in dockerfile.global_args:  # only their literal defaults: in the file itself
                yield from self._check(instruction, ships=False)

    def instruction(self, instruction: Instruction, stage: Stage) -> Iterator[Hit]:
        if instruction.keyword in ("ARG", "ENV"):
            yield from self._check(instruction, self.ships)

    def end_stage(self, stage: Stage, dockerfile: Dockerfile) -> None:
        return None

    def _check(self, instruction: Instruction, ships: bool) -> Iterator[Hit]:
        for pair in pairs(instruction):
            problem = self._problem(instruction.keyword, pair, ships)
            if problem:
                yield Hit(pair.name_span, {"keyword": instruction.keyword, "name": pair.name, "problem": problem})

    def _compiled(self) -> list:
        if self._patterns is None:
            self._patterns = []
            for item in self.value_patterns:
                try:
                    self._patterns.append((item["kind"], re.compile(item["regex"])))
                except re.error:  # a user's own pattern: skipped rather than failing the run
                    continue
        return self._patterns

    def _problem(self, keyword: str, pair: Pair, ships: bool) -> str | None:
        value = (pair.value or "").strip()
        for kind, pattern in self._compiled() if value else ():
            if value and pattern.search(value):
                return f"holds what looks like {kind}, written in the Dockerfile"
        if not self._secret_name(pair.name):
            return None
        if value and "$" not in value:
            if value.lower() in _BOOLEANS or value.startswith("/"):
                return None
            return "has a secret-looking name and a value written in the Dockerfile"
        if not ships or keyword == "ENV" and not value:
            return None
        if keyword == "ARG":
            return "has a secret-looking name; a build argument's value is recorded in the image history"
        return "copies a build value with a secret-looking name into the image's environment"

    def _secret_name(self, name: str) -> bool:
        if name in self.ignored:
            return False
        parts = _words(name)
        if not parts or parts[-1] in self.suffixes or self.public.intersection(parts):
            return False
        return any(any(parts[i:i + len(part)] == part for i in range(len(parts) - len(part) + 1))
                   for part in self.names)
