"""A Compose file as dlint sees it: services with their keys already read into small records,
top-level definitions, and the problems found while reading.

Every record keeps the span it was read from. Values are shown after interpolation: a
variable whose value is known (from the ``variables`` the engine passes, or a default written
in the file) is substituted; one that is not stays as written (``${TAG}``) and the scalar is an
:class:`Interpolated` node that says which variables were left unresolved.
"""
from __future__ import annotations

from collections import namedtuple

from linter.model.yaml import YNode


class Interpolated(YNode):
    """A scalar whose text held ``$`` expressions. ``value`` is the text after interpolation,
    ``raw`` the text as written; ``unresolved`` names the variables with no known value (their
    ``${…}`` is kept verbatim in ``value``); ``external`` names the variables whose value came
    from outside the file (the ``variables`` mapping), so the value is not literally written here."""

    __slots__ = ("raw", "unresolved", "external")

    def __init__(self, value, span, key_span, tag, raw: str, unresolved: tuple = (), external: tuple = ()) -> None:
        super().__init__("scalar", value, span, key_span, tag)
        self.raw = raw
        self.unresolved = unresolved
        self.external = external


def unresolved(node) -> tuple:
    """The variables left unresolved in a scalar node (empty for a plain node or ``None``)."""
    return getattr(node, "unresolved", ())


def is_literal(node) -> bool:
    """True when a scalar's value is written in the file itself: no variable came from outside
    and none is unresolved (a default written in the file counts as literal)."""
    return not getattr(node, "unresolved", ()) and not getattr(node, "external", ())


class Build(namedtuple("Build", "context dockerfile target node span")):
    """``build:`` — ``context`` and ``dockerfile`` are :class:`~linter.model.workload.Field` (or
    ``None``); ``dockerfile`` defaults to ``None`` (Compose then uses ``Dockerfile``); ``node`` is
    the YNode, ``span`` where ``build`` is written (its key)."""

    __slots__ = ()


class ServiceNetwork(namedtuple("ServiceNetwork", "name span node aliases ipv4_address ipv6_address")):
    """A network a service joins: its ``name``; ``span`` of the name (the mapping key, or the list
    item); ``node`` the per-network mapping when written (else ``None``); ``aliases`` a list of
    Fields; ``ipv4_address`` / ``ipv6_address`` Fields or ``None``."""

    __slots__ = ()


class Dependency(namedtuple("Dependency", "name span condition required node")):
    """A ``depends_on`` entry: the service ``name`` and the ``span`` of its name; ``condition`` a
    Field (``service_started`` at the entry's span when not written, as Compose defaults it);
    ``required`` a bool; ``node`` the entry's mapping in the long syntax, else ``None``."""

    __slots__ = ()


class Service:
    """One entry of ``services:``. ``node`` is the service mapping after interpolation and
    ``extends``; the attributes below are read from it (Fields carry value and span):

    - ``image`` Field(ImageRef) or None; ``build`` :class:`Build` or None
    - ``ports`` list of :class:`~linter.model.workload.Port` (``ports`` and ``expose``; an exposed
      port has ``host_port`` None; ``host_port`` 0 means an ephemeral host port; a port that is
      an unresolved variable stays text)
    - ``mounts`` list of :class:`~linter.model.workload.Mount` (``volumes``, ``tmpfs``, ``secrets``)
    - ``environment`` list of (name Field, value Field or None when not literal)
    - ``networks`` list of :class:`ServiceNetwork`; ``network_mode`` Field or None
    - ``depends_on`` list of :class:`Dependency`; ``links`` / ``external_links`` lists of Fields
    - ``container_name``, ``hostname``, ``user``, ``restart``, ``pid``, ``ipc``, ``pids_limit`` (or
      ``deploy.resources.limits.pids``), ``privileged`` and ``read_only`` (bools, or the text of an
      unresolved variable), ``healthcheck`` (the YNode, or False when disabled) — Field or None
    - ``profiles``, ``cap_add``, ``cap_drop``, ``security_opt``, ``secrets``, ``configs`` — lists
      of Fields (secrets and configs by source name)
    - ``deploy`` the deploy YNode or None; ``extensions`` the ``x-`` keys (name → YNode)
    - ``ignored`` rule codes/names from ``x-dlint-ignore``
    """

    __slots__ = ("name", "node", "key_span", "image", "build", "ports", "mounts", "environment", "networks",
                 "network_mode", "depends_on", "links", "external_links", "container_name", "hostname", "user",
                 "restart", "pid", "ipc", "pids_limit", "privileged", "read_only", "healthcheck", "profiles",
                 "cap_add", "cap_drop", "security_opt", "secrets", "configs", "deploy", "extensions", "ignored")

    def __init__(self, name: str, node: YNode, key_span) -> None:
        self.name = name
        self.node = node
        self.key_span = key_span
        self.image = None
        self.build = None
        self.ports: list = []
        self.mounts: list = []
        self.environment: list = []
        self.networks: list[ServiceNetwork] = []
        self.network_mode = None
        self.depends_on: list[Dependency] = []
        self.links: list = []
        self.external_links: list = []
        self.container_name = None
        self.hostname = None
        self.user = None
        self.restart = None
        self.pid = None
        self.ipc = None
        self.pids_limit = None
        self.privileged = None
        self.read_only = None
        self.healthcheck = None
        self.profiles: list = []
        self.cap_add: list = []
        self.cap_drop: list = []
        self.security_opt: list = []
        self.secrets: list = []
        self.configs: list = []
        self.deploy: YNode | None = None
        self.extensions: dict[str, YNode] = {}
        self.ignored: set[str] = set()

    @property
    def anchor(self):
        """Where to report something missing from the service: its key."""
        return self.key_span or self.node.span

    def get(self, key: str) -> YNode | None:
        return self.node.get(key)

    def at(self, *keys):
        return self.node.at(*keys)

    def __repr__(self) -> str:
        return f"<Service {self.name}>"


class ComposeFile:
    """A parsed Compose file. ``root`` is the document after interpolation and ``extends``
    (``None`` when the document is not a mapping); ``raw`` the document as written.
    ``volumes``/``networks``/``secrets``/``configs`` map each top-level definition's name to its
    YNode (whose value may be ``None``: ``volumes: {data: }``; its ``key_span`` is the name).
    ``problems`` are (rule name, message, Span): ``invalid-compose`` and ``invalid-interpolation``.
    """

    __slots__ = ("path", "root", "raw", "name", "services", "volumes", "networks", "secrets", "configs",
                 "extensions", "problems", "_by_name")

    def __init__(self, path: str, root: YNode | None = None, raw: YNode | None = None) -> None:
        self.path = path
        self.root = root
        self.raw = raw
        self.name = None                      # Field: the top-level ``name`` (project name)
        self.services: list[Service] = []
        self.volumes: dict[str, YNode] = {}
        self.networks: dict[str, YNode] = {}
        self.secrets: dict[str, YNode] = {}
        self.configs: dict[str, YNode] = {}
        self.extensions: dict[str, YNode] = {}
        self.problems: list[tuple[str, str, object]] = []
        self._by_name: dict[str, Service] | None = None

    def service(self, name: str) -> Service | None:
        """The service called ``name`` (a dictionary look-up, built on first use)."""
        if self._by_name is None or len(self._by_name) != len(self.services):
            self._by_name = {service.name: service for service in self.services}
        return self._by_name.get(name)

    def __repr__(self) -> str:
        return f"<ComposeFile {self.path} {len(self.services)} services>"
