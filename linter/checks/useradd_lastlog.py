"""``useradd -u <large uid>`` without ``-l``/``--no-log-init``.

useradd records the new user in ``/var/log/lastlog`` and ``/var/log/faillog``, files
indexed by uid: a uid of 1,000,000 makes lastlog a ~290 MB sparse file, and image layers
do not keep files sparse, so the layer stores every byte. ``-l`` skips both files;
removing ``/var/log/lastlog`` later in the same ``RUN`` also keeps it out of the layer.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._commands import calls, removed_paths
from linter.model.dockerfile import Instruction, Stage
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "min_uid": {"type": "integer", "minimum": 1,
                    "description": "the smallest uid reported (default 100000: lastlog of ~29 MB and more)"},
    },
}

_LASTLOG_ENTRY = 292  # bytes per uid in lastlog on 64-bit glibc systems


@template("useradd-lastlog", unit="instruction", params=PARAMS)
def check(instruction: Instruction, stage: Stage | None, params: dict) -> Iterator[Hit]:
    if instruction.keyword != "RUN":
        return
    minimum = params.get("min_uid", 100000)
    found = calls(instruction)
    for position, call in enumerate(found):
        if call.tool != "useradd" or call.has_option("-l", "--no-log-init"):
            continue
        if any(word.resolved.startswith("/var/log/lastlog") for later in found[position + 1:]
               for word in removed_paths(later)):
            continue
        for value in call.option_values("-u", "--uid"):
            uid = value.resolved
            if uid.isdigit() and int(uid) >= minimum:
                megabytes = int(uid) * _LASTLOG_ENTRY // 1_000_000
                yield Hit(call.span, {"command": call.text(), "uid": uid, "size": f"{megabytes:,} MB"})
                break
