"""Containers of known stateful images whose data directory is not on persistent storage.

The table of images is the rule's ``images`` param (data, validated by ``PARAMS``): for each
image its repositories, the major versions it covers, its data directories, the paths its
Dockerfile declares with ``VOLUME``, the environment variable that moves the data, and the
paths its entrypoint refuses to see mounted.

For each data directory the *effective* mount is the deepest mount at or above it. A
``VOLUME`` of the image that nothing is mounted at exactly counts as a mount of its own — an
anonymous volume under Docker, a per-container directory under containerd — so it hides a
volume mounted at a parent (postgres ≤ 17 with a volume at ``/var/lib/postgresql``). The data
is safe when the effective mount's kind is persistent for the format (``persistent`` param).

Reported: at the image, a data directory with no persistent effective mount; at a mount, a
volume at the wrong path (inside the data directory, hidden by the image's ``VOLUME``, at
another version's data directory, or where the entrypoint refuses a mount point).

Not reported: init containers, run-to-completion kinds (a ``postgres`` image running
``pg_dump`` in a CronJob keeps no data), containers whose command is a client program
(``psql``, ``redis-cli``…), and anything that cannot be known (a variable in the image name
or a mount path, a data-directory variable whose value is not written in the file).
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._images import DOCKER_HUB, is_registry_name, is_variable, registry, repository_path
from linter.checks._scalars import sub_span
from linter.model.finding import Hit
from linter.model.workload import Container, Mount, Workload

_PATH = {"type": "string", "pattern": "^/"}
_PATHS = {"type": "array", "items": _PATH, "uniqueItems": True}
_KINDS = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
_IMAGE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "repositories", "paths"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "description": "the image as messages name it"},
        "repositories": {
            "type": "array", "minItems": 1, "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._:/-]*$"},
            "description": "Docker Hub names (`postgres`, `bitnami/postgresql`), also matched on mirrors; or "
                           "names with a registry (`docker.elastic.co/elasticsearch/elasticsearch`), matched exactly",
        },
        "versions": {
            "type": "object", "additionalProperties": False, "minProperties": 1,
            "properties": {"since": {"type": "integer", "minimum": 0}, "until": {"type": "integer", "minimum": 0}},
            "description": "the major versions this entry covers (inclusive)",
        },
        "default": {"type": "boolean",
                    "description": "this entry applies to tags that name no version (none, `latest`, `alpine`)"},
        "version_pattern": {"type": "string", "minLength": 1,
                            "description": "regular expression searched in the tag; the first group that matched "
                                           "is the major version (default `^v?(\\d+)`)"},
        "paths": {**_PATHS, "minItems": 1, "description": "the data directories that must persist"},
        "volumes": {**_PATHS, "description": "paths the image's Dockerfile declares with VOLUME"},
        "env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                "description": "environment variable that moves the first data directory (`PGDATA`)"},
        "refuses_mounts": {**_PATHS, "description": "paths the entrypoint refuses to start with a mount at, "
                                                    "unless `env` is set"},
        "note": {"type": "string", "description": "where the facts come from"},
    },
}
PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["images"],
    "properties": {
        "images": {"type": "array", "items": _IMAGE, "description": "the stateful images and their data"},
        "persistent": {
            "type": "object", "additionalProperties": False,
            "properties": {"compose": _KINDS, "kubernetes": _KINDS},
            "description": "mount kinds that keep data, per format",
        },
        "client_programs": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                            "description": "commands that make a container a one-off client, not the server"},
        "skip_kinds": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                       "description": "workload kinds that run to completion"},
    },
}

_PERSISTENT = {"compose": ("volume", "bind"), "kubernetes": ("claim", "network")}
_DEFAULT_PATTERN = r"^v?(\d+)"
_SHELLS = frozenset({"sh", "bash", "ash", "dash"})
_IMAGE_VOLUME = "image-volume"  # the pseudo-kind of a VOLUME nothing is mounted at
_FIX = {
    "compose": "mount a named volume or a bind mount there",
    "kubernetes": "mount a PersistentVolumeClaim there (a StatefulSet's `volumeClaimTemplates`, or a "
                  "`persistentVolumeClaim` volume)",
}


class _Table:
    """The ``images`` param indexed by repository, compiled once per rule instance."""

    __slots__ = ("source", "exact", "hub", "short")

    def __init__(self, images: list) -> None:
        self.source = images
        self.exact: dict[tuple[str, str], list] = {}   # (registry, path) → entries
        self.hub: dict[str, list] = {}                 # Docker Hub path (library/postgres) → entries
        self.short: dict[str, list] = {}               # official name on a private mirror (postgres) → entries
        for entry in images:
            compiled = dict(entry, pattern=re.compile(entry.get("version_pattern", _DEFAULT_PATTERN)))
            for name in entry["repositories"]:
                first, _, rest = name.partition("/")
                if rest and is_registry_name(first):
                    self.exact.setdefault((first, rest), []).append(compiled)
                    continue
                self.hub.setdefault(name if "/" in name else "library/" + name, []).append(compiled)
                if "/" not in name:
                    self.short.setdefault(name, []).append(compiled)

    def lookup(self, host: str, path: str) -> list:
        found = self.exact.get((host, path))
        if found:
            return found
        if path in self.hub:
            return self.hub[path]
        if host == DOCKER_HUB:
            return []
        # A mirror or pull-through cache: `mirror.gcr.io/library/postgres`,
        # `harbor.example.com/hub/bitnami/postgresql`, `registry.example.com/postgres`.
        for start in range(len(path)):
            if path[start] == "/" and path[start + 1:] in self.hub:
                return self.hub[path[start + 1:]]
        return self.short.get(path, [])


_TABLES: dict[int, _Table] = {}


def _table(images: list) -> _Table:
    table = _TABLES.get(id(images))
    if table is None or table.source is not images:
        table = _TABLES[id(images)] = _Table(images)
    return table


def _major(tag: str | None, entry: dict) -> int | None:
    if not tag:
        return None
    match = entry["pattern"].search(tag)
    if not match:
        return None
    digits = next((group for group in match.groups() if group), None) if match.groups() else match.group(0)
    return int(digits) if digits and digits.isdigit() else None


def _covers(entry: dict, major: int) -> bool:
    versions = entry.get("versions", {})
    return versions.get("since", 0) <= major <= versions.get("until", major)


def _candidates(entries: list, tag: str | None, digest: str | None) -> tuple[list, bool]:
    """The entries that may describe the image, and whether its version is known.

    A version in the tag picks its entry; a tag with no version (none, ``latest``, ``alpine``)
    picks the ``default`` entry; a variable in the tag, or a digest alone, could be any version."""
    if len(entries) == 1 and "versions" not in entries[0]:
        return entries, True
    if is_variable(tag) or tag is None and digest is not None:
        return entries, False
    majors = [(entry, _major(tag, entry)) for entry in entries]
    if any(major is not None for _, major in majors):
        covering = [entry for entry, major in majors if major is not None and _covers(entry, major)]
        return (covering, True) if covering else (entries, False)
    defaults = [entry for entry in entries if entry.get("default")]
    return (defaults, True) if defaults else (entries, False)


def _label(entry: dict) -> str:
    """``postgres 18 and newer``, ``influxdb 2``, ``postgres 17 and older``, or just the name."""
    versions = entry.get("versions", {})
    since, until = versions.get("since"), versions.get("until")
    if since is not None and since == until:
        return f"{entry['name']} {since}"
    if since is not None and until is not None:
        return f"{entry['name']} {since} to {until}"
    if since is not None:
        return f"{entry['name']} {since} and newer"
    if until is not None:
        return f"{entry['name']} {until} and older"
    return entry["name"]


def _words(node) -> list[str]:
    """A ``command``/``entrypoint``/``args`` value as words, list or string form."""
    if node is None:
        return []
    if node.kind == "seq":
        return [item.text() or "" for item in node.value]
    text = node.text()
    return text.split() if text else []


def _program(words: list[str]) -> str | None:
    """The program a command runs, looking through ``sh -c '<script>'``."""
    if not words:
        return None
    program = posixpath.basename(words[0])
    if program in _SHELLS and len(words) > 2 and words[1] == "-c":
        script = words[2].split()
        return posixpath.basename(script[0]) if script else None
    return program


def _runs_client(container: Container, workload: Workload, clients: set) -> bool:
    """Whether the container runs a one-off client (``psql``…) instead of the image's server:
    Compose ``entrypoint`` (else ``command``), Kubernetes ``command`` (else ``args``)."""
    node = container.node
    if node is None or not clients or not node.is_map:
        return False
    keys = ("entrypoint", "command") if workload.source == "compose" else ("command", "args")
    for key in keys:
        words = _words(node.get(key))
        if words:
            return _program(words) in clients
    return False


def _env(container: Container, name: str) -> tuple[bool, str | None]:
    """(written, value): whether the variable is set, and its literal value (None when unknown)."""
    for key, value in container.environment:
        if key.value == name:
            return True, value.value if value is not None else None
    return False, None


def _norm(path: str) -> str:
    return posixpath.normpath(path) if path.startswith("/") else path


def _under(path: str, parent: str) -> bool:
    """``path`` is ``parent`` or inside it."""
    return path == parent or parent == "/" or path.startswith(parent + "/")


class _Verdict:
    """What one table entry finds: data directories left unpersisted (with their effective
    mount) and mounts at a wrong path (mount, problem, directory it should be)."""

    __slots__ = ("missing", "wrong")

    def __init__(self) -> None:
        self.missing: list[tuple[str, Mount | None]] = []
        self.wrong: list[tuple[Mount, str, str]] = []

    @property
    def ok(self) -> bool:
        return not self.missing and not self.wrong


def _judge(entry: dict, group: list, mounts: list[Mount], container: Container, persistent: set) -> _Verdict | None:
    """The verdict of one entry; ``None`` when it cannot be known (a data variable with an unknown value)."""
    verdict = _Verdict()
    paths = list(entry["paths"])
    moved = False
    if entry.get("env"):
        written, value = _env(container, entry["env"])
        if written and (value is None or is_variable(value) or not value.startswith("/")):
            return None
        if written:
            paths[0], moved = _norm(value), True
    targets = {mount.target for mount in mounts}
    implicit = [Mount(path, _IMAGE_VOLUME, None, False, None) for path in entry.get("volumes", ())
                if path not in targets]
    for refused in () if moved else entry.get("refuses_mounts", ()):
        for mount in mounts:
            if mount.target == refused:
                verdict.wrong.append((mount, f"`{refused}` is a mount point, and the {_label(entry)} "
                                             f"entrypoint refuses to start while it is", paths[0]))
    for path in paths:
        effective = _effective(path, mounts + implicit)
        if effective is not None and effective.kind in persistent:
            continue
        wrong = _wrong_path(path, effective, mounts, entry, group, persistent)
        if wrong is not None:
            if all(mount is not wrong[0] for mount, _, _ in verdict.wrong):
                verdict.wrong.append(wrong)
        else:
            verdict.missing.append((path, effective))
    return verdict


def _effective(path: str, mounts: list[Mount]) -> Mount | None:
    """The deepest mount at or above ``path``."""
    best = None
    for mount in mounts:
        if _under(path, mount.target) and (best is None or len(mount.target) > len(best.target)):
            best = mount
    return best


def _wrong_path(path: str, effective: Mount | None, mounts: list[Mount], entry: dict, group: list,
                persistent: set) -> tuple[Mount, str, str] | None:
    """A persistent mount that was meant for ``path`` but misses it, and why."""
    for mount in mounts:
        if mount.kind not in persistent:
            continue
        if mount.target != path and _under(mount.target, path):
            return mount, f"the volume is mounted at `{mount.target}`, inside it, so the rest is not kept", path
        if effective is not None and effective.kind == _IMAGE_VOLUME and _under(path, mount.target):
            return mount, (f"the volume mounted at `{mount.target}` does not hold it: the image declares "
                           f"`VOLUME {effective.target}`, and the anonymous volume created there hides it"), path
        for other in group:
            if other is not entry and mount.target in other["paths"]:
                return mount, (f"the volume is mounted at `{mount.target}`, the data directory of "
                               f"{_label(other)}"), path
    return None


def _missing_problem(effective: Mount | None, source: str) -> str:
    """Why data under ``effective`` (the deepest mount, or None) does not survive."""
    if effective is None:
        where = "the container is removed" if source == "compose" else "the pod is deleted or moved"
        return f"nothing is mounted there: the data is written into the container and lost when {where}"
    if effective.kind == _IMAGE_VOLUME:
        if source == "compose":
            return (f"only the anonymous volume for the image's `VOLUME {effective.target}` holds it: "
                    f"`docker compose down` then `up` starts with a new, empty one")
        return (f"only the per-container directory the runtime creates for the image's `VOLUME "
                f"{effective.target}` holds it, and it is deleted with the container")
    described = {
        "anonymous": "it is on an anonymous volume: `docker compose down` then `up` starts with a new, empty one",
        "tmpfs": "it is on a `tmpfs` mount, in memory only",
        "emptyDir": "it is on an `emptyDir` volume, deleted with the pod",
        "hostPath": "it is on a `hostPath` volume, tied to one node: a pod scheduled elsewhere starts empty",
    }
    return described.get(effective.kind, f"it is on a `{effective.kind}` mount, which does not keep data")


def _mount_span(container: Container, mount: Mount):
    """Where a mount's path is written: the ``mountPath`` (Kubernetes) or ``target`` (Compose
    long syntax) value, or the target part of a Compose short-syntax item; else the mount."""
    node = container.node
    for listing, key in (("volumeMounts", "mountPath"), ("volumes", "target")):
        items = node.get(listing) if node is not None and node.is_map else None
        for item in items.value if items is not None and items.is_seq else ():
            if item.span != mount.span:
                continue
            if item.is_map and item.get(key) is not None:
                return item.get(key).span
            written = item.text()
            if item.is_scalar and written:
                start = _short_target(written)
                end = written.find(":", start)
                return sub_span(item.span, written, start, (end if end >= 0 else len(written)) - start)
    return mount.span


def _short_target(written: str) -> int:
    """Offset of the container path in ``[source:]target[:mode]`` (a Windows ``C:/`` source skipped)."""
    skip = 2 if re.match(r"[A-Za-z]:[\\/]", written) else 0
    separator = written.find(":/", skip)
    return separator + 1 if separator >= 0 else 0


def _join(paths: list[str]) -> str:
    quoted = [f"`{path}`" for path in paths]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@template("stateful-volume", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    image = container.image
    if image is None or container.init or workload.kind in params.get("skip_kinds", ("Job", "CronJob")):
        return
    ref = image.value
    if is_variable(ref.repository) or is_variable(ref.registry):
        return
    group = _table(params["images"]).lookup(registry(ref), repository_path(ref))
    if not group or _runs_client(container, workload, set(params.get("client_programs", ()))):
        return
    if container.node is not None and container.node.is_map and container.node.get("volumes_from") is not None:
        return  # the storage comes from another container
    mounts = [mount._replace(target=_norm(mount.target)) for mount in container.mounts]
    if any(is_variable(mount.target) for mount in mounts):
        return
    source = workload.source if workload.source in _PERSISTENT else "kubernetes"
    persistent = set(params.get("persistent", {}).get(source, _PERSISTENT[source]))
    candidates, known = _candidates(group, ref.tag, ref.digest)
    verdicts = []
    for entry in candidates:
        verdict = _judge(entry, group, mounts, container, persistent)
        if verdict is None or verdict.ok:
            return  # unknowable, or some version the image may be keeps its data
        verdicts.append((entry, verdict))
    if not verdicts:
        return
    _, verdict = next(((e, v) for e, v in verdicts if e.get("default")), verdicts[0])
    name = ref.text or ref.repository
    if not known:
        verdict.wrong.clear()  # a wrong path for one version may be right for the one deployed
    for mount, problem, path in verdict.wrong:
        yield Hit(_mount_span(container, mount), {
            "image": name, "data_dir": f"`{path}`", "problem": problem, "fix": f"mount it at `{path}` instead",
            "container": container.name, "workload": workload.name})
    if verdict.missing:
        data_dir = _join([path for path, _ in verdict.missing])
        if not known and len(verdicts) > 1:
            # Any version is possible: name each version's directories.
            data_dir = " or ".join(f"{_join([path for path, _ in v.missing] or e['paths'])} ({_label(e)})"
                                   for e, v in sorted(verdicts, key=lambda pair: not pair[0].get("default")))
        yield Hit(image.span, {"image": name, "data_dir": data_dir,
                               "problem": _missing_problem(verdict.missing[0][1], source),
                               "fix": _FIX[source], "container": container.name, "workload": workload.name})
