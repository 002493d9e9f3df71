"""Shared helpers for templates that read ``RUN`` bodies: which program really runs, with
which subcommand, options and packages; cache mounts; paths that are removed or written.

A :class:`Call` is one program invocation seen through wrappers (``sudo``, ``env``,
``xargs``, ``nice``, ``timeout``…) and through ``sh -c '…'`` strings, with its tool name
canonicalised (``pip3``, ``python3 -m pip`` → ``pip``; ``./gradlew`` → ``gradle``).

Command *patterns* are how rule params name commands: the tool, then the subcommand words
that must come first among its non-option arguments, e.g. ``"apt-get install"``,
``"go mod download"``, ``"uv pip install"``. ``...`` skips any number of words, for tools
whose goals may come anywhere (``"mvn ... dependency:go-offline"``). Subcommand aliases are
folded (``npm i`` → ``npm install``, bare ``yarn`` → ``yarn install``).

Paths in params may use ``*`` globs and ``~`` (the home of the stage's current user).
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence

from linter.model.dockerfile import Instruction, ShellCommand, Stage, Word
from linter.model.span import Span

# -- tools ---------------------------------------------------------------------------------

_PIP = re.compile(r"pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?$")
_TOOL_ALIASES = {
    "gradlew": "gradle", "mvnw": "mvn", "bundler": "bundle", "composer.phar": "composer", "yarnpkg": "yarn",
    "dnf5": "dnf", "dnf-3": "dnf", "yum-config-manager": "yum-config-manager",
}

#: Ecosystem of a tool: package managers that share an index, cache or installed set.
FAMILIES = {
    "apt-get": "apt", "apt": "apt", "aptitude": "apt", "apk": "apk", "yum": "rpm", "dnf": "rpm",
    "microdnf": "rpm", "tdnf": "rpm", "zypper": "zypper", "pip": "pip", "npm": "npm", "yarn": "yarn",
    "pnpm": "pnpm", "gem": "gem", "bundle": "gem", "composer": "composer", "go": "go", "cargo": "cargo",
    "mvn": "maven", "gradle": "gradle", "poetry": "poetry", "uv": "uv", "pipenv": "pipenv", "conda": "conda",
    "mamba": "conda", "micromamba": "conda",
}

_SUBCOMMAND_ALIASES = {
    "npm": {"i": "install", "in": "install", "ins": "install", "inst": "install", "insta": "install",
            "instal": "install", "isnt": "install", "isnta": "install", "isntal": "install", "isntall": "install",
            "add": "install", "clean-install": "ci", "ic": "ci", "install-clean": "ci", "isntall-clean": "ci",
            "un": "uninstall", "unlink": "uninstall", "remove": "uninstall", "rm": "uninstall", "r": "uninstall"},
    "pnpm": {"i": "install", "rm": "remove", "uninstall": "remove", "un": "remove"},
    "yarn": {},
    "bun": {"i": "install", "a": "add", "rm": "remove"},
    "gem": {"i": "install"},
    "composer": {"i": "install"},
    "dnf": {"in": "install", "rm": "remove", "erase": "remove", "up": "upgrade"},
    "yum": {"erase": "remove"},
    "microdnf": {},
    "zypper": {"in": "install", "rm": "remove", "ref": "refresh"},
}
#: Tools whose bare invocation means ``install``.
_BARE_INSTALL = frozenset({"yarn", "bundle"})

# Options that take the next word as their value (when not written ``--opt=value``).
_COMMON_VALUE_OPTIONS: frozenset[str] = frozenset()
_VALUE_OPTIONS: dict[str, frozenset[str]] = {
    "apt-get": frozenset({"-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release",
                          "-a", "--host-architecture", "-P", "--build-profiles"}),
    "apk": frozenset({"-X", "--repository", "-p", "--root", "-t", "--virtual", "--arch", "--keys-dir",
                      "--cache-dir", "--repositories-file", "--cache-max-age", "--timeout"}),
    "yum": frozenset({"-c", "--config", "--installroot", "--releasever", "--setopt", "-x", "--exclude",
                      "--enablerepo", "--disablerepo", "--repo", "--repoid", "--repofrompath", "--downloaddir",
                      "--destdir", "-d", "--debuglevel", "-e", "--errorlevel", "--rpmverbosity", "--forcearch",
                      "--disableplugin", "--enableplugin", "--color", "--comment", "--advisory", "--bz", "--cve",
                      "--sec-severity"}),
    "zypper": frozenset({"-r", "--repo", "--root", "-R", "--reposd-root", "--type", "-t", "--from"}),
    "pip": frozenset({"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                      "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src",
                      "--platform", "--python-version", "--implementation", "--abi", "--progress-bar", "--proxy",
                      "--trusted-host", "--upgrade-strategy", "--no-binary", "--only-binary", "--cert",
                      "--client-cert", "--log", "--log-file", "--cache-dir", "--timeout", "--retries",
                      "--exists-action", "--global-option", "--install-option", "-C", "--config-settings",
                      "--report", "--python", "--group", "--keyring-provider", "--use-feature",
                      "--use-deprecated", "--resume-retries", "-b", "--build"}),
    "uv": frozenset({"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                     "--extra-index-url", "--index", "--default-index", "-f", "--find-links", "-p", "--python",
                     "--python-version", "--python-platform", "--target", "--prefix", "--cache-dir", "--directory",
                     "--project", "--extra", "--group", "--only-group", "--no-group", "--package",
                     "--exclude-newer", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease",
                     "-C", "--config-setting", "--config-file", "--override", "--build-constraint",
                     "--reinstall-package", "--upgrade-package", "-P", "--link-mode", "--color"}),
    "npm": frozenset({"--prefix", "-w", "--workspace", "--registry", "--cache", "--omit", "--include", "--tag",
                      "--userconfig", "--globalconfig", "--loglevel", "--install-strategy", "--before",
                      "--script-shell", "-C"}),
    "yarn": frozenset({"--cwd", "--modules-folder", "--cache-folder", "--network-timeout", "--mutex",
                       "--registry", "--global-folder", "--link-folder", "--use-yarnrc", "--mode"}),
    "pnpm": frozenset({"-C", "--dir", "-F", "--filter", "--store-dir", "--registry", "--reporter",
                       "--virtual-store-dir", "--modules-dir", "--config.store-dir"}),
    "gem": frozenset({"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P",
                      "--trust-policy", "--platform", "-g", "--file", "--build-root"}),
    "bundle": frozenset({"--path", "-j", "--jobs", "--retry", "--without", "--with", "--gemfile", "--binstubs",
                         "--standalone", "--shebang", "--target-rbconfig"}),
    "composer": frozenset({"-d", "--working-dir"}),
    "go": frozenset({"-C", "-modfile", "-mod", "-o", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags",
                     "-buildmode", "-compiler", "-pkgdir", "-overlay", "-exec", "-run", "-bench", "-timeout"}),
    "cargo": frozenset({"--manifest-path", "-p", "--package", "--target", "--target-dir", "-F", "--features",
                        "-j", "--jobs", "--profile", "--bin", "--example", "--test", "--bench", "-Z", "--config",
                        "--color", "--root", "--index", "--registry", "--git", "--branch", "--tag", "--rev",
                        "--path", "--version", "--vers"}),
    "mvn": frozenset({"-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-P", "--activate-profiles",
                      "-pl", "--projects", "-rf", "--resume-from", "-T", "--threads", "-l", "--log-file", "-t",
                      "--toolchains", "-D", "--define", "-b", "--builder"}),
    "gradle": frozenset({"-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-g",
                         "--gradle-user-home", "-I", "--init-script", "-x", "--exclude-task", "-D",
                         "--system-prop", "-P", "--project-prop", "--console", "--warning-mode", "--priority",
                         "--max-workers", "--include-build"}),
    "poetry": frozenset({"-C", "--directory", "-P", "--project", "--only", "--with", "--without", "-E",
                         "--extras"}),
    "pipenv": frozenset({"--python", "-r", "--requirements", "--categories"}),
    "conda": frozenset({"-n", "--name", "-p", "--prefix", "-c", "--channel", "--file", "--override-channels"}),
    "curl": frozenset({"-o", "--output", "-H", "--header", "-d", "--data", "--data-binary", "--data-raw",
                       "--data-urlencode", "-u", "--user", "-A", "--user-agent", "-e", "--referer", "-x", "--proxy",
                       "-X", "--request", "--retry", "--retry-delay", "--retry-max-time", "-m", "--max-time",
                       "--connect-timeout", "-w", "--write-out", "-T", "--upload-file", "-b", "--cookie", "-c",
                       "--cookie-jar", "-F", "--form", "--cacert", "--capath", "-E", "--cert", "--key", "-r",
                       "--range", "-z", "--time-cond", "--limit-rate", "--resolve", "--output-dir", "-K",
                       "--config", "--proto", "--proto-redir", "--ciphers", "-Y", "--speed-limit",
                       "-y", "--speed-time", "--interface", "--dns-servers", "--noproxy"}),
    "wget": frozenset({"-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-a",
                       "--append-output", "-t", "--tries", "-T", "--timeout", "-U", "--user-agent", "--header",
                       "-e", "--execute", "-i", "--input-file", "-Q", "--quota", "-w", "--wait", "--user",
                       "--password", "-l", "--level", "--ca-certificate", "--certificate", "--private-key",
                       "--post-data", "--post-file", "-B", "--base", "--limit-rate"}),
    "git": frozenset({"-C", "-c", "--git-dir", "--work-tree", "-b", "--branch", "--depth", "-o", "--origin",
                      "--reference", "--separate-git-dir", "-j", "--jobs", "--filter", "--config",
                      "--shallow-since", "--shallow-exclude", "-u", "--upload-pack", "--template"}),
}
for _alias, _tool in (("apt", "apt-get"), ("aptitude", "apt-get"), ("dnf", "yum"), ("microdnf", "yum"),
                      ("tdnf", "yum"), ("mamba", "conda"), ("micromamba", "conda"), ("bun", "npm")):
    _VALUE_OPTIONS[_alias] = _VALUE_OPTIONS[_tool]

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
# Wrappers: name -> (options taking a value, whether NAME=value words may follow the options,
# how many operands precede the command).
_WRAPPERS: dict[str, tuple[frozenset[str], bool, int]] = {
    "sudo": (frozenset({"-u", "--user", "-g", "--group", "-h", "--host", "-p", "--prompt", "-C",
                        "--close-from", "-D", "--chdir", "-r", "--role", "-t", "--type", "-T",
                        "--command-timeout", "-U", "--other-user"}), True, 0),
    "doas": (frozenset({"-u", "-C"}), False, 0),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}), True, 0),
    "xargs": (frozenset({"-a", "--arg-file", "-d", "--delimiter", "-E", "-e", "--eof", "-I", "-i", "--replace",
                         "-L", "-l", "--max-lines", "-n", "--max-args", "-P", "--max-procs", "-s", "--max-chars",
                         "--process-slot-var"}), False, 0),
    "nice": (frozenset({"-n", "--adjustment"}), False, 0),
    "ionice": (frozenset({"-c", "--class", "-n", "--classdata", "-p", "--pid"}), False, 0),
    "nohup": (frozenset(), False, 0),
    "time": (frozenset({"-f", "--format", "-o", "--output"}), False, 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), False, 1),
    "stdbuf": (frozenset({"-i", "--input", "-o", "--output", "-e", "--error"}), False, 0),
    "exec": (frozenset({"-a"}), False, 0),
    "command": (frozenset(), False, 0),
    "builtin": (frozenset(), False, 0),
    "eatmydata": (frozenset(), False, 0),
    "fakeroot": (frozenset({"-l", "--lib", "--faked", "-s", "-i"}), False, 0),
    "gosu": (frozenset(), False, 1),
    "su-exec": (frozenset(), False, 1),
    "chpst": (frozenset({"-u", "-U", "-e", "-n", "-l", "-L", "-m", "-d", "-o", "-p", "-f", "-c", "-r", "-t"}),
              False, 0),
    "retry": (frozenset({"-t", "--tries", "-d", "--delay", "-m", "--min", "-x", "--max"}), False, 0),
}

_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_SHORT_GROUP = re.compile(r"-[A-Za-z]{2,}$")
TRUTHY = frozenset({"1", "true", "yes", "on", "y"})


class Call:
    """One program invocation of a ``RUN``, wrappers removed (treat as read-only).

    ``words`` starts at the word naming the tool (``python3`` for ``python3 -m pip``);
    ``args`` are the words after the tool (after ``-m pip`` for pip run as a module).
    ``env`` holds inline assignments and variables exported earlier in the same ``RUN``;
    ``cwd`` the directory it runs in when known (``WORKDIR`` and ``cd`` followed).
    ``index`` orders calls within their instruction. ``wrappers`` are the wrapper words
    (``sudo``, ``env``…) it ran under, an ``sh -c`` string's wrappers included.
    """

    __slots__ = ("tool", "words", "args", "command", "index", "env", "cwd", "wrappers", "_positional_cache",
                 "_subcommand_cache")

    def __init__(self, tool: str, words: tuple[Word, ...], args: tuple[Word, ...], command: ShellCommand,
                 index: int, env: Mapping[str, str] | None = None, cwd: str | None = None,
                 wrappers: tuple[Word, ...] = ()) -> None:
        self.tool = tool
        self.words = words
        self.args = args
        self.command = command
        self.index = index
        self.env = env if env is not None else {}
        self.cwd = cwd
        self.wrappers = wrappers
        self._positional_cache: list[tuple[int, Word]] | None = None
        self._subcommand_cache: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"Call({self.tool!r}, {self.text()!r}, line={self.line})"

    @property
    def family(self) -> str:
        return FAMILIES.get(self.tool, self.tool)

    @property
    def span(self) -> Span:
        """From the tool's word to the last word (an ``sh -c`` string for nested calls)."""
        return self.words[0].span.cover(self.words[-1].span)

    @property
    def line(self) -> int:
        return self.words[0].span.line

    def text(self, limit: int = 6) -> str:
        """The call as the user wrote it, shortened to ``limit`` words."""
        words = [word.text for word in self.words]
        shown = " ".join(_quote(word) for word in words[:limit])
        return shown + (" …" if len(words) > limit else "")

    # -- options and operands --------------------------------------------------------

    def value_options(self) -> frozenset[str]:
        return _VALUE_OPTIONS.get(self.tool, _COMMON_VALUE_OPTIONS)

    def positionals(self) -> list[tuple[int, Word]]:
        """Non-option arguments with their index in ``args`` (option values skipped)."""
        if self._positional_cache is None:
            self._positional_cache = self._positionals()
        return self._positional_cache

    def _positionals(self) -> list[tuple[int, Word]]:
        out: list[tuple[int, Word]] = []
        takes_value = self.value_options()
        skip = False
        only_operands = False
        for index, word in enumerate(self.args):
            text = word.resolved
            if skip:
                skip = False
                continue
            if only_operands or not text.startswith("-") or text == "-":
                out.append((index, word))
            elif text == "--":
                only_operands = True
            elif text in takes_value or _SHORT_GROUP.match(text) and _group_ends_in_value(text, takes_value):
                skip = True  # `-o FILE`, or a group ending in one: `-fsSLo FILE`
        return out

    def subcommand(self) -> list[str]:
        """Positional values, the first one with aliases folded (``npm i`` → ``install``)."""
        return list(self.subcommand_words())

    def subcommand_words(self) -> tuple[str, ...]:
        if self._subcommand_cache is None:
            self._subcommand_cache = self._subcommand()
        return self._subcommand_cache

    def _subcommand(self) -> tuple[str, ...]:
        values = [word.resolved for _, word in self.positionals()]
        aliases = _SUBCOMMAND_ALIASES.get(self.tool, {})
        if values:
            values[0] = aliases.get(values[0], values[0])
        return tuple(values)

    def has_option(self, *specs: str) -> bool:
        return self.find_option(*specs) is not None

    def find_option(self, *specs: str) -> Word | None:
        """The first word that spells one of ``specs``.

        A spec is one option (``--no-cache-dir``, ``-y``) or an option and its value
        (``-o APT::Install-Recommends=false``). ``--long`` also matches ``--long=…``; a
        one-letter ``-y`` also matches inside a group such as ``-qy``; an option with a
        value matches ``-o VALUE``, ``-oVALUE`` and ``-o=VALUE``. Case-insensitive.
        """
        words = [word.resolved for word in self.args]
        takes_value = self.value_options()
        for spec in specs:
            option, _, value = spec.partition(" ")
            option_l, value_l = option.lower(), value.lower()
            for index, text in enumerate(words):
                lowered = text.lower()
                if index and words[index - 1] in takes_value and not value:
                    continue
                if value:
                    if lowered == option_l and index + 1 < len(words) and words[index + 1].lower() == value_l:
                        return self.args[index]
                    if lowered in (option_l + value_l, option_l + "=" + value_l):
                        return self.args[index]
                elif lowered == option_l or (option_l.startswith("--") and lowered.startswith(option_l + "=")):
                    return self.args[index]
                elif (len(option) == 2 and option[0] == "-" and _SHORT_GROUP.match(text) and option[1] in text[1:]
                      and not any("-" + c in takes_value for c in text[1:text.index(option[1])])):
                    return self.args[index]  # -y inside -qy (but not after a letter that takes a value)
                elif len(option) == 2 and option[0] == "-" and _leads_group(text, option[1], takes_value):
                    return self.args[index]  # -q inside -qO- (what follows O is its value)
        return None

    def option_values(self, *names: str) -> list[Word]:
        """Values given to the options ``names`` (``-r x``, ``-rx``, ``--requirement=x``)."""
        out: list[Word] = []
        args = self.args
        for index, word in enumerate(args):
            text = word.resolved
            for name in names:
                if text == name and index + 1 < len(args):
                    out.append(args[index + 1])
                elif name.startswith("--") and text.startswith(name + "="):
                    out.append(Word(text[len(name) + 1:], word.span, text[len(name) + 1:]))
                elif len(name) == 2 and not name.startswith("--") and text.startswith(name) and len(text) > 2 \
                        and not text.startswith("--"):
                    out.append(Word(text[2:].lstrip("="), word.span, text[2:].lstrip("=")))
                elif (len(name) == 2 and _SHORT_GROUP.match(text) and text.endswith(name[1])
                      and index + 1 < len(args)):  # -fsSLo FILE
                    out.append(args[index + 1])
        return out

    def env_truthy(self, name: str, variables: Mapping[str, str]) -> bool:
        value = self.env.get(name, variables.get(name))
        return value is not None and value.strip().lower() in TRUTHY


