"""The fix for a cache-busting ``COPY . .``: copy the dependency manifests and install first.

::

    COPY . .                                COPY requirements.txt ./
    RUN pip install -r requirements.txt  →  RUN pip install -r requirements.txt
                                            COPY . .

The edit is offered only when it provably builds the same image, which needs the build
context: the install must read nothing but the manifests it is given, and those must be
files the context really holds. So every condition below is checked, and any doubt means
no fix:

* the ``COPY`` copies exactly the context root into the working directory (``.``, ``./``
  or the ``WORKDIR`` itself), with no flag but ``--chown``, ``--chmod`` and ``--link``
  (which the manifest copy repeats);
* the ``RUN`` is the very next instruction (same ``WORKDIR``, ``ENV``, ``USER``), shell
  form, no heredoc, no flag but a cache, secret, ssh or tmpfs mount, and made only of
  ``&&``-joined ``pip install`` (requirement files and index packages only) and ``npm
  ci``/``npm install`` (no package operands) calls, plus ``npm cache clean``;
* pip: every requirement file exists in the context, is not excluded by ``.dockerignore``,
  and names no local path, editable install or file URL; nested ``-r``/``-c`` files are
  checked and copied too;
* npm: ``package.json`` exists and declares no workspaces, no install-time lifecycle
  script (unless ``--ignore-scripts``) and no ``file:``/``link:``/local dependency; the
  lock file and a project ``.npmrc`` are copied when the context has them.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from linter.checks._commands import Call, calls, copy_operands, normalize, resolve_path
from linter.checks._fixes import delete_lines, insert_at
from linter.model.dockerfile import BuildContext, Dockerfile, Instruction
from linter.model.finding import Edit

_COPY_FLAGS = frozenset({"chown", "chmod", "link"})
_SAFE_MOUNTS = frozenset({"cache", "secret", "ssh", "tmpfs"})
# pip options that change neither what is read from the context nor where it is installed.
_PIP_SWITCHES = frozenset({
    "--no-cache-dir", "-U", "--upgrade", "-q", "--quiet", "-v", "--verbose", "--no-compile", "--user",
    "--disable-pip-version-check", "--prefer-binary", "--no-warn-script-location", "--break-system-packages",
    "--require-hashes", "--only-binary", "--no-binary", "--pre", "--no-deps", "--ignore-installed",
    "--force-reinstall", "--no-input", "--root-user-action", "--progress-bar", "--upgrade-strategy", "--timeout",
    "--retries", "-i", "--index-url", "--extra-index-url", "--trusted-host", "--default-timeout",
})
_PIP_VALUED = frozenset({"--only-binary", "--no-binary", "--root-user-action", "--progress-bar", "--upgrade-strategy",
                         "--timeout", "--retries", "-i", "--index-url", "--extra-index-url", "--trusted-host",
                         "--default-timeout"})
_REQUIREMENT_OPTIONS = ("-r", "--requirement", "-c", "--constraint")
_NPM_SWITCHES = frozenset({
    "--omit", "--include", "--production", "--only", "--no-audit", "--no-fund", "--ignore-scripts",
    "--legacy-peer-deps", "--prefer-offline", "--no-optional", "--loglevel", "--quiet", "--silent", "-q",
    "--no-progress", "--no-update-notifier", "--audit", "--fund",
})
_NPM_LIFECYCLE = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare")
# Matched through re's cache: compiled only when a pip install is looked at.
_SPECIFIER = (r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]*\])?([<>=!~]=?[A-Za-z0-9.*+!_-]+"
              r"(,[<>=!~]=?[A-Za-z0-9.*+!_-]+)*)?")
_MAX_NESTING = 4


def manifest_first_edits(copy: Instruction, run: Instruction, workdir: str | None,
                         dockerfile: Dockerfile) -> tuple[Edit, ...]:
    """The edits moving ``run`` above ``copy`` behind a copy of the manifests it reads, or ``()``."""
    context = dockerfile.context
    if context is None or run.heredocs or run.arguments.startswith("["):
        return ()
    destination = _whole_context_destination(copy, workdir)
    if destination is None or not _run_flags_safe(run):
        return ()
    manifests = _manifests(calls(run, workdir), context)
    if not manifests:
        return ()
    lines = dockerfile.lines
    indent = re.match(r"[ \t]*", lines[copy.span.line - 1]).group(0)
    flags = " ".join(f"--{flag.name}={flag.value}" if flag.value else f"--{flag.name}" for flag in copy.flags)
    copies = []
    for directory, names in _by_directory(manifests):
        target = posixpath.join(destination, directory) if directory else destination
        target = target if target.endswith("/") else target + "/"
        copies.append(indent + " ".join(part for part in ("COPY", flags, *names, target) if part))
    run_lines = lines[run.span.line - 1:run.span.end_line]
    text = "\n".join(copies + run_lines) + "\n"
    return insert_at(copy.span.line, 1, copy.span.path, text), delete_lines(run.span)


def _whole_context_destination(copy: Instruction, workdir: str | None) -> str | None:
    """The destination as written when ``copy`` puts the context root into the working directory."""
    if copy.keyword != "COPY" or any(flag.name not in _COPY_FLAGS for flag in copy.flags):
        return None
    sources, destination = copy_operands(copy)
    if destination is None or len(sources) != 1 or sources[0].value is None and "$" in sources[0].text:
        return None
    if normalize(sources[0].resolved) != "." or destination.value is None and "$" in destination.text:
        return None
    target = destination.resolved
    if normalize(target) == ".":
        return "./"
    if workdir is not None and resolve_path(target, workdir) == normalize(workdir):
        return target
    return None


def _run_flags_safe(run: Instruction) -> bool:
    for flag in run.flags:
        if flag.name != "mount" or flag.options().get("type", "bind") not in _SAFE_MOUNTS:
            return False
    return True


def _manifests(run_calls: Sequence[Call], context: BuildContext) -> list[str] | None:
    """The context files the calls read, or None when one of them is not a plain install."""
    found: list[str] = []
    if not run_calls:
        return None
    for call in run_calls:
        if call.wrappers or call.command.operator not in ("", "&&") or call.cwd is None:
            return None
        if call.tool == "pip":
            files = _pip_files(call, context)
        elif call.tool == "npm":
            files = _npm_files(call, context)
        else:
            return None
        if files is None:
            return None
        found += [name for name in files if name not in found]
    return found


def _pip_files(call: Call, context: BuildContext) -> list[str] | None:
    args = [word.resolved for word in call.args]
    if not args or args[0] != "install" or any(word.value is None and "$" in word.text for word in call.args):
        return None
    files: list[str] = []
    index = 1
    while index < len(args):
        arg = args[index]
        name, eq, _ = arg.partition("=")
        if arg in _REQUIREMENT_OPTIONS or name in _REQUIREMENT_OPTIONS and eq:
            value = arg.partition("=")[2] if eq else (args[index + 1] if index + 1 < len(args) else "")
            index += 1 if eq else 2
            if not _requirement_tree(value, context, files, 0):
                return None
            continue
        if name in _PIP_SWITCHES:
            index += 2 if name in _PIP_VALUED and not eq else 1
            continue
        if arg.startswith("-") or not re.fullmatch(_SPECIFIER, arg):
            return None
        index += 1
    return files


def _requirement_tree(path: str, context: BuildContext, files: list[str], depth: int) -> bool:
    """Add ``path`` and the files it includes to ``files``; False when one is missing, or
    reads something from the context other than requirement files."""
    name = normalize(path)
    if not name or name.startswith(("/", "../", "~")) or name == ".." or "$" in name or depth > _MAX_NESTING:
        return False
    if name in files:
        return True
    text = context.read(name)
    if text is None:
        return False
    files.append(name)
    for line in _logical_lines(text):
        option, _, value = line.partition(" ")
        if option.split("=", 1)[0] in _REQUIREMENT_OPTIONS:
            nested = option.split("=", 1)[1] if "=" in option else value.strip()
            if not _requirement_tree(posixpath.join(posixpath.dirname(name), nested), context, files, depth + 1):
                return False
        elif _reads_local(line):
            return False
    return True


def _logical_lines(text: str) -> list[str]:
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        if line:
            lines.append(line)
    return lines


def _reads_local(line: str) -> bool:
    first = line.split()[0]
    if first in ("-e", "--editable", "-f", "--find-links") or first.startswith(("-e", "--editable=", "--find-links=")):
        return True
    return first.startswith((".", "/", "~", "file:")) or "file:" in line or " @ ." in line


def _npm_files(call: Call, context: BuildContext) -> list[str] | None:
    args = [word.resolved for word in call.args]
    if args[:3] in (["cache", "clean", "--force"], ["cache", "clean", "-f"]) and len(args) == 3:
        return []
    if not args or args[0] not in ("ci", "install", "i") or any("$" in word.text for word in call.args):
        return None
    options = args[1:]
    for option in options:
        if not option.startswith("-") or option.split("=", 1)[0] not in _NPM_SWITCHES:
            return None
    package = _package_json(context)
    if package is None:
        return None
    scripts = package.get("scripts") or {}
    if "--ignore-scripts" not in options and (not isinstance(scripts, dict) or
                                              any(name in scripts for name in _NPM_LIFECYCLE)):
        return None
    files = ["package.json"]
    files += [name for name in ("package-lock.json", "npm-shrinkwrap.json", ".npmrc") if context.read(name) is not None]
    return files


def _package_json(context: BuildContext) -> dict | None:
    text = context.read("package.json")
    if text is None:
        return None
    import json

    try:
        package = json.loads(text)
    except ValueError:
        return None
    if not isinstance(package, dict) or "workspaces" in package:
        return None
    for section in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        specs = package.get(section) or {}
        if not isinstance(specs, dict):
            return None
        for spec in specs.values():
            if not isinstance(spec, str) or spec.startswith(("file:", "link:", "workspace:", ".", "/", "~")):
                return None
    return package


def _by_directory(files: Sequence[str]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for name in files:
        groups.setdefault(posixpath.dirname(name), []).append(name)
    return list(groups.items())
