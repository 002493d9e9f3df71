"""Networks of one Compose file whose ``ipam.config`` subnets overlap each other, or overlap a
range the Docker host already uses (the default bridge ``docker0``, 172.17.0.0/16)."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import CIDR_SCHEMA, is_true, parse_networks
from linter.model.compose import ComposeFile, unresolved
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "reserved": {
            "type": "array",
            "description": "ranges already in use on the host, each with a name for the message",
            "items": {"type": "object", "additionalProperties": False, "required": ["subnet", "name"],
                      "properties": {"subnet": CIDR_SCHEMA, "name": {"type": "string"}}},
        },
    },
}


@template("overlapping-subnets", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    reserved = [(subnet, item["name"]) for item in params.get("reserved", ())
                for subnet in parse_networks([item["subnet"]])]
    # A file declares a handful of subnets, so comparing each with the earlier ones is cheap.
    seen: list[tuple[object, str]] = []
    for network, subnet, node in _subnets(compose):
        clash = next(((other, name) for other, name in seen if _overlap(subnet, other)), None)
        if clash is not None:
            yield Hit(node.span, {"subnet": str(subnet), "network": network, "other": str(clash[0]),
                                  "other_network": f"network `{clash[1]}`"})
        else:
            clash = next(((other, name) for other, name in reserved if _overlap(subnet, other)), None)
            if clash is not None:
                yield Hit(node.span, {"subnet": str(subnet), "network": network, "other": str(clash[0]),
                                      "other_network": clash[1]})
        seen.append((subnet, network))


def _overlap(one, other) -> bool:
    return one.version == other.version and one.overlaps(other)


def _subnets(compose: ComposeFile) -> Iterator[tuple[str, object, object]]:
    """(network name, subnet, its node) in file order; external networks are not created by
    Compose, so their ``ipam`` is not used."""
    for name, node in compose.networks.items():
        external = node.get("external") if node is not None else None
        if node is None or not node.is_map or external is not None and (external.is_map or is_true(external)):
            continue
        config = node.at("ipam", "config")
        for entry in config.value if config is not None and config.is_seq else ():
            subnet = entry.get("subnet")
            if subnet is None or unresolved(subnet):
                continue
            try:
                yield name, ipaddress.ip_network(subnet.text().strip(), strict=False), subnet
            except (AttributeError, ValueError):
                continue  # not a subnet: the schema check reports it