def _leads_group(text: str, letter: str, takes_value: frozenset[str]) -> bool:
    """``letter`` is one of the option letters of a group such as ``-qO-`` or ``-xzfFILE``:
    the letters up to the first one that takes a value (the rest is that value)."""
    if len(text) < 3 or text[0] != "-" or text[1] == "-":
        return False
    for char in text[1:]:
        if char == letter:
            return True
        if not char.isalpha() or "-" + char in takes_value:
            return False
    return False


def _group_ends_in_value(text: str, takes_value: frozenset[str]) -> bool:
    """``-fsSLo`` takes the next word; ``-DskipTests`` does not: like getopt, the first letter
    that takes a value swallows the rest of the group, so only a last letter leaves it for
    the next word."""
    for position, letter in enumerate(text[1:], 1):
        if "-" + letter in takes_value:
            return position == len(text) - 1
    return False


def _quote(word: str) -> str:
    if word and not any(ch in word for ch in " \t\"'"):
        return word
    if "$" in word or "`" in word:
        # Written in double quotes, most likely: single quotes would stop the expansion.
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    import shlex  # rarely needed; keeps start-up lean

    return shlex.quote(word)


# -- patterns -----------------------------------------------------------------------------

# A command pattern: ``tool`` and the subcommand ``words`` (``...`` skips words).
Pattern = namedtuple("Pattern", "tool words text")


