"""What each workload costs to run: its requested CPU, memory, GPUs and claimed storage ×
its replicas × a price sheet.

This is request-based (allocation) cost, as OpenCost reports it: what the scheduler sets
aside, whatever the workload really uses. The rules follow Kubernetes:

- A container's request is its ``resources.requests`` (Compose: ``deploy.resources.reservations``,
  or ``mem_reservation``). Where only a limit is written, Kubernetes uses the limit as the request,
  and so does the estimate (Compose too), saying so in the row's notes.
- A long-running container with neither for CPU or memory (a BestEffort container) may use
  whatever the node has: that cost has no upper bound and is reported as *unbounded*, never as 0.
  A request written as an unresolved variable (``${CPU}``) is treated the same way.
- The pod's effective request is, per resource, the larger of the app containers' sum and the
  largest init container (plus the sidecars started before it: init containers with
  ``restartPolicy: Always``, which keep running and count as app containers).
- Replicas: ``spec.replicas`` (default 1) for Deployments, StatefulSets, ReplicaSets,
  ReplicationControllers and custom resources with a pod template; Compose ``deploy.replicas`` or
  ``scale`` (default 1). A HorizontalPodAutoscaler among ``objects`` that targets the workload
  (same namespace, ``scaleTargetRef`` kind and name) turns it into the range
  ``minReplicas``–``maxReplicas``.
- A DaemonSet (and a Compose service in ``deploy.mode: global``) runs one pod per node: × ``nodes``
  when it is given; otherwise its cost is per node (basis ``node``) and stays out of the
  monthly total.
- A Job or CronJob runs for as long as its work takes: it is priced per hour of a run, for
  ``parallelism`` pods at once (basis ``run-hour``), with no monthly figure.
- GPUs: Kubernetes extended resources named ``*/gpu`` (``nvidia.com/gpu``); Compose device
  reservations with the ``gpu`` capability. Storage: a StatefulSet's ``volumeClaimTemplates``,
  one claim per replica. Stand-alone PersistentVolumeClaims are not workloads and are not priced.

A month is the price sheet's ``hours-per-month`` (730). Everything is deterministic: the same
input and sheet give the same figures.
"""
from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Iterable

from linter.model.kubernetes import KObject
from linter.model.workload import Container, Workload
from linter.parsers.quantity import parse_cpu, parse_memory

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "prices.json")

PRICE_KEYS = ("cpu-hour", "memory-gib-hour", "gpu-hour", "storage-gib-month")
GIB = 2 ** 30

_JOB_KINDS = frozenset({"Job", "CronJob"})
_RESOURCE_WORDS = {"cpu": "CPU", "memory": "memory"}

_sheet_cache: dict = {}


class PriceSheet:
    """Prices per hour of a vCPU, of a GiB of memory and of a GPU, and per month of a GiB of
    claimed storage, in ``currency``; ``overridden`` names the keys the configuration changed."""

    __slots__ = ("cpu_hour", "memory_gib_hour", "gpu_hour", "storage_gib_month", "currency",
                 "hours_per_month", "source", "source_name", "date", "overridden")

    def __init__(self, prices: dict[str, float], currency: str, hours_per_month: float, source: str,
                 source_name: str, date: str, overridden: tuple[str, ...] = ()) -> None:
        self.cpu_hour = prices["cpu-hour"]
        self.memory_gib_hour = prices["memory-gib-hour"]
        self.gpu_hour = prices["gpu-hour"]
        self.storage_gib_month = prices["storage-gib-month"]
        self.currency = currency
        self.hours_per_month = hours_per_month
        self.source = source
        self.source_name = source_name
        self.date = date
        self.overridden = overridden

    def prices(self) -> dict[str, float]:
        """The prices keyed as in ``prices.json`` and the configuration."""
        return {"cpu-hour": self.cpu_hour, "memory-gib-hour": self.memory_gib_hour, "gpu-hour": self.gpu_hour,
                "storage-gib-month": self.storage_gib_month}

    def __repr__(self) -> str:
        return f"<PriceSheet {self.currency} {self.prices()}>"


class Amount(namedtuple("Amount", "value from_limits unbounded")):
    """One resource of one replica: ``value`` in cores or bytes, the part that can be priced;
    ``from_limits`` when some of it was read from limits because no request was written;
    ``unbounded`` when a long-running container sets neither, so the real amount has no ceiling."""

    __slots__ = ()


class Cost(namedtuple("Cost", "low high")):
    """Money for one period, from ``low`` to ``high``; ``high`` is None when there is no upper
    bound (``low`` is then what the bounded part costs at least)."""

    __slots__ = ()

    @property
    def unbounded(self) -> bool:
        return self.high is None


