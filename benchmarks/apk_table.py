"""Write linter/cost/data/apk-packages.tsv, the curated Alpine table behind the apk model.

Alpine's package index (APKINDEX) cannot be fetched from the machines dlint is developed on, so
this table is curated, not downloaded, and says so in its header:

- Installed sizes come from docker-library/repo-info, which lists every apk package of the
  official Alpine-based images with its installed size (`repos/<image>/local/<tag>.md`). The
  files read, all Alpine 3.24 amd64, are in SOURCES; each row names its source.
- Packages that those images do not hold get an estimate: the Installed-Size of their Debian
  bookworm counterparts (linter.cost.apt's table) times a factor measured on the packages that
  have both numbers. Libraries (``lib*``, ``*-libs``) and the rest get separate factors, since
  Alpine splits documentation and static files out of tools far more than out of libraries
  (size-cost.md §2.3). Alpine's ``npm`` bundles its dependencies, unlike Debian's, so its size
  is the unpacked size of the same npm release from the npm registry.
- Dependencies are written by hand from the packages' APKBUILDs as of Alpine 3.2x (runtime
  ``depends`` and the shared libraries they link). They are not machine-checked against apk.

    /tmp/venv/bin/python benchmarks/apk_table.py     # writes the table, prints the factors

Output rows (tab-separated): ``name installed_bytes source deps`` with ``source``
``repo-info:<key>`` (a key of the header's sources), ``debian:<pkg>+…*<factor>``, ``npm:<version>``
or ``meta`` (a package of dependencies only). Lines ``>apk-name<TAB>debian-name,…`` map names the
table lacks to their Debian counterparts for linter.cost.apk's fallback. The header line holds
``base=`` (what alpine:3.24 itself holds, never added by ``apk add``) and the two factors.
"""
from __future__ import annotations

import datetime as _dt
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.npm_table import REGISTRY, fetch, tarball_facts  # noqa: E402
from linter.cost import apt  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "linter", "cost", "data",
                   "apk-packages.tsv")
RELEASE = "3.24"
REPO_INFO = "https://github.com/docker-library/repo-info/blob/{}/repos/{}"
SOURCES = {
    "python": ("0212f5911e32998c4e385c115689aa1c9125c10d", "python/local/3.12.14-alpine3.24.md"),
    "docker": ("77a21a5aa82845d28f1bc46ccc58b3249afd982e", "docker/local/29.8.1-alpine3.24.md"),
    "php": ("38abd8a1cd613c9e0b69450ec339161a28cb31b6", "php/local/8-fpm-alpine3.24.md"),
    "rust": ("5b74ed561717f681cee2dce1118b22193ee72b37", "rust/local/1.98.1-alpine3.24.md"),
    "nginx": ("960800e6d41ab481165edcacbba83fc9384fb3d4", "nginx/local/1.31.6-alpine3.24-perl.md"),
    "postgres": ("7ba5f5d08e55f4c39c366ea5233a8d2dbccc4bf0", "postgres/local/17.11-alpine3.24.md"),
    "temurin": ("1a6319e52ddb755b93b557c3e6a0f137047335f7", "eclipse-temurin/local/21-jre-alpine-3.24.md"),
}
BASE = ("alpine-baselayout alpine-baselayout-data alpine-keys alpine-release apk-tools libapk busybox "
        "busybox-binsh ca-certificates-bundle libcrypto3 libssl3 musl musl-utils scanelf ssl_client zlib").split()

