"""What a YAML file is, from its text alone and without parsing it: Kubernetes objects, or a
Helm template that must be rendered first. The directory walk asks this of every YAML file
whose name does not say, so it stays a few regular expressions (no YAML reader, no model)."""
from __future__ import annotations

import re

# ``apiVersion:`` / ``kind:`` at the start of a line (a top-level key) with a value on the same line.
_SNIFF = re.compile(r"^(?:(---|\.\.\.)|[\"']?(apiVersion|kind)[\"']?[ \t]*:[ \t]*[^\s#])", re.MULTILINE)
# The line breaks YAML honours besides LF: a lone CR, NEL and the Unicode line and paragraph separators.
_OTHER_LINE_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_JSON_SNIFF = re.compile(r"\"apiVersion\"\s*:.*?\"kind\"\s*:|\"kind\"\s*:.*?\"apiVersion\"\s*:", re.DOTALL)
# A Go-template action that only Helm writes: a built-in object or a Helm/Sprig function.
_HELM_ACTION = re.compile(
    r"\{\{-?\s*(?:[^{}\n]*?[\s(|]|)(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|\$\.Values)\b"
    r"|\{\{-?\s*(?:include|tpl|toYaml|required|lookup|fromYaml)\b")
_HELM_WORDS = (".Values", ".Release", ".Chart", ".Capabilities", ".Files", ".Template", "include", "tpl", "toYaml",
               "required", "lookup", "fromYaml")
# An action written where YAML expects a value or an item, unquoted (``replicas: {{ .x }}``).
_UNQUOTED_ACTION = re.compile(r"[ \t]*(?:-[ \t]+)?(?:[\w./-]+[ \t]*:[ \t]+)?\{\{-?[^}]*\}\}")
_BLOCK_INDICATOR = re.compile(r"(?:^|[:\s-])[|>][-+0-9]*[ \t]*(?:#.*)?$")


def looks_like_kubernetes(text: str) -> bool:
    """True when some document of ``text`` has a top-level ``apiVersion:`` and ``kind:``
    (or ``text`` is a JSON object with both keys). A regular expression over lines; no YAML."""
    if any(mark in text for mark in "\r\x85\u2028\u2029"):
        text = _OTHER_LINE_BREAKS.sub("\n", text)  # so that ``^`` finds every line YAML sees
    seen = 0
    for match in _SNIFF.finditer(text):
        if match.group(1):
            seen = 0
            continue
        seen |= 1 if match.group(2) == "apiVersion" else 2
        if seen == 3:
            return True
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") and _JSON_SNIFF.search(stripped, 0, 1_000_000) is not None


def is_helm_template(text: str) -> bool:
    """True when ``text`` holds Helm template actions (``{{ .Values.image }}``, ``{{- include … }}``,
    or an action written unquoted where YAML expects a key, a value or an item), i.e. it must be
    rendered before it is read. Go-template text in quoted strings or in block scalars of rendered
    manifests (Prometheus and Alertmanager templates: ``"{{ $labels.instance }}"``) does not count."""
    if "{{" not in text:
        return False
    if any(word in text for word in _HELM_WORDS) and _HELM_ACTION.search(text):
        return True
    block = -1  # the indentation of the line that opened the block scalar we are in, if any
    for line in text.split("\n"):
        body = line.strip()
        if not body:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0:
            if indent > block:
                continue
            block = -1
        if "{{" in body and _UNQUOTED_ACTION.match(line):
            return True
        if not body.startswith("#") and _BLOCK_INDICATOR.search(body):
            block = indent
    return False