def pattern(text: str) -> Pattern:
    parts = text.split()
    return Pattern(parts[0], tuple(parts[1:]), text)


class Patterns(list):
    """A list of patterns, indexed by tool so matching a call only tries its own tool's."""

    def __init__(self, items: Iterable[Pattern] = ()) -> None:
        super().__init__(items)
        self.by_tool: dict[str, list[Pattern]] = {}
        for item in self:
            self.by_tool.setdefault(item.tool, []).append(item)


def patterns(texts: Iterable[str] | None) -> Patterns:
    """Parsed patterns (memoized: instruction templates parse their params at every call)."""
    key = tuple(texts or ())
    found = _PATTERNS.get(key)
    if found is None:
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        found = _PATTERNS[key] = Patterns(pattern(text) for text in key if text.strip())
    return found


_PATTERNS: dict[tuple[str, ...], Patterns] = {}


def match(call: Call, pat: Pattern) -> int | None:
    """Index in ``call.args`` just past the subcommand words of ``pat``, or None."""
    if call.tool != pat.tool:
        return None
    positionals = call.positionals()
    values = call.subcommand_words()
    if not pat.words:
        return 0
    if not values and call.tool in _BARE_INSTALL and pat.words == ("install",):
        return 0
    position = 0
    floating = False
    end = 0
    for word in pat.words:
        if word == "...":
            floating = True
            continue
        found = None
        for index in range(position, len(values) if floating else min(position + 1, len(values))):
            if values[index] == word:
                found = index
                break
        if found is None:
            return None
        position = found + 1
        end = positionals[found][0] + 1
        floating = False
    return end


