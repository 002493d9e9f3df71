"""From an ``apt-get install`` closure to the bytes its layer holds (size-cost.md §2.2).

ΣInstalled-Size alone misses what dpkg and apt write besides the package files, and counts
files that slim bases never unpack. The layer is modelled as

    ΣInstalled-Size(new packages)
    − doc, man and locale files, on slim and Ubuntu bases      (dpkg ``path-exclude``)
    + 1.15 × the ``.py`` bytes of Python packages              (``.pyc`` written by py3compile)
    + 1.5 MB + 20 KB per package                               (dpkg database, logs, debconf)
    + the apt lists, when ``apt-get update`` ran and they were not removed in the same RUN
    + the downloaded ``.deb`` files, only when the base lacks Docker's ``docker-clean``

Every figure is the one size-cost.md gives, cited where it is used. Together they reproduced
34 measured layers with an MdAPE of 0.9% when the doc and ``.py`` bytes are read per package
from the ``.deb`` member lists; dlint's tables do not carry those columns yet, so the
fallback shares of §2.2 are used (10% docs, a share of Installed-Size for ``.py``), which is
why a slim-base or Python-heavy layer is rated ``medium``.
"""
from __future__ import annotations

from linter.cost import apt
from linter.cost.estimate import Estimate, lowest

MB = 1_000_000

#: §2.2: ``apt-get update`` alone on bookworm (with -updates and -security) = 19,890,736 B, kept
#: LZ4-compressed by Docker's GzipIndexes setting. Not measured for trixie (same archive layout,
#: taken as equal, medium) nor Ubuntu (more components and pockets: 30–60 MB, low).
LISTS_BYTES = {"bookworm": (19_890_736, "high"), "trixie": (19_890_736, "medium")}
UBUNTU_LISTS_BYTES = (45 * MB, "low")

#: §2.2 correction 3: the dpkg status copy, info files, logs and debconf cache (§2.2 gave 1.5 MB +
#: 20 KB per package; fitted on the fit split of benchmarks/size_accuracy, 2026-11-27).
DPKG_FIXED_BYTES = 900_000
DPKG_BYTES_PER_PACKAGE = 16_000

#: §2.2 correction 2: ``.pyc`` bytes are 1.12–1.22 × the ``.py`` bytes of the new packages.
PYC_FACTOR = 1.15

#: Without per-package member lists, 9% of Installed-Size is doc/man/locale (§2.2's fallback was
#: 10%; fitted on the fit split of benchmarks/size_accuracy, 2026-11-27).
DEFAULT_DOC_SHARE = 0.09
#: §2.2 "excluded share measured here, full vs slim" for the package sets it names.
_DOC_SHARES = (
    (("locales", "tzdata"), 0.34),
    (("openjdk-",), 0.024),
    (("vim",), 0.01),
    (("postgresql-client",), 0.08),
    (("git",), 0.15),
    (("curl", "libcurl"), 0.11),
)
#: Packages that are nothing but documentation or translations (gnupg-l10n ships only
#: /usr/share/locale): dpkg's excludes drop nearly all of them.
_DOC_ONLY_SUFFIXES = ("-doc", "-man", "-manpages", "-l10n")

#: Share of Installed-Size that is ``.py`` source. ``python3-*``: 0.86, measured on bookworm in the
#: layer of ``apt-get install --no-install-recommends python3-pip`` (benchmarks/size_accuracy,
#: fit split: its 7 python3-* packages, 11.8 MB installed, hold 10.2 MB of ``.py``; §2.2's
#: unmeasured fallback was 0.60). The interpreter's own library (libpython3.X-minimal and
#: -stdlib, 13.9 MB on bookworm) carries the 10.4 MB of ``.py`` measured for ``apt-get install
#: python3``, about 75%.
PYTHON3_PY_SHARE = 0.86
STDLIB_PY_SHARE = 0.75


