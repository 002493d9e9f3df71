"""Regenerate the apt package tables that dlint ships: linter/cost/data/apt-<suite>-<arch>.tsv.xz.

A developer runs this by hand when the tables should be refreshed (a new point release, a new
suite). It needs the network (Debian's archive) and apt tooling, so it is never run by CI and
never by dlint; dlint only reads the files it writes.

    /tmp/venv/bin/python benchmarks/apt_table.py            # fetch, reduce, write the 4 tables
    /tmp/venv/bin/python benchmarks/apt_table.py verify     # compare dlint's resolver with apt-get -s

Method (size-cost.md §3): apt-get runs against a private root through APT_CONFIG, one root per
suite, with its own sources list (<suite>, <suite>-updates, <suite>-security; main; amd64 and
arm64) and an empty dpkg status, so the machine's own apt state is neither read nor changed.
The mirror is the one this host's apt already uses (or --mirror). The Packages files that
`apt-get indextargets` names are then reduced to one TSV row per package:

    name  version  installed_kib  deb_bytes  prio  pre_depends  depends  recommends  provides

- prio: E (Essential: yes), r (required), i (important), s (standard), empty otherwise.
- Dependency fields keep names only: version constraints, architecture qualifiers (:any) and
  restrictions are dropped; clauses are comma-separated, alternatives joined with "|", in the
  archive's order, duplicates removed. Before the constraint goes, an alternative that nothing
  in the suite satisfies is dropped (``libcgi-pm-perl | perl (<< 5.19)`` keeps only the
  first), so the resolver, which ignores versions, does not take it; and a versioned
  alternative that none of the name's providers meets is written "=name": only the real
  package satisfies it. Provides keeps names only. No descriptions.
- When a package is in more than one of main/-updates/-security, the highest version wins
  (dpkg's version ordering), which is apt's candidate with default pins.

Lines "@virtual<TAB>p1,p2,…" follow the rows: for each virtual package with several providers,
the order in which apt prefers them (essential, then priority, then apt's cache order: the
provider first named latest in the Packages files wins a tie; see Index.provider_order).

Each file starts with a header line ("#dlint-apt-table 1", then key=value fields separated by
tabs: suite, arch, date (the fetch date, UTC), archive, sources with their Release dates,
packages) and a column line, and is compressed with xz (stdlib lzma). The arm64 files hold only
the rows that differ from amd64 (header field delta=amd64; "name<TAB>-" marks a package arm64
lacks): about half the packages are Architecture: all and identical, so this halves them.

`verify` configures, inside the same private roots, one architecture at a time (as in a
container of that architecture), writes a dpkg status holding a minbase system
(linter.cost.apt.minbase: the Priority: required packages, usr-is-merged and apt with their
dependencies, as debootstrap --variant=minbase installs; the versions the table holds), runs
`apt-get install -s [--no-install-recommends] PKG` for a list of common packages, and compares
the packages apt would install with linter.cost.apt.closure(). Run on 2026-11-27 with the
host's apt 2.6.1: 556 of 560 identical, 0 different, 4 skipped (openjdk-17-jre-headless is not
in trixie; apt refuses it, dlint reports it unknown).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import glob
import lzma
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "linter", "cost", "data")
SUITES = ("bookworm", "trixie")
ARCHES = ("amd64", "arm64")
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
COLUMNS = ("name", "version", "installed_kib", "deb_bytes", "prio", "pre_depends", "depends", "recommends", "provides")
PRIO = {"required": "r", "important": "i", "standard": "s"}
# the order in which apt's cache generator reads the fields of a stanza (debListParser::NewVersion),
# which decides the order in which it creates the packages they name
APT_PARSE_ORDER = ("Pre-Depends", "Depends", "Conflicts", "Breaks", "Recommends", "Suggests", "Replaces",
                   "Enhances", "Provides")


# --- the mirror this host uses ---------------------------------------------------------------

def host_mirrors() -> tuple[str, str]:
    """(debian, debian-security) base URLs from the host's sources lists; deb.debian.org otherwise."""
    uris = []
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*")):
        if not (path.endswith(".list") or path.endswith(".sources")) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line.startswith("URIs:"):
                    uris += line[5:].split()
                elif line.startswith("deb "):
                    uris += [w for w in line.split()[1:] if "://" in w][:1]
    debian = next((u.rstrip("/") for u in uris if u.rstrip("/").endswith("/debian")), "http://deb.debian.org/debian")
    security = next((u.rstrip("/") for u in uris if u.rstrip("/").endswith("/debian-security")),
                    debian.rsplit("/", 1)[0] + "/debian-security")
    return debian, security


