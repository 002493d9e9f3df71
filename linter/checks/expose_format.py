"""``EXPOSE`` words that are not ``port[/protocol]``: an address or a host port mapping
(``127.0.0.1:80:80``, ``8080:80``), or a protocol not in lower case (``80/TCP``).

Words are checked after ``ARG``/``ENV`` substitution; one built from a variable with no
known value is skipped. The protocol fix lower-cases it in place.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import part_span, word_raw
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Edit, Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["problem"],
    "properties": {"problem": {"enum": ["mapping", "protocol-case"]}},
}


@template("expose-format", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "EXPOSE":
        return
    mapping = params["problem"] == "mapping"
    for word in instruction.words:
        value = word.value
        if not value:
            continue
        port, slash, protocol = value.rpartition("/") if "/" in value else (value, "", "")
        if mapping:
            if ":" in port:
                yield Hit(word.span, {"port": value, "container_port": port.rsplit(":", 1)[-1] + slash + protocol})
        elif slash and protocol != protocol.lower():
            yield _protocol_hit(instruction, word, value, protocol)


def _protocol_hit(instruction: Instruction, word, value: str, protocol: str) -> Hit:
    raw = word_raw(instruction, word)
    context = {"port": value, "protocol": protocol, "expected": protocol.lower()}
    if raw is None or not raw.endswith("/" + protocol):
        return Hit(word.span, context)
    span = part_span(word, len(raw) - len(protocol), len(raw))
    return Hit(span, context, (Edit(span, protocol.lower()),))