# name | installed size ("123" KiB, "45B" bytes) and source key, or "~" for an estimate, or "meta"
#      | Debian counterparts (installed sizes added up) | dependencies
PACKAGES = """
alpine-baselayout | 6552B python | - |
alpine-baselayout-data | 18 python | - |
alpine-keys | 12 python | - |
alpine-release | 343B python | - |
apk-tools | 112 python | - | libapk
libapk | 270 python | - |
busybox | 794 python | - |
busybox-binsh | 1B python | - | busybox
ca-certificates-bundle | 175 python | - |
libcrypto3 | 5095 docker | libssl3 |
libssl3 | 819 docker | - | libcrypto3
musl | 654 python | - |
musl-utils | 54 python | - | musl
scanelf | 65 python | - |
ssl_client | 14 python | - |
zlib | 105 python | zlib1g |
acl-libs | 33 php | libacl1 |
aom-libs | 8180 nginx | libaom3 |
argon2-libs | 41 php | libargon2-1 |
bash | 1344 postgres | bash | readline
binutils | 10240 rust | binutils-x86-64-linux-gnu,libbinutils,binutils-common | jansson zstd-libs
brotli-libs | 957 docker | libbrotli1 |
c-ares | 237 docker | libc-ares2 |
ca-certificates | 207 python | ca-certificates |
curl | 278 php | curl | libcurl
fontconfig | 518 nginx | libfontconfig1,fontconfig-config | freetype libexpat
freetype | 658 nginx | libfreetype6 | brotli-libs libbz2 libpng
gcc | 162816 rust | gcc-12,cpp-12,libgcc-12-dev | binutils gmp isl26 libatomic libgcc libgomp libstdc++ mpc1 mpfr4 zstd-libs
gdbm | 71 python | libgdbm6 |
geoip | 225 nginx | libgeoip1 |
gettext-envsubst | 45 nginx | - | libintl
git | 6867 docker | git | git-init-template libcurl libexpat pcre2
git-init-template | 21 docker | - |
gmp | 413 rust | libgmp10 |
gnu-libiconv-libs | 1063 php | - |
icu-data-full | 31744 postgres | - |
icu-libs | 4739 postgres | - | libgcc libstdc++
iptables | 1884 docker | iptables | libmnl libnftnl libxtables
iptables-legacy | 72 docker | - | iptables libip4tc libip6tc
isl26 | 2174 rust | libisl23 | gmp
jansson | 85 rust | libjansson4 |
keyutils-libs | 17 python | libkeyutils1 |
krb5-conf | 450B python | - |
krb5-libs | 1747 python | libkrb5-3,libk5crypto3,libgssapi-krb5-2,libkrb5support0 | keyutils-libs krb5-conf libcom_err libverto
libatomic | 29 rust | libatomic1 |
libavif | 245 nginx | libavif15 | aom-libs libdav1d libyuv
libbsd | 62 docker | libbsd0 | libmd
libbz2 | 76 python | libbz2-1.0 |
libcom_err | 17 python | libcom-err2 |
libcurl | 725 docker | libcurl4 | brotli-libs c-ares libidn2 libpsl nghttp2-libs zstd-libs
libdav1d | 1709 nginx | libdav1d6 |
libedit | 173 docker | libedit2 | libncursesw
libexpat | 137 docker | libexpat1 |
libffi | 38 python | libffi8 |
libgcc | 169 php | libgcc-s1 |
libgd | 344 nginx | libgd3 | fontconfig freetype libavif libjpeg-turbo libpng libwebp libxpm tiff
libgomp | 330 rust | libgomp1 |
libice | 86 nginx | libice6 |
libidn2 | 193 docker | libidn2-0 | libunistring
libintl | 133 python | - |
libip4tc | 30 docker | libip4tc2 |
libip6tc | 30 docker | libip6tc2 |
libjpeg-turbo | 641 nginx | libjpeg62-turbo |
libldap | 365 postgres | libldap-2.5-0 | libsasl
libmd | 61 docker | libmd0 |
libmnl | 25 docker | libmnl0 |
libncursesw | 334 python | libncursesw6,libtinfo6 | ncurses-terminfo-base
libnftnl | 180 docker | libnftnl11 | libmnl
libnsl | 29 python | libnsl2 | libtirpc
libpanelw | 17 python | - | libncursesw
libpng | 181 nginx | libpng16-16 |
libpsl | 73 docker | libpsl5 | libidn2 libunistring
libsasl | 163 postgres | libsasl2-2,libsasl2-modules-db | gdbm
libsharpyuv | 25 nginx | - |
libsm | 33 nginx | libsm6 | libice libuuid
libsodium | 407 php | libsodium23 |
libstdc++ | 2738 rust | libstdc++6 | libgcc
libtirpc | 166 python | libtirpc3 | krb5-libs libtirpc-conf
libtirpc-conf | 1302B python | libtirpc-common |
libunistring | 1877 docker | libunistring2 |
libuuid | 29 python | libuuid1 |
libverto | 21 python | - |
libwebp | 545 nginx | libwebp7 | libsharpyuv
libx11 | 2271 nginx | libx11-6,libx11-data | libxcb
libxau | 13 nginx | libxau6 |
libxcb | 943 nginx | libxcb1 | libxau libxdmcp
libxdmcp | 25 nginx | libxdmcp6 | libbsd
libxext | 66 nginx | libxext6 | libx11
libxml2 | 1046 php | libxml2 | xz-libs
libxpm | 106 nginx | libxpm4 | libx11 libxext libxt
libxslt | 301 nginx | libxslt1.1 | libxml2
libxt | 347 nginx | libxt6 | libice libsm libx11
libxtables | 53 docker | libxtables12 |
libyuv | 1979 nginx | libyuv0 |
linux-pam | 830 docker | libpam0g,libpam-modules,libpam-modules-bin |
llvm21-libs | 174080 postgres | libllvm15 | libffi libstdc++ libxml2 zstd-libs
lz4-libs | 165 postgres | liblz4-1 |
mpc1 | 113 rust | libmpc3 | gmp mpfr4
mpfr4 | 661 rust | libmpfr6 | gmp
musl-dev | 9670 rust | libc6-dev | musl
ncurses-terminfo-base | 100 python | ncurses-base |
nghttp2-libs | 129 docker | libnghttp2-14 |
nss_wrapper | 54 postgres | libnss-wrapper |
oniguruma | 547 php | libonig5 |
openssh-client-common | 2226 docker | - | openssh-keygen
openssh-client-default | 722 docker | - | libedit openssh-client-common
openssh-keygen | 358 docker | - |
openssl | 801 php | openssl |
pcre2 | 779 docker | libpcre2-8-0 |
perl | 38912 nginx | perl,perl-base,perl-modules-5.36,libperl5.36 |
pigz | 158 docker | pigz |
readline | 292 python | libreadline8,readline-common | libncursesw
shadow-libs | 118 docker | - |
shadow-subids | 105 docker | - | linux-pam shadow-libs
skalibs-libs | 207 docker | - |
sqlite-libs | 1602 python | libsqlite3-0 |
tar | 399 php | tar | acl-libs
tiff | 453 nginx | libtiff6 | libjpeg-turbo libwebp xz-libs zstd-libs
tzdata | 441 nginx | tzdata |
utmps-libs | 17 docker | - | skalibs-libs
xz | 162 docker | xz-utils | xz-libs
xz-libs | 221 python | liblzma5 |
zstd | 279 postgres | zstd | lz4-libs xz-libs zstd-libs
zstd-libs | 697 docker | libzstd1 |
coreutils | 1125 temurin | coreutils | acl-libs coreutils-env coreutils-fmt coreutils-sha512sum libattr utmps-libs
coreutils-env | 38 temurin | - |
coreutils-fmt | 34 temurin | - |
coreutils-sha512sum | 34 temurin | - |
encodings | 631 temurin | - |
font-dejavu | 9990 temurin | fonts-dejavu-core,fonts-dejavu-extra | encodings fontconfig mkfontscale
gnupg | 0B temurin | - | gnupg-dirmngr gnupg-gpgconf gnupg-keyboxd gnupg-utils gnupg-wks-client gpg gpg-agent gpg-wks-server gpgsm gpgv pinentry
gnupg-dirmngr | 625 temurin | dirmngr | gnutls libassuan libksba libldap npth
gnupg-gpgconf | 233 temurin | gpgconf | libassuan
gnupg-keyboxd | 223 temurin | - | libgcrypt libksba sqlite-libs
gnupg-utils | 824 temurin | gnupg-utils | libassuan libgcrypt libksba
gnupg-wks-client | 167 temurin | - | libassuan
gnutls | 2012 temurin | libgnutls30 | brotli-libs gmp libidn2 libtasn1 libunistring nettle p11-kit zstd-libs
gpg | 925 temurin | gpg | libassuan libbz2 libgcrypt npth
gpg-agent | 634 temurin | gpg-agent | libassuan libgcrypt npth
gpg-wks-server | 150 temurin | - | libassuan
gpgsm | 477 temurin | gpgsm | libassuan libgcrypt libksba
gpgv | 428 temurin | gpgv | libbz2 libgcrypt
libassuan | 74 temurin | libassuan0 | libgpg-error
libattr | 21 temurin | libattr1 |
libfontenc | 25 temurin | libfontenc1 |
libgcrypt | 1510 temurin | libgcrypt20 | libgpg-error
libgpg-error | 180 temurin | libgpg-error0 |
libksba | 205 temurin | libksba8 | libgpg-error
libtasn1 | 65 temurin | libtasn1-6 |
mkfontscale | 34 temurin | - | freetype libfontenc
musl-locales | 150 temurin | - | musl-locales-lang
musl-locales-lang | 36 temurin | - |
nettle | 583 temurin | libnettle8,libhogweed6 | gmp
npth | 17 temurin | libnpth0 |
p11-kit | 1549 temurin | libp11-kit0 | libffi libtasn1
p11-kit-trust | 397 temurin | p11-kit-modules | p11-kit
pinentry | 66 temurin | pinentry-curses | libassuan libncursesw
openssh-client | meta | - | openssh-client-default
build-base | meta | - | binutils file g++ gcc libc-dev make patch
libc-dev | meta | - | musl-dev
g++ | ~ | g++-12,libstdc++-12-dev | gcc libstdc++ musl-dev
make | ~ | make |
file | ~ | file,libmagic1,libmagic-mgc |
patch | ~ | patch |
python3 | ~ | python3.11,python3.11-minimal,libpython3.11-stdlib,libpython3.11-minimal | gdbm libbz2 libexpat libffi libncursesw libpanelw readline sqlite-libs xz-libs
py3-pip | ~ | python3-pip | python3
nodejs | ~ | nodejs,libnode108 | brotli-libs c-ares ca-certificates icu-libs libgcc libstdc++ nghttp2-libs
npm | npm | - | nodejs
jq | ~ | jq,libjq1 | oniguruma
wget | ~ | wget | libidn2 libunistring pcre2
grep | ~ | grep | pcre2
sed | ~ | sed |
findutils | ~ | findutils |
unzip | ~ | unzip |
zip | ~ | zip |
less | ~ | less | libncursesw
nano | ~ | nano | libncursesw
vim | ~ | vim,vim-runtime,vim-common | libncursesw
sudo | ~ | sudo | linux-pam
shadow | ~ | passwd | linux-pam shadow-libs
tini | ~ | tini |
procps-ng | ~ | procps,libproc2-0 | libncursesw
gettext | ~ | gettext,gettext-base | libintl libxml2 libncursesw
rsync | ~ | rsync | acl-libs lz4-libs popt xxhash zstd-libs
popt | ~ | libpopt0 |
xxhash | ~ | libxxhash0 |
openssh-server | ~ | openssh-server,openssh-sftp-server | openssh-keygen linux-pam
postgresql-client | ~ | postgresql-client-15,libpq5 | libldap lz4-libs readline zstd-libs
"""

