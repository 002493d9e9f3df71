"""What one instruction adds to its layer, and what building it downloads.

A layer is the tar of the changes one instruction makes (size-cost.md §2.0): a file written
and deleted in the same ``RUN`` never reaches it, a deletion in a later layer frees nothing,
and metadata instructions add no data. Each layer is modelled as :class:`Part` s — the
packages an install adds, the apt lists, a pip cache, copied files — with their content
class (for the compressed size), where they live in the image (so ``COPY --from`` can take
just the paths it names) and what fetching them costs on a rebuild.

Package managers and downloads are sized by their own modules (``apt_layer``, ``apk``,
``pip``, ``npm``, ``downloads``); this module decides what to ask them from the command
line, the environment (``PIP_NO_CACHE_DIR``, ``NODE_ENV``), ``--mount=type=cache`` and the
cleanup done in the same ``RUN``. A command it cannot model makes its layer unknown, never 0.
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
from collections import namedtuple

from linter.cost import apt, apt_layer, compression
from linter.cost.estimate import Estimate, combine, lowest
from linter.model.dockerfile import Instruction
from linter.parsers.shell import split_commands, tokenize

ZERO = Estimate(0, "high")


class Part(namedtuple("Part", "size content path download packed", defaults=(None, ZERO, None))):
    """A piece of a layer: ``size`` (Estimate, uncompressed bytes), its content class (a key of
    ``compression.RATIOS``), the absolute path it lives under (None when that cannot be told),
    ``download``, what building it fetches from the network (Estimate), and ``packed``, its
    compressed size when known better than by the class ratio (a base image, an unpacked archive)."""

    __slots__ = ()

    @property
    def compressed(self) -> Estimate:
        return self.packed if self.packed is not None else compression.compressed(self.size, self.content)


class LayerEstimate:
    """One instruction of a stage: what it adds, the stage's running total after it, what it
    downloads when it is built again. ``size``, ``total``, ``compressed`` and ``download`` are
    Estimates; ``notes`` the assumptions behind them; ``parts`` what the layer is made of."""

    __slots__ = ("stage", "instruction", "keyword", "size", "total", "compressed", "download", "notes", "parts")

    def __init__(self, stage: int, instruction: Instruction, parts: list, notes: list, total: Estimate) -> None:
        self.stage = stage
        self.instruction = instruction
        self.keyword = instruction.keyword
        self.parts = tuple(parts)
        self.size = combine(part.size for part in parts)
        self.compressed = combine(part.compressed for part in parts)
        self.download = combine(part.download for part in parts)
        own: list[str] = []
        for note in [note for part in parts for note in part.size.notes] + list(notes):
            if note not in own:
                own.append(note)
        self.notes = tuple(own)
        self.total = total

    @property
    def line(self) -> int:
        return self.instruction.span.line

    @property
    def confidence(self) -> str:
        return self.size.confidence

    @property
    def unknown(self) -> bool:
        """True when some of what the layer adds could not be sized."""
        return self.size.size is None or self.size.unknown > 0

    def __repr__(self) -> str:
        return f"<LayerEstimate line {self.line} {self.keyword} {self.size.size}>"


class StageState:
    """What the estimator knows about a stage's filesystem as it walks its instructions."""

    __slots__ = ("index", "arch", "base", "distro", "release", "suite", "suite_confidence", "docs_excluded",
                 "variant", "apt_installed", "apt_note", "lists_present", "docker_clean", "no_recommends",
                 "python", "workdir", "user", "copies", "venvs", "layers")

    def __init__(self, index: int, arch: str, base=None) -> None:
        self.index = index
        self.arch = arch
        self.base = base
        distro = base.distro if base is not None else {}
        self.distro = distro.get("id")
        self.release = distro.get("release")
        found = apt.debian_suite(self.distro, distro.get("codename") or self.release) if self.distro else None
        if found is None and self.distro:
            found = apt.debian_suite(self.distro, self.release)
        self.suite, self.suite_confidence = found if found else (None, "unknown")
        excluded, variant = apt_layer.docs_excluded(base) if found else (False, "")
        self.docs_excluded = excluded
        self.variant = variant
        self.apt_installed = None   # names, read from the base the first time apt is used
        self.apt_note = ""
        self.lists_present = False  # official images ship without /var/lib/apt/lists
        self.docker_clean = found is not None  # official Debian/Ubuntu images carry docker-clean
        self.no_recommends = False
        self.python = _python_of(base)
        self.workdir = "/"
        self.user = None
        self.copies = []            # (image path, [context sources]) of COPY/ADD from the context
        self.venvs = []
        self.layers = []            # LayerEstimates of this stage and the stages it is built FROM

    def inherit(self, index: int) -> StageState:
        """The state a ``FROM <this stage>`` starts with."""
        child = StageState.__new__(StageState)
        for name in StageState.__slots__:
            value = getattr(self, name)
            setattr(child, name, list(value) if isinstance(value, list) else value)
        child.index = index
        return child

    @property
    def home(self) -> str:
        name = (self.user or "").split(":", 1)[0]
        return "/root" if name in ("", "root", "0") else f"/home/{name}"

    def installed_packages(self) -> list[str]:
        if self.apt_installed is None:
            names, note, confidence = apt_layer.base_packages(self.base, self.suite, self.arch)
            self.apt_installed = names
            self.apt_note = note
            self.suite_confidence = lowest((self.suite_confidence, confidence))
        return self.apt_installed