def doc_share(name: str) -> float:
    """Fraction of a package's Installed-Size that a slim or Ubuntu base does not unpack."""
    if name.endswith(_DOC_ONLY_SUFFIXES) or name.startswith("manpages"):
        return 0.95  # what is left is the copyright file and the directory entries
    for prefixes, share in _DOC_SHARES:
        if name.startswith(prefixes):
            return share
    return DEFAULT_DOC_SHARE


def py_share(name: str) -> float:
    """Fraction of a package's Installed-Size that is ``.py`` source (byte-compiled at install)."""
    if name.startswith("libpython3.") and name.endswith(("-minimal", "-stdlib")):
        return STDLIB_PY_SHARE
    if name.startswith("python3-") and not name.endswith(("-dev", "-doc")):
        return PYTHON3_PY_SHARE
    return 0.0


def packages_estimate(packages: list, docs_excluded: bool, confidence: str, variant: str) -> Estimate:
    """The bytes ``packages`` (a closure, or what is left of it) add to a layer, with the
    corrections in the notes.

    ``docs_excluded``: the base's dpkg drops /usr/share/{doc,man,locale} (slim and Ubuntu);
    ``variant`` names that base for the notes ("slim", "Ubuntu").
    """
    known = [pkg for pkg in packages if pkg.known]
    unknown = [pkg.name for pkg in packages if not pkg.known]
    installed = sum(pkg.installed_kib for pkg in known) * 1024
    notes = [f"apt: {len(known)} packages, {mb(installed)} installed"]
    size = installed
    if docs_excluded and installed:
        excluded = round(sum(pkg.installed_kib * 1024 * doc_share(pkg.name) for pkg in known))
        size -= excluded
        notes.append(f"doc files excluded on {variant} base: -{mb(excluded)}")
        confidence = lowest((confidence, "medium"))
    pyc = round(PYC_FACTOR * sum(pkg.installed_kib * 1024 * py_share(pkg.name) for pkg in known))
    if pyc:
        size += pyc
        notes.append(f"byte-compiled Python: +{mb(pyc)}")
        confidence = lowest((confidence, "medium"))
    if known:
        churn = DPKG_FIXED_BYTES + DPKG_BYTES_PER_PACKAGE * len(known)
        size += churn
        notes.append(f"dpkg database and logs: +{mb(churn)}")
    if unknown:
        notes.append(f"not in the package table: {', '.join(unknown)}")
        return Estimate(size if known else None, lowest((confidence, "low")), tuple(notes), len(unknown))
    return Estimate(size, confidence, tuple(notes))


def lists_estimate(distro: str, suite: str) -> Estimate:
    """``/var/lib/apt/lists`` after ``apt-get update`` on an official image (GzipIndexes)."""
    size, confidence = UBUNTU_LISTS_BYTES if distro == "ubuntu" else LISTS_BYTES[suite]
    return Estimate(size, confidence, (f"apt lists kept: +{mb(size)}",))


def archives_estimate(packages: list) -> Estimate:
    """The ``.deb`` files left in /var/cache/apt/archives (§2.2: their Size fields)."""
    size = apt.download_size_bytes(packages, known_only=True)
    return Estimate(size, "high", (f"downloaded .deb files kept in /var/cache/apt/archives: +{mb(size)}",))


def download_bytes(packages: list) -> int:
    """What apt fetches for ``packages``: the sum of their ``.deb`` sizes."""
    return apt.download_size_bytes(packages, known_only=True)


# -- what a base image already holds ----------------------------------------------------------------