# apk names the table does not hold, and their Debian counterparts (for the runtime fallback)
DEBIAN_NAMES = {
    "postgresql-dev": "libpq-dev", "libpq-dev": "libpq-dev", "mariadb-dev": "libmariadb-dev",
    "mariadb-client": "mariadb-client", "mysql-client": "mariadb-client", "openssl-dev": "libssl-dev",
    "zlib-dev": "zlib1g-dev", "jpeg-dev": "libjpeg-dev", "libjpeg-turbo-dev": "libjpeg-dev",
    "linux-headers": "linux-libc-dev", "bind-tools": "bind9-dnsutils", "font-noto": "fonts-noto-core",
    "ttf-dejavu": "fonts-dejavu-core", "font-dejavu": "fonts-dejavu-core", "ttf-freefont": "fonts-freefont-ttf",
    "aws-cli": "awscli", "go": "golang-go", "rust": "rustc", "icu-dev": "libicu-dev", "yaml-dev": "libyaml-dev",
    "freetype-dev": "libfreetype-dev", "libxslt-dev": "libxslt1-dev", "python3-dev": "python3-dev",
    "openjdk17-jre-headless": "openjdk-17-jre-headless", "openjdk17-jre": "openjdk-17-jre",
    "openjdk17": "openjdk-17-jdk", "openjdk17-jdk": "openjdk-17-jdk", "procps": "procps",
    "netcat-openbsd": "netcat-openbsd", "iproute2": "iproute2", "git-lfs": "git-lfs", "openjdk11-jre": "openjdk-11-jre",
}