def _python_of(base) -> str | None:
    if base is None:
        return None
    if base.image == "python":
        found = re.match(r"\d+\.\d+", base.tag) or re.match(r"\d+\.\d+", base.version or "")
        return found.group() if found else None
    return None


# The python3 of each suite's table (Ubuntu releases mapped to a suite get its version too).
_SYSTEM_PYTHON = {"bookworm": "3.11", "trixie": "3.13"}


# -- commands of a RUN -----------------------------------------------------------------------------

Call = namedtuple("Call", "program path args piped cwd env")

_WRAPPERS = {"sudo": {"-u", "-g", "-h", "-p", "-C", "-D"}, "env": {"-u", "-C", "-S"}, "nice": {"-n"},
             "nohup": set(), "time": {"-f", "-o"}, "command": set(), "exec": {"-a"}, "eatmydata": set(),
             "stdbuf": {"-i", "-o", "-e"}, "xargs": {"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"}}
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_PIP = re.compile(r"pip(\d+(\.\d+)?)?$")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?$")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_ALIASES = {"apt": "apt-get", "aptitude": "apt-get", "gradlew": "gradle", "mvnw": "mvn", "yarnpkg": "yarn",
            "composer.phar": "composer"}


def calls_of(instruction: Instruction, cwd: str) -> list[Call]:
    """Every program a ``RUN`` runs (heredoc bodies and ``sh -c '…'`` included), in order,
    seen through wrappers such as ``sudo`` and ``env``, with the directory it runs in."""
    out: list[Call] = []
    state = {"cwd": cwd, "env": {}}
    for command in instruction.commands:
        words = [word.resolved for word in command.words]
        env = dict(state["env"])
        for word in command.assignments:
            found = _ASSIGNMENT.match(word.resolved)
            if found:
                env[found.group(1)] = found.group(2)
        _collect(words, command.operator == "|", env, state, out, 0)
    return out


def _collect(words: list[str], piped: bool, env: dict, state: dict, out: list, depth: int) -> None:
    while words:
        name = words[0].rsplit("/", 1)[-1]
        if name not in _WRAPPERS:
            break
        takes_value = _WRAPPERS[name]
        index = 1
        while index < len(words) and (words[index].startswith("-") or (name == "env" and "=" in words[index])):
            if name == "env" and "=" in words[index] and not words[index].startswith("-"):
                key, _, value = words[index].partition("=")
                env[key] = value
            index += 2 if words[index] in takes_value else 1
        words = words[index:]
    if not words:
        return
    name = words[0].rsplit("/", 1)[-1]
    if name == "cd":
        target = words[1] if len(words) > 1 else state["env"].get("HOME", "/root")
        state["cwd"] = _absolute(target, state["cwd"]) if state["cwd"] else None
        return
    if name == "export":
        for word in words[1:]:
            found = _ASSIGNMENT.match(word)
            if found:
                state["env"][found.group(1)] = found.group(2)
        return
    if name in _SHELLS and len(words) > 2 and words[1].startswith("-") and "c" in words[1] and depth < 3:
        for operator, assignments, inner in split_commands(tokenize(words[2], {})):
            inner_env = dict(env)
            for token in assignments:
                found = _ASSIGNMENT.match(token.text)
                if found:
                    inner_env[found.group(1)] = found.group(2)
            _collect([token.text for token in inner], operator == "|", inner_env, state, out, depth + 1)
        return
    program, args = _canonical(words)
    out.append(Call(program, words[0], args, piped, state["cwd"], env))


def _canonical(words: list[str]) -> tuple[str, list[str]]:
    """``pip3``, ``python -m pip`` → ``pip``; ``uv pip`` → ``pip``; ``./gradlew`` → ``gradle``."""
    name = words[0].rsplit("/", 1)[-1]
    args = words[1:]
    if _PIP.match(name):
        return "pip", args
    if _PYTHON.match(name) and len(args) >= 2 and args[0] == "-m":
        module = args[1]
        return ("pip" if _PIP.match(module) else module), args[2:]
    if name == "uv" and args[:1] == ["pip"]:
        return "pip", args[1:]
    return _ALIASES.get(name, name), args


def positionals(args: list[str], takes_value: frozenset = frozenset()) -> list[str]:
    """Arguments that are not options nor option values."""
    out, skip, only = [], False, False
    for arg in args:
        if skip:
            skip = False
        elif only or not arg.startswith("-") or arg == "-":
            out.append(arg)
        elif arg == "--":
            only = True
        elif arg in takes_value:
            skip = True
    return out


def option_values(args: list[str], *names: str) -> list[str]:
    """Values of ``-o VALUE``, ``-oVALUE`` and ``--option=VALUE``."""
    out = []
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                out.append(args[index + 1])
            elif name.startswith("--") and arg.startswith(name + "="):
                out.append(arg[len(name) + 1:])
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                out.append(arg[len(name):].lstrip("="))
    return out


# -- paths -----------------------------------------------------------------------------------------

def _absolute(path: str, cwd: str | None, home: str = "/root") -> str | None:
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    for prefix in ("$HOME", "${HOME}"):
        if path == prefix or path.startswith(prefix + "/"):
            path = home + path[len(prefix):]
    if path.startswith("/"):
        return posixpath.normpath(path).replace("//", "/")
    if cwd is None or "$" in path:
        return None
    return posixpath.normpath(posixpath.join(cwd, path))


