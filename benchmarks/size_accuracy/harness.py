"""Measure what a Debian ``RUN apt-get …`` step really adds to an image, without Docker.

This is the ground-truth harness of size-cost.md §2.1, for the apt items of
``ground_truth.json``. It needs root, overlayfs and Debian's archive, so a developer runs it by
hand; CI and dlint never do. Everything it downloads or builds stays under ``--work`` (default
/tmp/size-harness), never in the repository.

    python benchmarks/size_accuracy/harness.py bases            # debootstrap + the two bases
    python benchmarks/size_accuracy/harness.py measure          # items whose truth is missing
    python benchmarks/size_accuracy/harness.py measure --all ID…  # measure again (or only IDs)

``bases`` rebuilds debian:bookworm and debian:bookworm-slim the way debuerreotype does:
``debootstrap --variant=minbase``, the minimizing configuration the official images carry
(policy-rc.d, force-unsafe-io, docker-clean, GzipIndexes, no translations, autoremove without
suggests), ``apt-get update`` and ``full-upgrade``, then what debuerreotype's ``.tar-exclude``
leaves out (apt lists, caches, logs). The slim variant adds the dpkg ``path-exclude`` rules of
``.slimify-excludes``/``.slimify-includes`` and deletes the files they cover. Both bases are
measured like a layer and compared with the published sizes (the calibration in the README).

``measure`` reads each harness item's Dockerfile (``FROM debian:bookworm[-slim]`` and single-line
``RUN`` steps) and replays every ``RUN`` in a chroot over an overlay mount, as Docker's overlay2
driver does: the lower directories are the base and the earlier steps, the upper directory is the
layer. The layer's sizes, as Docker counts them:

- uncompressed: the bytes of every non-directory entry of the upper directory, hard links once
  (moby's ``directory.Size``, which ``docker history`` and ``docker images`` report);
- compressed: ``tar`` of the upper directory through gzip level 6 (the registry blob).

Each step's sizes are written back into the item in ground_truth.json, with the date, the
mirror and the Release dates of the suites the base was built from.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
GROUND_TRUTH = os.path.join(HERE, "ground_truth.json")
SUITE = "bookworm"
CHROOT_ENV = ["/usr/bin/env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
              "HOME=/root", "DEBIAN_FRONTEND=noninteractive"]

# debuerreotype-minimizing-config, as the official images carry it.
_APT_CONF = {
    "docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
    "docker-clean": ('DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb '
                     '/var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
                     'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb '
                     '/var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
                     'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'),
    "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "docker-no-languages": 'Acquire::Languages "none";\n',
}
# .slimify-excludes and .slimify-includes
_SLIM_EXCLUDES = ("/usr/share/doc/*", "/usr/share/info/*", "/usr/share/linda/*", "/usr/share/lintian/overrides/*",
                  "/usr/share/locale/*", "/usr/share/man/*", "/usr/share/doc/kde/HTML/*/*",
                  "/usr/share/gnome/help/*/*", "/usr/share/omf/*/*-*.emf")
_SLIM_INCLUDES = ("/usr/share/doc/*/copyright", "/usr/share/doc/kde/HTML/C/*", "/usr/share/gnome/help/*/C/*",
                  "/usr/share/locale/all_languages", "/usr/share/locale/currency/*", "/usr/share/locale/l10n/*",
                  "/usr/share/locale/languages", "/usr/share/locale/locale.alias", "/usr/share/omf/*/*-C.emf")
_SLIM_DIRS = ("usr/share/doc", "usr/share/info", "usr/share/locale", "usr/share/man", "usr/share/lintian/overrides")
_SLIM_KEEP = re.compile(r"^usr/share/(doc/[^/]+/copyright|locale/(locale\.alias|languages|all_languages))$")
# .tar-exclude: what the published rootfs tarball leaves out
_TAR_EXCLUDE = ("var/cache/apt/*.bin", "var/cache/apt/archives/*.deb", "var/cache/apt/archives/partial/*",
                "var/lib/apt/lists/*", "var/log/apt/history.log", "var/log/apt/term.log", "debootstrap")


def run(*command: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **options)


# -- the bases -----------------------------------------------------------------------------------

def debootstrap(work: str, mirror: str) -> str:
    rootfs = os.path.join(work, "rootfs")
    if not os.path.exists(os.path.join(rootfs, "etc", "os-release")):
        run("debootstrap", "--variant=minbase", SUITE, rootfs, f"{mirror}/debian")
    return rootfs


def minimize(root: str, mirror: str) -> None:
    """The minimizing configuration, the archive's sources, then update and full-upgrade."""
    policy = os.path.join(root, "usr/sbin/policy-rc.d")
    with open(policy, "w") as handle:
        handle.write("#!/bin/sh\nexit 101\n")
    os.chmod(policy, 0o755)
    with open(os.path.join(root, "etc/dpkg/dpkg.cfg.d/docker-apt-speedup"), "w") as handle:
        handle.write("force-unsafe-io\n")
    for name, text in _APT_CONF.items():
        with open(os.path.join(root, "etc/apt/apt.conf.d", name), "w") as handle:
            handle.write(text)
    sources = os.path.join(root, "etc/apt/sources.list")
    if os.path.exists(sources):
        os.remove(sources)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    with open(os.path.join(root, "etc/apt/sources.list.d/debian.sources"), "w") as handle:
        handle.write(f"Types: deb\nURIs: {mirror}/debian\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
                     f"Signed-By: {keyring}\n\nTypes: deb\nURIs: {mirror}/debian-security\n"
                     f"Suites: {SUITE}-security\nComponents: main\nSigned-By: {keyring}\n")
    with Chroot(root) as chroot:
        chroot.run("apt-get update -qq && apt-get full-upgrade -yqq")


