"""Size models for pip, npm, apk, opaque downloads and language toolchains."""
from __future__ import annotations

import json
import lzma
import os
import re
import statistics
import subprocess
import sys

import pytest

from linter.cost import apk, apt, downloads, npm, pip


def pip_size(names, compile_pyc=True):
    return sum(pip.lookup(name).installed_bytes(compile_pyc) for name in names)


def closure_names(*requirements, python=(3, 12)):
    found, unknown = pip.closure([pip.Requirement(r) for r in requirements], python)
    return {d.name for d in found}, unknown


# --- pip -------------------------------------------------------------------------------------

FLASK = {"flask", "blinker", "click", "itsdangerous", "jinja2", "markupsafe", "werkzeug"}


def test_flask_pulls_its_dependencies_and_the_total_is_the_sum_of_the_rows():
    assert closure_names("flask") == (FLASK, [])
    estimate = pip.pip_install(["flask"], "3.12", cache_kept=False)
    assert estimate.size == pip_size(FLASK)
    assert estimate.confidence == "medium" and estimate.unknown == 0
    assert any(note.startswith("pip: 7 distributions") for note in estimate.notes)


def test_installed_size_is_the_unpacked_wheel_plus_the_byte_code():
    flask = pip.lookup("Flask")
    assert flask.installed_bytes() == flask.unpacked_bytes + round(pip.PYC_FACTOR * flask.py_bytes)
    with_pyc = pip.pip_install(["flask"], "3.12", cache_kept=False)
    without = pip.pip_install(["flask"], "3.12", cache_kept=False, compile_pyc=False)
    assert with_pyc.size - without.size == sum(round(pip.PYC_FACTOR * pip.lookup(n).py_bytes) for n in FLASK)
    assert "pip: --no-compile, no .pyc counted" in without.notes


def test_a_kept_pip_cache_adds_the_downloaded_files():
    kept = pip.pip_install(["flask"], "3.12", cache_kept=True)
    dropped = pip.pip_install(["flask"], "3.12", cache_kept=False)
    wheels = sum(pip.lookup(name).file_bytes for name in FLASK)
    assert kept.size - dropped.size == wheels
    assert f"pip cache kept: +{wheels / 1e6:.1f} MB" in kept.notes


def test_markers_select_dependencies_for_the_target_python():
    backport = closure_names("importlib-metadata", python=(3, 9))[0]
    assert "zipp" in backport
    assert closure_names("flask", python=(3, 9))[0] == FLASK | backport
    assert "importlib-metadata" not in closure_names("flask", python=(3, 13))[0]


def test_extras_bring_their_dependencies():
    plain = closure_names("uvicorn")[0]
    standard = closure_names("uvicorn[standard]")[0]
    assert {"uvloop", "httptools", "watchfiles", "websockets"} <= standard - plain
    assert "uvloop" not in plain


def test_unknown_packages_are_unknown_never_zero():
    estimate = pip.pip_install(["flask", "no-such-project-dlint"], "3.12", cache_kept=False)
    assert estimate.unknown == 1 and estimate.confidence == "unknown"
    assert estimate.size == pip_size(FLASK)
    assert "pip: no-such-project-dlint is not in the PyPI table" in estimate.notes
    alone = pip.pip_install(["no-such-project-dlint"], "3.12", cache_kept=True)
    assert alone.size is None and alone.unknown == 1


def test_paths_and_urls_are_unknown():
    estimate = pip.pip_install([".", "git+https://example.org/x.git", "dist/app-1.0-py3-none-any.whl",
                                "pkg @ https://example.org/pkg.tar.gz"], "3.12", cache_kept=False)
    assert estimate.size is None and estimate.unknown == 4


def test_options_markers_pins_and_already_installed_projects():
    estimate = pip.pip_install(["--upgrade", "flask==2.0.1", 'pywin32; sys_platform == "win32"'], "3.12",
                               cache_kept=False, installed=["Jinja2", "MarkupSafe"])
    assert estimate.size == pip_size(FLASK - {"jinja2", "markupsafe"})
    assert f"pip: flask==2.0.1 sized as {pip.lookup('flask').version}" in estimate.notes
    assert "pip: pywin32 skipped, its marker excludes Python 3.12" in estimate.notes


def test_an_unknown_python_version_is_said():
    estimate = pip.pip_install(["flask"], None, cache_kept=False)
    assert estimate.notes[0] == "pip: Python version unknown, markers read for 3.12"


