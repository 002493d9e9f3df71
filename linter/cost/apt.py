"""The apt model: Debian package tables shipped with dlint, and the closure of an ``apt-get install``.

Data. ``linter/cost/data/apt-<suite>-<arch>.tsv.xz`` holds one row per package of Debian's
main component (the suite merged with -updates and -security, highest version winning) for
bookworm and trixie on amd64 and arm64: name, version, Installed-Size (KiB), download size
(bytes), priority, Pre-Depends, Depends, Recommends, Provides. ``benchmarks/apt_table.py``
regenerates the files from the archive; the first line of each names the suite, the
architecture, the fetch date and the Release dates of its sources. The arm64 files store only
the rows that differ from amd64 (header ``delta=amd64``). A table is read (and ``lzma``
imported) the first time it is needed, then kept for the life of the process.

Resolver. ``closure()`` follows what ``apt-get install`` does, checked against
``apt-get install -s`` by ``benchmarks/apt_table.py verify`` (70 common package sets, with
and without recommends, both suites and architectures, on a minbase: the same packages in all
556 cases apt accepts):

- Pre-Depends and Depends of every newly installed package, plus Recommends when
  ``recommends`` is true (apt's default; false for ``--no-install-recommends``). Suggests are
  never followed. A Recommends that nothing can satisfy is dropped, as apt does; a Depends that
  nothing can satisfy is listed in ``Closure.unsatisfied``.
- Depth first, in the order the archive lists the dependencies, like apt's MarkInstall. A
  clause is satisfied when one of its alternatives is installed in the base, already chosen,
  or provided by a package that is; otherwise the first alternative that is a real package is
  taken, or else a package that Provides it, the one apt prefers: essential first, then by
  priority (required, important, standard, optional), then the order of apt's cache (the
  table records it for every virtual package with several providers).
- Version constraints, Conflicts and Breaks are ignored: the table holds one version per
  package (the candidate apt would take), and the base image is assumed to be of the same
  suite, so a versioned dependency on an installed package never triggers an upgrade here.
  The table was made with the constraints in view: an alternative no package of the suite
  satisfies (``libcgi-pm-perl | perl (<< 5.19)``) was dropped from it, and a versioned
  dependency that the name's providers do not meet is written ``=name``: only the real
  package satisfies it.
  Architecture qualifiers (``:any``, ``:native``) are ignored too.
- Packages in ``installed`` (the base image's package names) are never added, and what they
  Provide satisfies virtual dependencies.
- A requested name that is neither a package nor provided by one is reported in
  ``Closure.unknown`` and appears in the result as a ``Package`` whose ``known`` is false and
  whose sizes are None: unknown, never zero. The size helpers return None for such a list
  unless asked for the known part only.

Suites. Debian bookworm (12) and trixie (13) have tables (confidence high). Ubuntu's archive
is not one dlint's data comes from, so Ubuntu releases map to the nearest Debian suite with
confidence low: 22.04 jammy -> bookworm, 24.04 noble -> trixie (noble was cut from Debian in
early 2024 and shares trixie's t64 library renames; jammy's package set is closest to
bookworm's), 26.04 resolute -> trixie (cut from forky, which has no table either). Debian
releases without a table map the same way (11 bullseye -> bookworm; 14 forky, testing, sid ->
trixie), confidence low. Other Ubuntu releases have no mapping (None: the caller reports the
layer as unknown). Architectures other than amd64 and arm64 use the amd64 table, with
confidence low.

The layer model (``apt_layer``: doc exclusion, byte-compiled Python, dpkg database churn, apt
lists, the archive cache; size-cost.md §2.2) reads from the result each package's name
(``python3-*`` and the like), its installed and download size, and the package count.
"""
from __future__ import annotations

import os

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
SUITES = ("bookworm", "trixie")
ARCHITECTURES = ("amd64", "arm64")
FORMAT = "#dlint-apt-table 1"

