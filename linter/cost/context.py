"""The build context on disk: how many bytes ``COPY`` and ``ADD`` put in a layer.

What is counted (size-cost.md §2.0, §2.6). A layer's size is what Docker reports as its
uncompressed size (``docker history``, ``docker image ls``), which moby computes by walking the
layer: a regular file counts its length, a symbolic link the length of its target (what
``lstat`` reports), a file with several hard links once, and a directory, device or pipe
nothing. The 512-byte tar header and padding of each entry are not counted: they belong to
the blob a registry stores and a pull downloads (the compressed size), not to this one.

What is copied follows BuildKit. Sources are relative to the context root, which they cannot
leave (``../x`` is ``x``); ``.`` is the whole context. A source with ``*``, ``?`` or ``[``
is expanded component by component with Go's ``filepath.Match`` rules (a ``*`` never matches
``/`` but does match a leading dot); a wildcard that matches nothing copies nothing, while a
named source that is absent or excluded is unknown (the build would stop there). A source
that is itself a symbolic link is followed, resolved inside the context as BuildKit does;
links met while walking a directory are copied as links. Paths the ignore file excludes are
not in the context at all.

A walk stops after :data:`MAX_ENTRIES` entries, and the estimate then says so at low
confidence, so a huge tree never stalls a run; since links are not followed, a link loop is
only one more small entry.
"""
from __future__ import annotations

import os
import stat

from linter.cost.estimate import Estimate, combine
from linter.parsers.dockerignore import DockerIgnore, clean, glob_matcher, has_wildcards, parse_dockerignore

MAX_ENTRIES = 200_000
MAX_LINK_HOPS = 255  # as many symbolic links as BuildKit resolves in one path
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class BuildContext:
    """One build context: a folder and the ignore file that filters it (None: no ignore file).

    ``caveats`` are notes every estimate carries, at low confidence, when the context could not
    be read as Docker would read it (an ignore file that exists but cannot be opened)."""

    __slots__ = ("root", "ignore", "caveats")

    def __init__(self, root: str, ignore: DockerIgnore | None) -> None:
        self.root = os.path.abspath(root)
        self.ignore = ignore
        self.caveats: tuple[str, ...] = ()

    def measure(self, sources: list[str]) -> Estimate:
        """The bytes ``COPY``/``ADD`` puts in a layer for these source arguments."""
        walk = _Walk(self)
        return self._with_caveats(combine(walk.copied(source) for source in sources))

    def archive_size(self, source: str) -> Estimate:
        """What ``ADD`` puts in a layer for a local source: a tar archive (plain, gzip, bzip2
        or xz, recognised by content as Docker does) counts its members as if extracted, read
        from the headers without extracting; any other file counts as itself."""
        return self._with_caveats(_Walk(self).copied(source, unpack=True))

    def read_text(self, relpath: str, max_bytes: int = 1 << 20) -> str | None:
        """A small UTF-8 file of the context (``requirements.txt``); None when it is absent,
        excluded, not a regular file, larger than ``max_bytes``, unreadable or not UTF-8."""
        resolved = self._resolve_visible(_context_path(relpath))
        if resolved is None:
            return None
        path = self._absolute(resolved)
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                return None
            return data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def excluded(self, relpath: str) -> bool:
        """Whether the ignore file leaves ``relpath`` out of the context."""
        return self.ignore is not None and self.ignore.excludes(_context_path(relpath))

    def _with_caveats(self, estimate: Estimate) -> Estimate:
        if not self.caveats:
            return estimate
        return combine([estimate, Estimate(0, "low", self.caveats)])

    def _absolute(self, relpath: str) -> str:
        return self.root if relpath == "." else os.path.join(self.root, relpath)

    def _resolve_visible(self, relpath: str) -> str | None:
        """``relpath`` with its symbolic links followed, when both it and what it points at are
        in the context as sent (present, not excluded); None otherwise."""
        if self._excluded_entirely(relpath):
            return None
        resolved = self._resolve(relpath)
        if resolved is None or resolved != relpath and self._excluded_entirely(resolved):
            return None
        return resolved

    def _excluded_entirely(self, relpath: str) -> bool:
        """Excluded, with nothing below it re-included either."""
        ignore = self.ignore
        return ignore is not None and ignore.excludes(relpath) and not (
            os.path.isdir(self._absolute(relpath)) and ignore.reincludes_below(relpath))

    def _resolve(self, relpath: str) -> str | None:
        """Follow the symbolic links in a context path the way BuildKit does, keeping every
        step inside the context (an absolute target starts again at its root, ``..`` stops at
        it); None when a component is missing or there are too many links."""
        if not os.path.isdir(self.root):
            return None
        pending = [part for part in relpath.split("/") if part not in ("", ".")]
        pending.reverse()
        resolved: list[str] = []
        hops = 0
        while pending:
            part = pending.pop()
            if part == "..":
                if resolved:
                    resolved.pop()
                continue
            path = os.path.join(self.root, *resolved, part)
            try:
                mode = os.lstat(path).st_mode
                target = os.readlink(path) if stat.S_ISLNK(mode) else None
            except OSError:
                return None
            if target is None:
                resolved.append(part)
                continue
            hops += 1
            if hops > MAX_LINK_HOPS:
                return None
            if target.startswith("/"):
                resolved = []
            pending.extend(reversed([piece for piece in target.split("/") if piece not in ("", ".")]))
        return "/".join(resolved) or "."