class WorkloadCost(namedtuple("WorkloadCost", "name kind source path span replicas basis cpu memory gpus "
                                              "storage hourly monthly notes")):
    """The price of one workload.

    ``replicas`` is ``(min, max)`` (``max`` None when an autoscaler sets no readable maximum).
    ``basis`` says what the cost covers: ``"month"``, a month of running (the monthly total);
    ``"node"``, a month on each node (a DaemonSet without a node count); ``"run-hour"``, an hour
    of a Job's run. ``cpu`` and ``memory`` are :class:`Amount` per replica (cores,
    bytes); ``gpus`` the GPUs and ``storage`` the bytes of claimed storage per replica;
    ``hourly`` a :class:`Cost` for all replicas; ``monthly`` the same × hours per month (None for
    basis ``run-hour``); ``notes`` say, for a person, what was assumed.
    """

    __slots__ = ()


# ---------------------------------------------------------------------------------------------
# The price sheet

def load_prices(overrides: dict | None = None) -> PriceSheet:
    """The default sheet (``data/prices.json``), with the configuration's ``prices`` applied key
    by key; an unknown key or a negative price is a :class:`ValueError`."""
    default = _default_sheet()
    prices = dict(default["prices"])
    overrides = dict(overrides or {})
    currency = overrides.pop("currency", default["currency"])
    for key, value in overrides.items():
        if key not in PRICE_KEYS:
            raise ValueError(f"unknown price {key!r}: expected one of {', '.join(PRICE_KEYS)} or currency")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"price {key!r} must be a number of at least 0, not {value!r}")
        prices[key] = float(value)
    return PriceSheet(prices, currency, default["hours-per-month"], default["source"], default["source-name"],
                      default["date"], tuple(key for key in PRICE_KEYS if key in overrides))


def _default_sheet() -> dict:
    if DATA_FILE not in _sheet_cache:
        import json

        with open(DATA_FILE, encoding="utf-8") as handle:
            _sheet_cache[DATA_FILE] = json.load(handle)
    return _sheet_cache[DATA_FILE]


# ---------------------------------------------------------------------------------------------
# Pricing

def price_workloads(workloads: list[Workload], prices: PriceSheet, nodes: int | None = None, *,
                    objects: Iterable[KObject] = ()) -> list[WorkloadCost]:
    """One :class:`WorkloadCost` per workload, in order. ``nodes`` is the node count a DaemonSet
    runs on; ``objects`` are the Kubernetes objects of the same input (all files), searched for
    HorizontalPodAutoscalers."""
    autoscalers = _autoscalers(objects)
    return [_price(workload, prices, nodes, autoscalers) for workload in workloads]


def _price(workload: Workload, prices: PriceSheet, nodes: int | None, autoscalers: dict) -> WorkloadCost:
    notes: list[str] = []
    requests = {container: _container_requests(container, workload.source, notes)
                for container in workload.containers}
    _note_unbounded(workload, requests, notes)
    cpu, cpu_step = _pod_amount(workload, requests, "cpu")
    memory, memory_step = _pod_amount(workload, requests, "memory")
    gpus = _pod_amount(workload, requests, "gpus")[0].value
    _note_init_step(cpu_step, memory_step, notes)
    storage = _claimed_storage(workload, notes)
    replicas, basis = _replicas(workload, nodes, autoscalers, notes)

    per_replica = (cpu.value * prices.cpu_hour + memory.value / GIB * prices.memory_gib_hour
                   + gpus * prices.gpu_hour + storage / GIB * prices.storage_gib_month / prices.hours_per_month)
    low, high = replicas
    unbounded = cpu.unbounded or memory.unbounded
    if high == 0:
        hourly = Cost(0.0, 0.0)  # scaled to zero: nothing runs, bounded or not
    else:
        hourly = Cost(low * per_replica, None if unbounded or high is None else high * per_replica)
    monthly = None if basis == "run-hour" else Cost(
        hourly.low * prices.hours_per_month, None if hourly.unbounded else hourly.high * prices.hours_per_month)
    return WorkloadCost(workload.name, workload.kind, workload.source, workload.path, workload.anchor, replicas,
                        basis, cpu, memory, gpus, storage, hourly, monthly, tuple(notes))


# --- one container ----------------------------------------------------------------------------