def release_dates(root: str) -> dict:
    """``{pocket: "Version@date"}`` of the Release files apt fetched into ``root``."""
    lists = os.path.join(root, "var/lib/apt/lists")
    dates = {}
    for name in sorted(os.listdir(lists)):
        if not name.endswith("_InRelease"):
            continue
        with open(os.path.join(lists, name), encoding="utf-8", errors="replace") as handle:
            fields = dict(line.split(": ", 1) for line in handle.read(4000).splitlines() if ": " in line)
        when = _dt.datetime.strptime(fields["Date"].strip(), "%a, %d %b %Y %H:%M:%S %Z")
        # deb.debian.org_debian_dists_bookworm-updates_InRelease -> bookworm-updates
        pocket = name.split("_dists_", 1)[1].rsplit("_InRelease", 1)[0]
        dates[pocket] = f"{fields.get('Version', '').strip() or pocket}@{when:%Y-%m-%d}"
    return dates


def tar_exclude(root: str) -> None:
    for pattern in _TAR_EXCLUDE:
        for path in glob.glob(os.path.join(root, pattern)):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    # debuerreotype-fixup empties the remaining logs, so a layer's dpkg.log holds only its own run
    for current, _dirs, names in os.walk(os.path.join(root, "var/log")):
        for name in names:
            os.truncate(os.path.join(current, name), 0)
    with open(os.path.join(root, "etc/resolv.conf"), "w"):
        pass


