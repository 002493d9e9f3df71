"""``depends_on`` that does not match the dependency's health check: a service with a health
check that dependants do not wait for (short syntax or ``service_started``), and
``condition: service_healthy`` on a service that has no health check in the file."""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._scalars import healthcheck_state
from linter.model.compose import ComposeFile
from linter.model.finding import Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "started_on_healthy": {"type": "boolean",
                               "description": "report waiting only for start on a service with a health check"},
        "healthy_without_check": {"type": "boolean",
                                  "description": "report `service_healthy` on a service without a health check"},
    },
}


@template("depends-on-health", unit="compose", params=PARAMS)
def check(compose: ComposeFile, params: dict) -> Iterator[Hit]:
    # One index per file: looking each dependency up by scanning would be quadratic.
    health = {service.name: healthcheck_state(service.get("healthcheck")) for service in compose.services}
    for service in compose.services:
        for dependency in service.depends_on:
            state = health.get(dependency.name)
            condition = dependency.condition
            if state is None or condition is None:
                continue  # an undefined service: docker compose reports that itself
            context = {"service": service.name, "dependency": dependency.name, "condition": condition.value}
            if condition.value == "service_started" and state == "defined" \
                    and params.get("started_on_healthy", True):
                explicit = dependency.node is not None and dependency.node.get("condition") is not None
                written = "`condition: service_started`" if explicit else "no `condition` (that means started)"
                yield Hit(condition.span, {**context, "problem": (
                    f"`{service.name}` depends on `{dependency.name}` with {written}, so it starts before "
                    f"`{dependency.name}`'s health check passes; use `condition: service_healthy`")})
            elif condition.value == "service_healthy" and state != "defined" \
                    and params.get("healthy_without_check", True):
                why = "disables its health check" if state == "disabled" else "defines no health check here"
                yield Hit(condition.span, {**context, "problem": (
                    f"`{service.name}` waits for `{dependency.name}` to be healthy, but `{dependency.name}` "
                    f"{why}: `docker compose up` fails with \"container … has no healthcheck configured\""
                    f"{'' if state == 'disabled' else ' unless its image declares a HEALTHCHECK'}; "
                    f"add a `healthcheck:` to `{dependency.name}`")})
