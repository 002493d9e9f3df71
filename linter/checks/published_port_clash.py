"""Host ports that two containers of one Compose project would both bind, so the one that
starts second fails with "port is already allocated": the same host port and protocol on
overlapping host addresses in two services (or two entries of one service), or a fixed host
port on a service that runs several containers (``scale`` or ``deploy.replicas`` above 1).

Only ports whose host side is known are compared: an ``expose``d port, an ephemeral one
(``"80"``), one picked from a host range (``"8000-8010:80"``) or one that holds an unresolved
variable is skipped, and so is a service whose ports Docker never binds (``network_mode: host``,
``service:…``, ``container:…``) or that does not start (``replicas: 0``). Ports come from the
model (``Service.ports``), read after ``extends``, merge keys and override files.
"""
from __future__ import annotations

import ipaddress
from collections import Counter, namedtuple
from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import as_int
from linter.checks._services import inherited_anchor, line_of, run_together
from linter.model.compose import ComposeFile, Service
from linter.model.finding import Hit
from linter.model.workload import Port
from linter.model.yaml import YNode

PARAMS = {"type": "object", "additionalProperties": False}

# Host addresses that bind every address of the host; `0.0.0.0` binds every IPv4 address.
_EVERY_ADDRESS = frozenset({"", "::"})
_EVERY_IPV4 = ipaddress.IPv4Address("0.0.0.0")


class _Binding(namedtuple("_Binding", "service address container_port entry at")):
    """One host port a service binds: ``address`` is None for every address, else the
    ``ipaddress`` address (or the text, when it is not one); ``entry`` is the span of the
    ``ports`` item it was written in, ``at`` where it is reported (and named by a later clash)."""

    __slots__ = ()