def covers(container: str | None, path: str | None) -> bool:
    """True when ``container`` (maybe a glob, maybe ending in ``/*``) is ``path`` or a parent of it."""
    if not container or not path:
        return False
    for suffix in ("/*", "/**", "/.*"):
        if container.endswith(suffix):
            container = container[: -len(suffix)] or "/"
            break
    if container == "/":
        return True
    if any(ch in container for ch in "*?["):
        parts = path.split("/")
        return any(fnmatch.fnmatchcase("/".join(parts[:end]), container) for end in range(2, len(parts) + 1))
    return path == container or path.startswith(container.rstrip("/") + "/")


# -- one RUN ---------------------------------------------------------------------------------------

APT_VALUE_OPTIONS = frozenset({"-o", "--option", "-c", "--config-file", "-t", "--target-release",
                               "--default-release", "-a", "--host-architecture"})
APK_VALUE_OPTIONS = frozenset({"-X", "--repository", "-p", "--root", "-t", "--virtual", "--arch", "--cache-dir",
                               "--repositories-file", "--keys-dir"})
PIP_VALUE_OPTIONS = frozenset({"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i",
                               "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
                               "--prefix", "--root", "--cache-dir", "--platform", "--python-version",
                               "--trusted-host", "--timeout", "--retries", "--progress-bar", "--only-binary",
                               "--no-binary", "--upgrade-strategy", "-C", "--config-settings", "--src", "--python"})
NPM_VALUE_OPTIONS = frozenset({"--prefix", "-w", "--workspace", "--registry", "--cache", "--omit", "--include",
                               "--tag", "--loglevel", "-C", "--cwd", "--modules-folder", "--cache-folder",
                               "--network-timeout", "--store-dir", "--dir", "--filter"})
_NPM_INSTALL = frozenset({"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isntall", "add", "ci",
                          "clean-install", "ic"})
_TRUTHY = frozenset({"1", "true", "yes", "on", "y"})
_ARCHIVE_TOOLS = frozenset({"tar", "bsdtar", "unzip", "funzip", "gunzip", "gzip", "xz", "unxz", "bunzip2", "zstd",
                            "7z", "jar"})
_SCRIPT_RUNNERS = _SHELLS | {"python", "python3", "perl", "ruby", "node"}
_KEY_URL = re.compile(r"(\.(asc|gpg|key|pub|sig|sha256|sha512|md5)|gpgkey|/keys?/?)$", re.I)
_TOOLCHAINS = {
    "gem": {"install"}, "bundle": {"install", ""}, "go": {"install", "get", "mod", "build"},
    "cargo": {"install", "build", "fetch"}, "mvn": None, "gradle": None, "composer": {"install", "require", "update"},
}
# Commands that write nothing worth counting (a few bytes of configuration, links, users).
_CHEAP = frozenset({
    "true", "false", ":", "echo", "printf", "set", "test", "[", "mkdir", "ln", "touch", "cat", "ls", "id",
    "whoami", "which", "type", "sleep", "groupadd", "useradd", "adduser", "addgroup", "usermod", "groupmod",
    "chpasswd", "passwd", "sed", "grep", "awk", "tee", "mv", "rm", "rmdir", "unlink", "find", "ldconfig",
    "update-ca-certificates", "update-alternatives", "apt-mark", "apt-key", "add-apt-repository",
    "dpkg-reconfigure", "debconf-set-selections", "locale", "ulimit", "umask", "source", ".", "trap",
    "gpg", "gpgv", "gpgconf", "sha256sum", "sha512sum", "md5sum", "shasum", "readlink", "realpath",
    "dirname", "basename", "uname", "date", "env", "printenv", "exit", "shift", "unset", "wait", "hash",
    "chmod", "chown", "chgrp", "corepack", "systemctl", "service", "rc-update", "setcap", "getent", "head",
    "tail", "sort", "uniq", "wc", "tr", "cut", "stat", "du", "df",
})
# Programs that build from what is already in the image: the size of their output is not in the
# Dockerfile, but they fetch nothing.
_LOCAL_BUILDS = frozenset({"make", "cmake", "ninja", "meson", "gcc", "g++", "cc", "c++", "clang", "strip",
                           "javac", "configure", "autoreconf", "python", "python3", "node", "npx", "tsc", "webpack",
                           "vite"})


