"""The rule catalogue: ``rules/**/*.yaml``, compiled to JSON for fast start.

A Dockerfile-only run must not pay for importing a YAML parser, so the catalogue is read
from the compiled files whenever their recorded digest matches the rule files on disk;
otherwise (a rule was edited and not recompiled) the YAML files are read directly. The
catalogue test fails while the compiled files are stale, and rewrites them with
``DLINT_UPDATE=1``.

The compiled form is two files: ``catalog.json`` holds what linting needs, and
``catalog-docs.json`` each rule's docs and examples (three quarters of the bytes), read only by
``explain``, SARIF reports and the tests. In an installed package the rule files
were compiled when the package was built and are not edited, so their digest is not checked.
"""
from __future__ import annotations

import json
import os
import zlib

from linter.model.rule import Check, Example, Rule
from linter.resources import BUNDLED, data_dir

COMPILED = "catalog.json"
COMPILED_DOCS = "catalog-docs.json"
_DOC_KEYS = ("docs", "examples")


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


def compile_catalog(root: str) -> tuple[dict, dict]:
    """The contents of ``catalog.json`` and ``catalog-docs.json``."""
    digest, documents = source_digest(root), read_rule_sources(root)
    lean = [{key: value for key, value in document.items() if key not in _DOC_KEYS} for document in documents]
    docs = {document["code"]: {key: document[key] for key in _DOC_KEYS if key in document} for document in documents}
    return {"digest": digest, "rules": lean}, {"digest": digest, "docs": docs}


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


def _read_compiled(root: str, name: str) -> dict | None:
    try:
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _documents(root: str | None, docs: bool = False) -> list[dict]:
    """The rule files' data, with their docs and examples when ``docs``: from the compiled
    catalogue while it is fresh, else from YAML."""
    root = os.fspath(root or data_dir("rules"))
    lean = _read_compiled(root, COMPILED)
    if lean is not None and (root.startswith(BUNDLED) or lean.get("digest") == source_digest(root)):
        if not docs:
            return lean["rules"]
        extra = _read_compiled(root, COMPILED_DOCS)
        if extra is not None and extra.get("digest") == lean["digest"]:
            return [{**document, **extra["docs"].get(document["code"], {})} for document in lean["rules"]]
    return read_rule_sources(root)


def load_catalog(root: str | None = None, docs: bool = False) -> list[Rule]:
    """All rules, in code order; their docs and examples only when ``docs`` is true (linting
    needs neither)."""
    return sorted((rule_from_data(document) for document in _documents(root, docs)), key=lambda rule: rule.code)


def default_since(root: str | None = None) -> dict[str, str]:
    """Each rule's code and the dlint version from which it is on by default (its
    ``default_since``), read only when a configuration pins a rule set."""
    return {document["code"]: document["default_since"] for document in _documents(root)}


def write_compiled(root: str) -> None:
    for name, data in zip((COMPILED, COMPILED_DOCS), compile_catalog(os.fspath(root))):
        with open(os.path.join(root, name), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=1, sort_keys=True) + "\n")
