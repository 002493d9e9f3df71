"""Container addresses written into a Compose file: fixed ``ipv4_address``/``ipv6_address``
on a service's network, and IP literals of containers in environment values and commands,
where the service name (resolved by Docker's embedded DNS) would keep working."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import CIDR_SCHEMA, node_text, parse_networks, sub_span
from linter.model.compose import ComposeFile, Service, unresolved
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "fixed_addresses": {"type": "boolean", "description": "report ipv4_address / ipv6_address"},
        "exempt_drivers": {"type": "array", "items": {"type": "string"},
                           "description": "network drivers on which a fixed address is the point (macvlan)"},
        "literals": {"type": "boolean", "description": "report container addresses in environment and command"},
        "container_ranges": {"type": "array", "items": CIDR_SCHEMA,
                             "description": "ranges Docker allocates container addresses from, besides the "
                                            "file's own subnets"},
    },
}

# Dotted quads, and IPv6 text with at least two colons; validated by ipaddress afterwards.
# A literal followed by ``/digits`` is a subnet (a CIDR block), not an address.
_CANDIDATE = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})"
                        r"(?![\w.]|/\d)")


@template("hard-coded-ip", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    fixed: dict[object, str] = {}   # address → the service it is fixed for (filled by _fixed)
    yield from _fixed(compose, fixed, params)
    if params.get("literals", True):
        pools = list(parse_networks(params.get("container_ranges", ("172.17.0.0/16",))))
        yield from _literals(compose, fixed, list(_subnets(compose)), pools)


def _fixed(compose: ComposeFile, fixed: dict, params: dict) -> Iterator[Hit]:
    exempt = set(params.get("exempt_drivers", ("macvlan", "ipvlan")))
    report = params.get("fixed_addresses", True)
    for service in compose.services:
        for network in service.networks:
            for field in (network.ipv4_address, network.ipv6_address):
                address = _address(field.value) if field is not None else None
                if address is None:
                    continue
                fixed.setdefault(address, service.name)
                if report and _driver(compose, network.name) not in exempt:
                    yield Hit(field.span, {
                        "address": str(address), "service": service.name,
                        "problem": f"service `{service.name}` has the fixed address `{address}` on network "
                                   f"`{network.name}`",
                        "advice": f"drop it and let other services reach it as `{service.name}`"})


def _literals(compose: ComposeFile, fixed: dict, subnets: list, pools: list) -> Iterator[Hit]:
    for service in compose.services:
        for where, node in _texts(service):
            text, written = node_text(node)
            for match in _CANDIDATE.finditer(text or ""):
                address = _address(match.group(1))
                owner = _owner(address, fixed, subnets, pools) if address is not None else None
                if owner is None:
                    continue
                literal = match.group(1)
                # After interpolation the value and the written text differ; find the literal again.
                offset = match.start() if written == text else (written or "").find(literal)
                yield Hit(sub_span(node.span, written or "", offset, len(literal)), {
                    "address": literal, "service": service.name,
                    "problem": f"{where} of service `{service.name}` holds `{literal}`, {owner[0]}",
                    "advice": f"use the service name{owner[1]} instead: Docker's DNS resolves it to the "
                              f"current address"})


def _address(text) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(str(text).strip().strip("[]"))
    except ValueError:
        return None


def _driver(compose: ComposeFile, name: str) -> str | None:
    node = compose.networks.get(name)
    driver = node.get("driver") if node is not None else None
    return driver.text() if driver is not None else None


def _subnets(compose: ComposeFile) -> Iterator[tuple[object, str]]:
    for name, node in compose.networks.items():
        config = node.at("ipam", "config") if node is not None else None
        for entry in config.value if config is not None and config.is_seq else ():
            subnet = entry.get("subnet")
            try:
                yield ipaddress.ip_network(subnet.text(), strict=False), name
            except (AttributeError, TypeError, ValueError):
                continue


def _owner(address, fixed: dict, subnets: list, pools: list) -> tuple[str, str] | None:
    """Why ``address`` is a container's (a phrase, and the name to use), or None."""
    if address in fixed:
        return f"the fixed address of service `{fixed[address]}`", f" `{fixed[address]}`"
    for subnet, network in subnets:
        if address.version == subnet.version and address in subnet:
            return f"an address on network `{network}` ({subnet})", ""
    for pool in pools:
        if address.version == pool.version and address in pool:
            return f"an address from Docker's default address pools ({pool})", ""
    return None


def _texts(service: Service) -> Iterator[tuple[str, object]]:
    """Environment values and command / entrypoint words, as (description, scalar node)."""
    environment = service.get("environment")
    if environment is not None and environment.is_map:
        for name, value in environment.items():
            if value.is_scalar and not unresolved(value):
                yield f"`{name}`", value
    elif environment is not None and environment.is_seq:
        for item in environment.value:
            text = item.text()
            if text and not unresolved(item):
                yield f"`{text.split('=', 1)[0]}`", item
    for key in ("command", "entrypoint"):
        node = service.get(key)
        for item in (node.value if node.is_seq else [node]) if node is not None else ():
            if item.is_scalar and not unresolved(item):
                yield f"the {key}", item
