"""The build context on disk, as the checks may see it: small text files read on demand.

Checks never open files; the engine hands them this reader through the model. Reads stay
inside the context folder (no ``..``, no symbolic link leading out), are bounded in size,
and a file that cannot be read is simply absent.
"""
from __future__ import annotations

import os
import stat

MAX_CONTEXT_FILE = 1 << 20


class ContextFiles:
    """``get(relative path)``: the text of a regular file of the context folder, or None."""

    __slots__ = ("root", "_real_root", "_cache")

    def __init__(self, root: str) -> None:
        self.root = root or "."
        self._real_root: str | None = None
        self._cache: dict[str, str | None] = {}

    def get(self, relpath: str) -> str | None:
        if relpath not in self._cache:
            self._cache[relpath] = self._read(relpath)
        return self._cache[relpath]

    def _read(self, relpath: str) -> str | None:
        if self._real_root is None:
            self._real_root = os.path.realpath(self.root)
        path = os.path.realpath(os.path.join(self._real_root, relpath))
        if os.path.commonpath([path, self._real_root]) != self._real_root:
            return None
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None
            with open(path, "rb") as handle:
                data = handle.read(MAX_CONTEXT_FILE + 1)
        except (OSError, ValueError):
            return None
        if len(data) > MAX_CONTEXT_FILE:
            return None
        return data.decode("utf-8", "replace")