# size-cost.md §2.4: CPython 3.11, default `pip install`, growth of site-packages (MB)
MEASURED_PIP = {"requests": 3.30, "flask": 5.16, "django": 42.5, "fastapi uvicorn": 17.5, "pydantic": 10.4,
                "sqlalchemy": 29.0, "numpy": 72.1, "pandas": 155.6, "scipy": 215.9, "scikit-learn": 273.2,
                "matplotlib": 171.1, "boto3": 31.4, "psycopg2-binary": 11.9, "pillow": 21.9,
                "cryptography": 17.6, "grpcio": 19.6}


def test_totals_agree_with_the_measured_installs():
    errors = []
    for requirements, measured in MEASURED_PIP.items():
        estimate = pip.pip_install(requirements.split(), "3.11", cache_kept=False)
        errors.append(estimate.size / 1e6 / measured - 1)
    assert statistics.median(abs(e) for e in errors) < 0.12
    assert max(abs(e) for e in errors) < 0.35


REQUIREMENTS = """\ufeff# production dependencies
-r base.txt
--requirement=extra.txt
-c constraints.txt
--index-url https://pypi.example.org/simple

Django>=4.2,<5 ; python_version >= "3.10"   # the web framework
requests==2.31.0 \\
    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f \\
    --hash=sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1
uvicorn[standard]
-e ./libs/shared
numpy
"""


def test_requirements_files_are_parsed_like_pip():
    assert pip.parse_requirements(REQUIREMENTS.replace("\n", "\r\n")) == [
        'Django>=4.2,<5 ; python_version >= "3.10"', "requests==2.31.0", "uvicorn[standard]",
        "./libs/shared", "numpy"]
    assert pip.requirement_files(REQUIREMENTS) == ["base.txt", "extra.txt"]


@pytest.mark.parametrize(("marker", "python", "expected"), [
    ('python_version < "3.8"', (3, 12), False),
    ("python_version >= '3.10' and sys_platform == 'linux'", (3, 12), True),
    ('platform_system == "Windows" or (python_version ~= "3.9" and os_name == "posix")', (3, 11), True),
    ('platform_machine in "x86_64 aarch64"', (3, 12), True),
    ('implementation_name == "pypy"', (3, 12), False),
    ('python_version <', (3, 12), None),
    ('unknown_variable == "1"', (3, 12), None),
])
def test_environment_markers(marker, python, expected):
    assert pip.marker_matches(marker, python) is expected


# --- npm -------------------------------------------------------------------------------------

def npm_row(name):
    return npm.load_table()["rows"][name]


def lock_v3(packages):
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                       "packages": {"": {"name": "app", "dependencies": {"express": "^5"}}, **packages}})


def entry(name, **fields):
    return {"version": npm_row(name)[0], **fields}


@pytest.fixture(scope="module")
def lock():
    """A lockfileVersion 3 file: production, dev, platform, bundled and workspace entries."""
    return lock_v3({
        "node_modules/debug": entry("debug"),
        "node_modules/ms": entry("ms"),
        "node_modules/typescript": entry("typescript", dev=True),
        "node_modules/@esbuild/linux-x64": entry("@esbuild/linux-x64", optional=True, os=["linux"], cpu=["x64"]),
        "node_modules/@esbuild/darwin-arm64": {"version": "0.25.0", "optional": True, "os": ["darwin"],
                                               "cpu": ["arm64"]},
        "node_modules/left-pad-musl": {"version": "1.0.0", "optional": True, "os": ["linux"], "libc": ["musl"]},
        "node_modules/debug/node_modules/ms": {"version": "2.0.0", "inBundle": True},
        "packages/shared": {"version": "1.0.0"},
        "node_modules/shared": {"resolved": "packages/shared", "link": True},
    })


def unpacked(*names):
    return sum(int(npm_row(name)[1]) for name in names)


def test_production_skips_dev_packages_and_other_platforms(lock):
    production = npm.npm_install(lock, None, production=True, cache_kept=False)
    assert production.size == unpacked("debug", "ms", "@esbuild/linux-x64") + len(lock)
    assert production.confidence == "high" and production.unknown == 0
    everything = npm.npm_install(lock, None, production=False, cache_kept=False)
    assert everything.size - production.size == unpacked("typescript")


def test_platform_packages_follow_arch_and_libc(lock):
    arm = npm.npm_install(lock, None, production=True, cache_kept=False, arch="arm64")
    assert arm.size == unpacked("debug", "ms") + len(lock)
    musl = npm.npm_install(lock, None, production=True, cache_kept=False, libc="musl")
    mean = int(npm.load_table()["header"]["mean_unpacked"])
    assert musl.size == unpacked("debug", "ms", "@esbuild/linux-x64") + mean + len(lock)


def test_a_kept_npm_cache_adds_the_tarballs(lock):
    kept = npm.npm_install(lock, None, production=True, cache_kept=True)
    dropped = npm.npm_install(lock, None, production=True, cache_kept=False)
    tarballs = sum(int(npm_row(name)[2]) for name in ("debug", "ms", "@esbuild/linux-x64"))
    assert kept.size - dropped.size == tarballs
    assert f"npm cache kept: +{tarballs / 1e6:.1f} MB" in kept.notes


