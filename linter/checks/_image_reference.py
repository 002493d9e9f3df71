"""Docker's image reference grammar, as ``docker pull``, ``docker build``, ``docker compose``
and the kubelet apply it (distribution/reference, ``ParseNormalizedNamed``)::

    reference      := name [":" tag] ["@" digest]
    name           := [domain "/"] path-component ["/" path-component]*
    domain         := host [":" port]         host: "[" IPv6 "]", or dot-separated labels
                                              of ASCII letters, digits and inner "-"
    path-component := [a-z0-9]+ (separator [a-z0-9]+)*       separator := [._] | __ | -+
    tag            := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
    digest         := algorithm ":" at least 32 hex digits

On top of the grammar: the first component is the registry only when it holds ``.`` or
``:``, is ``localhost`` or has an upper-case letter; otherwise the name is on Docker Hub,
where a one-component name gets ``library/``. The repository path (the name without the
registry) is lower case and at most 255 characters; 64 lower-case hex digits alone are an
image ID, not a name; a digest is sha256, sha384 or sha512 with exactly 64, 96 or 128
lower-case hex digits.

:func:`problem` decides acceptance by exactly those rules, and only for a refused reference
looks for the words to say why.
"""
from __future__ import annotations

import re

# Patterns are text, matched through re's cache: compiled when a reference is first checked,
# not at the start of every pre-commit run. Each matches one part of a split reference, so
# no pattern backtracks over a whole line.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*|\[[A-Fa-f0-9:]+\])(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"
_IMAGE_ID = r"[a-f0-9]{64}"

_DOCKER_HUB = "docker.io"
_REPOSITORY_PATH_LIMIT = 255
_TAG_LIMIT = 128
# Digest algorithms Docker can verify, and the number of hex digits of each.
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_SEPARATORS = "._-"
_HEX = frozenset("0123456789abcdefABCDEF")


def problem(text: str) -> str | None:
    """None when Docker accepts ``text`` as an image reference, else a short phrase saying
    what is wrong (``the tag after `:` is empty``)."""
    if _accepted(text):
        return None
    return _fault(text)


# -- acceptance ---------------------------------------------------------------------------------

def _accepted(text: str) -> bool:
    if not text or re.fullmatch(_IMAGE_ID, text):
        return False
    domain, remainder = _docker_split(text)
    remote = remainder.split(":", 1)[0]
    if remote != remote.lower():
        return False
    parts = _grammar_parts(f"{domain}/{remainder}")
    if parts is None:
        return False
    path, digest = parts
    return len(path) <= _REPOSITORY_PATH_LIMIT and (digest is None or _digest_fault(digest) is None)


def _docker_split(text: str) -> tuple[str, str]:
    """The registry and the rest, the way Docker reads a name written without one."""
    first, slash, rest = text.partition("/")
    if not slash:
        return _DOCKER_HUB, "library/" + text
    if first == "localhost" or "." in first or ":" in first or first != first.lower():
        domain, remainder = first, rest
    else:
        domain, remainder = _DOCKER_HUB, text
    if domain == "index.docker.io":
        domain = _DOCKER_HUB
    if domain == _DOCKER_HUB and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def _grammar_parts(text: str) -> tuple[str, str | None] | None:
    """The repository path and the digest of a reference matching the grammar, else None.

    Splitting first gives the grammar's answer because no part can hold another's delimiter:
    only the digest has ``@``; a tag has no ``/`` and a path no ``:``, so the tag is what
    follows the first ``:`` after the last ``/``; a domain has no ``/``."""
    main, at, digest = text.partition("@")
    if at and not re.fullmatch(_DIGEST, digest):
        return None
    name, colon, tag = _split_tag(main)
    if colon and not re.fullmatch(_TAG, tag):
        return None
    first, slash, rest = name.partition("/")
    if slash and re.fullmatch(_DOMAIN, first) and _is_path(rest):
        return rest, digest if at else None
    if _is_path(name):
        return name, digest if at else None
    return None


def _split_tag(main: str) -> tuple[str, str, str]:
    """``name``, ``":"`` and the tag (the text after the first ``:`` past the last ``/``)."""
    colon = main.find(":", main.rfind("/") + 1)
    if colon < 0:
        return main, "", ""
    return main[:colon], ":", main[colon + 1:]


def _is_path(path: str) -> bool:
    return all(re.fullmatch(_PATH_COMPONENT, component) for component in path.split("/"))


def _digest_fault(digest: str) -> str | None:
    """What Docker finds wrong with a digest once it matches the grammar, or None."""
    algorithm, colon, encoded = digest.partition(":")
    if not colon or not algorithm:
        return f"the digest `{digest}` is not `algorithm:hex digits` (such as `sha256:` and 64 hex digits)"
    expected = _DIGEST_LENGTHS.get(algorithm)
    if expected is None:
        return f"the digest algorithm `{algorithm}` is not one Docker accepts (sha256, sha384, sha512)"
    wrong = next((char for char in encoded if char not in _HEX), None)
    if wrong is not None:
        return f"the {algorithm} digest contains `{wrong}`, which is not a hex digit"
    if len(encoded) != expected:
        return f"the {algorithm} digest has {len(encoded)} hex digits instead of {expected}"
    if encoded != encoded.lower():
        return f"the {algorithm} digest has upper-case hex digits, which Docker refuses"
    return None