def match_any(call: Call, pats: Sequence[Pattern]) -> tuple[Pattern, int] | None:
    candidates = pats.by_tool.get(call.tool, ()) if isinstance(pats, Patterns) else pats
    for pat in candidates:
        end = match(call, pat)
        if end is not None:
            return pat, end
    return None


def operands(call: Call, after: int) -> list[Word]:
    """Positional arguments after index ``after`` of ``call.args`` (packages, paths…)."""
    return [word for index, word in call.positionals() if index >= after]


# -- finding calls ------------------------------------------------------------------------

_RECENT: dict[tuple[int, str | None], tuple[Instruction, list[Call]]] = {}
_RECENT_SIZE = 16


def calls(instruction: Instruction, cwd: str | None = "/") -> list[Call]:
    """Every program call of a ``RUN`` (its commands and shell heredoc bodies), in order.

    Several templates look at the same ``RUN`` one after the other, so the last few results
    are kept (keyed by identity; the list must not be modified).
    """
    if instruction.keyword != "RUN":
        return []
    key = (id(instruction), cwd)
    recent = _RECENT.get(key)
    if recent is not None and recent[0] is instruction:
        return recent[1]
    out = _calls(instruction, cwd)
    try:
        while len(_RECENT) >= _RECENT_SIZE:
            del _RECENT[next(iter(_RECENT))]
    except (KeyError, RuntimeError, StopIteration):  # another thread trimmed it first
        pass
    _RECENT[key] = (instruction, out)
    return out