def _container_requests(container: Container, source: str, notes: list[str]) -> dict[str, tuple]:
    """``{"cpu"|"memory"|"gpus": (amount or None, from_limit)}``; None when neither a request
    nor a limit can be read. Notes say which came from limits and which could not be read."""
    found: dict[str, tuple] = {}
    from_limits, unreadable = [], []
    for resource in ("cpu", "memory"):
        request, limit = container.requests.get(resource), container.limits.get(resource)
        for written, which in ((request, "request"), (limit, "limit")):
            if written is not None and written.amount is None:
                unreadable.append(f"{_RESOURCE_WORDS[resource]} {which} '{written.raw}'")
        if request is not None and request.amount is not None:
            found[resource] = (request.amount, False)
        elif limit is not None and limit.amount is not None:
            found[resource] = (limit.amount, True)
            from_limits.append(_RESOURCE_WORDS[resource])
        else:
            found[resource] = (None, False)
    found["gpus"] = (_container_gpus(container, source, notes), False)

    who = _who(container, source)
    if unreadable:
        notes.append(f"{who}{_join(unreadable)} cannot be read")
    if from_limits:
        words, plural = " or ".join(from_limits), "s" if len(from_limits) > 1 else ""
        if source == "compose":
            notes.append(f"{who}no {words} reservation: priced at the limit{plural}")
        else:
            notes.append(f"{who}no {words} request: Kubernetes uses the limit{plural} as the request{plural}")
    return found


def _who(container: Container, source: str) -> str:
    """The prefix naming the container in a note (a Compose service has only one)."""
    if source == "compose":
        return ""
    return f"{'init container' if container.init else 'container'} '{container.name}': "


def _container_gpus(container: Container, source: str, notes: list[str]) -> int:
    if source == "compose":
        return _compose_gpus(container.node, notes)
    resources = container.node.get("resources")
    if resources is None:
        return 0
    # An extended resource's request equals its limit; a limit alone is the request.
    amounts = {key: node for which in ("limits", "requests") for key, node in _items(resources.get(which))
               if key.endswith("/gpu")}
    total = 0
    for key, node in amounts.items():
        try:
            total += int(parse_cpu(node.value))
        except ValueError:
            notes.append(f"{_who(container, source)}{key} '{node.text()}' cannot be read; not priced")
    return total


def _compose_gpus(service, notes: list[str]) -> int:
    devices = service.at("deploy", "resources", "reservations", "devices")
    total = 0
    for device in devices.value if devices is not None and devices.is_seq else ():
        capabilities = device.get("capabilities")
        if capabilities is None or not any(item.text() == "gpu" for item in capabilities.children()):
            continue
        count, ids = device.get("count"), device.get("device_ids")
        if ids is not None and ids.is_seq:
            total += len(ids.value)
        elif count is not None and _whole_number(count.value) is not None:
            total += _whole_number(count.value)
        else:
            notes.append("reserves all of the host's GPUs (count: all): how many is unknown, none priced")
    return total


# --- the pod ----------------------------------------------------------------------------------

def _pod_amount(workload: Workload, requests: dict, resource: str) -> tuple[Amount, str | None]:
    """The pod's effective request of ``resource``: the larger of what its long-running
    containers need together and what its largest init container needs while it runs; and
    the name of that init container when it is the larger."""
    app, app_limits, unbounded = 0, False, False
    sidecars, sidecar_limits = 0, False
    peak = None  # (amount, from_limits, init container name) of the largest init step
    for container in workload.containers:
        amount, from_limit = requests[container][resource]
        long_running = not container.init or _is_sidecar(container)
        if amount is None:
            unbounded = unbounded or (long_running and resource != "gpus")
            amount = 0
        if not container.init:
            app, app_limits = app + amount, app_limits or from_limit
        elif long_running:
            sidecars, sidecar_limits = sidecars + amount, sidecar_limits or from_limit
        else:
            step = (amount + sidecars, from_limit or sidecar_limits, container.name)
            if peak is None or step[0] > peak[0]:
                peak = step
    total = app + sidecars
    if peak is not None and peak[0] > total:
        return Amount(peak[0], peak[1], unbounded), peak[2]
    return Amount(total, app_limits or sidecar_limits, unbounded), None


def _note_init_step(cpu_step: str | None, memory_step: str | None, notes: list[str]) -> None:
    if cpu_step is None and memory_step is None:
        return
    if cpu_step == memory_step:
        notes.append(f"init container '{cpu_step}' needs more CPU and memory than the app containers together: "
                     f"its requests set the pod's")
        return
    for step, word in ((cpu_step, "CPU"), (memory_step, "memory")):
        if step is not None:
            notes.append(f"init container '{step}' needs more {word} than the app containers together: its "
                         f"request sets the pod's")


def _is_sidecar(container: Container) -> bool:
    policy = container.node.get("restartPolicy")
    return container.init and policy is not None and policy.text() == "Always"


def _note_unbounded(workload: Workload, requests: dict, notes: list[str]) -> None:
    """A note for each long-running container that sets neither a request nor a limit."""
    for container in workload.containers:
        if container.init and not _is_sidecar(container):
            continue  # it finishes before the app starts: nothing written means nothing set aside
        missing = [resource for resource in ("cpu", "memory") if requests[container][resource][0] is None]
        if not missing:
            continue
        words = " or ".join(_RESOURCE_WORDS[resource] for resource in missing)
        request = "reservation" if workload.source == "compose" else "request"
        # Written but unreadable (an unset variable) is as unbounded as not written, but not the same mistake.
        readable = " readable" if any(r in container.requests or r in container.limits for r in missing) else ""
        notes.append(f"{_who(container, workload.source)}no{readable} {words} {request} or limit: its cost has no "
                     f"upper bound")


