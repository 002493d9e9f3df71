"""The user a Compose service or a Kubernetes container runs as, when that is root.

Kubernetes (the container's ``securityContext`` overrides the pod's, field by field — the
model has already applied that): a ``runAsUser`` of 0 is reported at it, even with
``runAsNonRoot: true`` (the kubelet then refuses to start the pod); a non-zero ``runAsUser``
is fine; otherwise ``runAsNonRoot: false`` is reported at it, and neither setting at all
(with ``flag_unset``) at the ``securityContext`` key or the container's name, because the
container then runs as whatever user its image declares — root for most images — and
nothing checks it.

Compose: ``user`` naming root (``root``, ``0``, ``0:0``, ``root:grp`` — ``root_users``) is
reported at its value; a missing ``user`` only with ``flag_unset`` (the image's own
``USER`` decides, and dlint cannot see it). A user that depends on an unresolved variable
(``${UID}``) is not reported.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import security_anchor, subject, truth
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "root_users": {"type": "array", "items": {"type": "string"},
                       "description": "user names or ids that mean root (before any `:group`)"},
        "flag_unset": {"type": "boolean", "description": "report a container that does not say which user it runs "
                                                         "as (default true)"},
        "include_init": {"type": "boolean", "description": "also check init and ephemeral containers (default true)"},
    },
}

_IMAGE_USER = "the image's own `USER`, which is root unless the image sets another"
_KUBERNETES_FIX = ("set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` (e.g. 10001) on the pod "
                   "or the container")
_COMPOSE_FIX = 'set `user:` to an unprivileged uid, e.g. `user: "10001:10001"`'


def _uid(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _kubernetes(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    context = {"subject": subject(container, workload), "fix": _KUBERNETES_FIX}
    user = container.user
    uid = _uid(user.value) if user is not None else None
    if uid == 0:
        outcome = "it runs as root"
        if truth(container.run_as_non_root) is True:
            outcome += " (with `runAsNonRoot: true` as well, the kubelet refuses to start it)"
        yield Hit(user.span, {**context, "user": "0", "problem": f"{context['subject']} runs with `runAsUser: 0`",
                              "outcome": outcome})
        return
    if uid is not None:
        return
    non_root = container.run_as_non_root
    if truth(non_root) is True:
        return
    if non_root is not None and truth(non_root) is False:
        yield Hit(non_root.span, {**context, "user": "", "problem": f"{context['subject']} runs with "
                                  f"`runAsNonRoot: false` and no `runAsUser`", "outcome": f"it runs as {_IMAGE_USER}"})
    elif non_root is None and params.get("flag_unset", True):
        yield Hit(security_anchor(container, workload),
                  {**context, "user": "", "problem": f"{context['subject']} sets neither `runAsNonRoot: true` nor "
                   f"a non-zero `runAsUser`", "outcome": f"it runs as {_IMAGE_USER}, and nothing checks it"})


def _compose(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    context = {"subject": subject(container, workload), "fix": _COMPOSE_FIX}
    user = container.user
    if user is None:
        if params.get("flag_unset", True):
            yield Hit(container.anchor, {**context, "user": "", "problem": f"{context['subject']} does not set "
                                         f"`user`", "outcome": f"it runs as {_IMAGE_USER}"})
        return
    text = str(user.value).strip() if user.value is not None else ""
    if "$" in text:
        return
    name = text.split(":", 1)[0]
    if name in set(params.get("root_users", ["root", "0"])):
        yield Hit(user.span, {**context, "user": text, "problem": f"{context['subject']} sets `user: {text}`",
                              "outcome": "it runs as root"})


@template("container-user", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    if container.init and not params.get("include_init", True):
        return
    if workload.source == "compose":
        yield from _compose(container, workload, params)
    else:
        yield from _kubernetes(container, workload, params)