class _Walk:
    """One measurement: a budget of entries and the inodes already counted, shared by all the
    sources of one instruction (BuildKit keeps hard links within one copy)."""

    __slots__ = ("context", "entries", "seen", "truncated", "unreadable", "problems", "unknown")

    def __init__(self, context: BuildContext) -> None:
        self.context = context
        self.entries = 0
        self.seen: set[tuple[int, int]] = set()
        self.truncated = False
        self.unreadable: list[str] = []  # paths the walk could not read, for one source
        self.problems: list[str] = []  # what makes one source's size a lower bound
        self.unknown: list[str] = []  # parts of one source that cannot be sized at all

    def copied(self, source: str, unpack: bool = False) -> Estimate:
        relpath = _context_path(source)
        parts = relpath.split("/")
        first_glob = next((index for index, part in enumerate(parts) if has_wildcards(part)), None)
        if first_glob is None:
            resolved = self.context._resolve_visible(relpath)
            if resolved is None:
                return Estimate.unknown_size(self._absent(source, relpath))
            return self._finish(self._size(resolved, unpack), source)
        try:
            matches = self._expand(parts, first_glob)
        except ValueError as error:
            return Estimate.unknown_size(f"`{source}` is not a valid wildcard: {error}")
        if matches is None:
            return Estimate.unknown_size(f"`{source}`: `{'/'.join(parts[:first_glob])}` is not in the build context")
        size = 0
        for match in matches:
            resolved = self.context._resolve_visible(match)
            if resolved is not None:
                size += self._size(resolved, unpack)
        estimate = self._finish(size, source)
        if not matches:
            return estimate._replace(notes=(*estimate.notes, f"`{source}` matches nothing in the build context"))
        return estimate

    def _absent(self, source: str, relpath: str) -> str:
        context = self.context
        if context.excluded(relpath) or context._resolve(relpath) is not None:
            name = os.path.basename(context.ignore.path) if context.ignore else ".dockerignore"
            return f"`{source}` is excluded from the build context by {name}"
        return f"`{source}` is not in the build context"

    def _expand(self, parts: list[str], first_glob: int) -> list[str] | None:
        """The context paths a wildcard source names (None: its fixed leading folder is absent).
        Like Go's ``filepath.Walk``, only real directories are entered on the way down."""
        base = "/".join(parts[:first_glob]) or "."
        resolved = self.context._resolve_visible(base)
        if resolved is None or not os.path.isdir(self.context._absolute(resolved)):
            return None
        level = [resolved]
        for depth, part in enumerate(parts[first_glob:], first_glob + 1):
            matches = glob_matcher(part)
            last = depth == len(parts)
            found = []
            for directory in level:
                for entry in self._entries(directory):
                    child = entry.name if directory == "." else f"{directory}/{entry.name}"
                    if not matches(entry.name) or not (last or _is_directory(entry)):
                        continue
                    if last or not self.context._excluded_entirely(child):
                        found.append(child)
            level = sorted(found)
        return level

    def _size(self, relpath: str, unpack: bool) -> int:
        """Bytes of one resolved context path: a file, or a directory walked."""
        path = self.context._absolute(relpath)
        try:
            info = os.lstat(path)
        except OSError:
            self.unreadable.append(relpath)
            return 0
        if stat.S_ISDIR(info.st_mode):
            return self._directory(relpath)
        if unpack and stat.S_ISREG(info.st_mode):
            unpacked = self._archive(path, relpath)
            if unpacked is not None:
                return unpacked
        return self._entry_size(info)

    def _directory(self, root: str) -> int:
        ignore = self.context.ignore
        size = 0
        pending = [root]
        while pending:
            directory = pending.pop()
            for entry in self._entries(directory):
                child = entry.name if directory == "." else f"{directory}/{entry.name}"
                excluded = ignore is not None and ignore.excludes(child)
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not excluded or ignore.reincludes_below(child):
                            pending.append(child)
                    elif not excluded:
                        size += self._entry_size(entry.stat(follow_symlinks=False))
                except OSError:
                    self.unreadable.append(child)
        return size

    def _entries(self, directory: str) -> list[os.DirEntry]:
        """The entries of a context folder within the walk's budget (unreadable: none)."""
        if self.truncated:
            return []
        try:
            with os.scandir(self.context._absolute(directory)) as listing:
                entries = list(listing)
        except OSError:
            self.unreadable.append(directory)
            return []
        self.entries += len(entries)
        if self.entries > MAX_ENTRIES:
            self.truncated = True
            return entries[:max(0, len(entries) - (self.entries - MAX_ENTRIES))]
        return entries

    def _entry_size(self, info: os.stat_result) -> int:
        if stat.S_ISLNK(info.st_mode):
            return info.st_size
        if not stat.S_ISREG(info.st_mode):
            return 0
        if info.st_nlink > 1:
            inode = (info.st_dev, info.st_ino)
            if inode in self.seen:
                return 0
            self.seen.add(inode)
        return info.st_size

    def _archive(self, path: str, relpath: str) -> int | None:
        """Unpacked size of a tar archive from its member headers; None when it is not one."""
        import tarfile

        try:
            with open(path, "rb") as handle:
                if handle.read(4) == _ZSTD_MAGIC:  # Docker unpacks zstd, which tarfile cannot read
                    self.unknown.append(f"`{relpath}` is a zstd archive, whose unpacked size dlint cannot read")
                    return 0
            archive = tarfile.open(path, "r:*")
        except Exception:  # tarfile lets each decompressor's own errors through (zlib, lzma)
            return None
        size = 0
        with archive:
            while True:
                try:
                    member = archive.next()
                except Exception:  # as above: a damaged stream fails in the decompressor's own way
                    self.problems.append(f"`{relpath}` is a damaged archive: only the members before "
                                         "the damage are counted")
                    break
                if member is None:
                    break
                # tarfile keeps every header it has read; a large archive must not fill memory
                archive.members.clear()
                self.entries += 1
                if self.entries > MAX_ENTRIES:
                    self.truncated = True
                    break
                if member.isreg():
                    size += member.size
                elif member.issym():
                    size += len(os.fsencode(member.linkname))
        return size

    def _finish(self, size: int, source: str) -> Estimate:
        notes = self.problems
        if self.truncated:
            notes.append(f"`{source}`: stopped after {MAX_ENTRIES:,} entries of the build context, "
                         "so this is a lower bound")
        if self.unreadable:
            shown = ", ".join(f"`{path}`" for path in self.unreadable[:3])
            more = f" and {len(self.unreadable) - 3} more" if len(self.unreadable) > 3 else ""
            notes.append(f"`{source}`: could not read {shown}{more}; not counted")
        estimate = Estimate(size, "low" if notes else "high", tuple(notes))
        unknown = [Estimate.unknown_size(note) for note in self.unknown]
        self.unreadable, self.problems, self.unknown = [], [], []
        return combine([estimate, *unknown]) if unknown else estimate