@template("published-port-clash", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    # (host port, protocol) → the bindings claimed so far: a few per key, so this stays linear.
    claimed: dict[tuple[int, str], list[_Binding]] = {}
    owners: dict = {}  # entry span → the first service with it (the others inherited it)
    for service in compose.services:
        containers = _containers(service)
        if containers[0] != 0 and _publishes(service):
            yield from _service_hits(compose, service, containers, claimed, owners)


def _service_hits(compose: ComposeFile, service: Service, containers: tuple[int, str], claimed: dict,
                  owners: dict) -> Iterator[Hit]:
    entries = _entries(service)
    ports_per_entry = Counter(port.span for port in service.ports)
    reported = set()  # one finding per entry and kind, even for a port range
    for port in service.ports:
        item = entries.get(port.span)
        if not _fixed(port, item):
            continue
        owner = owners.setdefault(port.span, service)
        where = inherited_anchor(compose, service) if owner is not service else _value_span(item)
        binding = _Binding(service, _address(str(port.host_ip or "")), port.container_port, port.span, where)
        earlier = claimed.setdefault((port.host_port, port.protocol), [])
        first = next((other for other in earlier if _clash(other, binding)), None)
        if first is not None and ("clash", port.span) not in reported:
            reported.add(("clash", port.span))
            yield Hit(where, _clash_context(port, service, first, where))
        if containers[0] > 1 and ("replicas", port.span) not in reported and not _ingress(item):
            reported.add(("replicas", port.span))
            yield Hit(where, _replicas_context(port, service, containers, ports_per_entry[port.span]))
        earlier.append(binding)


def _publishes(service: Service) -> bool:
    """False for a service whose ``ports`` Docker never binds: on the host's network they are
    discarded, and a service in another container's network namespace cannot publish any."""
    mode = str(service.network_mode.value).strip() if service.network_mode is not None else ""
    return mode != "host" and not mode.startswith(("service:", "container:"))


def _containers(service: Service) -> tuple[int, str]:
    """How many containers the service runs, and the key that says so (1 and "" when unwritten);
    ``replicas: 0`` keeps a service from starting."""
    for key, node in (("deploy.replicas", service.at("deploy", "replicas")), ("scale", service.get("scale"))):
        count = as_int(node)
        if count is not None and count != 1:
            return count, key
    return 1, ""


def _entries(service: Service) -> dict:
    """The service's ``ports`` items by span: each model port keeps the span of its item."""
    ports = service.get("ports")
    if ports is None:
        return {}
    items = ports.value if ports.is_seq else [ports]  # a lone scalar is a list of one
    return {item.span: item for item in items}


def _fixed(port: Port, item: YNode | None) -> bool:
    """The port binds one known host port: not exposed only, not ephemeral, not a variable,
    not left to Docker to pick from a host range."""
    if item is None or type(port.host_port) is not int or port.host_port == 0:
        return False
    if "$" in str(port.host_ip or ""):
        return False
    return not _picked_from_range(item)


def _picked_from_range(item: YNode) -> bool:
    """``8000-8010:80`` (or ``published: 8000-8010`` for one ``target``): Docker binds whichever
    port of the range is free, so the model's first port of the range is not a fixed one."""
    if item.is_map:
        host, container = _text(item.get("published")), _text(item.get("target"))
    else:
        parts = (item.text() or "").partition("/")[0].rsplit(":", 2)
        host, container = (parts[-2], parts[-1]) if len(parts) > 1 else ("", parts[0])
    return "-" in host and "-" not in container


def _text(node: YNode | None) -> str:
    return (node.text() or "") if node is not None else ""


def _value_span(item: YNode):
    """The long syntax's ``published`` value; the whole item in the short syntax."""
    published = item.get("published") if item.is_map else None
    return published.span if published is not None else item.span


def _ingress(item: YNode) -> bool:
    """``mode: ingress`` is written for Swarm, whose routing mesh lets every replica share the port."""
    return item.is_map and _text(item.get("mode")).strip().lower() == "ingress"


def _address(host_ip: str):
    text = host_ip.strip().strip("[]")
    if text in _EVERY_ADDRESS:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return text  # a name, say: only the same text overlaps it


def _overlap(one, other) -> bool:
    if one is None or other is None or one == other:
        return True
    for wide, narrow in ((one, other), (other, one)):
        if wide == _EVERY_IPV4 and isinstance(narrow, ipaddress.IPv4Address):
            return True
    return False


def _clash(first: _Binding, second: _Binding) -> bool:
    if first.entry == second.entry and first.service is second.service:
        return False  # one item of a range: its ports are distinct
    if first.service is second.service and (first.container_port, first.address) == \
            (second.container_port, second.address):
        return False  # the same mapping written twice: Docker binds it once
    return _overlap(first.address, second.address) and run_together(first.service, second.service)


def _describe(port: Port) -> str:
    host_ip = str(port.host_ip or "").strip("[]")
    on = "every address" if _address(host_ip) is None else f"`{host_ip}`"
    return f"host port {port.host_port}/{port.protocol} on {on}"


def _clash_context(port: Port, service: Service, first: _Binding, where) -> dict:
    other = "it" if first.service is service else f"service `{first.service.name}`"
    return {
        "service": service.name, "port": port.host_port, "protocol": port.protocol, "other": first.service.name,
        "problem": f"service `{service.name}` publishes {_describe(port)}, which {other} already publishes "
                   f"({line_of(first.at, where.path)})",
        "advice": "publish one of them on another host port, or on another host address",
    }


def _replicas_context(port: Port, service: Service, containers: tuple[int, str], ports_in_entry: int) -> dict:
    count, key = containers
    if ports_in_entry == 1:
        advice = (f"publish a host port range with a port for each container "
                  f"(`{port.host_port}-{port.host_port + count - 1}:{port.container_port}`), or leave the host "
                  f"port out and let Docker choose one")
    else:
        advice = "leave the host ports out and let Docker choose them"
    return {
        "service": service.name, "port": port.host_port, "protocol": port.protocol,
        "problem": f"service `{service.name}` publishes {_describe(port)} and runs {count} containers "
                   f"(`{key}: {count}`), each of which binds it",
        "advice": advice,
    }