def _calls(instruction: Instruction, cwd: str | None) -> list[Call]:
    out: list[Call] = []
    exported: dict[str, str] = {}
    state = {"cwd": cwd}
    for command in instruction.commands:
        _collect(command, list(command.words), list(command.assignments), exported, state, out, depth=0)
    return out


def _basename(word: Word) -> str:
    return word.resolved.rsplit("/", 1)[-1]


def _assignment(word: Word) -> tuple[str | None, str]:
    match_ = _ASSIGNMENT.match(word.resolved)
    if not match_:
        return None, ""
    return match_.group(1), match_.group(2)


def _unwrap(words: list[Word], env: dict[str, str]) -> tuple[list[Word], dict[str, str]]:
    """Drop wrappers such as ``sudo -E``, ``env A=1``, ``xargs -r`` and their options."""
    for _ in range(8):
        if not words:
            break
        name = _basename(words[0])
        if name not in _WRAPPERS:
            break
        takes_value, assigns, operands_ = _WRAPPERS[name]
        index = 1
        while index < len(words):
            text = words[index].resolved
            if text == "--":
                index += 1
                break
            if not text.startswith("-") or text == "-":
                break
            index += 2 if text in takes_value else 1
        if assigns:
            while index < len(words):
                key, value = _assignment(words[index])
                if not key:
                    break
                env[key] = value
                index += 1
        index += operands_
        words = words[index:]
    return words, env


def _tool(words: list[Word]) -> tuple[str, list[Word]]:
    program = _basename(words[0])
    rest = list(words[1:])
    if _PYTHON.match(program):
        index = 0
        while index < len(rest) and rest[index].resolved.startswith("-") and not rest[index].resolved.startswith("-m"):
            index += 1
        if index + 1 < len(rest) and rest[index].resolved == "-m":
            module = rest[index + 1].resolved
            if module == "pip" or _PIP.match(module):
                return "pip", rest[index + 2:]
            return f"python -m {module}", rest[index + 2:]
        if index < len(rest) and rest[index].resolved.startswith("-m") and len(rest[index].resolved) > 2:
            module = rest[index].resolved[2:]
            return ("pip" if module == "pip" else f"python -m {module}"), rest[index + 1:]
        return "python", rest
    if _PIP.match(program):
        return "pip", rest
    return _TOOL_ALIASES.get(program, program), rest


_OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "(", ")", "|&", "\n"})
_REDIRECTS = re.compile(r"\d*(>>|>|<|<<|<<<|>&|<&|&>|&>>|>\|)$")
_KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
                       "for", "case", "esac", "in"})


def _nested(script: str, span: Span, unresolved: bool) -> Iterator[tuple[list[Word], list[Word]]]:
    """Simple commands of an ``sh -c`` string; their words share the string's span."""
    import shlex  # only for sh -c strings

    lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return
    words: list[Word] = []
    assignments: list[Word] = []
    skip = False
    for token in tokens + [";"]:
        if skip:
            skip = False
            continue
        if token in _OPERATORS:
            if words or assignments:
                yield words, assignments
            words, assignments = [], []
            continue
        if _REDIRECTS.match(token) or set(token) <= set("<>&|"):
            skip = True
            continue
        if not words and token in _KEYWORDS:
            continue
        word = Word(token, span, None if unresolved and "$" in token else token)
        if not words and _ASSIGNMENT.match(token):
            assignments.append(word)
        else:
            words.append(word)


