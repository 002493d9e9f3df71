"""Secrets written in plain text in a container's environment (Compose ``environment``,
Kubernetes ``env[].value``). One hit per variable, at its value, for the first of:

1. the value matches one of ``value_patterns`` (a well-known credential format: AWS key id,
   GitHub/GitLab/Slack/Stripe tokens, a PEM private key…), whatever the variable is called;
2. the value is a URL with a password in it (``postgres://app:hunter2@db/app``), when ``urls``;
3. the variable's name looks like a secret (``names``: its words contain one of the listed
   words, e.g. ``DB_PASSWORD``, ``apiKey``, ``GITHUB_TOKEN``) and does not end in a word that
   says it is something about a secret rather than the secret (``ignore_suffixes``:
   ``_FILE``, ``_PATH``, ``_USER``, ``_ID``…), and the value is a literal: not empty, not a
   boolean, not an absolute path (a file holding the secret), not a reference to a secret
   store (``reference_prefixes``) and not a Kubernetes ``$(VAR)`` reference.

Values that are not written in the file — Compose ``${VAR}`` left to the environment,
Kubernetes ``valueFrom`` — never reach this template (the model gives them no value). The
value itself never appears in a message.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import sub_span
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Field, Workload

_STRINGS = {"type": "array", "items": {"type": "string"}}
PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "names": {**_STRINGS, "description": "words (or word sequences such as `api_key`) that make a variable "
                                             "name look like a secret"},
        "ignore_suffixes": {**_STRINGS, "description": "last words of a name that mean it is not the secret itself"},
        "ignore_names": {**_STRINGS, "description": "whole names never reported by name (`PWD`)"},
        "reference_prefixes": {**_STRINGS, "description": "value prefixes that point at a secret store instead "
                                                          "of holding the secret"},
        "value_patterns": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["kind", "regex"],
            "properties": {"kind": {"type": "string"}, "regex": {"type": "string"}}},
            "description": "credential formats reported whatever the variable is called (`kind` names it in "
                           "the message)"},
        "urls": {"type": "boolean", "description": "report URLs with an embedded password (default true)"},
    },
}

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@")
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "none"})
_ABSOLUTE_PATH = re.compile(r"/[\w.@%+=:,/-]*$")
_K8S_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_]*\)")
_PREPARED: dict[int, tuple] = {}

_KUBERNETES_FIX = ("read it from a Secret (`valueFrom.secretKeyRef`, or mount the Secret as a file) so it is not "
                   "in the manifest")
_COMPOSE_FIX = ("pass it with top-level `secrets:` (mounted at /run/secrets/<name>), or interpolate it from "
                "the environment (`${VAR:?}`) so it is not in the file")


def words(name: str) -> list[str]:
    """``DB_PASSWORD`` → [db, password]; ``apiKey`` → [api, key]; ``X-Auth-Token`` → [x, auth, token]."""
    return [word.lower() for word in _WORD.findall(name)]


def _contains(sequence: list[str], part: list[str]) -> bool:
    size = len(part)
    return size > 0 and any(sequence[index:index + size] == part for index in range(len(sequence) - size + 1))


class _Matcher:
    """The params of one rule, prepared once: name words, suffixes, compiled patterns."""

    __slots__ = ("names", "suffixes", "ignored", "prefixes", "patterns", "urls")

    def __init__(self, params: dict) -> None:
        self.names = [part for part in (words(word) for word in params.get("names", ())) if part]
        self.suffixes = {suffix.lower() for suffix in params.get("ignore_suffixes", ())}
        self.ignored = set(params.get("ignore_names", ()))
        self.prefixes = tuple(params.get("reference_prefixes", ()))
        self.urls = params.get("urls", True)
        self.patterns = []
        for item in params.get("value_patterns", ()):
            try:
                self.patterns.append((item["kind"], re.compile(item["regex"])))
            except re.error:  # the user's own pattern; skipped rather than failing the run
                continue

    def secret_name(self, name: str) -> bool:
        """Whether a variable name looks like it holds a secret."""
        if name in self.ignored:
            return False
        parts = words(name)
        if not parts or parts[-1] in self.suffixes:
            return False
        return any(_contains(parts, part) for part in self.names)

    def literal_secret(self, value: str) -> bool:
        """Whether a value under a secret-looking name is the secret itself, written here."""
        text = value.strip()
        if not text or text.lower() in _BOOLEANS or _ABSOLUTE_PATH.match(text):
            return False
        if self.prefixes and text.startswith(self.prefixes):
            return False
        return _K8S_REFERENCE.search(text) is None

    def problem(self, name: str, value: str) -> str | None:
        """What is wrong with one variable, or ``None``."""
        for kind, pattern in self.patterns:
            if pattern.search(value):
                return f"what looks like {kind}"
        if self.urls:
            for match in _URL_PASSWORD.finditer(value):
                if not match.group(1).startswith("$"):
                    return "a URL with a password in it"
        if self.secret_name(name) and self.literal_secret(value):
            return "a literal value, and its name says it is a secret"
        return None


def _matcher(params: dict) -> _Matcher:
    """One matcher per params object (a rule's params are one dict for the whole run); the
    dict is kept with it so its id cannot be reused by another."""
    cached = _PREPARED.get(id(params))
    if cached is None or cached[0] is not params:
        cached = _PREPARED[id(params)] = (params, _Matcher(params))
    return cached[1]


def _value_span(name: Field, value: Field):
    """The value's own span; for Compose's list syntax (``- NAME=value``, one scalar for both)
    the part after ``=`` when the text is written plainly, else the whole item."""
    if value.span != name.span or "$" in str(value.value):
        return value.span
    written = f"{name.value}={value.value}"
    return sub_span(value.span, written, len(name.value) + 1, len(str(value.value)))


@template("environment-secret", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    if workload.source == "compose":
        fix, where = _COMPOSE_FIX, "container's configuration (`docker inspect`)"
    else:
        fix, where = _KUBERNETES_FIX, f"{workload.kind} in the cluster"
    matcher = _matcher(params)
    for name, value in container.environment:
        if value is None or value.value is None or isinstance(value.value, bool) or not isinstance(name.value, str):
            continue
        found = matcher.problem(name.value, str(value.value))
        if found is not None:
            yield Hit(_value_span(name, value), {
                "variable": name.value, "problem": found, "fix": fix, "where": where,
                "subject": subject(container, workload), "container": container.name, "workload": workload.name})
