"""Rule logic: parameterized templates, one module each, imported only when a rule uses them.

A template is either a function over one unit, or a class with per-stage hooks when it must
remember what came before (hadolint's fold with state). Both yield :class:`Hit` objects.

Function templates::

    @template("apt-flags", unit="instruction", params={...})
    def check(instruction, stage, params): yield Hit(...)

Stateful templates (a fresh instance per file)::

    @template("layer-order", unit="stage", params={...})
    class LayerOrder:
        def __init__(self, params): ...
        def begin_stage(self, stage, dockerfile): ...
        def instruction(self, instruction, stage): ...
        def end_stage(self, stage, dockerfile): ...
"""
from __future__ import annotations

from collections import namedtuple

# Dockerfiles: "instruction", "stage" (stateful class), "dockerfile". Compose files: "compose"
# (the whole file), "service". Kubernetes: "kubernetes" (the whole stream), "object". Both:
# "workload" and "container", over the normalized view in linter.model.workload.
UNITS = ("instruction", "stage", "dockerfile", "compose", "service", "kubernetes", "object", "workload", "container")


class Template(namedtuple("Template", "name unit params implementation")):
    """A registered template: its unit, the JSON Schema of its params, and the function or class."""

    __slots__ = ()


TEMPLATES: dict[str, Template] = {}


def template(name: str, unit: str, params: dict | None = None):
    """Register the decorated function or class as template ``name``; ``params`` is a JSON Schema."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")

    def register(implementation):
        TEMPLATES[name] = Template(name, unit, params or {"type": "object", "additionalProperties": False},
                                   implementation)
        return implementation

    return register
