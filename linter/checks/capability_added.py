"""Linux capabilities from a list added to a container: Compose ``cap_add``, Kubernetes
``securityContext.capabilities.add``. Names are compared without a ``CAP_`` prefix and
without regard to case (``cap_sys_admin`` is ``SYS_ADMIN``); one hit per capability, at it."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import subject
from linter.model.finding import Hit
from linter.model.workload import Container, Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["capabilities"],
    "properties": {
        "capabilities": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                         "description": "capability names to report (`ALL` for the wildcard), without `CAP_`"},
    },
}

# Why each well-known one matters, for the message; others get a generic reason.
_REASONS = {
    "ALL": "do everything root can, which is nearly `privileged`",
    "SYS_ADMIN": "mount filesystems and use most namespace and BPF operations (the classic container escape)",
    "NET_ADMIN": "reconfigure interfaces, routes and firewall rules of its network namespace (the host's "
                 "with host networking)",
    "SYS_PTRACE": "trace and inject code into other processes it can see",
    "SYS_MODULE": "load kernel modules, i.e. run code in the host kernel",
    "SYS_RAWIO": "raw I/O on devices and ports, bypassing the kernel's checks",
    "SYS_BOOT": "reboot the host or load a new kernel",
    "SYS_TIME": "set the host's clock",
    "DAC_READ_SEARCH": "read any file and open files by handle, which escaped containers before "
                       "(the 'shocker' exploit)",
    "BPF": "load BPF programs into the kernel",
    "PERFMON": "use perf and BPF tracing to observe the whole host",
    "MAC_ADMIN": "change AppArmor or SELinux policy",
    "MAC_OVERRIDE": "bypass AppArmor or SELinux policy",
    "SYSLOG": "read kernel logs and kernel addresses",
    "LINUX_IMMUTABLE": "change immutable and append-only file attributes",
    "CHECKPOINT_RESTORE": "checkpoint, restore and manipulate other processes",
    "NET_RAW": "craft raw packets (spoofing, ARP poisoning inside the node's network)",
}


def canonical(name: str) -> str:
    name = name.strip().upper()
    return name[4:] if name.startswith("CAP_") else name


@template("capability-added", unit="container", params=PARAMS)
def check(container: Container, workload: Workload, params: dict) -> Iterator[Hit]:
    wanted = {canonical(name) for name in params["capabilities"]}
    for field in container.capabilities_add:
        if not isinstance(field.value, str):
            continue
        capability = canonical(field.value)
        if capability not in wanted:
            continue
        reason = _REASONS.get(capability, "do more than an application needs")
        yield Hit(field.span, {"capability": capability, "written": field.value, "reason": reason,
                               "subject": subject(container, workload), "container": container.name,
                               "workload": workload.name})
