"""A Compose service that publishes one of the listed container ports on every host interface
(no host address, ``0.0.0.0`` or ``::``), so anything that can reach the host reaches it."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.model.compose import ComposeFile, Service
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ports"],
    "properties": {
        "ports": {"type": "object", "description": "container port → what usually listens on it",
                  "propertyNames": {"pattern": "^[0-9]+$"}, "additionalProperties": {"type": "string"}},
        "all_interfaces": {"type": "array", "items": {"type": "string"},
                           "description": "host addresses that mean every interface"},
    },
}


@template("published-port", unit="service", params=PARAMS)
def check(service: Service, compose: ComposeFile, params: dict) -> Iterator[Hit]:
    ports = params["ports"]
    everywhere = set(params.get("all_interfaces", ("", "0.0.0.0", "::", "[::]")))
    reported = set()  # a port range is one entry: report it once
    for port in service.ports:
        if port.host_port is None or port.span in reported:  # `expose`: only other containers reach it
            continue
        product = ports.get(str(port.container_port).strip())
        host_ip = "" if port.host_ip is None else str(port.host_ip).strip()
        if product is None or host_ip not in everywhere:
            continue
        reported.add(port.span)
        ephemeral = port.host_port in (0, "0", "")
        host = "an ephemeral host port" if ephemeral else f"host port {port.host_port}"
        # The same mapping on loopback: the host port the file chose stays what it was.
        loopback = f"127.0.0.1:{'' if ephemeral else port.host_port}:{port.container_port}"
        yield Hit(port.span, {"port": str(port.container_port), "product": product, "host": host,
                              "service": service.name, "loopback": loopback,
                              "interfaces": f"`{host_ip}`" if host_ip else "every interface"})