def _collect_nested(command: ShellCommand, words: list[Word], exported: dict[str, str], state: dict,
                    out: list[Call], depth: int) -> bool:
    """Calls of ``sh -c 'script'`` (``bash -euxo pipefail -c …`` too); False when not that form."""
    has_script = False
    index = 1
    while index < len(words):
        text = words[index].resolved
        if text == "--":
            index += 1
            break
        if not text.startswith(("-", "+")) or text in ("-", "+"):
            break
        if not text.startswith("--"):
            has_script = has_script or "c" in text[1:]
            if text[-1] in "oO" and len(text) >= 2:  # -o pipefail, -euxo pipefail, -O extglob
                index += 1
        index += 1
    if not has_script or index >= len(words):
        return False
    script = words[index]
    for nested_words, nested_assignments in _nested(script.resolved, script.span, script.value is None):
        _collect(command, nested_words, nested_assignments, exported, state, out, depth + 1)
    return True


def _collect(command: ShellCommand, words: list[Word], assignments: list[Word],
             exported: dict[str, str], state: dict, out: list[Call], depth: int) -> None:
    env = dict(exported)
    for word in assignments:
        name, value = _assignment(word)
        if name:
            env[name] = value
    before = words
    words, env = _unwrap(words, env)
    wrappers = state.get("wrappers", ())
    if len(words) < len(before):
        wrappers += tuple(w for w in before[:len(before) - len(words)] if _basename(w) in _WRAPPERS)
    if not words:
        if assignments and not command.words:
            for word in assignments:
                name, value = _assignment(word)
                if name:
                    exported[name] = value
        return
    program = _basename(words[0])
    if program in ("export", "declare", "typeset", "readonly", "local"):
        for word in words[1:]:
            name, value = _assignment(word)
            if name:
                exported[name] = value
        return
    if program == "cd":
        target = next((w for w in words[1:] if not w.resolved.startswith("-")), None)
        if target is None:
            state["cwd"] = None
        elif target.value is None and "$" in target.text:
            state["cwd"] = None
        else:
            state["cwd"] = resolve_path(target.resolved, state["cwd"])
        return
    if program in _SHELLS and depth < 3:
        outer = state.get("wrappers", ())
        state["wrappers"] = wrappers  # `sudo sh -c '…'`: the calls inside run under sudo too
        nested = _collect_nested(command, words, exported, state, out, depth)
        state["wrappers"] = outer
        if nested:
            return
    tool, args = _tool(words)
    out.append(Call(tool, tuple(words), tuple(args), command, len(out), env, state["cwd"], wrappers))


# -- mounts -------------------------------------------------------------------------------

Mount = namedtuple("Mount", "type target options")


def mounts(instruction: Instruction) -> list[Mount]:
    out = []
    for options in instruction.mounts():
        target = options.get("target") or options.get("dst") or options.get("destination")
        if target is not None:
            target = substitute(target, instruction.variables)
        out.append(Mount(options.get("type", "bind").lower(), target, options))
    return out


def mount_covering(instruction: Instruction, paths: Iterable[str], types: Iterable[str] = ("cache", "tmpfs"),
                   home: str = "/root") -> Mount | None:
    """A mount of one of ``types`` whose target is one of ``paths`` or a parent of one."""
    wanted = set(types)
    candidates = [expand_home(path, home) for path in paths]
    for mount in mounts(instruction):
        if mount.type in wanted and mount.target:
            target = normalize(mount.target)
            if any(covers(target, path) for path in candidates):
                return mount
    return None


# -- paths --------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """``$VAR``/``${VAR}`` replaced where known (unknown ones are left as written)."""
    return _VARIABLE.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), text)


def expand_home(path: str, home: str) -> str:
    if path == "~" or path.startswith("~/"):
        return home + path[1:]
    for prefix in ("$HOME", "${HOME}"):
        if path == prefix or path.startswith(prefix + "/"):
            return home + path[len(prefix):]
    return path


def normalize(path: str) -> str:
    """Collapse ``//``, ``.`` and ``..``; drop a trailing slash (keeps globs)."""
    if not path:
        return path
    absolute = path.startswith("/")
    cleaned = posixpath.normpath(path)
    if absolute and cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def resolve_path(path: str, cwd: str | None, home: str = "/root") -> str | None:
    """``path`` made absolute against ``cwd``; None when that cannot be known."""
    path = expand_home(path, home)
    if path.startswith("/"):
        return normalize(path)
    if cwd is None or "$" in path or cwd.startswith("~"):
        return None
    return normalize(posixpath.join(cwd, path))