# distribution -> release name or number -> (Debian suite with a table, confidence)
RELEASES = {
    "debian": {
        "12": ("bookworm", "high"), "bookworm": ("bookworm", "high"),
        "13": ("trixie", "high"), "trixie": ("trixie", "high"),
        # no table of their own: the nearest suite
        "11": ("bookworm", "low"), "bullseye": ("bookworm", "low"),
        "14": ("trixie", "low"), "forky": ("trixie", "low"), "testing": ("trixie", "low"),
        "sid": ("trixie", "low"), "unstable": ("trixie", "low"),
    },
    "ubuntu": {
        "22.04": ("bookworm", "low"), "jammy": ("bookworm", "low"),
        "24.04": ("trixie", "low"), "noble": ("trixie", "low"),
        # cut from Debian testing (forky) in 2026: the newest table, as for forky itself
        "26.04": ("trixie", "low"), "resolute": ("trixie", "low"),
    },
}
SUITE_MAP = {**RELEASES["debian"], **RELEASES["ubuntu"]}
_ARCH_ALIASES = {"amd64": "amd64", "x86_64": "amd64", "x86-64": "amd64",
                 "arm64": "arm64", "aarch64": "arm64", "arm64/v8": "arm64"}
_PRIORITY = {"E": "required", "r": "required", "i": "important", "s": "standard", "": "optional"}
_PRIORITY_RANK = {"required": 0, "important": 1, "standard": 2, "optional": 3}
_CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}

_tables = {}
_minbase = {}


def debian_suite(distro, release):
    """``(suite, confidence)`` for a distribution release, or None when no table fits.

    ``debian_suite("ubuntu", "24.04") == ("trixie", "low")``; ``("debian", "12.7")`` gives
    ``("bookworm", "high")`` (point releases share the suite). Codenames work as releases too.
    """
    releases = RELEASES.get(str(distro or "").strip().lower())
    if releases is None:
        return None
    release = str(release or "").strip().lower()
    found = releases.get(release)
    if found is None and "." in release:  # 12.7 -> 12, 22.04.4 -> 22.04
        found = releases.get(release.split(".")[0]) or releases.get(".".join(release.split(".")[:2]))
    return found


def _suite(suite):
    found = SUITE_MAP.get(str(suite).strip().lower())
    if found is None:
        raise ValueError(f"no apt table for suite {suite!r}; known: {', '.join(SUITE_MAP)}")
    return found


def _arch(arch):
    name = str(arch or "amd64").strip().lower()
    if name.startswith("linux/"):
        name = name[6:]
    if name in _ARCH_ALIASES:
        return _ARCH_ALIASES[name], "high"
    return "amd64", "low"


class Package:
    """One package of a table, or of a closure (where ``via`` and ``parent`` say why it came)."""

    __slots__ = ("name", "version", "installed_kib", "download_bytes", "priority", "essential",
                 "pre_depends", "depends", "recommends", "provides", "known", "via", "parent", "virtual")

    def __init__(self, name, version=None, installed_kib=None, download_bytes=None, priority=None,
                 essential=False, pre_depends=(), depends=(), recommends=(), provides=(), known=True):
        self.name = name
        self.version = version
        self.installed_kib = installed_kib
        self.download_bytes = download_bytes
        self.priority = priority
        self.essential = essential
        # [[alternative, ...], ...]; "=name": only the package name satisfies it, not what
        # Provides name (a versioned dependency that the providers' versions do not meet)
        self.pre_depends = pre_depends
        self.depends = depends
        self.recommends = recommends
        self.provides = provides            # [virtual name, ...]
        self.known = known
        self.via = None       # "requested", "depends" (Pre-Depends too) or "recommends"
        self.parent = None    # the package whose dependency brought it in
        self.virtual = None   # the virtual name it was chosen to provide, if any

    @property
    def installed_bytes(self):
        return None if self.installed_kib is None else self.installed_kib * 1024

    def __repr__(self):
        if not self.known:
            return f"<Package {self.name} unknown>"
        return f"<Package {self.name} {self.version} {self.installed_kib} KiB>"


def _clauses(field):
    return [c.split("|") for c in field.split(",")] if field else []