def _size(field: str) -> int:
    return int(field[:-1]) if field.endswith("B") else int(field) * 1024


def parse() -> list:
    rows = []
    for line in PACKAGES.strip().splitlines():
        name, size, debian, deps = (part.strip() for part in line.split("|"))
        rows.append((name, size, [] if debian == "-" else debian.split(","), deps.split()))
    return rows


def debian_kib(table, names: list) -> int | None:
    sizes = [table.get(name) for name in names]
    return None if not sizes or None in sizes else sum(p.installed_kib for p in sizes)


def is_library(name: str) -> bool:
    return name.startswith("lib") or name.endswith("-libs")


def factors(rows: list, table) -> dict:
    """Median Alpine/Debian installed-size ratio, for libraries and for the rest."""
    ratios = {True: [], False: []}
    for name, size, debian, _ in rows:
        if size[0].isdigit() and debian:
            ratios[is_library(name)].append(_size(size.split()[0]) / (debian_kib(table, debian) * 1024))
    for kind, values in ratios.items():
        print(f"{'libraries' if kind else 'others'}: {len(values)} pairs, median {statistics.median(values):.2f}, "
              f"range {min(values):.2f}-{max(values):.2f}", file=sys.stderr)
    return {kind: round(statistics.median(values), 2) for kind, values in ratios.items()}


