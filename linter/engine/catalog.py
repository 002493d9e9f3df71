"""The rule catalogue: ``rules/**/*.yaml``, compiled to ``rules/catalog.json`` for fast start.

A Dockerfile-only run must not pay for importing a YAML parser, so the catalogue is read
from ``catalog.json`` whenever its recorded digest matches the rule files on disk; otherwise
(a rule was edited and not recompiled) the YAML files are read directly. The catalogue
test fails while the compiled file is stale, and rewrites it with ``DLINT_UPDATE=1``.
"""
from __future__ import annotations

import json
import os
import zlib

from linter.model.rule import Check, Example, Rule
from linter.resources import data_dir

COMPILED = "catalog.json"


def rule_files(root: str) -> list[str]:
    """Paths of the rule files under ``root``, relative and with ``/`` separators, sorted."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        relative = os.path.relpath(directory, root).replace(os.sep, "/")
        found += [name if relative == "." else f"{relative}/{name}" for name in files if name.endswith(".yaml")]
    return sorted(found)


def _read_bytes(root: str, relative: str) -> bytes:
    with open(os.path.join(root, relative), "rb") as handle:
        return handle.read()


def source_digest(root: str) -> str:
    """A checksum of the rule files' names and contents (it detects edits; it is not a security measure)."""
    checksum = 0
    for relative in rule_files(root):
        checksum = zlib.crc32(relative.encode() + b"\0", checksum)
        checksum = zlib.crc32(_read_bytes(root, relative), checksum)
    return f"crc32:{checksum:08x}"


def read_rule_sources(root: str) -> list[dict]:
    """Every rule file as plain data (imports PyYAML)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = []
    for relative in rule_files(root):
        document = yaml.load(_read_bytes(root, relative).decode("utf-8"), Loader=loader)
        document["_file"] = relative
        documents.append(document)
    return documents


def compile_catalog(root: str) -> dict:
    return {"digest": source_digest(root), "rules": read_rule_sources(root)}


def _examples(items: list[dict] | None) -> tuple[Example, ...]:
    return tuple(
        Example(item["code"], tuple(item.get("findings", ())), item.get("config", {}), item.get("path", "Dockerfile"),
                item.get("context"))
        for item in items or ()
    )


def _targets(value: str | list[str]) -> tuple[str, ...]:
    return tuple(value if isinstance(value, list) else [value])


def _checks(data: dict, targets: tuple[str, ...]) -> tuple[Check, ...]:
    """``check: {template, params}`` serves every target; a list gives each its own."""
    check = data.get("check")
    if not check:
        return ()
    if isinstance(check, dict):
        return (Check(targets, check["template"], check.get("params", {})),)
    return tuple(Check(_targets(item["target"]), item["template"], item.get("params", {})) for item in check)


def rule_from_data(data: dict) -> Rule:
    targets = _targets(data["target"])
    examples = data.get("examples") or {}
    return Rule(
        code=data["code"], name=data["name"], title=data["title"], targets=targets,
        severity=data["severity"], enabled_by_default=data.get("enabled_by_default", True),
        tags=tuple(data.get("tags", ())), checks=_checks(data, targets),
        message=data["message"], docs=data.get("docs", {}), equivalents=data.get("equivalents", {}),
        fix=data.get("fix"), bad=_examples(examples.get("bad")), good=_examples(examples.get("good")),
    )


def _documents(root: str | None) -> list[dict]:
    """The rule files' data: from the compiled catalogue while it is fresh, else from YAML."""
    root = os.fspath(root or data_dir("rules"))
    compiled = os.path.join(root, COMPILED)
    if os.path.isfile(compiled):
        with open(compiled, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("digest") == source_digest(root):
            return data["rules"]
    return read_rule_sources(root)


def load_catalog(root: str | None = None) -> list[Rule]:
    """All rules, in code order."""
    return sorted((rule_from_data(document) for document in _documents(root)), key=lambda rule: rule.code)


def default_since(root: str | None = None) -> dict[str, str]:
    """Each rule's code and the dlint version from which it is on by default (its
    ``default_since``), read only when a configuration pins a rule set."""
    return {document["code"]: document["default_since"] for document in _documents(root)}


def write_compiled(root: str) -> None:
    with open(os.path.join(root, COMPILED), "w", encoding="utf-8") as handle:
        handle.write(json.dumps(compile_catalog(os.fspath(root)), indent=1, sort_keys=True) + "\n")