class AptTable:
    """A loaded table: ``get(name)``, ``providers(virtual)``, ``names()`` and the header."""

    def __init__(self, path):
        import lzma

        with open(path, "rb") as f:
            text = lzma.decompress(f.read()).decode("utf-8")
        lines = text.split("\n")
        if not lines[0].startswith(FORMAT):
            raise ValueError(f"{path} is not a dlint apt table (first line {lines[0][:40]!r})")
        self.path = path
        self.header = dict(field.split("=", 1) for field in lines[0].split("\t")[1:] if "=" in field)
        self.suite = self.header.get("suite")
        self.arch = self.header.get("arch")
        self.date = self.header.get("date")
        body = lines[2:]
        if body and not body[-1]:
            body.pop()
        # the rows, then "@virtual<TAB>provider,…" lines: apt's preference among providers
        split = len(body)
        while split and body[split - 1][:1] == "@":
            split -= 1
        delta = self.header.get("delta")
        if delta:  # only the lines that differ from another architecture's table of the suite
            base = load_table(self.suite, delta)
            rows, order = dict(base._rows), dict(base._order)
            for line in body[:split]:
                name, _, rest = line.partition("\t")
                if rest == "-":
                    rows.pop(name, None)
                else:
                    rows[name] = rest
        else:
            rows = dict(line.split("\t", 1) for line in body[:split])
            order = {}
        for line in body[split:]:
            name, _, rest = line[1:].partition("\t")
            if rest == "-":
                order.pop(name, None)
            else:
                order[name] = rest.split(",")
        self._rows = rows
        self._order = order
        self._provides = None  # virtual name -> [package], built on first use

    def __len__(self):
        return len(self._rows)

    def __contains__(self, name):
        return name in self._rows

    def names(self):
        return self._rows.keys()

    def providers(self, virtual):
        """Names of the packages that Provide ``virtual``, sorted."""
        if self._provides is None:
            provides = {}
            for name, rest in self._rows.items():
                if rest[-1] != "\t":
                    for v in rest[rest.rfind("\t") + 1:].split(","):
                        provides.setdefault(v, []).append(name)
            self._provides = provides
        return sorted(self._provides.get(virtual, ()))

    def required(self):
        """Names of the Priority: required packages (the Essential ones among them)."""
        return [name for name, rest in self._rows.items() if rest.split("\t", 4)[3] in ("E", "r")]

    def provider_order(self, virtual):
        """The providers of ``virtual`` in the order apt prefers them: essential first, then by
        priority, then apt's cache order (recorded in the table by benchmarks/apt_table.py)."""
        if virtual in self._order:
            return list(self._order[virtual])
        return [p.name for p in sorted((self.get(n) for n in self.providers(virtual)), key=_provider_key)]

    def get(self, name):
        """A fresh ``Package`` for ``name``, or None when the table has no such package."""
        rest = self._rows.get(name)
        if rest is None:
            return None
        version, isz, dsz, prio, pre, dep, rec, prov = rest.split("\t")
        return Package(name, version, int(isz or 0), int(dsz or 0), _PRIORITY.get(prio, "optional"),
                       prio == "E", _clauses(pre), _clauses(dep), _clauses(rec),
                       prov.split(",") if prov else [])


def load_table(suite, arch="amd64"):
    """The table for a suite (any name ``SUITE_MAP`` knows) and architecture, loaded once."""
    suite, _ = _suite(suite)
    arch, _ = _arch(arch)
    key = (suite, arch)
    table = _tables.get(key)
    if table is None:
        path = os.path.join(DATA_DIR, f"apt-{suite}-{arch}.tsv.xz")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"dlint's apt table {path} is missing; the installation is incomplete")
        table = _tables[key] = AptTable(path)
    return table


class Closure(list):
    """The packages an install adds, in apt's order, plus what could not be resolved.

    ``unknown``: requested names with no package and no provider (they are also in the list,
    as ``Package(known=False)``). ``unsatisfied``: ``(package, "a|b")`` Depends clauses nothing
    satisfies. ``confidence``: high for a Debian suite and a tabled architecture, low for an
    Ubuntu release or another architecture (mapped to the nearest table).
    """

    def __init__(self, suite, arch, recommends, confidence, table_date):
        super().__init__()
        self.suite = suite
        self.arch = arch
        self.recommends = recommends
        self.confidence = confidence
        self.date = table_date
        self.unknown = []
        self.unsatisfied = []

    @property
    def known(self):
        return [p for p in self if p.known]


def _bare(spec):
    """``pkg=1.2-3``, ``pkg/bookworm-backports``, ``pkg:arm64`` -> ``pkg``."""
    name = str(spec).strip()
    for sep in ("=", "/", ":"):
        name = name.split(sep, 1)[0]
    return name.lower()


def _provider_key(pkg):
    return (not pkg.essential, _PRIORITY_RANK.get(pkg.priority, 3), pkg.name)  # a fallback only


