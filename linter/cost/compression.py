"""Compressed (pull) size of a layer from its uncompressed size and what it holds.

A registry stores each layer as a gzip blob, so what a pull downloads depends on how well the
layer's files compress. The ratios below are gzip bytes / uncompressed bytes by content class,
from size-cost.md (research notes of 2026-11-27):

- ``packages`` 0.349: §2.8's rule for predicted apt layers was 0.357 (the 34 layers it measured
  ranged 0.27–0.45); refitted with the apt layer's other factors on the fit split of
  benchmarks/size_accuracy (2026-11-27), whose README scores it on held-out layers.
- ``apt-lists`` 0.77: §2.8, apt lists kept with Docker's GzipIndexes are already LZ4-compressed
  (measured 15.3 MB of 19.9 MB).
- ``apk`` 0.45: §1, Alpine's published U/C of 2.2 (small musl binaries and libraries).
- ``text`` 0.30: §2.6, text and source 0.25–0.35 (COPY of a source tree).
- ``python`` 0.30: §2.4/§2.6, site-packages is ``.py``/``.pyc`` text plus some ELF; a wheel is a
  deflate archive of the same files and installed ≈ 4.2 × wheel bytes, i.e. about 0.24, and
  ``.pyc`` compresses less well than source.
- ``node_modules`` 0.30: §2.5/§2.6, JavaScript text; node_modules ≈ 3–6 × the gzip tarballs.
- ``binary`` 0.40: §2.6, ELF binaries 0.35–0.45 (toolchains and runtimes unpacked from a tarball,
  build output copied from another stage).
- ``archive`` 0.98: §2.6, already-compressed files (``.tar.gz``, ``.jar``, ``.whl``, ``.deb``) 0.95–1.0.

A base image's compressed size comes from the base-image table, not from a ratio.
"""
from __future__ import annotations

from linter.cost.estimate import Estimate, lowest

# class -> (compressed / uncompressed, how sure the ratio is)
RATIOS = {
    "packages": (0.349, "medium"),
    "apt-lists": (0.77, "high"),
    "apk": (0.45, "medium"),
    "text": (0.30, "medium"),
    "python": (0.30, "low"),
    "node_modules": (0.30, "low"),
    "binary": (0.40, "medium"),
    "archive": (0.98, "high"),
}

#: §1: the derived (≈) sizes of the base-image table use U/C ≈ 2.6 for OS-plus-binary images.
BASE_IMAGE_RATIO = 1 / 2.6

_COMPRESSED_SUFFIXES = (".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".lz4", ".zip", ".jar", ".war",
                        ".ear", ".whl", ".deb", ".rpm", ".apk", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff",
                        ".woff2", ".mp3", ".mp4", ".pdf", ".7z")


def ratio(content: str) -> float:
    """gzip / uncompressed for a content class of :data:`RATIOS`."""
    return RATIOS[content][0]


def compressed(size: Estimate, content: str) -> Estimate:
    """The gzip size of ``size`` bytes of ``content``: unknown stays unknown, 0 stays 0 (high)."""
    if size.size is None or size.size == 0:
        return size
    factor, sureness = RATIOS[content]
    return Estimate(round(size.size * factor), lowest((size.confidence, sureness)), size.notes, size.unknown)


def content_of_paths(paths: list[str]) -> str:
    """The class of copied files: ``archive`` when every one is already compressed, else ``text``."""
    if paths and all(path.lower().endswith(_COMPRESSED_SUFFIXES) for path in paths):
        return "archive"
    return "text"
