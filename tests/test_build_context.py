"""COPY/ADD sizes measured from a build context on disk, honouring its ignore file."""
from __future__ import annotations

import io
import os
import tarfile

import pytest

from linter.cost import context as context_module
from linter.cost.context import BuildContext, find_dockerignore, load_context
from linter.parsers.dockerignore import parse_dockerignore


def write(root, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)


def with_ignore(root, patterns: str) -> BuildContext:
    return BuildContext(str(root), parse_dockerignore(patterns, str(root / ".dockerignore")))


@pytest.fixture
def project(tmp_path):
    write(tmp_path, {
        "app.py": "a" * 100,
        "requirements.txt": "flask==3.0.0\n",  # 13 bytes
        ".env": "SECRET=1\n",  # 9 bytes
        "src/main.py": "m" * 40,
        "src/util/helpers.py": "h" * 60,
        "src/notes.txt": "n" * 7,
        "node_modules/pkg/index.js": "j" * 500,
        "logs/app.log": "l" * 30,
        "logs/deep/old.log": "o" * 20,
    })
    return tmp_path


# -- what counts -------------------------------------------------------------------------------

def test_whole_context_without_ignore_file_is_the_sum_of_file_contents(project):
    estimate = BuildContext(str(project), None).measure(["."])
    assert estimate == (100 + 13 + 9 + 40 + 60 + 7 + 500 + 30 + 20, "high", (), 0)


def test_ignore_file_ordering_and_reinclude(project):
    context = with_ignore(project, "node_modules\nlogs\n!logs/app.log\n.env\n")
    assert context.measure(["."]).size == 100 + 13 + 40 + 60 + 7 + 30


def test_include_only_ignore_file(project):
    context = with_ignore(project, "*\n!src\n!requirements.txt\n")
    assert context.measure(["."]).size == 13 + 40 + 60 + 7


def test_double_star_pattern_excludes_at_every_depth(project):
    context = with_ignore(project, "**/*.log\n**/*.txt\n")
    assert context.measure(["."]).size == 100 + 9 + 40 + 60 + 500


def test_ignore_file_and_dockerfile_are_copied_unless_they_match(tmp_path):
    write(tmp_path, {"Dockerfile": "FROM scratch\n", "a.txt": "abc"})
    (tmp_path / ".dockerignore").write_text("*.md\n")
    assert load_context(str(tmp_path), None).measure(["."]).size == 13 + 3 + 5
    (tmp_path / ".dockerignore").write_text("Dockerfile\n.dockerignore\n")
    assert load_context(str(tmp_path), None).measure(["."]).size == 3


def test_symbolic_link_counts_as_its_target_path_and_hard_link_once(tmp_path):
    write(tmp_path, {"data/big.bin": b"\0" * 1000})
    os.symlink("data/big.bin", tmp_path / "link")  # 12 bytes of target
    os.link(tmp_path / "data/big.bin", tmp_path / "data/again.bin")
    assert BuildContext(str(tmp_path), None).measure(["."]).size == 1000 + 12


def test_named_symbolic_link_source_is_followed_inside_the_context(tmp_path):
    write(tmp_path, {"real/a.txt": "12345", "real/b.txt": "678"})
    os.symlink("/real", tmp_path / "absolute")  # resolved from the context root, not the host's
    os.symlink("real", tmp_path / "relative")
    context = BuildContext(str(tmp_path), None)
    assert context.measure(["absolute"]).size == 8
    assert context.measure(["relative"]).size == 8


# -- sources -------------------------------------------------------------------------------------

def test_wildcard_sources_expand_like_go_filepath_match(project):
    context = BuildContext(str(project), None)
    assert context.measure(["*.py"]).size == 100
    assert context.measure(["src/*.py"]).size == 40
    assert context.measure(["*/*.py"]).size == 40
    assert context.measure(["src/*"]).size == 40 + 60 + 7
    assert context.measure([".e?v"]).size == 9  # a wildcard matches a leading dot
    assert context.measure(["requirements.tx[st]"]).size == 13


