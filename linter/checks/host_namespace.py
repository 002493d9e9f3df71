"""A workload that shares a namespace with the host: Kubernetes ``hostNetwork``/``hostPID``/
``hostIPC: true``, Compose ``network_mode: host``, ``pid: host``, ``ipc: host``. One hit per
namespace, at the value that shares it."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._security import truth
from linter.model.finding import Hit
from linter.model.workload import Workload

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "namespaces": {"type": "array", "items": {"enum": ["network", "pid", "ipc"]}, "uniqueItems": True,
                       "description": "the host namespaces to report (default all three)"},
    },
}

# Namespace → (Workload attribute, Kubernetes key, Compose key, what the container can then do).
_NAMESPACES = {
    "network": ("host_network", "hostNetwork", "network_mode",
                "it can bind any host port, reach every service listening on the host's loopback "
                "interface, and sniff the host's traffic with NET_RAW"),
    "pid": ("host_pid", "hostPID", "pid",
            "it sees every process on the host, can read their command lines and environment "
            "through /proc, and with enough privileges signal or trace them"),
    "ipc": ("host_ipc", "hostIPC", "ipc",
            "it can read and write the shared memory and message queues of every process on the host"),
}


def _shares(value) -> bool:
    """``true`` (Kubernetes) or ``host`` (Compose); ``service:x``, ``container:x``, ``shareable``… do not."""
    if isinstance(value, str) and value.strip().lower() == "host":
        return True
    return isinstance(value, bool) and value


@template("host-namespace", unit="workload", params=PARAMS)
def check(workload: Workload, params: dict) -> Iterator[Hit]:
    for namespace in params.get("namespaces", list(_NAMESPACES)):
        attribute, kubernetes_key, compose_key, risk = _NAMESPACES[namespace]
        field = getattr(workload, attribute)
        if field is None:
            continue
        if workload.source == "compose":
            if not _shares(field.value):
                continue
            setting = f"{compose_key}: host"
        else:
            if truth(field) is not True:
                continue
            setting = f"{kubernetes_key}: true"
        what = "service" if workload.source == "compose" else workload.kind
        yield Hit(field.span, {"namespace": namespace, "setting": setting, "risk": risk,
                               "subject": f"{what} `{workload.name}`", "workload": workload.name})
