"""A boolean security setting of a container that is unsafe, or missing where the runtime's
default is unsafe: ``privileged``, ``allowPrivilegeEscalation`` (Compose:
``security_opt: no-new-privileges``), ``readOnlyRootFilesystem`` (Compose: ``read_only``).

A written unsafe value is reported at the value; a missing one (when ``flag_unset`` and the
runtime's ``default`` is unsafe) at the container's ``securityContext`` key, or the container
(the Compose service key) when there is none. A value that is not a boolean (an unresolved
``${VAR}``) is not reported: it cannot be known.
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
    "required": ["field", "safe", "default"],
    "properties": {
        "field": {"enum": ["privileged", "allow_privilege_escalation", "read_only_root"],
                  "description": "the Container attribute to read"},
        "safe": {"type": "boolean", "description": "the value that is safe"},
        "default": {"type": "boolean", "description": "the value the runtime uses when the setting is not written"},
        "flag_unset": {"type": "boolean", "description": "report a missing setting whose default is unsafe "
                                                         "(default true)"},
        "include_init": {"type": "boolean", "description": "also check init and ephemeral containers (default true)"},
    },
}

# Field → per format: the key as written, and how to write the safe value. Compose's
# no-new-privileges is the negation of allowPrivilegeEscalation.
_SETTINGS = {
    "privileged": {
        "compose": ("privileged", "remove `privileged: true`"),
        "kubernetes": ("privileged", "remove `securityContext.privileged: true`"),
    },
    "allow_privilege_escalation": {
        "compose": ("no-new-privileges", 'use `security_opt: ["no-new-privileges:true"]`'),
        "kubernetes": ("allowPrivilegeEscalation", "set `securityContext.allowPrivilegeEscalation: false`"),
    },
    "read_only_root": {
        "compose": ("read_only", "set `read_only: true` and mount a `tmpfs` or volume where it must write"),
        "kubernetes": ("readOnlyRootFilesystem", "set `securityContext.readOnlyRootFilesystem: true` and mount "
                                                 "an `emptyDir` or volume where it must write"),
    },
}


def _written(field: str, value: bool, source: str) -> str:
    """The setting as the file spells it: ``privileged: true``, ``no-new-privileges:false``."""
    key = _SETTINGS[field][source][0]
    if field == "allow_privilege_escalation" and source == "compose":
        return f"security_opt: no-new-privileges:{'false' if value else 'true'}"
    return f"{key}: {'true' if value else 'false'}"


@template("container-flag", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    if container.init and not params.get("include_init", True):
        return
    name = params["field"]
    safe = params["safe"]
    source = workload.source if workload.source in ("compose", "kubernetes") else "kubernetes"
    key, fix = _SETTINGS[name][source]
    field = getattr(container, name)
    value = truth(field)
    context = {"subject": subject(container, workload), "setting": key, "fix": fix,
               "container": container.name, "workload": workload.name}
    if field is not None:
        if value is None or value == safe:
            return
        yield Hit(field.span, {**context, "problem": f"sets `{_written(name, value, source)}`"})
    elif params["default"] != safe and params.get("flag_unset", True):
        if name == "allow_privilege_escalation" and source == "compose":
            problem = ("has no `no-new-privileges` security option, so escalation is allowed unless the Docker "
                       "daemon enables it for every container")
        else:
            problem = f"does not set `{key}`, so it runs with `{_written(name, params['default'], source)}`"
        yield Hit(security_anchor(container, workload), {**context, "problem": problem})