def test_wildcard_sources_skip_excluded_paths(project):
    context = with_ignore(project, "src/notes.txt\n")
    assert context.measure(["src/*"]).size == 40 + 60


def test_wildcard_matching_nothing_copies_nothing(project):
    estimate = BuildContext(str(project), None).measure(["yarn.lock*"])
    assert estimate.size == 0
    assert estimate.notes == ("`yarn.lock*` matches nothing in the build context",)


def test_sources_cannot_leave_the_context(project):
    context = BuildContext(str(project / "src"), None)
    assert context.measure(["../main.py"]).size == 40
    assert context.measure(["/main.py"]).size == 40


def test_missing_source_is_unknown_never_zero(project):
    estimate = BuildContext(str(project), None).measure(["dist/app.whl"])
    assert estimate == (None, "unknown", ("`dist/app.whl` is not in the build context",), 1)


def test_missing_source_beside_present_ones_keeps_the_known_bytes(project):
    estimate = BuildContext(str(project), None).measure(["app.py", "missing.cfg", "src"])
    assert (estimate.size, estimate.confidence, estimate.unknown) == (100 + 40 + 60 + 7, "unknown", 1)
    assert estimate.notes == ("`missing.cfg` is not in the build context",)


def test_excluded_source_is_unknown_and_names_the_ignore_file(project):
    estimate = with_ignore(project, "node_modules\n").measure(["node_modules"])
    assert estimate == (None, "unknown", ("`node_modules` is excluded from the build context by .dockerignore",), 1)


def test_missing_context_folder_is_unknown(tmp_path):
    estimate = BuildContext(str(tmp_path / "nowhere"), None).measure(["."])
    assert (estimate.size, estimate.unknown) == (None, 1)


# -- walking safely ------------------------------------------------------------------------------

def test_symbolic_link_loops_do_not_hang(tmp_path):
    write(tmp_path, {"a/file.txt": "x" * 10})
    os.symlink(".", tmp_path / "loop")
    os.symlink("../a", tmp_path / "a/back")
    os.symlink("self", tmp_path / "self")
    context = BuildContext(str(tmp_path), None)
    assert context.measure(["."]) == (10 + 1 + 4 + 4, "high", (), 0)
    assert context.measure(["self"]).size is None


def test_walk_stops_at_its_entry_budget(tmp_path, monkeypatch):
    write(tmp_path, {f"f{i:02}": "x" * 10 for i in range(20)})
    monkeypatch.setattr(context_module, "MAX_ENTRIES", 5)
    estimate = BuildContext(str(tmp_path), None).measure(["."])
    assert (estimate.size, estimate.confidence) == (50, "low")
    assert "stopped after 5 entries" in estimate.notes[0]


# -- ADD of local archives ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "mode"), [("app.tar", "w"), ("app.tar.gz", "w:gz"), ("app.tgz", "w:gz"),
                                            ("app.tar.bz2", "w:bz2"), ("app.tar.xz", "w:xz")])
def test_archive_members_are_summed(tmp_path, name, mode):
    with tarfile.open(tmp_path / name, mode) as archive:
        for member_name, size in (("app/a.bin", 300), ("app/b.bin", 1200)):
            info = tarfile.TarInfo(member_name)
            info.size = size
            archive.addfile(info, io.BytesIO(b"\1" * size))
        directory = tarfile.TarInfo("app/empty")
        directory.type = tarfile.DIRTYPE
        archive.addfile(directory)
        link = tarfile.TarInfo("app/current")
        link.type, link.linkname = tarfile.SYMTYPE, "a.bin"
        archive.addfile(link)
        hard = tarfile.TarInfo("app/same.bin")
        hard.type, hard.linkname = tarfile.LNKTYPE, "app/a.bin"
        archive.addfile(hard)
    estimate = BuildContext(str(tmp_path), None).archive_size(name)
    assert estimate == (300 + 1200 + 5, "high", (), 0)