class RunModel:
    """The parts one ``RUN`` adds, from its commands in order."""

    def __init__(self, instruction: Instruction, state: StageState, context, variables: dict) -> None:
        self.instruction = instruction
        self.state = state
        self.context = context
        self.variables = variables
        self.calls = calls_of(instruction, state.workdir)
        self.parts: list[Part] = []
        self.notes: list[str] = []
        self.removals: list[tuple[int, str]] = []
        self.mounted = [_absolute(m.get("target") or m.get("dst") or m.get("destination") or "", "/", state.home)
                        for m in instruction.mounts() if m.get("type", "bind").lower() in ("cache", "tmpfs")]
        self.apt_updates: list[int] = []
        self.apt_installs: list[tuple[int, list, bool]] = []
        self.apt_removed: set[str] = set()
        self.autoremove = False
        self.apk_adds: list[tuple[int, list, str | None, bool]] = []
        self.apk_deleted: set[str] = set()

    # what the RUN does besides installing

    def _scan_cleanup(self) -> None:
        home = self.state.home
        for index, call in enumerate(self.calls):
            if call.program in ("rm", "rmdir", "unlink"):
                for path in positionals(call.args):
                    absolute = _absolute(path, call.cwd, home)
                    if absolute and absolute != "/":
                        self.removals.append((index, absolute))
            elif call.program == "find" and ("-delete" in call.args or "-exec" in call.args):
                start = positionals(call.args)[:1]
                absolute = _absolute(start[0], call.cwd, home) if start else None
                if absolute and absolute != "/":
                    self.removals.append((index, absolute))
            else:
                cleaned = _cache_clean(call, home)
                if cleaned:
                    self.removals.append((index, cleaned))

    def removed_after(self, index: int, path: str | None) -> bool:
        return any(at > index and covers(removed, path) for at, removed in self.removals)

    def is_mounted(self, path: str) -> bool:
        return any(covers(target, path) for target in self.mounted)

    def env(self, call: Call, name: str) -> str | None:
        return call.env.get(name, self.variables.get(name))

    # the walk

    def model(self) -> tuple[list[Part], list[str]]:
        self._scan_cleanup()
        text = "\n".join([self.instruction.arguments, *(heredoc.body for heredoc in self.instruction.heredocs)])
        if _NO_RECOMMENDS_CONF.search(text):
            self.state.no_recommends = True
        if any(covers(removed, "/etc/apt/apt.conf.d/docker-clean") for _, removed in self.removals):
            self.state.docker_clean = False
            self.notes.append("docker-clean removed: apt keeps the downloaded .deb files from here on")
        for index, call in enumerate(self.calls):
            handler = _HANDLERS.get(call.program)
            if handler is not None:
                handler(self, index, call)
            elif call.program in _TOOLCHAINS:
                self._toolchain(index, call)
            elif call.program in _LOCAL_BUILDS:
                self._unknown(call, "builds from the files in the image", download=Estimate(0, "low"))
            elif call.program in ("chmod", "chown", "chgrp") and _recursive(call.args):
                self._copy_up(call)
            elif call.program not in _CHEAP and not _is_package_listing(call):
                self._unknown(call, "what it writes cannot be told without running it")
        self._finish_apt()
        self._finish_apk()
        self._note_late_removals()
        if not self.apt_updates and any(covers(removed, "/var/lib/apt/lists") for _, removed in self.removals):
            self.state.lists_present = False
        return self.parts, self.notes

    def _unknown(self, call: Call, why: str, download: Estimate | None = None) -> None:
        note = f"{call.path}: {why}"
        self.parts.append(Part(Estimate.unknown_size(note), "binary", None,
                               download if download is not None else Estimate.unknown_size(note)))

    # apt

    def _apt(self, index: int, call: Call) -> None:
        words = positionals(call.args, APT_VALUE_OPTIONS)
        sub = words[0] if words else ""
        if sub in ("update", "install", "reinstall", "build-dep", "source") and self.state.suite is None:
            self._unknown(call, "apt on a base image whose Debian or Ubuntu release dlint does not know")
            return
        if sub == "update":
            self.apt_updates.append(index)
        elif sub in ("install", "reinstall"):
            recommends = not self.state.no_recommends
            if "--no-install-recommends" in call.args or any(_NO_RECOMMENDS_OPTION.search(arg) for arg in call.args):
                recommends = False
            elif "--install-recommends" in call.args:
                recommends = True
            packages = [word for word in words[1:] if not word.endswith(".deb")]
            if len(packages) < len(words) - 1:
                self._unknown(call, "installs a local .deb file")
            self.apt_installs.append((index, packages, recommends))
        elif sub in ("purge", "remove"):
            self.apt_removed.update(apt_name(word) for word in words[1:])
            self.autoremove = self.autoremove or "--auto-remove" in call.args or "--autoremove" in call.args
        elif sub == "autoremove":
            self.autoremove = True
        elif sub in ("upgrade", "dist-upgrade", "full-upgrade"):
            self.parts.append(Part(Estimate(0, "low", ("upgrade: assumed the base image is current",)),
                                   "packages", "/usr"))
        elif sub in ("build-dep", "source", "download"):
            self._unknown(call, f"apt-get {sub} is not modelled")

    def _finish_apt(self) -> None:
        if self.apt_installs:
            self._apt_packages()
        if self.apt_updates:
            self._apt_lists(self.apt_updates[-1])

    def _apt_packages(self) -> None:
        state = self.state
        before = state.installed_packages()
        added, requested, recommended = self._apt_closures(before)
        fetched = Estimate(apt_layer.download_bytes(added), "high",
                           ("apt fetches the .deb files again (their Size in the table)",))
        if self.apt_removed or self.autoremove:
            added = self._apt_purged(before, added, requested)
        result = apt_layer.packages_estimate(added, state.docs_excluded, lowest((state.suite_confidence, "high")),
                                             state.variant)
        notes = list(result.notes)
        if recommended[1]:
            notes.append(f"recommends installed: +{apt_layer.mb(recommended[0])} ({recommended[1]} packages)")
        elif any(not recommends for _, _, recommends in self.apt_installs):
            notes.append("recommends not installed")
        self.parts.append(Part(Estimate(result.size, result.confidence, tuple(notes), result.unknown), "packages",
                               "/usr", fetched))
        state.apt_installed = before + [pkg.name for pkg in added if pkg.known]
        if state.python is None and any(pkg.name == "python3" for pkg in added):
            state.python = _SYSTEM_PYTHON.get(state.suite)
        self.notes.append(state.apt_note)
        if not self.apt_updates and not state.lists_present and not self.is_mounted("/var/lib/apt/lists"):
            self.notes.append("no apt-get update before the install: an official image has no package lists")
        if added and state.docker_clean:
            self.notes.append("/var/cache/apt/archives emptied by the base's docker-clean")
        elif added and not (self.removed_after(self.apt_installs[-1][0], "/var/cache/apt/archives")
                            or self.is_mounted("/var/cache/apt/archives")):
            self.parts.append(Part(apt_layer.archives_estimate(added), "archive", "/var/cache/apt/archives"))

    def _apt_closures(self, before: list[str]) -> tuple[list, list[str], tuple[int, int]]:
        """The packages the RUN's installs add in turn, the names asked for, and the bytes and
        count of what only Recommends brought in."""
        state = self.state
        installed, added, requested = list(before), [], []
        recommended_bytes = recommended_count = 0
        for _, packages, recommends in self.apt_installs:
            found = apt.closure(packages, state.suite, state.arch, recommends=recommends, installed=installed)
            requested.extend(apt_name(name) for name in packages)
            if recommends:
                lean = apt.closure(packages, state.suite, state.arch, recommends=False, installed=installed)
                recommended_count += len(found) - len(lean)
                recommended_bytes += (apt.installed_size_bytes(found, known_only=True)
                                      - apt.installed_size_bytes(lean, known_only=True))
            added.extend(found)
            installed.extend(pkg.name for pkg in found if pkg.known)
        return added, requested, (recommended_bytes, recommended_count)

    def _apt_purged(self, before: list[str], added: list, requested: list[str]) -> list:
        """What is left of ``added`` after the RUN's purge/remove (and autoremove)."""
        if self.autoremove:
            kept = [name for name in requested if name not in self.apt_removed]
            recommends = any(recommends for _, _, recommends in self.apt_installs)
            state = self.state
            remaining = list(apt.closure(kept, state.suite, state.arch, recommends=recommends,
                                         installed=before)) if kept else []
        else:
            remaining = [pkg for pkg in added if pkg.name not in self.apt_removed]
        if len(remaining) < len(added):
            self.notes.append(f"{len(added) - len(remaining)} packages purged in the same RUN")
        return remaining

    def _apt_lists(self, index: int) -> None:
        state = self.state
        lists = apt_layer.lists_estimate(state.distro, state.suite)
        if self.is_mounted("/var/lib/apt/lists"):
            refreshed = Estimate(0, "low", ("apt lists refreshed on the cache mount",))
            self.parts.append(Part(Estimate(0, "high", ("apt lists on a cache mount",)), "apt-lists",
                                   "/var/lib/apt/lists", refreshed))
            return
        download = Estimate(lists.size, "medium", ("apt-get update downloads ≈ the lists it keeps",))
        if self.removed_after(index, "/var/lib/apt/lists"):
            self.parts.append(Part(Estimate(0, "high", ("apt lists removed in the same RUN",)), "apt-lists",
                                   "/var/lib/apt/lists", download))
            state.lists_present = False
        elif state.lists_present:
            self.parts.append(Part(Estimate(0, "medium", ("apt lists already kept by an earlier layer",)),
                                   "apt-lists", "/var/lib/apt/lists", download))
        else:
            self.parts.append(Part(lists, "apt-lists", "/var/lib/apt/lists", download))
            state.lists_present = True

    # apk

    def _apk(self, index: int, call: Call) -> None:
        words = positionals(call.args, APK_VALUE_OPTIONS)
        sub = words[0] if words else ""
        if sub in ("add", "del") and self.state.distro != "alpine":
            self._unknown(call, "apk on a base image that is not a known Alpine release")
            return
        if sub == "add":
            virtual = (option_values(call.args, "--virtual", "-t") or [None])[0]
            no_cache = "--no-cache" in call.args
            self.apk_adds.append((index, [word.split("=")[0].split(">")[0].split("<")[0] for word in words[1:]],
                                  virtual, no_cache))
        elif sub == "del":
            self.apk_deleted.update(words[1:])

    def _finish_apk(self) -> None:
        if not self.apk_adds:
            return
        from linter.cost.apk import apk_add

        everything, remaining = [], []
        for _, packages, virtual, _ in self.apk_adds:
            everything.extend(packages)
            if virtual not in self.apk_deleted or virtual is None:
                remaining.extend(name for name in packages if name not in self.apk_deleted)
        last = self.apk_adds[-1][0]
        cache_kept = not (all(no_cache for *_, no_cache in self.apk_adds)
                          or self.removed_after(last, "/var/cache/apk")
                          or self.is_mounted("/var/cache/apk") or self.is_mounted("/etc/apk/cache"))
        release = self.state.release
        fetched = apk_add(everything, release, False, self.state.arch)
        # §2.3: a package is about half its installed size (git: 3.4 MiB packaged, 6.7 installed)
        download = Estimate(None if fetched.size is None else round(fetched.size * 0.5), "low",
                            ("apk downloads ≈ half the installed size",), fetched.unknown)
        if len(remaining) < len(everything):
            self.notes.append(f"{len(everything) - len(remaining)} apk packages deleted in the same RUN")
        size = apk_add(remaining, release, cache_kept, self.state.arch) if remaining else ZERO
        self.parts.append(Part(size, "apk", "/usr", download))

    # pip

    def _pip(self, index: int, call: Call) -> None:
        if positionals(call.args, PIP_VALUE_OPTIONS)[:1] != ["install"]:
            return
        from linter.cost.pip import pip_install

        requirements, local, unread = self._pip_requirements(call)
        compile_pyc = "--no-compile" not in call.args
        cache = _absolute(self.env(call, "PIP_CACHE_DIR") or (option_values(call.args, "--cache-dir") or [""])[0]
                          or "~/.cache/pip", call.cwd, self.state.home)
        no_cache = "--no-cache-dir" in call.args or _truthy(self.env(call, "PIP_NO_CACHE_DIR"))
        mounted = self.is_mounted(cache) and not no_cache
        location = self._pip_location(call, self.state.home)
        if requirements:
            installed = pip_install(requirements, self.state.python, False, compile_pyc)
            # §2.4: installed ≈ 4.2 × the wheel bytes (median of 16 measured requirements)
            download = Estimate(0, "medium", ("pip wheels reused from the cache mount",)) if mounted else \
                Estimate(None if installed.size is None else round(installed.size / 4.2), "low",
                         ("pip downloads ≈ installed / 4.2 (wheel bytes)",), installed.unknown)
            self.parts.append(Part(installed, "python", location, download))
            if not (no_cache or mounted or self.removed_after(index, cache)):
                with_cache = pip_install(requirements, self.state.python, True, compile_pyc)
                self.parts.append(Part(_difference(with_cache, installed, "pip cache kept"), "archive", cache))
        notes = [f"pip requirements {path}: not found in the build context" for path in unread]
        if local:
            notes.append(f"pip installs the local project {local[0]}: its dependencies are not listed in the "
                         "Dockerfile")
        self.parts.extend(Part(Estimate.unknown_size(note), "python", location, Estimate.unknown_size(note))
                          for note in notes)

    def _pip_requirements(self, call: Call) -> tuple[list[str], list[str], list[str]]:
        """Requirements named or listed in ``-r`` files, local projects, and unreadable files."""
        from linter.cost.pip import parse_requirements

        words = positionals(call.args, PIP_VALUE_OPTIONS)[1:]
        requirements = [word for word in words if not _is_local_path(word)]
        local = [word for word in words if _is_local_path(word)] + option_values(call.args, "-e", "--editable")
        unread = []
        for path in option_values(call.args, "-r", "--requirement"):
            text = self.read_image_file(path, call.cwd)
            if text is None:
                unread.append(path)
            else:
                requirements.extend(parse_requirements(text))
        return requirements, local, unread

    def _pip_location(self, call: Call, home: str) -> str | None:
        for option in ("--target", "-t", "--prefix", "--root"):
            values = option_values(call.args, option)
            if values:
                return _absolute(values[0], call.cwd, home)
        if "--user" in call.args:
            return home + "/.local"
        program = _absolute(call.path, call.cwd, home) if "/" in call.path else None
        path_env = self.env(call, "PATH") or ""
        for venv in self.state.venvs:
            if (program and covers(venv, program)) or path_env.startswith(venv + "/bin"):
                return venv
        virtual_env = self.env(call, "VIRTUAL_ENV")
        if virtual_env:
            return virtual_env
        return "/usr/local"

    def _venv(self, index: int, call: Call) -> None:
        target = positionals(call.args)
        path = _absolute(target[-1], call.cwd, self.state.home) if target else None
        if path is None:
            self._unknown(call, "virtual environment in a place that cannot be told")
            return
        from linter.cost.pip import pip_install

        python = self.state.python
        seeded = ["pip"] if python and tuple(map(int, python.split("."))) >= (3, 12) else ["pip", "setuptools"]
        if "--without-pip" in call.args:
            size = Estimate(30_000, "medium", ("virtual environment without pip",))
        else:
            size = pip_install(seeded, python, False, True)
            size = Estimate(size.size, size.confidence, size.notes + (f"virtual environment {path} with "
                                                                        f"{' and '.join(seeded)}",), size.unknown)
        self.state.venvs.append(path)
        self.parts.append(Part(size, "python", path))

    # npm, yarn, pnpm

    def _npm(self, index: int, call: Call) -> None:
        tool = call.program
        words = positionals(call.args, NPM_VALUE_OPTIONS)
        sub = words[0] if words else ("install" if tool == "yarn" else "")
        if tool == "yarn" and sub == "global":
            words, sub = words[1:], (words[1] if len(words) > 1 else "")
        if sub == "run" or sub == "build":
            self._unknown(call, "runs a package script", download=Estimate(0, "low"))
            return
        if sub not in _NPM_INSTALL:
            return
        from linter.cost.npm import npm_install

        packages = words[1:]
        home = self.state.home
        global_install = "-g" in call.args or "--global" in call.args or call.args[:1] == ["global"]
        production = self._npm_production(call)
        lock = package_json = None
        if not packages:
            lock_name = {"npm": ("package-lock.json", "npm-shrinkwrap.json")}.get(tool, ())
            for name in lock_name:
                lock = lock or self.read_image_file(name, call.cwd)
            package_json = self.read_image_file("package.json", call.cwd)
            if lock is None and package_json is None:
                note = f"{tool} {sub}: package.json not found in the build context"
                self.parts.append(Part(Estimate.unknown_size(note), "node_modules", None, Estimate.unknown_size(note)))
                return
        cache_dir = {"npm": "~/.npm", "yarn": "/usr/local/share/.cache/yarn", "pnpm": "~/.local/share/pnpm/store"}[tool]
        cache = _absolute(cache_dir, call.cwd, home)
        mounted = self.is_mounted(cache)
        cache_kept = not (mounted or self.removed_after(index, cache))
        platform = (self.state.arch, "musl" if self.state.distro == "alpine" else "glibc")
        installed = npm_install(lock, package_json, production, False, packages, *platform)
        if tool != "npm":
            installed = Estimate(installed.size, lowest((installed.confidence, "low")),
                                 installed.notes + (f"{tool} sized like npm",), installed.unknown)
        # §2.5: node_modules ≈ 3–6 × the gzip tarballs; 4.5 taken
        download = Estimate(0, "medium", (f"{tool} packages reused from the cache mount",)) if mounted else \
            Estimate(None if installed.size is None else round(installed.size / 4.5), "low",
                     (f"{tool} downloads ≈ node_modules / 4.5 (tarball bytes)",), installed.unknown)
        location = "/usr/local/lib/node_modules" if global_install else _absolute("node_modules", call.cwd, home)
        self.parts.append(Part(installed, "node_modules", location, download))
        if cache_kept:
            with_cache = npm_install(lock, package_json, production, True, packages, *platform)
            self.parts.append(Part(_difference(with_cache, installed, f"{tool} cache kept"), "archive", cache))

    def _npm_production(self, call: Call) -> bool:
        """Dev dependencies left out: ``--omit=dev``, ``--production`` or ``NODE_ENV=production``."""
        return (any(arg in ("--production", "--prod") for arg in call.args)
                or "dev" in option_values(call.args, "--omit")
                or any(value in ("prod", "production") for value in option_values(call.args, "--only"))
                or (self.env(call, "NODE_ENV") or "").strip().lower() == "production")

    # other package managers and toolchains

    def _toolchain(self, index: int, call: Call) -> None:
        subcommands = _TOOLCHAINS[call.program]
        words = positionals(call.args)
        if subcommands is not None and (words[0] if words else "") not in subcommands:
            return
        from linter.cost.downloads import toolchain_install

        size = toolchain_install(call.program, list(call.args))
        download = Estimate(None if size.size is None else round(size.size * compression.ratio("binary")), "low",
                            ("downloads ≈ the compressed size of what it installs",), size.unknown)
        self.parts.append(Part(size, "binary", None, download))

    # downloads

    def _download(self, index: int, call: Call) -> None:
        urls = [arg for arg in call.args if _URL.match(arg)]
        if not urls:
            return
        from linter.cost.downloads import download

        target = self._download_target(call)
        following = self.calls[index + 1] if index + 1 < len(self.calls) else None
        for url in urls:
            if _KEY_URL.search(url.split("?", 1)[0]):
                self.parts.append(Part(Estimate(0, "high", ("signing key or checksum: a few kB",)), "text", None))
                continue
            if target is None:  # to stdout
                if following is not None and following.piped:
                    self._piped_download(url, following, download)
                continue
            path = _absolute(target if target != "." else url.rstrip("/").rsplit("/", 1)[-1], call.cwd,
                             self.state.home)
            name = posixpath.basename(path or target)
            later = self.calls[index + 1:]
            if any(c.program in _SCRIPT_RUNNERS and name in " ".join(c.args) or c.path.endswith(name)
                   for c in later if name):
                self._unknown(call, "downloads a script and runs it")
                continue
            extracted = any(c.program in _ARCHIVE_TOOLS and any(name in arg for arg in c.args) for c in later)
            kept = not self.removed_after(index, path)
            if extracted:
                self.parts.append(_unpacked(url, download, _extract_dir(later, name)))
            if kept or not extracted:
                archive = download(url, False)
                size = archive if kept else Estimate(0, "high", ("downloaded file removed in the same RUN",))
                self.parts.append(Part(size, "archive", path, archive))

    def _download_target(self, call: Call) -> str | None:
        if call.program == "curl":
            named = option_values(call.args, "-o", "--output") + _group_value(call.args, "o")
            if named:
                return None if named[-1] in ("-", "/dev/stdout") else named[-1]
            if any(arg in ("-O", "--remote-name") or (re.match(r"-[A-Za-z]*O[A-Za-z]*$", arg))
                   for arg in call.args):
                return "."
            return None
        named = option_values(call.args, "-O", "--output-document") + _group_value(call.args, "O")
        if named:
            return None if named[-1] in ("-", "/dev/stdout") else named[-1]
        if any(re.match(r"-[A-Za-z]*O-$", arg) for arg in call.args):
            return None
        return "."

    def _piped_download(self, url: str, reader: Call, download) -> None:
        if reader.program in _ARCHIVE_TOOLS:
            self.parts.append(_unpacked(url, download, _extract_dir([reader], None)))
        elif reader.program in _SCRIPT_RUNNERS:
            self._unknown(reader, f"runs a script downloaded from {url}")
        else:
            size = download(url, False)
            self.parts.append(Part(size, "archive", None, size))

    def _git(self, index: int, call: Call) -> None:
        if positionals(call.args, frozenset({"-C", "-c", "-b", "--branch", "--depth", "-o"}))[:1] == ["clone"]:
            self._unknown(call, "the size of a cloned repository is not known offline")

    # copy-up and removals

    def _copy_up(self, call: Call) -> None:
        targets = [_absolute(path, call.cwd, self.state.home) for path in positionals(call.args)[1:]]
        rewritten = []
        for layer in self.state.layers:
            for part in layer.parts:
                if part.path and any(covers(target, part.path) for target in targets) and part.size.size:
                    rewritten.append((layer, part))
        if not rewritten:
            return
        for layer, part in rewritten:
            size = Estimate(part.size.size, lowest((part.size.confidence, "medium")),
                            (f"{call.program} -R writes the files of line {layer.line} again: "
                             f"+{apt_layer.mb(part.size.size)}",), part.size.unknown)
            self.parts.append(Part(size, part.content, part.path))

    def _note_late_removals(self) -> None:
        for _, removed in self.removals:
            earlier = [(layer, part) for layer in self.state.layers for part in layer.parts
                       if part.path and covers(removed, part.path) and part.size.size]
            if earlier:
                layer, part = earlier[0]
                freed = sum(p.size.size for _, p in earlier)
                self.notes.append(f"removing {removed} frees nothing: its {apt_layer.mb(freed)} stay in the layer "
                                  f"of line {layer.line}")

    # files of the build context, found through the COPYs that put them in the image

    def read_image_file(self, path: str, cwd: str | None) -> str | None:
        """The text of the context file a ``RUN --mount=type=bind`` or an earlier ``COPY`` put at
        ``path`` (relative to ``cwd``)."""
        if self.context is None:
            return None
        absolute = _absolute(path, cwd, self.state.home)
        if absolute is None:
            return None
        binds = [(_absolute(mount.get("target") or mount.get("dst") or "", "/"), [mount.get("source") or "."])
                 for mount in self.instruction.mounts()
                 if mount.get("type", "bind").lower() == "bind" and not mount.get("from")]
        return _read_copied(self.state.copies + binds, self.context, absolute)