def closure(packages, suite, arch="amd64", recommends=True, installed=()):
    """What ``apt-get install PACKAGES`` adds on a base that holds ``installed``.

    ``suite``: any release ``SUITE_MAP`` knows: bookworm, trixie, 12, 13, jammy, noble, 22.04, …
    ``installed``: package names of the base image (``name:arch`` and ``name=version`` are
    accepted). Returns a ``Closure`` (a list of ``Package``); see the module docstring.
    """
    suite, suite_conf = _suite(suite)
    arch, arch_conf = _arch(arch)
    table = load_table(suite, arch)
    confidence = min(suite_conf, arch_conf, key=_CONFIDENCE_RANK.__getitem__)
    result = Closure(suite, arch, bool(recommends), confidence, table.date)

    have = set()        # installed or chosen
    provided = set()    # virtual names provided by those
    for spec in installed:
        name = _bare(spec)
        have.add(name)
        pkg = table.get(name)
        if pkg is not None:
            provided.update(pkg.provides)

    def satisfied(alts):
        for alt in alts:
            if alt in have or alt in provided:
                return True
            if alt[:1] == "=" and alt[1:] in have:
                return True
        return False

    def choose(alts):
        for alt in alts:
            real_only = alt[:1] == "="
            if real_only:
                alt = alt[1:]
            if alt in table:
                return alt, None
            if real_only:
                continue
            names = table.provider_order(alt)
            if names:
                return names[0], alt
        return None, None

    # Depth first, like apt: a package's dependency clauses are resolved in order, each one
    # (with what it brings in) before the next. Stack items: ("want", name, …) a requested
    # name, ("dep", alternatives, kind, parent) a clause, ("pkg", name, via, parent, virtual).
    stack = []
    for spec in reversed(list(packages)):
        spec = str(spec).strip()
        if spec and not spec.startswith("-"):
            stack.append(("want", _bare(spec), "requested", None, None))
    while stack:
        item = stack.pop()
        if item[0] == "dep":
            _, alts, kind, parent = item
            if satisfied(alts):
                continue
            name, virtual = choose(alts)
            if name is None:
                if kind == "depends":
                    result.unsatisfied.append((parent, "|".join(a.lstrip("=") for a in alts)))
                continue
            item = ("pkg", name, kind, parent, virtual)
        elif item[0] == "want":
            name = item[1]
            if name in have or (name not in table and satisfied([name])):
                continue
            chosen, virtual = choose([name])
            if chosen is None:
                result.unknown.append(name)
                missing = Package(name, known=False)
                missing.via = "requested"
                result.append(missing)
                continue
            item = ("pkg", chosen, "requested", None, virtual)
        _, name, via, parent, virtual = item
        if name in have:
            continue
        pkg = table.get(name)
        pkg.via, pkg.parent, pkg.virtual = via, parent, virtual
        have.add(name)
        provided.update(pkg.provides)
        result.append(pkg)
        deps = [("dep", alts, "depends", name) for alts in pkg.pre_depends + pkg.depends]
        if recommends:
            deps += [("dep", alts, "recommends", name) for alts in pkg.recommends]
        stack.extend(reversed(deps))
    return result


def minbase(suite, arch="amd64"):
    """Package names of a ``debootstrap --variant=minbase`` system (what debian:<suite> holds):
    the Priority: required packages and apt, with their dependencies. Like debootstrap on a
    merged-/usr system, usr-is-merged comes first, so that ``usrmerge | usr-is-merged`` does
    not pull in usrmerge and Perl (bookworm: 88 packages, as in the official image)."""
    key = (_suite(suite)[0], _arch(arch)[0])
    if key not in _minbase:
        seeds = ["usr-is-merged"] + load_table(*key).required() + ["apt"]
        _minbase[key] = [p.name for p in closure(seeds, key[0], key[1], recommends=False)]
    return list(_minbase[key])


def installed_size_bytes(packages, known_only=False):
    """Σ Installed-Size in bytes; None if a package is unknown (unless ``known_only``)."""
    return _sum(packages, "installed_kib", 1024, known_only)


def download_size_bytes(packages, known_only=False):
    """Σ .deb sizes in bytes (what lands in /var/cache/apt/archives); None as above."""
    return _sum(packages, "download_bytes", 1, known_only)


def _sum(packages, attr, unit, known_only):
    total = 0
    for pkg in packages:
        if not pkg.known:
            if known_only:
                continue
            return None
        total += getattr(pkg, attr) * unit
    return total
