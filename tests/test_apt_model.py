"""The apt model: the shipped Debian package tables and the install-closure resolver."""
from __future__ import annotations

import lzma
import os
import re
import subprocess
import sys

import pytest

from linter.cost import apt

TABLES = [(suite, arch) for suite in apt.SUITES for arch in apt.ARCHITECTURES]


@pytest.fixture(scope="module")
def base():
    """What debian:bookworm holds (a minbase system)."""
    return apt.minbase("bookworm", "amd64")


def names(packages):
    return [p.name for p in packages]


# --- the shipped tables ------------------------------------------------------------------------

@pytest.mark.parametrize(("suite", "arch"), TABLES)
def test_table_file_has_a_header_naming_suite_arch_and_date(suite, arch):
    path = os.path.join(apt.DATA_DIR, f"apt-{suite}-{arch}.tsv.xz")
    with lzma.open(path, "rt", encoding="utf-8") as f:
        header, columns = f.readline(), f.readline()
    assert header.startswith(apt.FORMAT + "\t")
    fields = dict(field.split("=", 1) for field in header.rstrip("\n").split("\t")[1:])
    assert fields["suite"] == suite and fields["arch"] == arch
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"])
    assert fields["archive"].startswith("http") and suite in fields["sources"]
    assert columns.rstrip("\n").split("\t") == ["#name", "version", "installed_kib", "deb_bytes", "prio",
                                                "pre_depends", "depends", "recommends", "provides"]


@pytest.mark.parametrize(("suite", "arch"), TABLES)
def test_table_loads_every_package_the_header_counts(suite, arch):
    table = apt.load_table(suite, arch)
    assert (table.suite, table.arch) == (suite, arch)
    assert len(table) == int(table.header["packages"]) > 50_000
    for name in ("bash", "libc6", "python3", "python3-pip", "curl", "build-essential"):
        pkg = table.get(name)
        assert pkg.known and pkg.version and pkg.installed_kib > 0 and pkg.download_bytes > 0
    assert table.get("bash").essential and table.get("bash").priority == "required"
    assert table.get("no-such-package") is None


def test_tables_are_small_and_load_lazily():
    total = sum(os.path.getsize(os.path.join(apt.DATA_DIR, f"apt-{s}-{a}.tsv.xz")) for s, a in TABLES)
    assert total < 8_000_000
    code = "import sys, linter.cost.apt; print('lzma' in sys.modules, linter.cost.apt._tables)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "{}"]


def test_arm64_table_differs_from_amd64_where_the_archive_does():
    amd64, arm64 = apt.load_table("bookworm", "amd64"), apt.load_table("bookworm", "arm64")
    assert amd64.get("libc6").installed_kib != arm64.get("libc6").installed_kib
    assert amd64.get("tzdata").installed_kib == arm64.get("tzdata").installed_kib  # Architecture: all
    assert "libc6-i386" in amd64 and "libc6-i386" not in arm64


# --- the resolver ------------------------------------------------------------------------------

def test_minbase_is_the_debian_base_without_usrmerge(base):
    assert {"bash", "apt", "libc6", "dpkg", "usr-is-merged", "mawk"} <= set(base)
    assert "usrmerge" not in base and "perl" not in base


def test_python3_pip_recommends_pull_in_a_compiler_and_weigh_much_more(base):
    norec = apt.closure(["python3-pip"], "bookworm", "amd64", recommends=False, installed=base)
    rec = apt.closure(["python3-pip"], "bookworm", "amd64", recommends=True, installed=base)
    assert norec[0].name == "python3-pip" and norec[0].via == "requested"
    assert "python3" in names(norec) and "python3" in names(rec)
    assert {"build-essential", "gcc", "g++", "make", "python3-dev"} <= set(names(rec))
    assert not {"build-essential", "gcc", "g++"} & set(names(norec))
    assert set(names(norec)) < set(names(rec))
    by_name = {p.name: p for p in rec}
    assert (by_name["build-essential"].via, by_name["build-essential"].parent) == ("recommends", "python3-pip")
    assert apt.installed_size_bytes(rec) > 4 * apt.installed_size_bytes(norec) > 0
    assert apt.download_size_bytes(rec) > 4 * apt.download_size_bytes(norec) > 0
    assert not rec.unknown and not rec.unsatisfied and rec.confidence == "high"


def test_installed_packages_are_subtracted(base):
    fresh = apt.closure(["python3-pip"], "bookworm", "amd64", recommends=False)
    on_base = apt.closure(["python3-pip"], "bookworm", "amd64", recommends=False, installed=base)
    assert "libc6" in names(fresh) and "libc6" not in names(on_base)
    assert not set(names(on_base)) & set(base)
    assert apt.installed_size_bytes(on_base) < apt.installed_size_bytes(fresh)
    with_python = apt.closure(["python3-pip"], "bookworm", "amd64", recommends=False,
                              installed=base + ["python3:amd64", "python3.11=3.11.2-6"])
    assert "python3" not in names(with_python) and "python3.11" not in names(with_python)
    assert apt.closure(["curl"], "bookworm", installed=["curl"]) == []