# -- diagnosis of a refused reference -----------------------------------------------------------

def _fault(text: str) -> str:
    """Words for the first fault found in a refused reference, from the whole down to its parts."""
    whole = _whole_fault(text)
    if whole is not None:
        return whole
    main, at, digest = text.partition("@")
    name, colon, tag = _split_tag(main)
    return (_name_fault(name) or _tag_fault(tag, bool(colon)) or _digest_part_fault(digest, bool(at))
            or "the reference does not follow Docker's image reference grammar")


def _whole_fault(text: str) -> str | None:
    if not text:
        return "the reference is empty"
    if any(char.isspace() for char in text):
        return "the reference contains whitespace"
    if "://" in text:
        return f"an image reference has no URL scheme; drop `{text.split('://', 1)[0]}://`"
    if re.fullmatch(_IMAGE_ID, text):
        return "a 64-digit hex string is an image ID, which Docker does not take as a name"
    if text.count("@") > 1:
        return "the reference has more than one `@`"
    if text.startswith("[") and "/" not in text:
        return "the repository name after the registry is missing"
    return None


def _name_fault(name: str) -> str | None:
    if not name:
        return "the repository name is missing"
    first, slash, rest = name.partition("/")
    # Where a reader sees a registry: Docker's rule without its upper-case clause, so that
    # `MyOrg/App` is named whole.
    if slash and (first == "localhost" or "." in first or ":" in first):
        registry, path = first, rest
    else:
        registry, path = None, name
    return _path_fault(path, registry) or _registry_fault(registry) or _length_fault(name)


def _path_fault(path: str, registry: str | None) -> str | None:
    if not path:
        return f"the repository name after `{registry}/` is missing"
    if path.startswith("/"):
        return f"the repository name `{path}` starts with `/`"
    if path.endswith("/"):
        return f"the repository name `{path}` ends with `/`"
    if "//" in path:
        return f"the repository name `{path}` has an empty component (`//`)"
    for component in path.split("/"):
        fault = _component_fault(component)
        if fault is not None:
            subject = f"the repository name `{path}`" if component == path \
                else f"the component `{component}` of the repository name `{path}`"
            return f"{subject} {fault}"
    if path != path.lower():
        return f"the repository name `{path}` has upper-case letters, which Docker refuses"
    return None


def _component_fault(component: str) -> str | None:
    """Why a non-empty path component breaks the grammar other than by its case, or None."""
    if re.fullmatch(_PATH_COMPONENT, component.lower()):
        return None
    wrong = next((char for char in component if not _ascii_alphanumeric(char) and char not in _SEPARATORS), None)
    if wrong is not None:
        return f"contains `{wrong}`; only letters, digits, `.`, `_` and `-` may appear"
    if component[0] in _SEPARATORS:
        return f"starts with `{component[0]}`"
    if component[-1] in _SEPARATORS:
        return f"ends with `{component[-1]}`"
    # Letters and digits at both ends, separators between: one run of separators must be wrong.
    run = next(match.group() for match in re.finditer(r"[._-]+", component)
               if not re.fullmatch(r"[._]|__|-+", match.group()))
    return f"has `{run}` between letters or digits; only one `.`, one or two `_`, or dashes may stand there"


def _ascii_alphanumeric(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _registry_fault(registry: str | None) -> str | None:
    if registry is None or re.fullmatch(_DOMAIN, registry):
        return None
    return f"the registry `{registry}` is not a host name or IP address, with an optional `:port`"


def _length_fault(name: str) -> str | None:
    path = _docker_split(name)[1]
    if len(path) <= _REPOSITORY_PATH_LIMIT:
        return None
    return f"the repository name is {len(path)} characters long; Docker allows {_REPOSITORY_PATH_LIMIT}"


def _tag_fault(tag: str, tagged: bool) -> str | None:
    if not tagged:
        return None
    if ":" in tag:
        return f"the reference has more than one tag (`:{tag}`)"
    if not tag:
        return "the tag after `:` is empty"
    if len(tag) > _TAG_LIMIT:
        return f"the tag is {len(tag)} characters long; Docker allows {_TAG_LIMIT}"
    wrong = next((char for char in tag if not _ascii_alphanumeric(char) and char not in "_.-"), None)
    if wrong is not None:
        return f"the tag `{tag}` contains `{wrong}`; a tag holds only letters, digits, `_`, `.` and `-`"
    if tag[0] in ".-":
        return f"the tag `{tag}` starts with `{tag[0]}`; a tag starts with a letter, a digit or `_`"
    return None


def _digest_part_fault(digest: str, digested: bool) -> str | None:
    if not digested:
        return None
    if not digest:
        return "the digest after `@` is empty"
    return _digest_fault(digest)