def _claimed_storage(workload: Workload, notes: list[str]) -> int:
    """Bytes of storage each replica claims through ``volumeClaimTemplates``."""
    templates = workload.node.at("spec", "volumeClaimTemplates") if workload.source == "kubernetes" else None
    total = 0
    for template in templates.value if templates is not None and templates.is_seq else ():
        written = template.at("spec", "resources", "requests", "storage")
        if written is None:
            continue
        name = template.at("metadata", "name")
        try:
            total += parse_memory(written.value)
        except ValueError:
            notes.append(f"storage of claim '{name.text() if name else '?'}' ('{written.text()}') cannot be read; "
                         f"not priced")
    return total


# --- replicas ---------------------------------------------------------------------------------

def _replicas(workload: Workload, nodes: int | None, autoscalers: dict,
              notes: list[str]) -> tuple[tuple[int, int | None], str]:
    """``((min, max), basis)``."""
    if workload.kind == "DaemonSet" or _compose_global(workload):
        if nodes is None:
            notes.append("one pod per node: the cost is per node, outside the monthly total until the node "
                         "count is given")
            return (1, 1), "node"
        notes.append(f"one pod on each of {nodes} node{'s' if nodes != 1 else ''}")
        return (nodes, nodes), "month"
    if workload.source == "kubernetes" and workload.kind in _JOB_KINDS:
        parallelism = _job_parallelism(workload, notes)
        notes.append(f"priced per hour of a run, {parallelism} pod{'s' if parallelism != 1 else ''} at once")
        return (parallelism, parallelism), "run-hour"
    autoscaler = autoscalers.get(_target_key(workload)) if workload.source == "kubernetes" else None
    if autoscaler is not None:
        return _autoscaled(autoscaler, notes), "month"
    if workload.replicas is None:
        return (1, 1), "month"
    count = _whole_number(workload.replicas.value)
    if count is None:
        notes.append(f"replicas '{workload.replicas.value}' cannot be read: 1 assumed")
        count = 1
    return (count, count), "month"


def _compose_global(workload: Workload) -> bool:
    mode = workload.node.at("deploy", "mode") if workload.source == "compose" else None
    return mode is not None and mode.text() == "global"


def _job_parallelism(workload: Workload, notes: list[str]) -> int:
    spec = ("spec", "jobTemplate", "spec") if workload.kind == "CronJob" else ("spec",)
    written = workload.node.at(*spec, "parallelism")
    if written is None or written.value is None:
        return 1
    count = _whole_number(written.value)
    if count is None:
        notes.append(f"parallelism '{written.text()}' cannot be read: 1 assumed")
        return 1
    return count


def _autoscalers(objects: Iterable[KObject]) -> dict[tuple, KObject]:
    """HorizontalPodAutoscalers by the (namespace, kind, name) they scale; the first one wins."""
    found: dict[tuple, KObject] = {}
    for obj in objects:
        if obj.kind != "HorizontalPodAutoscaler":
            continue
        target = obj.node.at("spec", "scaleTargetRef")
        kind, name = (target.get("kind"), target.get("name")) if target is not None else (None, None)
        if kind is not None and name is not None:
            found.setdefault((obj.namespace or "", kind.text(), name.text()), obj)
    return found


def _target_key(workload: Workload) -> tuple:
    namespace = workload.node.at("metadata", "namespace")
    return (namespace.text() if namespace is not None and namespace.text() else "", workload.kind, workload.name)


def _autoscaled(autoscaler: KObject, notes: list[str]) -> tuple[int, int | None]:
    spec = autoscaler.node.get("spec")
    low_node, high_node = spec.get("minReplicas"), spec.get("maxReplicas")
    low = 1 if low_node is None or low_node.value is None else _whole_number(low_node.value)
    high = _whole_number(high_node.value) if high_node is not None else None
    label = f"HorizontalPodAutoscaler '{autoscaler.name}'"
    if low is None:
        notes.append(f"{label}: minReplicas '{low_node.text()}' cannot be read: 1 assumed")
        low = 1
    if high is None:
        notes.append(f"{label} scales it from {low} replica{'s' if low != 1 else ''} with no readable "
                     f"maxReplicas: no upper bound")
    else:
        notes.append(f"{label} scales it between {low} and {high} replicas")
    return low, high


def _join(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _items(node) -> list:
    return list(node.items()) if node is not None else []


def _whole_number(value) -> int | None:
    """A count written as an integer or as digits; None for anything else (a template, a bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
