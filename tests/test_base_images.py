"""The base-image table: every entry is sourced and dated, lookups normalize references, unknown is None."""
from __future__ import annotations

import copy
import json
import os

import jsonschema
import pytest

from linter.cost import base_images
from linter.model.dockerfile import ImageRef
from linter.parsers.dockerfile import parse_image_reference
from linter.resources import data_dir

SCHEMA_PATH = os.path.join(data_dir("schemas"), "base-images.schema.json")


@pytest.fixture(scope="module")
def schema():
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def document():
    with open(base_images.DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_whole_file_validates(schema, document):
    errors = sorted(_validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_every_entry_validates_on_its_own(schema, document):
    entry_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/entry"}
    validator = _validator(entry_schema)
    for entry in document["entries"]:
        errors = list(validator.iter_errors(entry))
        assert not errors, (entry["image"], entry["tag"], errors[0].message)


@pytest.mark.parametrize("field", ["source", "date"])
def test_an_entry_without_source_or_date_is_rejected(schema, document, field):
    broken = copy.deepcopy(document)
    del broken["entries"][0][field]
    with pytest.raises(jsonschema.ValidationError, match=field):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_an_empty_source_or_a_malformed_date_is_rejected(schema, document):
    for field, value in (("source", ""), ("date", "Sept 2026"), ("date", "2026-13-01")):
        broken = copy.deepcopy(document)
        broken["entries"][0][field] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_at_least_sixty_entries(document):
    assert len(document["entries"]) >= 60


def test_entries_are_sorted_and_unique(document):
    keys = [(e["image"], e["tag"]) for e in document["entries"]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_no_tag_or_alias_names_two_entries(document):
    seen = {}
    for entry in document["entries"]:
        for tag in [entry["tag"], *entry["aliases"]]:
            ref = f"{entry['image']}:{tag}"
            assert ref not in seen, f"{ref} is claimed by {seen[ref]} and {entry['tag']}"
            seen[ref] = entry["tag"]


def test_sizes_are_plausible(document):
    for entry in document["entries"]:
        for platform, size in entry["sizes"].items():
            compressed, uncompressed = size["compressed"], size.get("uncompressed")
            if entry["image"] == "scratch":
                assert compressed == 0
                continue
            assert compressed > 500_000, (entry["tag"], platform)
            if uncompressed is not None:
                assert uncompressed > compressed, (entry["image"], entry["tag"])


def test_aliases_resolve_to_the_same_entry():
    short = base_images.lookup("python:3.12")
    assert short is not None
    assert base_images.lookup("docker.io/library/python:3.12") == short
    assert base_images.lookup("index.docker.io/library/python:3.12") == short
    assert base_images.lookup("library/python:3.12") == short
    assert base_images.lookup("python:3.12-trixie") == short
    assert base_images.lookup("python:3.12-trixie").match == "alias"
    assert short.match == "tag"


def test_an_image_ref_from_the_parser_resolves():
    text = "docker.io/library/python:3.12-slim-bookworm"
    ref = ImageRef(text, *parse_image_reference(text))
    found = base_images.lookup(ref)
    assert found is not None and found.ref == "python:3.12-slim-bookworm"
    assert found.distro["codename"] == "bookworm"
    assert found.package_manager == "apt"


def test_a_missing_tag_means_latest():
    assert base_images.lookup("ubuntu") == base_images.lookup("ubuntu:latest")
    assert base_images.lookup("ubuntu").distro["release"] == "26.04"
    assert base_images.lookup("alpine") == base_images.lookup("alpine:3.24")


def test_codenames_and_numbers_are_aliases():
    assert base_images.lookup("debian:12") == base_images.lookup("debian:bookworm")
    assert base_images.lookup("debian:13-slim") == base_images.lookup("debian:trixie-slim")
    assert base_images.lookup("ubuntu:noble") == base_images.lookup("ubuntu:24.04")
    assert base_images.lookup("ubuntu:jammy") == base_images.lookup("ubuntu:22.04")


def test_digests():
    entry = base_images.lookup("debian:bookworm")
    pinned = base_images.lookup(f"debian:bookworm@{entry.digest}")
    assert pinned == entry and pinned.match == "digest"
    assert base_images.lookup(f"debian@{entry.digest}") == entry
    other = "sha256:" + "0" * 64
    # an unknown digest with a tag falls back to the tag; a digest alone names nothing known
    assert base_images.lookup(f"debian:bookworm@{other}") == entry
    assert base_images.lookup(f"debian@{other}") is None


def test_a_patch_version_falls_back_to_its_minor_series():
    found = base_images.lookup("python:3.12.3-slim")
    assert found is not None and found.ref == "python:3.12-slim" and found.match == "minor-version"


@pytest.mark.parametrize("ref", [
    "myorg/app:1.0", "python:2.7", "python:3.12-windowsservercore", "gcr.io/distroless/static-debian12",
    "ghcr.io/library/python:3.12", "registry.example.com:5000/python:3.12", "", "${BASE_IMAGE}", "builder",
])
def test_unknown_images_are_none_not_zero(ref):
    assert base_images.lookup(ref) is None


def test_a_reference_to_an_earlier_stage_is_not_a_base_image():
    ref = ImageRef("builder", None, "builder", None, None, stage=0)
    assert base_images.lookup(ref) is None


def test_scratch_is_known_and_empty():
    scratch = base_images.lookup("scratch")
    assert scratch is not None
    assert scratch.compressed() == 0 and scratch.uncompressed() == 0


def test_unknown_sizes_stay_none():
    entry = base_images.lookup("redis:latest")
    assert entry.compressed() > 0
    assert entry.uncompressed() is None
    assert entry.compressed("linux/s390x") is None


def test_platform_names_are_normalized():
    entry = base_images.lookup("debian:bookworm")
    assert entry.compressed("linux/arm64/v8") == entry.compressed("arm64") == entry.compressed("linux/aarch64")
    assert entry.compressed("linux/arm64") != entry.compressed("linux/amd64")


def test_the_data_file_sits_inside_the_package():
    package_dir = os.path.dirname(os.path.abspath(base_images.__file__))
    assert os.path.commonpath([package_dir, base_images.DATA_FILE]) == package_dir
