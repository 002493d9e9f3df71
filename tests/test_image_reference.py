"""Docker's image reference grammar (the helper behind invalid-image-reference and
invalid-image-in-from), case by case, and what the two rules report around it."""
from __future__ import annotations

import pytest

from linter.checks._image_reference import problem
from tests.conftest import lint_with

SHA256 = "1f0a1e2fbb5e3c8bbd3c3d5a7c8e3e0d2b7f4a5c6d7e8f9a0b1c2d3e4f5a6b7c"


@pytest.mark.parametrize("reference", [
    "nginx",
    "python:3.12-slim",
    "localhost:5000/a/b:1",
    f"registry.example.com:443/team/app@sha256:{SHA256}",
    f"nginx@sha256:{SHA256}",
    f"nginx:1.27@sha256:{SHA256}",
    "nginx@sha384:" + "ab" * 48,
    "nginx@sha512:" + "ab" * 64,
    "[::1]:5000/app",
    "[2001:db8::1]/team/app:v2",
    "192.168.1.10:5000/app:latest",
    "a__b",
    "a.b-c",
    "a---b",
    "a_b/c.d/e--f",
    "app:_build",
    "app:V1.2-RC_3",
    "app:" + "x" * 128,
    "Registry.Example.COM/team/app",  # upper case is fine in the registry host
    "MyOrg/app:1.0",  # read as the registry host `MyOrg`
    "a_b.example/app",  # not a host name, so the whole is a path
    "example.com",  # one component: a Docker Hub name, not a registry
    "localhost:5000",  # the image `localhost` with the tag `5000`
    "index.docker.io/library/ubuntu:24.04",
    f"docker.io/{'0' * 64}",  # hex digits are a name once a registry is written
    "mcr.microsoft.com/windows/servercore:ltsc2022",
    "xn--n3h.example/app",
    "a/" * 127 + "a",  # 255 characters: the longest repository name
    "x" * 247,  # 255 with the `library/` Docker Hub adds
])
def test_references_docker_accepts(reference):
    assert problem(reference) is None


@pytest.mark.parametrize("reference, phrase", [
    ("", "the reference is empty"),
    ("nginx ", "the reference contains whitespace"),
    ("my app:1", "the reference contains whitespace"),
    ("https://ghcr.io/team/app", "an image reference has no URL scheme; drop `https://`"),
    ("0" * 64, "a 64-digit hex string is an image ID, which Docker does not take as a name"),
    (f"app@sha256:{SHA256}@sha256:{SHA256}", "the reference has more than one `@`"),
    (":1.0", "the repository name is missing"),
    (f"@sha256:{SHA256}", "the repository name is missing"),
    ("ghcr.io/", "the repository name after `ghcr.io/` is missing"),
    ("[::1]:5000", "the repository name after the registry is missing"),
    ("MyOrg/App:1.0", "the repository name `MyOrg/App` has upper-case letters, which Docker refuses"),
    ("Nginx", "the repository name `Nginx` has upper-case letters, which Docker refuses"),
    ("ghcr.io/Team/app", "the repository name `Team/app` has upper-case letters, which Docker refuses"),
    ("localhost/App", "the repository name `App` has upper-case letters, which Docker refuses"),
    ("/app", "the repository name `/app` starts with `/`"),
    ("team/app/", "the repository name `team/app/` ends with `/`"),
    ("a//b", "the repository name `a//b` has an empty component (`//`)"),
    ("-app", "the repository name `-app` starts with `-`"),
    ("app.", "the repository name `app.` ends with `.`"),
    ("team/_app", "the component `_app` of the repository name `team/_app` starts with `_`"),
    ("a..b", "the repository name `a..b` has `..` between letters or digits; "
             "only one `.`, one or two `_`, or dashes may stand there"),
    ("a___b", "the repository name `a___b` has `___` between letters or digits; "
              "only one `.`, one or two `_`, or dashes may stand there"),
    ("a.-b", "the repository name `a.-b` has `.-` between letters or digits; "
             "only one `.`, one or two `_`, or dashes may stand there"),
    ("team/app+web", "the component `app+web` of the repository name `team/app+web` contains `+`; "
                     "only letters, digits, `.`, `_` and `-` may appear"),
    ("café", "the repository name `café` contains `é`; only letters, digits, `.`, `_` and `-` may appear"),
    ("-registry.example/app", "the registry `-registry.example` is not a host name or IP address, "
                              "with an optional `:port`"),
    ("registry.example:https/app", "the registry `registry.example:https` is not a host name or IP address, "
                                   "with an optional `:port`"),
    ("[fe80::1%eth0]:5000/app", "the registry `[fe80::1%eth0]:5000` is not a host name or IP address, "
                                "with an optional `:port`"),
    ("a/" * 128 + "a", "the repository name is 257 characters long; Docker allows 255"),
    ("x" * 248, "the repository name is 256 characters long; Docker allows 255"),
    ("redis:alpine:v0.3.6", "the reference has more than one tag (`:alpine:v0.3.6`)"),
    ("nginx:", "the tag after `:` is empty"),
    ("app:" + "x" * 129, "the tag is 129 characters long; Docker allows 128"),
    ("app:-rc1", "the tag `-rc1` starts with `-`; a tag starts with a letter, a digit or `_`"),
    ("app:.1", "the tag `.1` starts with `.`; a tag starts with a letter, a digit or `_`"),
    ("app:1+build", "the tag `1+build` contains `+`; a tag holds only letters, digits, `_`, `.` and `-`"),
    ("app@", "the digest after `@` is empty"),
    ("app@sha256", "the digest `sha256` is not `algorithm:hex digits` (such as `sha256:` and 64 hex digits)"),
    ("app@md5:" + "0" * 32, "the digest algorithm `md5` is not one Docker accepts (sha256, sha384, sha512)"),
    (f"app@SHA256:{SHA256}", "the digest algorithm `SHA256` is not one Docker accepts (sha256, sha384, sha512)"),
    (f"app@sha256:{SHA256[:-1]}", "the sha256 digest has 63 hex digits instead of 64"),
    ("app@sha512:" + SHA256, "the sha512 digest has 64 hex digits instead of 128"),
    (f"app@sha256:{SHA256[:-1]}g", "the sha256 digest contains `g`, which is not a hex digit"),
    (f"app@sha256:{SHA256.upper()}", "the sha256 digest has upper-case hex digits, which Docker refuses"),
])
def test_references_docker_refuses_say_why(reference, phrase):
    assert problem(reference) == phrase