def _read_copied(copies: list, context, absolute: str) -> str | None:
    for destination, sources in reversed(copies):
        for source in sources:
            if absolute == destination:
                candidate = source
            elif covers(destination, absolute) and destination != absolute:
                relative = absolute[len(destination.rstrip("/")) + 1:]
                base = source.rstrip("/")
                if base in ("", "."):
                    candidate = relative
                elif "/" not in relative and fnmatch.fnmatchcase(relative, posixpath.basename(base)):
                    candidate = posixpath.join(posixpath.dirname(base), relative)  # COPY package*.json ./
                else:
                    candidate = posixpath.join(base, relative)
            else:
                continue
            text = context.read_text(candidate)
            if text is not None:
                return text
    return None


def _cache_clean(call: Call, home: str) -> str | None:
    """The directory a package manager's own clean command empties."""
    words = positionals(call.args)
    if call.program == "apt-get" and words[:1] in (["clean"], ["autoclean"]):
        return "/var/cache/apt/archives"
    if call.program == "npm" and words[:2] == ["cache", "clean"]:
        return home + "/.npm"
    if call.program == "yarn" and words[:2] == ["cache", "clean"]:
        return "/usr/local/share/.cache/yarn"
    if call.program == "pip" and words[:2] in (["cache", "purge"], ["cache", "remove"]):
        return home + "/.cache/pip"
    if call.program == "apk" and words[:2] == ["cache", "clean"]:
        return "/var/cache/apk"
    if call.program == "pnpm" and words[:2] == ["store", "prune"]:
        return home + "/.local/share/pnpm/store"
    return None