def covers(container: str, path: str) -> bool:
    """True when ``container`` (a directory, maybe a glob) is ``path`` or one of its parents.

    ``path`` may itself be a glob (``*/.cache/pip``): then its leading parts that hold at
    least one literal name are tried as the parent.
    """
    container = normalize(container)
    path = normalize(path)
    if container == "/":
        return False
    if not _is_glob(container) and not _is_glob(path):
        return path == container or path.startswith(container + "/")
    parts = path.split("/")
    for end in range(len(parts), 0, -1):
        head = "/".join(parts[:end]) or "/"
        if end < len(parts) and not any(part and not _is_glob(part) for part in parts[:end]):
            break
        if head == container or fnmatch.fnmatchcase(container, head) or fnmatch.fnmatchcase(head, container):
            return True
    return False


def removal_covers(removed: str, path: str) -> bool:
    """True when removing ``removed`` (``/var/lib/apt/lists/*``, ``/tmp``…) deletes ``path``."""
    removed = normalize(removed)
    for suffix in ("/*", "/**", "/.*"):
        if removed.endswith(suffix):
            removed = removed[: -len(suffix)]
            break
    if not removed or removed == "/":
        return False
    return covers(removed, path)


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


# -- removals and downloads ---------------------------------------------------------------


def removed_paths(call: Call) -> list[Word]:
    """Paths an ``rm``/``rmdir``/``find … -delete`` call removes (what ``find`` searches)."""
    if call.tool in ("rm", "rmdir", "unlink", "shred"):
        out, operands_only = [], False
        for word in call.args:
            text = word.resolved
            if operands_only or not text.startswith("-"):
                out.append(word)
            elif text == "--":
                operands_only = True
        return out
    if call.tool == "find":
        texts = [word.resolved for word in call.args]
        deletes = "-delete" in texts or any(t == "-exec" and i + 1 < len(texts) and texts[i + 1].rsplit("/", 1)[-1]
                                             == "rm" for i, t in enumerate(texts))
        if deletes:
            starts = []
            for word in call.args:
                if word.resolved.startswith("-") or word.resolved in ("(", "!"):
                    break
                starts.append(word)
            return starts
    return []


def written_paths(call: Call) -> list[Word]:
    """Files a download writes: ``curl -o F``/``-O URL``, ``wget -O F``/``-P DIR URL``/``URL``,
    ``git clone URL DIR`` (a directory). Relative names are left relative."""
    if call.tool == "curl":
        out = call.option_values("-o", "--output")
        if call.has_option("-O", "--remote-name", "--remote-name-all"):
            out += [_url_name(word) for word in call.args if is_url(word.resolved)]
        return [word for word in out if word.resolved not in ("-", "/dev/null")]
    if call.tool == "wget":
        named = call.option_values("-O", "--output-document")
        if named:
            return [word for word in named if word.resolved not in ("-", "/dev/null")]
        directory = call.option_values("-P", "--directory-prefix")
        urls = [word for word in call.args if is_url(word.resolved)]
        if directory:
            return [Word(posixpath.join(directory[-1].resolved, _url_name(url).resolved), url.span) for url in urls]
        return [_url_name(url) for url in urls]
    if call.tool == "git":
        values = call.subcommand()
        if values[:1] == ["clone"]:
            positional = [word for _, word in call.positionals()][1:]
            if len(positional) >= 2:
                return [positional[1]]
            if positional:
                name = positional[0].resolved.rstrip("/").rsplit("/", 1)[-1]
                name = name[:-4] if name.endswith(".git") else name
                return [Word(name, positional[0].span, name)]
    return []


# Archives a local ``ADD`` unpacks into its destination.
UNPACKED_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    """``scheme://…``."""
    return _URL.match(text) is not None


def _url_name(word: Word) -> Word:
    name = word.resolved.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return Word(name, word.span, name)



# -- packages and copies ----------------------------------------------------------------

_PIP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def package_name(text: str, syntax: str) -> str:
    """The bare name of a package word: ``Flask[async]==2`` → ``flask`` (pip),
    ``@scope/x@1`` → ``@scope/x`` (npm), ``curl=7.1`` / ``libc6:amd64`` → ``curl`` / ``libc6``
    (apt, apk), ``gcc-12.1-3.el9`` → ``gcc`` (rpm)."""
    text = text.strip()
    if syntax == "pip":
        found = _PIP_NAME.match(text)
        return re.sub(r"[-_.]+", "-", found.group()).lower() if found else text
    if syntax == "npm":
        return text[0] + text[1:].split("@", 1)[0] if text.startswith("@") else text.split("@", 1)[0]
    if syntax == "rpm":
        return re.split(r"-\d|[=<>]", text, 1)[0]
    return re.split(r"[=~<>:]", text, 1)[0]


def copy_operands(instruction: Instruction) -> tuple[list[Word], Word | None]:
    """Sources (heredoc markers such as ``<<EOF`` included) and destination of a ``COPY``/``ADD``,
    in shell or JSON form; ``([], None)`` when there are not two operands."""
    words = list(instruction.words)
    if instruction.arguments.startswith("["):
        import json  # only for the rare JSON form

        try:
            items = json.loads(instruction.arguments)
        except ValueError:
            items = None
        if isinstance(items, list) and len(items) >= 2 and all(isinstance(item, str) for item in items):
            span = instruction.arguments_span
            words = [Word(item, span, item) for item in items]
    if len(words) < 2:
        return [], None
    return words[:-1], words[-1]


# -- stage helpers ------------------------------------------------------------------------