def slimify(root: str) -> None:
    lines = ["# dpkg path-exclude rules of debuerreotype's slim variant"]
    lines += [f"path-exclude {pattern}" for pattern in _SLIM_EXCLUDES]
    lines += [f"path-include {pattern}" for pattern in _SLIM_INCLUDES]
    with open(os.path.join(root, "etc/dpkg/dpkg.cfg.d/docker"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    for folder in _SLIM_DIRS:
        top = os.path.join(root, folder)
        for current, dirs, files in os.walk(top, topdown=False):
            for name in files:
                path = os.path.join(current, name)
                if not _SLIM_KEEP.match(os.path.relpath(path, root)):
                    os.remove(path)
            for name in dirs:
                path = os.path.join(current, name)
                if not os.path.islink(path) and not os.listdir(path):
                    os.rmdir(path)


def build_bases(work: str, mirror: str) -> dict:
    rootfs = debootstrap(work, mirror)
    full, slim = base_dir(work, False), base_dir(work, True)
    for path in (full, slim):
        if os.path.exists(path):
            shutil.rmtree(path)
    run("cp", "-a", rootfs, full)
    minimize(full, mirror)
    suites = release_dates(full)
    tar_exclude(full)
    run("cp", "-a", full, slim)
    slimify(slim)
    record = {"date": _today(), "mirror": mirror, "suites": suites,
              "bases": {name: measure_tree(path) for name, path in (("debian:bookworm", full),
                                                                  ("debian:bookworm-slim", slim))}}
    with open(os.path.join(work, "bases.json"), "w") as handle:
        json.dump(record, handle, indent=1)
    return record


def base_dir(work: str, slim: bool) -> str:
    return os.path.join(work, f"base-{SUITE}" + ("-slim" if slim else ""))


# -- one RUN step as a layer ---------------------------------------------------------------------

class Chroot:
    """A root with /proc, /dev and the host's resolv.conf mounted, for running commands in."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.mounted: list[str] = []

    def __enter__(self) -> Chroot:
        for kind, source, target, flags in (("proc", "proc", "proc", ()), (None, "/dev", "dev", ("--rbind",)),
                                            (None, "/etc/resolv.conf", "etc/resolv.conf", ("--bind",))):
            path = os.path.join(self.root, target)
            if target == "etc/resolv.conf" and not os.path.exists(path):
                open(path, "w").close()
            run("mount", *(("-t", kind) if kind else ()), *flags, source, path)
            self.mounted.append(path)
        return self

    def run(self, command: str, log=None) -> int:
        done = subprocess.run(["chroot", self.root, *CHROOT_ENV, "/bin/sh", "-c", command],
                              stdout=log, stderr=subprocess.STDOUT if log else None)
        return done.returncode

    def __exit__(self, *exc) -> None:
        for path in reversed(self.mounted):
            subprocess.run(["umount", "-R", "-l", path], check=False)


def measure_layer(lower: list[str], layer: str, command: str) -> dict:
    """Run ``command`` over an overlay of ``lower`` (top first); the new files go to ``layer``/upper."""
    upper, workdir, merged = (os.path.join(layer, name) for name in ("upper", "work", "merged"))
    if os.path.exists(layer):
        subprocess.run(["umount", "-R", "-l", merged], check=False, stderr=subprocess.DEVNULL)
        shutil.rmtree(layer)
    for path in (upper, workdir, merged):
        os.makedirs(path)
    run("mount", "-t", "overlay", "overlay", "-o",
        f"lowerdir={':'.join(lower)},upperdir={upper},workdir={workdir}", merged)
    started = time.monotonic()
    try:
        with open(os.path.join(layer, "log"), "w") as log, Chroot(merged) as chroot:
            status = chroot.run(command, log)
    finally:
        run("umount", merged)
    if status != 0:
        raise RuntimeError(f"exit {status}: {command} (see {layer}/log)")
    result = measure_tree(upper)
    result["seconds"] = round(time.monotonic() - started)
    return result


def measure_tree(path: str) -> dict:
    """Docker's two sizes of a directory tree: file bytes (hard links once) and tar.gz bytes."""
    seen, total, files = set(), 0, 0
    for current, dirs, names in os.walk(path):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(current, d))]:
            info = os.lstat(os.path.join(current, name))
            if info.st_nlink > 1:
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
            total += info.st_size
            files += 1
    return {"uncompressed": total, "compressed": gzip_tar_size(path), "files": files}