def test_a_virtual_dependency_resolves_through_provides():
    got = apt.closure(["base-files"], "bookworm", recommends=False)  # Pre-Depends: awk
    mawk = {p.name: p for p in got}["mawk"]
    assert mawk.virtual == "awk" and mawk.parent == "base-files"  # priority required beats gawk
    assert "gawk" not in names(got)
    # an installed provider satisfies it
    assert "mawk" not in names(apt.closure(["base-files"], "bookworm", recommends=False, installed=["gawk"]))
    # default-mta | mail-transport-agent: both virtual, the first one's provider is taken
    mailx = {p.name: p for p in apt.closure(["bsd-mailx"], "bookworm", recommends=False, installed=apt.minbase("bookworm"))}
    mta = [p for p in mailx.values() if p.virtual in ("default-mta", "mail-transport-agent")]
    assert len(mta) == 1 and "mail-transport-agent" in mta[0].provides
    # several providers of the same priority: the one apt prefers (its cache order, recorded)
    order = apt.load_table("bookworm").provider_order("x-terminal-emulator")
    assert len(order) > 10 and set(order) == set(apt.load_table("bookworm").providers("x-terminal-emulator"))
    assert apt.closure(["x-terminal-emulator"], "bookworm")[0].name == order[0]
    # asking for a virtual package installs one provider
    asked = apt.closure(["mail-transport-agent"], "bookworm", recommends=False)
    assert asked[0].virtual == "mail-transport-agent" and asked[0].via == "requested"
    assert asked[0].name in apt.load_table("bookworm").providers("mail-transport-agent")


def test_alternatives_prefer_an_installed_or_already_chosen_one():
    # init-system-helpers Depends: usrmerge | usr-is-merged
    assert "usrmerge" in names(apt.closure(["init-system-helpers"], "bookworm", recommends=False))
    installed = apt.closure(["init-system-helpers"], "bookworm", recommends=False, installed=["usr-is-merged"])
    assert "usrmerge" not in names(installed) and "usr-is-merged" not in names(installed)
    chosen = apt.closure(["usr-is-merged", "init-system-helpers"], "bookworm", recommends=False)
    assert "usr-is-merged" in names(chosen) and "usrmerge" not in names(chosen)


def test_versions_the_table_resolved_at_generation():
    table = apt.load_table("bookworm")
    # libcgi-pm-perl | perl (<< 5.19): perl 5.36 cannot satisfy it, so only the first stays
    assert ["libcgi-pm-perl"] in table.get("libhtml-template-perl").depends
    assert "libcgi-pm-perl" in names(apt.closure(["libhtml-template-perl"], "bookworm", installed=apt.minbase("bookworm")))
    # node-tap-parser Provides node-yaml (= 1.10.2) and Depends on node-yaml (>= 2.0.1~)
    assert ["=node-yaml"] in table.get("node-tap-parser").depends
    assert "node-yaml" in names(apt.closure(["node-tap-parser"], "bookworm", recommends=False))


def test_unknown_packages_are_reported_as_unknown_not_zero(base):
    got = apt.closure(["python3-pip", "no-such-package-xyz"], "bookworm", recommends=False, installed=base)
    assert got.unknown == ["no-such-package-xyz"]
    missing = [p for p in got if not p.known]
    assert names(missing) == ["no-such-package-xyz"] and missing[0].installed_kib is None
    assert apt.installed_size_bytes(got) is None and apt.download_size_bytes(got) is None
    pip_only = apt.closure(["python3-pip"], "bookworm", recommends=False, installed=base)
    assert apt.installed_size_bytes(got, known_only=True) == apt.installed_size_bytes(pip_only)
    assert apt.installed_size_bytes(apt.closure(["nope"], "trixie")) is None


def test_version_pins_release_and_arch_suffixes_are_ignored(base):
    plain = apt.closure(["curl"], "bookworm", installed=base)
    pinned = apt.closure(["curl=7.88.1-10+deb12u99", "-y"], "bookworm", installed=base)
    assert names(plain) == names(pinned) and not pinned.unknown
    assert names(apt.closure(["curl/bookworm-backports"], "bookworm", installed=base)) == names(plain)


def test_trixie_and_arm64_resolve_too():
    for suite, arch in TABLES:
        got = apt.closure(["python3-pip"], suite, arch, recommends=False, installed=apt.minbase(suite, arch))
        assert "python3" in names(got) and not got.unknown and not got.unsatisfied
        assert (got.suite, got.arch) == (suite, arch)


def test_ubuntu_maps_to_the_nearest_debian_suite_with_low_confidence():
    assert apt.debian_suite("ubuntu", "22.04") == ("bookworm", "low")
    assert apt.debian_suite("ubuntu", "24.04") == ("trixie", "low")
    assert apt.debian_suite("ubuntu", "noble") == ("trixie", "low")
    assert apt.debian_suite("debian", "12.7") == ("bookworm", "high")
    assert apt.debian_suite("debian", "trixie") == ("trixie", "high")
    assert apt.debian_suite("ubuntu", "22.04.4") == ("bookworm", "low")
    assert apt.debian_suite("debian", "11") == ("bookworm", "low")  # no table: the nearest suite
    assert apt.debian_suite("debian", "unstable") == ("trixie", "low")
    assert apt.debian_suite("ubuntu", "20.04") is None
    assert apt.debian_suite("alpine", "3.20") is None
    assert apt.debian_suite("debian", "noble") is None
    got = apt.closure(["curl"], "noble")
    assert (got.suite, got.confidence) == ("trixie", "low")
    assert apt.closure(["curl"], "24.04").suite == "trixie"


def test_architecture_aliases_and_fallback():
    assert apt.closure(["curl"], "bookworm", "linux/arm64/v8").arch == "arm64"
    assert apt.closure(["curl"], "bookworm", "x86_64").confidence == "high"
    other = apt.closure(["curl"], "bookworm", "ppc64le")
    assert (other.arch, other.confidence) == ("amd64", "low")
    with pytest.raises(ValueError):
        apt.closure(["curl"], "buster")