# Package names the official images install on top of a minimal Debian system (from their
# Dockerfiles: docker-library/buildpack-deps, python, golang; adoptium/containers).
_CURL = ("ca-certificates", "curl", "gnupg", "netbase", "wget")
_SCM = _CURL + ("git", "mercurial", "openssh-client", "subversion", "procps")
_BUILDPACK = _SCM + (
    "autoconf", "automake", "bzip2", "default-libmysqlclient-dev", "dpkg-dev", "file", "g++", "gcc", "imagemagick",
    "libbz2-dev", "libc6-dev", "libcurl4-openssl-dev", "libdb-dev", "libevent-dev", "libffi-dev", "libgdbm-dev",
    "libglib2.0-dev", "libgmp-dev", "libjpeg-dev", "libkrb5-dev", "liblzma-dev", "libmagickcore-dev",
    "libmagickwand-dev", "libmaxminddb-dev", "libncurses5-dev", "libncursesw5-dev", "libpng-dev", "libpq-dev",
    "libreadline-dev", "libsqlite3-dev", "libssl-dev", "libtool", "libwebp-dev", "libxml2-dev", "libxslt-dev",
    "libyaml-dev", "make", "patch", "unzip", "xz-utils", "zlib1g-dev",
)
_PYTHON_SLIM = ("ca-certificates", "netbase", "tzdata")
_GOLANG = _SCM + ("g++", "gcc", "libc6-dev", "make", "pkg-config")
_TEMURIN = ("curl", "wget", "gnupg", "fontconfig", "ca-certificates", "p11-kit", "tzdata", "locales")

_base_cache: dict = {}


def _extras(image: str, tag: str) -> tuple[tuple[str, ...], str] | None:
    """Packages an official image adds to the minimal system, and where that list comes from."""
    slim = "slim" in tag
    if image == "buildpack-deps":
        if tag.endswith("-curl"):
            return _CURL, "buildpack-deps curl layer"
        if tag.endswith("-scm"):
            return _SCM, "buildpack-deps curl and scm layers"
        return _BUILDPACK, "buildpack-deps layers"
    if image in ("python", "node", "gcc", "ruby", "rust"):
        if slim:
            return (_PYTHON_SLIM, "python slim runtime packages") if image == "python" else ((), "")
        return _BUILDPACK, f"{image} is built on buildpack-deps"
    if image == "golang":
        return _GOLANG, "golang's cgo packages on buildpack-deps scm"
    if image == "eclipse-temurin":
        return _TEMURIN, "eclipse-temurin's apt layer"
    if image in ("debian", "ubuntu"):
        return (), ""
    return None


def base_packages(base, suite: str, arch: str) -> tuple[list[str], str, str]:
    """``(package names, note, confidence)``: what a Debian/Ubuntu base already has installed.

    The minimal system (``apt.minbase``: what debian:<suite> holds), plus what the official
    image's Dockerfile installs on it when dlint knows that image; for any other image the
    minimal system only, which may count again packages the image already has.
    """
    key = (base.ref, suite, arch)
    if key not in _base_cache:
        names = apt.minbase(suite, arch)
        extras = _extras(base.image, base.tag)
        if extras is None:
            note = f"assumed {base.ref} holds only the minimal Debian system ({len(names)} packages)"
            confidence = "medium"
        else:
            packages, source = extras
            if packages:
                names = names + [p.name for p in apt.closure(packages, suite, arch, recommends=False,
                                                             installed=names)]
            note = f"packages of {base.ref} assumed: the minimal system" + (f" and the {source}" if source else "")
            confidence = "high"
        _base_cache[key] = (names, note, confidence)
    names, note, confidence = _base_cache[key]
    return list(names), note, confidence


def docs_excluded(base) -> tuple[bool, str]:
    """Whether the base's dpkg drops doc files (slim variants, minimized Ubuntu), and its name."""
    if base.distro.get("id") == "ubuntu":
        return True, "Ubuntu"
    if base.distro.get("variant") == "slim":
        return True, "slim"
    return False, ""


def mb(size: int) -> str:
    """A size for a note: ``19.9 MB``, or ``1.2 kB`` when it is small."""
    return f"{size / 1000:.1f} kB" if size < 100_000 else f"{size / MB:.1f} MB"