def test_a_very_long_reference_is_checked_in_linear_time():
    # Each part is matched on its own, so no pattern backtracks over the whole text.
    assert problem("a-" * 200_000) == f"the repository name `{'a-' * 200_000}` ends with `-`"


# -- invalid-image-reference (Compose and Kubernetes) ------------------------------------------

def _compose(image: str, extra: str = "") -> str:
    return f"services:\n  app:\n{extra}    image: {image}\n"


def test_a_deployed_image_is_reported_at_its_value_with_the_reason(catalog):
    findings = lint_with(catalog, _compose("MyOrg/App:1.0"), "invalid-image-reference", path="compose.yaml")
    assert [(f.code, f.severity, f.span.line, f.span.column, f.message) for f in findings] == [
        ("WL403", "error", 3, 12, "`MyOrg/App:1.0` is not a valid image reference: the repository name "
                                  "`MyOrg/App` has upper-case letters, which Docker refuses")]


def test_a_compose_image_that_names_a_build_is_checked(catalog):
    findings = lint_with(catalog, _compose("Web:dev", extra="    build: .\n"), "invalid-image-reference",
                         path="compose.yaml")
    assert [f.message for f in findings] == [
        "`Web:dev` is not a valid image reference: the repository name `Web` has upper-case letters, "
        "which Docker refuses"]


@pytest.mark.parametrize("image", ["${IMAGE}", "app:${TAG}", "${REGISTRY}/App:1", "''"])
def test_compose_images_left_to_variables_or_empty_are_skipped(catalog, image):
    assert lint_with(catalog, _compose(image), "invalid-image-reference", path="compose.yaml") == []


def test_a_compose_default_is_read_before_checking(catalog):
    findings = lint_with(catalog, _compose("nginx:${TAG:-}"), "invalid-image-reference", path="compose.yaml")
    assert [f.message for f in findings] == ["`nginx:` is not a valid image reference: the tag after `:` is empty"]


@pytest.mark.parametrize("image", ['"{{ .Values.image }}"', '"$(IMAGE)"', '""'])
def test_kubernetes_templates_and_empty_images_are_skipped(catalog, image):
    manifest = f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n" \
               f"      image: {image}\n"
    assert lint_with(catalog, manifest, "invalid-image-reference", path="pod.yaml") == []


# -- invalid-image-in-from (Dockerfiles) ------------------------------------------------------

def test_stage_names_in_any_case_are_not_images(catalog):
    dockerfile = ("FROM golang:1.23 AS Builder\nFROM BUILDER AS test\nFROM alpine:3.20\n"
                  "COPY --from=builder /out /out\nRUN --mount=from=Test,target=/t true\n")
    assert lint_with(catalog, dockerfile, "invalid-image-in-from") == []


def test_an_image_built_from_arg_defaults_is_reported_once_by_the_arg_rule(catalog):
    dockerfile = "ARG IMAGE=Alpine\nFROM ${IMAGE}\n"
    findings = lint_with(catalog, dockerfile, "invalid-image-in-from", "invalid-default-arg-in-from")
    assert [(f.name, f.span.line, f.span.column) for f in findings] == [("invalid-default-arg-in-from", 2, 6)]


def test_an_image_copied_from_is_reported_at_the_flag_value(catalog):
    dockerfile = "FROM alpine:3.20\nCOPY --from=Busybox:1.36 /bin/busybox /bin/\n"
    findings = lint_with(catalog, dockerfile, "invalid-image-in-from")
    assert [(f.span.line, f.span.column, f.message) for f in findings] == [
        (2, 13, "`Busybox:1.36` is not a valid image reference: the repository name `Busybox` has upper-case "
                "letters, which Docker refuses")]


def test_an_invalid_reference_is_not_also_reported_as_unpinned(catalog):
    findings = lint_with(catalog, _compose('"nginx:"'), "invalid-image-reference", "image-unpinned",
                         path="compose.yaml")
    assert [finding.name for finding in findings] == ["invalid-image-reference"]
    findings = lint_with(catalog, "FROM nginx:\n", "invalid-image-in-from", "base-image-unpinned")
    assert [finding.name for finding in findings] == ["invalid-image-in-from"]