def test_lock_packages_the_table_lacks_are_sized_at_the_mean():
    lock = lock_v3({"node_modules/ms": entry("ms"), "node_modules/no-such-package-dlint": {"version": "1.0.0"}})
    estimate = npm.npm_install(lock, None, production=True, cache_kept=False)
    mean = int(npm.load_table()["header"]["mean_unpacked"])
    assert estimate.size == unpacked("ms") + mean + len(lock)
    assert estimate.confidence == "low"  # the mean is most of these bytes
    assert any(note.startswith("npm: 1 packages not in the table") for note in estimate.notes)


def test_lockfile_version_1():
    lock = json.dumps({"lockfileVersion": 1, "dependencies": {
        "debug": {"version": npm_row("debug")[0], "requires": {"ms": "^2"},
                  "dependencies": {"ms": {"version": "2.0.0"}}},
        "ms": {"version": npm_row("ms")[0]},
        "typescript": {"version": npm_row("typescript")[0], "dev": True},
        "fsevents": {"version": "2.3.3", "optional": True, "bundled": True},
    }})
    assert [p.name for p in npm.parse_lock(lock)] == ["debug", "ms", "typescript", "ms"]
    estimate = npm.npm_install(lock, None, production=True, cache_kept=False)
    assert estimate.size == unpacked("debug", "ms", "ms") + len(lock)
    assert estimate.confidence == "medium"  # the nested ms is another version than the table's


def test_without_a_lock_the_table_closure_of_package_json():
    package_json = json.dumps({"dependencies": {"express": "^5.0.0"}, "devDependencies": {"typescript": "^5"}})
    estimate = npm.npm_install(None, package_json, production=True, cache_kept=False)
    assert estimate.confidence == "low"
    express_alone = npm.npm_install(None, None, production=True, cache_kept=False, packages=["express@5"])
    assert estimate.size == express_alone.size > 68 * 10_000  # express has dozens of dependencies
    with_dev = npm.npm_install(None, package_json, production=False, cache_kept=False)
    typescript = npm.npm_install(None, None, production=False, cache_kept=False, packages=["typescript"])
    assert with_dev.size - estimate.size == typescript.size


def test_npm_unknowns():
    assert npm.npm_install(None, None, production=False, cache_kept=False).size is None
    missing = npm.npm_install(None, json.dumps({"dependencies": {"no-such-package-dlint": "1"}}), False, False)
    assert missing.size is None and missing.unknown == 1
    git = npm.npm_install(None, None, False, False, packages=["github:user/repo", "ms"])
    assert git.size == unpacked("ms") and "npm: github:user/repo is a path, URL or git spec, size unknown" in git.notes
    broken = npm.npm_install("{not json", json.dumps({"dependencies": {"ms": "2"}}), False, False)
    assert broken.size == unpacked("ms") and broken.notes[0].startswith("npm: lock file not read")
    with pytest.raises(ValueError):
        npm.parse_lock("[]")


# --- apk -------------------------------------------------------------------------------------

CURL = ["curl", "libcurl", "brotli-libs", "c-ares", "libidn2", "libunistring", "libpsl", "nghttp2-libs", "zstd-libs"]


def apk_bytes(names):
    rows = apk.load_table()["rows"]
    return sum(rows[name][0] for name in names) + apk.DB_BASE_BYTES + apk.DB_PACKAGE_BYTES * len(names)


def test_apk_closure_minus_the_base():
    estimate = apk.apk_add(["curl=8.22.0-r0"], "3.24", cache_kept=False)
    assert estimate.size == apk_bytes(CURL)
    assert estimate.confidence == "medium" and estimate.unknown == 0
    assert apk.apk_add(["zlib", "musl"], "3.24", cache_kept=False).size == 0


def test_apk_index_cache_counted_unless_no_cache():
    kept = apk.apk_add(["curl"], None, cache_kept=True)
    assert kept.size - apk.apk_add(["curl"], None, cache_kept=False).size == apk.INDEX_CACHE_BYTES
    assert "apk index cache kept: +2.0 MB" in kept.notes


def test_apk_other_release_is_said():
    assert "apk: sizes are Alpine 3.24's, not 3.20's" in apk.apk_add(["curl"], "3.20", False).notes


def test_estimated_alpine_rows_are_low_confidence():
    estimate = apk.apk_add(["py3-pip"], "3.24", cache_kept=False)
    assert estimate.confidence == "low"
    assert any("py3-pip" in note and "python3" in note for note in estimate.notes)