def _difference(whole: Estimate, part: Estimate, note: str) -> Estimate:
    """What ``whole`` adds over ``part`` (a cache: the install with it less the install without)."""
    size = None if whole.size is None or part.size is None else whole.size - part.size
    notes = tuple(n for n in whole.notes if n not in part.notes) or (note,)
    return Estimate(size, whole.confidence, notes, whole.unknown)


def _unpacked(url: str, download, path: str | None) -> Part:
    """An archive unpacked into the layer: the layer re-packs the same files, so its compressed
    size is about the archive's, which is also what building it fetches."""
    archive = download(url, False)
    packed = Estimate(archive.size, lowest((archive.confidence, "medium")), (), archive.unknown)
    return Part(download(url, True), "binary", path, archive, packed)


def _extract_dir(calls: list[Call], name: str | None) -> str | None:
    for call in calls:
        if call.program in _ARCHIVE_TOOLS and (name is None or any(name in arg for arg in call.args)):
            target = option_values(call.args, "-C", "--directory", "-d")
            return _absolute(target[0], call.cwd) if target else call.cwd
    return None


def _group_value(args: list[str], letter: str) -> list[str]:
    """The value after a short-option group ending in ``letter``: ``-fsSLo FILE``."""
    return [args[index + 1] for index, arg in enumerate(args[:-1])
            if re.match(r"-[A-Za-z]+" + letter + "$", arg)]