def gzip_tar_size(path: str) -> int:
    tar = subprocess.Popen(["tar", "--numeric-owner", "--xattrs", "-C", path, "-cf", "-", "."],
                           stdout=subprocess.PIPE)
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: a gzip stream
    size = 0
    for block in iter(lambda: tar.stdout.read(1 << 20), b""):
        size += len(packer.compress(block))
    size += len(packer.flush())
    if tar.wait() != 0:
        raise RuntimeError(f"tar failed on {path}")
    return size


# -- the ground-truth items ----------------------------------------------------------------------

def steps(dockerfile: str) -> tuple[bool, list[tuple[int, str]]]:
    """``(slim, [(line, command)…])`` of a harness item's Dockerfile."""
    slim, commands = None, []
    for number, line in enumerate(dockerfile.splitlines(), 1):
        keyword, _, rest = line.partition(" ")
        if keyword == "FROM":
            if rest.strip() not in (f"debian:{SUITE}", f"debian:{SUITE}-slim"):
                raise ValueError(f"the harness builds debian:{SUITE}[-slim] only, not {rest!r}")
            slim = rest.strip().endswith("-slim")
        elif keyword == "RUN":
            commands.append((number, rest))
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"line {number}: the harness replays FROM and single-line RUN only")
    if slim is None:
        raise ValueError("no FROM line")
    return slim, commands


def measure_item(item: dict, work: str) -> list[dict]:
    """Every RUN step of the item's Dockerfile, each stacked on the ones before it."""
    slim, commands = steps(item["dockerfile"])
    lower = [base_dir(work, slim)]
    layers = []
    for index, (line, command) in enumerate(commands):
        layer = os.path.join(work, "layers", f"{item['id']}-{index}")
        measured = measure_layer(lower, layer, command)
        print(f"  line {line}: {measured}", flush=True)
        lower.insert(0, os.path.join(layer, "upper"))
        layers.append({"line": line, "class": "apt", **measured})
    return layers


def measure_items(work: str, only: list[str], again: bool) -> None:
    with open(os.path.join(work, "bases.json")) as handle:
        bases = json.load(handle)
    with open(GROUND_TRUTH, encoding="utf-8") as handle:
        truth = json.load(handle)
    truth["harness"] = {**truth.get("harness", {}), **bases}  # keeps the published sizes beside them
    for item in truth["items"]:
        if item["source"].get("kind") != "harness" or (only and item["id"] not in only):
            continue
        if item.get("layers") and not again:
            continue
        print(f"{item['id']}", flush=True)
        item["layers"] = measure_item(item, work)
        item["source"] = {"kind": "harness", "date": _today(), "mirror": bases["mirror"], "suites": bases["suites"]}
        save(truth)
    save(truth)


def save(truth: dict) -> None:
    text = json.dumps(truth, indent=1, ensure_ascii=False) + "\n"
    temporary = GROUND_TRUTH + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, GROUND_TRUTH)


def _today() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--work", default="/tmp/size-harness", help="where the bases and layers are built")
    parser.add_argument("--mirror", default="http://deb.debian.org", help="Debian archive (with /debian and "
                                                                           "/debian-security below it)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("bases", help="debootstrap and build debian:bookworm and -slim")
    measure = sub.add_parser("measure", help="measure the harness items of ground_truth.json")
    measure.add_argument("ids", nargs="*", help="only these items")
    measure.add_argument("--all", action="store_true", help="measure again items that already have a truth")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("the harness needs root (chroot, mount)", file=sys.stderr)
        return 2
    os.makedirs(args.work, exist_ok=True)
    if args.command == "bases":
        record = build_bases(args.work, args.mirror.rstrip("/"))
        print(json.dumps(record, indent=1))
    else:
        measure_items(args.work, args.ids, args.all)
    return 0


if __name__ == "__main__":
    sys.exit(main())