def find_dockerignore(context_dir: str, dockerfile_path: str | None) -> str | None:
    """The ignore file BuildKit reads: ``<Dockerfile name>.dockerignore`` beside the Dockerfile
    when it exists, else ``.dockerignore`` at the context root; None when neither exists.
    ``dockerfile_path`` is a path this process can open (absolute or from the working folder)."""
    candidates = [os.path.join(context_dir, ".dockerignore")]
    if dockerfile_path is not None:
        candidates.insert(0, f"{dockerfile_path}.dockerignore")
    return next((path for path in candidates if os.path.isfile(path)), None)


def load_context(context_dir: str, dockerfile_path: str | None) -> BuildContext:
    """The build context at ``context_dir`` with the ignore file BuildKit would apply to it."""
    ignore_path = find_dockerignore(context_dir, dockerfile_path)
    if ignore_path is None:
        return BuildContext(context_dir, None)
    try:
        with open(ignore_path, "rb") as handle:
            text = handle.read().decode("utf-8", "surrogateescape")
    except OSError as error:
        context = BuildContext(context_dir, None)
        reason = error.strerror or error
        context.caveats = (f"{ignore_path} could not be read ({reason}); the whole context was counted",)
        return context
    return BuildContext(context_dir, parse_dockerignore(text, ignore_path))


def _is_directory(entry: os.DirEntry) -> bool:
    """A real directory, not a link to one (Go's ``filepath.Walk`` does not follow links)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _context_path(source: str) -> str:
    """A source argument as a path from the context root: cleaned, never above the root."""
    return clean("/" + source).lstrip("/") or "."