def _recursive(args: list[str]) -> bool:
    return any(arg in ("-R", "--recursive") or re.match(r"-[A-Za-z]*R", arg) for arg in args)


def _is_package_listing(call: Call) -> bool:
    """``apt-cache policy``, ``dpkg -l``, ``pip --version``: reads only."""
    return call.program in ("apt-cache", "dpkg-query", "dpkg-architecture") or (
        call.program == "dpkg" and not any(arg in ("-i", "--install", "--unpack") for arg in call.args))


def _is_local_path(word: str) -> bool:
    return word in (".", "..") or word.startswith(("./", "../", "/", "file:")) or word.endswith((".whl", ".tar.gz"))


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUTHY


def apt_name(spec: str) -> str:
    """``curl=7.88.1-10``, ``curl/bookworm-backports``, ``libc6:amd64`` → ``curl``, …"""
    for separator in ("=", "/", ":"):
        spec = spec.split(separator, 1)[0]
    return spec.lower()


_NO_RECOMMENDS_CONF = re.compile(r"APT::Install-Recommends\s*\"?(false|0)\b", re.I)
_NO_RECOMMENDS_OPTION = re.compile(r"APT::Install-Recommends=[\"']?(false|0|no)\b", re.I)

_HANDLERS = {
    "apt-get": RunModel._apt, "apk": RunModel._apk, "pip": RunModel._pip, "venv": RunModel._venv,
    "virtualenv": RunModel._venv, "npm": RunModel._npm, "yarn": RunModel._npm, "pnpm": RunModel._npm,
    "curl": RunModel._download, "wget": RunModel._download, "git": RunModel._git,
}