def shipping_stages(stages: Sequence[Stage]) -> set[int]:
    """The final stage and every stage it is built ``FROM`` (following aliases back)."""
    if not stages:
        return set()
    out: set[int] = set()
    stage: Stage | None = stages[-1]
    while stage is not None and stage.index not in out:
        out.add(stage.index)
        stage = stages[stage.base.stage] if stage.base.stage is not None else None
    return out


def user_home(user: str | None) -> str:
    """The home directory a ``USER`` most likely has (``/root`` for root or none)."""
    if not user:
        return "/root"
    name = user.split(":", 1)[0]
    return "/root" if name in ("root", "0") else f"/home/{name}"


def run_text(instruction: Instruction) -> str:
    """The text of a ``RUN``: its arguments and heredoc bodies (redirections included)."""
    return "\n".join([instruction.arguments, *(heredoc.body for heredoc in instruction.heredocs)])


# JSON Schema pieces shared by templates.
PATTERNS_SCHEMA = {"type": "array", "items": {"type": "string", "minLength": 1}}
STRINGS_SCHEMA = {"type": "array", "items": {"type": "string"}}
CACHE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "fill"],
    "properties": {
        "name": {"type": "string", "description": "what the cache is, for messages"},
        "fill": {**PATTERNS_SCHEMA, "description": "commands that write the cache"},
        "paths": {**STRINGS_SCHEMA, "description": "where it lives (globs and ~ allowed)"},
        "clean": {**PATTERNS_SCHEMA, "description": "commands that empty it"},
        "no_cache_options": {**STRINGS_SCHEMA, "description": "options of a fill command that skip the cache"},
        "no_cache_env": {**STRINGS_SCHEMA, "description": "variables that skip the cache when truthy"},
        "cache_dir_options": {**STRINGS_SCHEMA, "description": "options that move the cache"},
        "cache_dir_env": {**STRINGS_SCHEMA, "description": "variables that move the cache"},
    },
}


class Cache:
    """A package-manager cache described by params (see ``CACHE_SCHEMA``)."""

    __slots__ = ("name", "fill", "paths", "clean", "no_cache_options", "no_cache_env", "cache_dir_options",
                 "cache_dir_env")

    def __init__(self, data: Mapping) -> None:
        self.name: str = data.get("name", "cache")
        self.fill = patterns(data.get("fill"))
        self.paths: tuple[str, ...] = tuple(data.get("paths", ()))
        self.clean = patterns(data.get("clean"))
        self.no_cache_options: tuple[str, ...] = tuple(data.get("no_cache_options", ()))
        self.no_cache_env: tuple[str, ...] = tuple(data.get("no_cache_env", ()))
        self.cache_dir_options: tuple[str, ...] = tuple(data.get("cache_dir_options", ()))
        self.cache_dir_env: tuple[str, ...] = tuple(data.get("cache_dir_env", ()))

    @classmethod
    def from_params(cls, data: Mapping) -> Cache:
        return cls(data)

    def fills(self, call: Call) -> bool:
        return match_any(call, self.fill) is not None

    def skipped(self, call: Call, variables: Mapping[str, str]) -> bool:
        """The call is told not to keep the cache (option or truthy variable)."""
        if self.no_cache_options and call.has_option(*self.no_cache_options):
            return True
        return any(call.env_truthy(name, variables) for name in self.no_cache_env)

    def locations(self, call: Call, variables: Mapping[str, str]) -> list[str]:
        """The cache's paths for this call, plus any ``--cache-dir``/``PIP_CACHE_DIR`` move."""
        out = list(self.paths)
        for word in call.option_values(*self.cache_dir_options) if self.cache_dir_options else []:
            out.append(word.resolved)
        for name in self.cache_dir_env:
            value = call.env.get(name, variables.get(name))
            if value:
                out.append(value)
        return out

    def cleans(self, call: Call, locations: Sequence[str], home: str) -> bool:
        """The call empties the cache: a clean command, or removing its directory."""
        if match_any(call, self.clean) is not None:
            return True
        for word in removed_paths(call):
            removed = resolve_path(word.resolved, call.cwd, home)
            if removed and any(removal_covers(removed, expand_home(path, home)) for path in locations):
                return True
        return False


class StageTracker:
    """``WORKDIR`` and ``USER`` as a stage goes, inherited through ``FROM <earlier stage>``.

    Call :meth:`begin` at each stage and :meth:`see` for every instruction (before looking
    at it, so a ``RUN`` sees the ``WORKDIR`` set above it).
    """

    def __init__(self) -> None:
        self._ends: dict[int, tuple[str | None, str | None]] = {}
        self.index = -1
        self.workdir: str | None = "/"
        self.user: str | None = None

    def begin(self, stage: Stage) -> None:
        self.index = stage.index
        inherited = self._ends.get(stage.base.stage) if stage.base.stage is not None else None
        self.workdir, self.user = inherited if inherited else ("/", None)
        self._ends[stage.index] = (self.workdir, self.user)

    def see(self, instruction: Instruction) -> None:
        if instruction.keyword == "WORKDIR" and instruction.words:
            word = instruction.words[0]
            self.workdir = None if word.value is None else resolve_path(word.value, self.workdir)
        elif instruction.keyword == "USER" and instruction.words:
            self.user = instruction.words[0].value
        else:
            return
        self._ends[self.index] = (self.workdir, self.user)

    @property
    def home(self) -> str:
        return user_home(self.user)