def npm_release() -> tuple[str, int]:
    import json

    document = json.loads(fetch(REGISTRY + "npm/latest"))
    return document["version"], tarball_facts(document["dist"]["tarball"])[0]


def main() -> None:
    table = apt.load_table("bookworm")
    rows = parse()
    factor = factors(rows, table)
    names = {row[0] for row in rows}
    lines = []
    for name, size, debian, deps in rows:
        missing = [dep for dep in deps if dep not in names]
        if missing:
            raise SystemExit(f"{name}: dependencies not in the table: {missing}")
        if size == "meta":
            installed, source = 0, "meta"
        elif size == "npm":
            version, installed = npm_release()
            source = f"npm:{version}"
        elif size == "~":
            kib = debian_kib(table, debian)
            if kib is None:
                raise SystemExit(f"{name}: no Debian size for {debian}")
            installed = round(kib * 1024 * factor[is_library(name)])
            source = f"debian:{'+'.join(debian)}*{factor[is_library(name)]}"
        else:
            value, key = size.split()
            installed, source = _size(value), f"repo-info:{key}"
        lines.append("\t".join([name, str(installed), source, ",".join(deps)]))
    date = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")
    sources = ",".join(f"{key}={REPO_INFO.format(*where)}" for key, where in SOURCES.items())
    header = ["#dlint-apk-table 1", f"date={date}", f"release={RELEASE}", "arch=x86_64",
              "curated=sizes from docker-library/repo-info image package lists, else Debian bookworm times a "
              "factor; dependencies written by hand; Alpine's index was not reachable",
              f"sources={sources}", f"base={','.join(BASE)}",
              f"factor_libraries={factor[True]}", f"factor_others={factor[False]}", f"packages={len(rows)}"]
    mapping = [f">{apk}\t{debian}" for apk, debian in sorted(DEBIAN_NAMES.items())]
    text = "\n".join(["\t".join(header), "#name\tinstalled_bytes\tsource\tdeps", *lines, *mapping]) + "\n"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT}: {len(rows)} packages, {len(text)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