def test_file_that_is_not_an_archive_is_copied_as_is(tmp_path):
    write(tmp_path, {"fake.tar.gz": "not really an archive", "config.yaml": "a: 1\n"})
    context = BuildContext(str(tmp_path), None)
    assert context.archive_size("fake.tar.gz").size == 21
    assert context.archive_size("config.yaml").size == 5


def test_damaged_archive_counts_the_members_before_the_damage(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for index in range(4):
            info = tarfile.TarInfo(f"part{index}")
            info.size = 1000
            archive.addfile(info, io.BytesIO(b"\2" * 1000))
    # each member is a 512-byte header and 1024 bytes of padded data: cut inside the third's data
    write(tmp_path, {"parts.tar": buffer.getvalue()[:2 * 1536 + 512 + 300]})
    estimate = BuildContext(str(tmp_path), None).archive_size("parts.tar")
    assert (estimate.size, estimate.confidence) == (3000, "low")
    assert estimate.notes == ("`parts.tar` is a damaged archive: only the members before the damage are counted",)


def test_zstd_archive_is_unknown(tmp_path):
    write(tmp_path, {"app.tar.zst": b"\x28\xb5\x2f\xfd" + b"\0" * 40})
    estimate = BuildContext(str(tmp_path), None).archive_size("app.tar.zst")
    assert (estimate.confidence, estimate.unknown) == ("unknown", 1)
    assert "zstd" in estimate.notes[0]


def test_missing_archive_is_unknown(tmp_path):
    estimate = BuildContext(str(tmp_path), None).archive_size("vendor.tgz")
    assert estimate == (None, "unknown", ("`vendor.tgz` is not in the build context",), 1)


# -- reading small files ------------------------------------------------------------------------

def test_read_text(project):
    os.symlink("requirements.txt", project / "reqs")
    context = with_ignore(project, ".env\n")
    assert context.read_text("requirements.txt") == "flask==3.0.0\n"
    assert context.read_text("./reqs") == "flask==3.0.0\n"
    assert context.read_text(".env") is None
    assert context.read_text("src") is None
    assert context.read_text("package.json") is None
    assert context.read_text("app.py", max_bytes=99) is None
    assert context.excluded(".env") and not context.excluded("app.py")


# -- which ignore file ----------------------------------------------------------------------------

def test_dockerfile_specific_ignore_file_wins(tmp_path):
    write(tmp_path, {"Dockerfile": "FROM scratch\n", "docker/api.Dockerfile": "FROM scratch\n",
                     ".dockerignore": "*.txt\n", "docker/api.Dockerfile.dockerignore": "*.md\n",
                     "notes.txt": "tt", "README.md": "mmm"})
    root = str(tmp_path)
    api = str(tmp_path / "docker/api.Dockerfile")
    assert find_dockerignore(root, api) == api + ".dockerignore"
    assert find_dockerignore(root, str(tmp_path / "Dockerfile")) == str(tmp_path / ".dockerignore")
    assert find_dockerignore(root, None) == str(tmp_path / ".dockerignore")
    assert load_context(root, api).measure(["notes.txt", "README.md"]).size == 2
    assert load_context(root, None).measure(["notes.txt", "README.md"]).size == 3


def test_no_ignore_file(tmp_path):
    write(tmp_path, {"Dockerfile": "FROM scratch\n"})
    assert find_dockerignore(str(tmp_path), str(tmp_path / "Dockerfile")) is None
    assert load_context(str(tmp_path), None).ignore is None


def test_unreadable_ignore_file_lowers_confidence(tmp_path, monkeypatch):
    write(tmp_path, {"a.txt": "abcd", ".dockerignore": "a.txt\n"})

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(context_module, "open", refuse, raising=False)
    context = load_context(str(tmp_path), None)
    estimate = context.measure(["a.txt"])
    assert (estimate.size, estimate.confidence) == (4, "low")
    assert estimate.notes == (f"{tmp_path / '.dockerignore'} could not be read (Permission denied); "
                              "the whole context was counted",)