# --- private apt roots -----------------------------------------------------------------------

def make_root(root: str, suite: str, debian: str, security: str, keyring: str, arches=ARCHES) -> str:
    """Create the private root for one suite and return its APT_CONFIG file. With one
    architecture (verify), the configuration is that of a container of that architecture; its
    sources list, configuration and caches are kept apart, the downloaded lists are shared."""
    for d in ("etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/apt/preferences.d",
              "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    status = os.path.join(root, "var/lib/dpkg/status")
    if not os.path.exists(status):
        open(status, "w").close()
    tag = "" if tuple(arches) == ARCHES else "-" + "-".join(arches)
    sources = os.path.join(root, f"etc/apt/sources{tag}.list")
    cache = os.path.join(root, f"var/cache/apt{tag}")
    os.makedirs(os.path.join(cache, "archives/partial"), exist_ok=True)
    opts = f"[arch={','.join(arches)} signed-by={keyring}]"
    with open(sources, "w") as f:
        f.write(f"deb {opts} {debian} {suite} main\n")
        f.write(f"deb {opts} {debian} {suite}-updates main\n")
        f.write(f"deb {opts} {security} {suite}-security main\n")
    conf = os.path.join(root, f"apt{tag}.conf")
    with open(conf, "w") as f:
        f.write(f'Dir "{root}/";\n'
                f'Dir::State::status "{status}";\n'
                f'Dir::Etc::sourcelist "{sources}";\n'
                f'Dir::Cache "{cache}/";\n'
                'Dir::Etc::trusted "/etc/apt/trusted.gpg";\n'
                'Dir::Etc::trustedparts "/etc/apt/trusted.gpg.d";\n'
                f'APT::Architecture "{arches[0]}";\n'
                'APT::Architectures { ' + " ".join(f'"{a}";' for a in arches) + ' };\n'
                'Acquire::Languages "none";\n'
                'Acquire::GzipIndexes "false";\n'
                'Acquire::PDiffs "false";\n')
    return conf


def apt(conf: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, APT_CONFIG=conf, LC_ALL="C")
    return subprocess.run(["apt-get", *args], env=env, check=check, text=True, capture_output=True)


def index_files(conf: str, arch: str) -> list[tuple[str, str, str]]:
    """[(Packages file, source suite, site)] for one architecture, in sources.list order."""
    out = apt(conf, "indextargets", "--format", "$(FILENAME)\t$(CODENAME)\t$(ARCHITECTURE)\t$(SITE)",
              "Created-By: Packages").stdout
    rows = []
    for line in out.splitlines():
        fn, codename, a, site = line.split("\t")
        if a == arch and os.path.exists(fn):
            rows.append((fn, codename, site))
    order = {"": 0, "-updates": 1, "-security": 2}
    rows.sort(key=lambda r: order.get(r[1][len(r[1].split("-")[0]):], 9))
    return rows


def release_date(conf: str, site: str, codename: str) -> str:
    lists = os.path.join(os.path.dirname(conf), "var/lib/apt/lists")
    host_path = site.split("://", 1)[1].strip("/").replace("/", "_")
    for fn in glob.glob(os.path.join(lists, f"{host_path}_dists_{codename}_*Release")):
        with open(fn, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("Date:"):
                    when = _dt.datetime.strptime(line[5:].strip(), "%a, %d %b %Y %H:%M:%S %Z")
                    return when.strftime("%Y-%m-%d")
    return "?"


# --- reading Packages files ------------------------------------------------------------------

def stanzas(path: str):
    """Yield (fields, raw text) per stanza; continuation lines are skipped in fields."""
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")
    for raw in text.split("\n\n"):
        if not raw.strip():
            continue
        fields = {}
        for line in raw.split("\n"):
            if not line or line[0] in " \t":
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        yield fields, raw.strip("\n")


_ALT = re.compile(r"^\s*([^\s(\[<:]+)(?::\S+)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?")


def parse_alt(text: str) -> tuple[str, str | None, str | None]:
    """``libfoo:any (>= 1.2) [amd64] <!nocheck>`` -> ("libfoo", ">=", "1.2")."""
    m = _ALT.match(text)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", None, None)


def satisfies(version: str, op: str, ref: str) -> bool:
    c = version_cmp(version, ref)
    return {"<<": c < 0, "<=": c <= 0, "<": c <= 0, "=": c == 0, ">=": c >= 0, ">": c >= 0, ">>": c > 0}.get(op, True)


class Index:
    """The merged Packages data of one suite and architecture, as the reducer needs it."""

    def __init__(self, files: list[tuple[str, str, str]]) -> None:
        self.packages: dict[str, dict] = {}
        self.created: dict[str, int] = {}          # name -> order apt creates it in its cache
        for path, _codename, _site in files:
            for fields, _raw in stanzas(path):
                name = fields.get("Package")
                if not name:
                    continue
                self._mention(name)
                for key in APT_PARSE_ORDER:
                    for clause in fields.get(key, "").split(","):
                        for alt in clause.split("|"):
                            self._mention(parse_alt(alt)[0])
                old = self.packages.get(name)
                if old is None or version_cmp(fields.get("Version", ""), old.get("Version", "")) > 0:
                    self.packages[name] = fields
        self.provided: dict[tuple[str, str], list[str | None]] = {}   # (virtual, provider) -> versions
        self.providers: dict[str, list[str]] = {}
        for name, fields in self.packages.items():
            for item in fields.get("Provides", "").split(","):
                virtual, op, version = parse_alt(item)
                if virtual:
                    if name not in self.providers.get(virtual, ()):
                        self.providers.setdefault(virtual, []).append(name)
                    self.provided.setdefault((virtual, name), []).append(version if op == "=" else None)
        self.real_only = 0

    def _mention(self, name: str) -> None:
        if name and name not in self.created:
            self.created[name] = len(self.created)

    def satisfying_providers(self, name: str, op: str, ref: str) -> list[str]:
        """Providers of ``name`` whose Provides meets ``op ref`` (an unversioned one never does)."""
        return [p for p in self.providers.get(name, ())
                if any(v is not None and satisfies(v, op, ref) for v in self.provided[(name, p)])]

    def can_satisfy(self, name: str, op: str | None, ref: str | None) -> bool:
        if op is None:
            return name in self.packages or name in self.providers
        real = self.packages.get(name)
        if real is not None and satisfies(real.get("Version", ""), op, ref):
            return True
        return bool(self.satisfying_providers(name, op, ref))

    def alternative(self, name: str, op: str | None, ref: str | None) -> str:
        """The name as the table writes it: "=name" when the dependency is versioned and none of
        the packages that Provide the name meets the version, so that only the real package
        satisfies it (node-tap-parser Provides node-yaml (= 1.10.2) and Depends on
        node-yaml (>= 2.0.1~))."""
        if op is None or name not in self.providers or self.satisfying_providers(name, op, ref):
            return name
        self.real_only += 1
        return "=" + name

    def simplify(self, field: str) -> str:
        """Names only, alternatives in order; an alternative whose version constraint nothing in
        the suite meets is dropped (``libcgi-pm-perl | perl (<< 5.19)`` -> ``libcgi-pm-perl``)
        unless it is the clause's only one."""
        clauses = []
        for clause in field.split(","):
            alts = [parse_alt(a) for a in clause.split("|")]
            alts = [a for a in alts if a[0]]
            if len(alts) > 1:
                alts = [a for a in alts if self.can_satisfy(*a)] or alts
            names = "|".join(dict.fromkeys(self.alternative(*a) for a in alts))
            if names and names not in clauses:
                clauses.append(names)
        return ",".join(clauses)

    def row(self, name: str) -> str:
        f = self.packages[name]
        prio = "E" if f.get("Essential") == "yes" else PRIO.get(f.get("Priority", ""), "")
        provides = ",".join(dict.fromkeys(parse_alt(p)[0] for p in f.get("Provides", "").split(",") if parse_alt(p)[0]))
        return "\t".join([name, f.get("Version", ""), f.get("Installed-Size", ""), f.get("Size", ""), prio,
                          self.simplify(f.get("Pre-Depends", "")), self.simplify(f.get("Depends", "")),
                          self.simplify(f.get("Recommends", "")), provides])

    def provider_order(self, virtual: str) -> list[str]:
        """apt's preference among the providers of a virtual package (CompareProviders in
        apt-pkg/depcache.cc): essential first, then higher priority, then the package apt's
        cache created last (higher ID), i.e. the one first named latest in the Packages files."""
        rank = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}

        def key(name):
            f = self.packages[name]
            return (f.get("Essential") != "yes", rank.get(f.get("Priority", ""), 3), -self.created[name])
        return sorted(dict.fromkeys(self.providers.get(virtual, ())), key=key)


# dpkg's version ordering (deb-version(7)), for choosing between main, -updates and -security
def _order(c: str) -> int:
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _cmp_part(a: str, b: str) -> int:
    i = j = 0
    while i < len(a) or j < len(b):
        diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return -1 if ac < bc else 1
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not diff:
                diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if diff:
            return -1 if diff < 0 else 1
    return 0


def version_cmp(a: str, b: str) -> int:
    def split(v):
        epoch, _, rest = v.partition(":") if ":" in v else ("0", "", v)
        upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "0")
        return int(epoch or 0), upstream, revision
    ea, ua, ra = split(a)
    eb, ub, rb = split(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _cmp_part(ua, ub) or _cmp_part(ra, rb)


def build(args) -> None:
    debian, security = (args.mirror.rstrip("/"), args.security.rstrip("/")) if args.mirror else host_mirrors()
    if args.mirror and not args.security:
        security = debian.rsplit("/", 1)[0] + "/debian-security"
    today = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for suite in SUITES:
        conf = make_root(os.path.join(args.root, suite), suite, debian, security, args.keyring)
        if not args.no_update:
            print(f"apt-get update ({suite}) …", flush=True)
            apt(conf, "update")
        first = None  # rows of the first architecture, which the others are stored against
        for arch in ARCHES:
            files = index_files(conf, arch)
            if len(files) != 3:
                sys.exit(f"{suite}/{arch}: expected 3 Packages files, found {[f[0] for f in files]}")
            index = Index(files)
            rows = {name: index.row(name) for name in sorted(index.packages)}
            # apt's choice among several providers of a virtual package depends on the order
            # of its cache, which the rows do not show: "@virtual<TAB>provider,…" records it
            for virtual in sorted(index.providers):
                order = index.provider_order(virtual)
                if len(order) > 1 and virtual not in index.packages:
                    rows["@" + virtual] = f"@{virtual}\t{','.join(order)}"
            count = len(index.packages)
            if index.real_only:
                print(f"{suite}/{arch}: {index.real_only} versioned dependencies only the real package meets (=name)")
            sources = ",".join(f"{codename}@{release_date(conf, site, codename)}" for _p, codename, site in files)
            fields = ["#dlint-apt-table 1", f"suite={suite}", f"arch={arch}", f"date={today}",
                      f"archive={debian}", f"security={security}", f"sources={sources}", "component=main",
                      f"packages={count}"]
            if first is None:
                first, body = rows, list(rows.values())
            else:
                # Only what differs from the first architecture: changed or added rows, and
                # "name<TAB>-" for a package the first architecture has and this one lacks.
                # About half of the rows (the Architecture: all packages) are identical.
                body = [r for n, r in rows.items() if first.get(n) != r]
                body += [f"{n}\t-" for n in first if n not in rows]
                body.sort(key=lambda line: (line[0] == "@", line))
                fields.append(f"delta={ARCHES[0]}")
            lines = ["\t".join(fields), "#" + "\t".join(COLUMNS)] + body
            data = ("\n".join(lines) + "\n").encode("utf-8")
            packed = lzma.compress(data, preset=9 | lzma.PRESET_EXTREME)
            out = os.path.join(args.out, f"apt-{suite}-{arch}.tsv.xz")
            with open(out, "wb") as f:
                f.write(packed)
            total += len(packed)
            print(f"{os.path.relpath(out, ROOT)}: {count:,} packages, {len(rows) - count:,} provider orders "
                  f"({len(body):,} lines stored), "
                  f"{len(data):,} B raw, {len(packed):,} B xz; {sources}")
    print(f"total {total:,} B ({total / 1e6:.2f} MB)")


# --- verify: dlint's resolver against apt-get -s ----------------------------------------------

VERIFY_PACKAGES = [
    "python3-pip", "python3", "python3-venv", "python3-dev", "curl", "wget", "git", "build-essential",
    "ca-certificates", "gnupg", "nginx", "apache2", "postgresql-client", "default-mysql-client",
    "default-jre-headless", "default-jdk-headless", "nodejs npm", "vim", "less", "procps", "locales",
    "tzdata", "unzip", "jq", "make", "gcc", "g++", "libpq-dev", "libssl-dev", "sudo",
    "openssh-client", "iputils-ping", "netcat-openbsd", "imagemagick", "ffmpeg", "libxml2-dev",
    "zlib1g-dev", "supervisor", "cron", "rsync", "xz-utils", "fonts-liberation", "chromium",
    "php-cli", "ruby", "golang", "redis-tools", "bsd-mailx", "gawk", "texlive-latex-base",
    "gettext", "graphviz", "libgl1", "default-libmysqlclient-dev", "pkg-config", "cmake",
    "dnsutils", "net-tools", "htop", "tini", "gosu", "dumb-init", "openjdk-17-jre-headless",
    "python3-numpy", "r-base-core", "perl", "libjpeg-dev", "libffi-dev", "git-lfs", "mariadb-server",
]


def minbase(conf: str, arch: str) -> list[str]:
    """Names of a minbase system: Priority required + apt, closed over Pre-Depends/Depends."""
    sys.path.insert(0, ROOT)
    from linter.cost import apt as dapt
    return dapt.minbase(os.path.basename(os.path.dirname(conf)), arch)


def write_status(conf: str, arch: str, names: list[str], status: str) -> None:
    """A dpkg status file in which ``names`` are installed at the version the table holds."""
    wanted = set(names)
    best: dict[str, tuple[str, str]] = {}
    for path, _c, _s in index_files(conf, arch):
        for fields, raw in stanzas(path):
            name = fields.get("Package")
            if name in wanted:
                version = fields.get("Version", "")
                if name not in best or version_cmp(version, best[name][0]) > 0:
                    best[name] = (version, raw)
    if wanted - set(best):
        sys.exit(f"minbase packages missing from the index: {sorted(wanted - set(best))}")
    with open(status, "w") as out:
        for name in sorted(best):
            lines = [ln for ln in best[name][1].split("\n")
                     if not ln.startswith(("Filename:", "MD5sum:", "SHA256:", "Size:"))]
            lines.insert(1, "Status: install ok installed")
            out.write("\n".join(lines) + "\n\n")


def apt_plan(conf: str, status: str, pkgs: list[str], recommends: bool) -> set[str] | str:
    args = ["-o", f"Dir::State::status={status}", "-o", f"APT::Install-Recommends={'true' if recommends else 'false'}",
            "-o", "APT::Get::Show-Versions=false", "install", "-s", "-q", *pkgs]
    res = apt(conf, *args, check=False)
    if res.returncode:
        return res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "apt-get failed"
    # "Inst name (version …)" is a new package; "Inst name [old] (new …)" an upgrade, which
    # cannot happen here as the base holds the same versions as the table
    return {line.split()[1].split(":", 1)[0] for line in res.stdout.splitlines() if line.startswith("Inst ")}


def verify(args) -> None:
    sys.path.insert(0, ROOT)
    from linter.cost import apt as dapt
    debian, security = host_mirrors()
    ok = bad = skipped = 0
    for suite in SUITES:
        conf = make_root(os.path.join(args.root, suite), suite, debian, security, args.keyring)
        if not glob.glob(os.path.join(args.root, suite, "var/lib/apt/lists/*_Packages")):
            apt(conf, "update")
        for arch in ARCHES:
            base = minbase(conf, arch)
            one = make_root(os.path.join(args.root, suite), suite, debian, security, args.keyring, (arch,))
            with tempfile.TemporaryDirectory() as tmp:
                status = os.path.join(tmp, "status")
                write_status(conf, arch, base, status)
                for spec in args.packages or VERIFY_PACKAGES:
                    pkgs = spec.split()
                    for rec in (False, True):
                        expected = apt_plan(one, status, pkgs, rec)
                        label = f"{suite}/{arch} {'rec  ' if rec else 'norec'} {spec}"
                        if isinstance(expected, str):
                            skipped += 1
                            if args.verbose:
                                print(f"skip  {label}: {expected}")
                            continue
                        got = dapt.closure(pkgs, suite, arch, recommends=rec, installed=base)
                        names = {p.name for p in got if p.known}
                        if names == expected:
                            ok += 1
                            if args.verbose:
                                print(f"ok    {label}: {len(names)} packages, "
                                      f"{dapt.installed_size_bytes(got, known_only=True) / 1e6:.1f} MB")
                        else:
                            bad += 1
                            print(f"DIFF  {label}: apt {len(expected)} dlint {len(names)}; "
                                  f"only apt {sorted(expected - names)[:12]} only dlint {sorted(names - expected)[:12]}")
    print(f"verify: {ok} identical, {bad} different, {skipped} not installable with apt (skipped); "
          f"minbase {len(base)} packages")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", nargs="?", default="build", choices=("build", "verify"))
    ap.add_argument("packages", nargs="*", help="verify: package sets to check (one argument each)")
    ap.add_argument("--root", default=os.path.join(tempfile.gettempdir(), "dlint-aptroot"),
                    help="private apt roots, one per suite (default: %(default)s)")
    ap.add_argument("--out", default=OUT, help="where the tables go (default: linter/cost/data)")
    ap.add_argument("--mirror", help="Debian archive URL (default: the one this host's apt uses)")
    ap.add_argument("--security", help="Debian security archive URL")
    ap.add_argument("--keyring", default=KEYRING)
    ap.add_argument("--no-update", action="store_true", help="reuse the lists already in --root")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    (verify if args.command == "verify" else build)(args)


if __name__ == "__main__":
    main()