def test_apk_falls_back_to_debian_with_the_factor():
    estimate = apk.apk_add(["postgresql-dev"], "3.24", cache_kept=False)
    debian = apt.closure(["libpq-dev"], "bookworm", recommends=False, installed=apt.minbase("bookworm"))
    factor = float(apk.load_table()["header"]["factor_others"])
    expected = round(apt.installed_size_bytes(debian) * factor) + apk.DB_BASE_BYTES + apk.DB_PACKAGE_BYTES
    assert estimate.size == expected and estimate.confidence == "low"
    assert apk.debian_names("py3-requests") == ["python3-requests"]


def test_unknown_apk_packages_are_unknown():
    estimate = apk.apk_add(["curl", "no-such-apk-dlint"], "3.24", cache_kept=False)
    assert estimate.unknown == 1 and estimate.confidence == "unknown"
    assert "apk: no-such-apk-dlint is not a known package" in estimate.notes


# --- downloads and toolchains ----------------------------------------------------------------

def test_known_downloads_by_url_pattern():
    url = "https://go.dev/dl/go${GOLANG_VERSION}.linux-amd64.tar.gz"
    assert downloads.download(url, extracted=True).size == 232_650_000
    archive = downloads.download(url, extracted=False)
    assert archive.size == 67_290_000 and archive.confidence == "medium"
    node = downloads.download("https://nodejs.org/dist/v22.11.0/node-v22.11.0-linux-x64.tar.xz", True)
    assert node.size == 150_530_000


def test_unknown_downloads_are_unknown():
    estimate = downloads.download("https://example.org/tool.tar.gz", extracted=True)
    assert estimate.size is None and estimate.unknown == 1 and "example.org" in estimate.notes[0]


def test_toolchains_are_low_confidence_heuristics():
    rails = downloads.toolchain_install("gem", ["install", "rails", "-v", "7.1.0", "--no-document"])
    assert rails.size == downloads.MEAN_PACKAGE_BYTES["gem"] and rails.confidence == "low"
    assert "dependencies not counted" in rails.notes[0]
    tools = downloads.toolchain_install("cargo", ["install", "ripgrep", "fd-find"])
    assert tools.size == 2 * downloads.MEAN_PACKAGE_BYTES["cargo"]
    for tool, arguments in [("go", ["build", "./..."]), ("bundle", ["install"]), ("mvn", ["package"]),
                            ("./gradlew", ["build"]), ("composer", ["install"]), ("stack", ["build"])]:
        assert downloads.toolchain_install(tool, arguments).size is None


# --- the data files --------------------------------------------------------------------------

def header_fields(first_line):
    return dict(field.split("=", 1) for field in first_line.rstrip("\n").split("\t")[1:])


@pytest.mark.parametrize(("path", "fmt"), [(pip.DATA_FILE, pip.FORMAT), (npm.DATA_FILE, npm.FORMAT)])
def test_registry_tables_name_their_source_and_date(path, fmt):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        first = f.readline()
    fields = header_fields(first)
    assert first.startswith(fmt + "\t")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"]) and fields["source"].startswith("https://")
    assert os.path.getsize(path) < 400_000


def test_the_pypi_table_covers_the_most_downloaded_projects():
    rows = pip.load_table()["rows"]
    assert len(rows) >= 300
    for name in ("boto3", "requests", "numpy", "pandas", "django", "fastapi", "torch", "psycopg2-binary"):
        assert name in rows


def test_the_apk_table_says_it_is_curated():
    with open(apk.DATA_FILE, encoding="utf-8") as f:
        fields = header_fields(f.readline())
    assert "not reachable" in fields["curated"] and fields["release"] == "3.24"
    assert all(source.startswith("https://github.com/docker-library/repo-info/blob/")
               for source in re.findall(r"=(https://[^,]+)", fields["sources"]))
    rows = apk.load_table()["rows"]
    for name, (_, source, deps) in rows.items():
        assert source.split(":")[0] in ("repo-info", "debian", "npm", "meta"), name
        assert all(dep in rows for dep in deps), name


def test_every_download_entry_has_a_source_and_a_date():
    with open(downloads.DATA_FILE, encoding="utf-8") as f:
        entries = json.load(f)["entries"]
    for item in entries:
        assert item["source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["date"])
        assert item["confidence"] in ("medium", "low") and item["extracted_bytes"] >= item["archive_bytes"] > 0
        re.compile(item["pattern"])


def test_tables_load_lazily():
    code = ("import sys, linter.cost.pip as p, linter.cost.npm as n, linter.cost.apk as a, "
            "linter.cost.downloads as d; print('lzma' in sys.modules, p._table, n._table, a._table, d._entries)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "{}", "{}", "{}", "[]"]
