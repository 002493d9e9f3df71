"""The normalized workload: one per Compose service and one per Kubernetes pod-bearing
object, so ``WL`` rules and the price model are written once for both formats.

Every field that comes from the file is a :class:`Field` (value and span) or carries a span
of its own; a field that is not written is ``None`` (or empty), and a rule reporting that it
is missing points at the nearest existing parent: ``Container.anchor`` or ``Workload.anchor``.
"""
from __future__ import annotations

from collections import namedtuple


class Field(namedtuple("Field", "value span")):
    """A value as written (after interpolation of known variables) and where."""

    __slots__ = ()


class Quantity(namedtuple("Quantity", "amount raw span")):
    """A CPU amount in cores or a memory amount in bytes, with the text it came from."""

    __slots__ = ()


# Mount kinds: "volume" (a named Compose volume), "claim" (a PersistentVolumeClaim or a
# volumeClaimTemplate), "bind" (a Compose bind mount), "hostPath", "network" (a Kubernetes
# in-tree network or cloud disk written inline: nfs, awsElasticBlockStore…; ``source`` names
# the type), "tmpfs", "emptyDir", "anonymous" (a Compose volume with no name), "configMap",
# "secret", "projected", "downwardAPI", "other".
PERSISTENT_KINDS = frozenset({"volume", "claim", "bind", "hostPath", "network"})


class Mount(namedtuple("Mount", "target kind source read_only span")):
    """A filesystem mounted into a container at ``target`` (an absolute path)."""

    __slots__ = ()

    @property
    def persistent(self) -> bool:
        return self.kind in PERSISTENT_KINDS


class Port(namedtuple("Port", "container_port host_port host_ip protocol span")):
    """A container port, and where it is published on the host (Compose ``ports``, Kubernetes
    ``hostPort``); ``host_port`` is ``None`` when it is not published."""

    __slots__ = ()


class Container:
    """One container of a workload (a Compose service has exactly one)."""

    __slots__ = ("name", "node", "anchor", "init", "image", "requests", "limits", "resources_anchor", "mounts",
                 "ports", "user", "run_as_non_root", "privileged", "allow_privilege_escalation", "read_only_root",
                 "capabilities_add", "capabilities_drop", "environment", "liveness", "readiness", "healthcheck")

    def __init__(self, name: str, node, anchor, init: bool = False) -> None:
        self.name = name
        self.node = node                  # the YNode it was read from
        self.anchor = anchor              # Span to report a missing field at
        self.init = init                  # an init (or ephemeral) container
        self.image: Field | None = None   # Field whose value is an ImageRef
        self.requests: dict[str, Quantity] = {}   # "cpu" / "memory"
        self.limits: dict[str, Quantity] = {}
        self.resources_anchor = anchor    # the resources key (or deploy.resources) when written
        self.mounts: list[Mount] = []
        self.ports: list[Port] = []
        self.user: Field | None = None    # "1000", "1000:1000", "root", or a Kubernetes runAsUser int
        self.run_as_non_root: Field | None = None
        self.privileged: Field | None = None
        self.allow_privilege_escalation: Field | None = None
        self.read_only_root: Field | None = None
        self.capabilities_add: list[Field] = []
        self.capabilities_drop: list[Field] = []
        self.environment: list[tuple[Field, Field | None]] = []  # (name, value); value None when not literal
        self.liveness: Field | None = None     # Field whose value is the probe's YNode
        self.readiness: Field | None = None
        self.healthcheck: Field | None = None  # Compose: the healthcheck YNode (value), or disabled

    def __repr__(self) -> str:
        return f"<Container {self.name}>"


class Workload:
    """A Compose service or a Kubernetes object that runs pods."""

    __slots__ = ("name", "kind", "source", "path", "node", "anchor", "containers", "replicas", "restart_policy",
                 "host_network", "host_pid", "host_ipc", "ignored", "problems")

    def __init__(self, name: str, kind: str, source: str, path: str, node, anchor) -> None:
        self.name = name
        self.kind = kind          # "service" for Compose; the Kubernetes kind otherwise
        self.source = source      # "compose" or "kubernetes"
        self.path = path
        self.node = node          # the service's or the object's YNode
        self.anchor = anchor      # Span: the service key, or the object's kind/metadata.name
        self.containers: list[Container] = []
        self.replicas: Field | None = None
        self.restart_policy: Field | None = None
        self.host_network: Field | None = None
        self.host_pid: Field | None = None
        self.host_ipc: Field | None = None
        self.ignored: set[str] = set()       # rule codes/names from x-dlint-ignore or dlint.io/ignore
        self.problems: list[tuple[str, str, object]] = []  # (rule name, message, Span), e.g. a bad quantity

    def __repr__(self) -> str:
        return f"<Workload {self.source} {self.kind} {self.name}>"
