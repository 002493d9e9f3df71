"""linter/cost/price.py and linter/report/price.py: what each workload costs per month.

Every expected figure is worked out by hand from the default prices in
linter/cost/data/prices.json (OpenCost's defaults):

    CPU     $0.031611 per vCPU-hour
    memory  $0.004237 per GiB-hour
    GPU     $0.95 per GPU-hour
    storage $0.04 per GiB-month
    a month is 730 hours
"""
from __future__ import annotations

import json
import os
import textwrap

import jsonschema
import pytest

from linter.config import ConfigError, load_settings
from linter.cost.price import DATA_FILE, load_prices, price_workloads
from linter.parsers.compose import parse_compose
from linter.parsers.compose import to_workloads as compose_workloads
from linter.parsers.kubernetes import parse_kubernetes
from linter.parsers.kubernetes import to_workloads as kubernetes_workloads
from linter.parsers.yaml import parse_yaml
from linter.report.price import render_json, render_markdown, render_text
from linter.resources import data_dir

CPU_HOUR = 0.031611
GIB_HOUR = 0.004237
HOURS = 730

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          image: example/web:1.0
          resources:
            requests: {cpu: 500m, memory: 512Mi}
            limits: {cpu: "1", memory: 1Gi}
"""
# One replica of DEPLOYMENT: half a core and half a GiB.
WEB_REPLICA_HOUR = 0.5 * CPU_HOUR + 0.5 * GIB_HOUR  # 0.0158055 + 0.0021185 = 0.017924

HPA = """
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web-scaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
"""


def kubernetes(text: str, path: str = "k8s.yaml"):
    """The workloads of a manifest, and all its objects (where autoscalers are found)."""
    stream = parse_kubernetes(parse_yaml(textwrap.dedent(text).lstrip("\n"), path).documents, path)
    return kubernetes_workloads(stream), stream.objects


def compose(text: str, path: str = "compose.yaml"):
    return compose_workloads(parse_compose(parse_yaml(textwrap.dedent(text).lstrip("\n"), path).documents, path))


def price_manifest(text: str, nodes: int | None = None, prices=None):
    workloads, objects = kubernetes(text)
    return price_workloads(workloads, prices or load_prices(), nodes, objects=objects)


def by_name(costs) -> dict:
    return {cost.name: cost for cost in costs}


def total_line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if line.startswith("Total")]
    return line


# -- the price sheet ---------------------------------------------------------------------------


def test_the_default_sheet_is_opencost_with_its_source_and_date():
    prices = load_prices()
    assert prices.prices() == {"cpu-hour": 0.031611, "memory-gib-hour": 0.004237, "gpu-hour": 0.95,
                               "storage-gib-month": 0.04}
    assert (prices.currency, prices.hours_per_month, prices.date) == ("USD", 730, "2026-11-27")
    assert prices.source.startswith("https://github.com/opencost/opencost/blob/")
    assert prices.source.endswith("/configs/default.json")
    assert prices.overridden == ()


def test_prices_json_follows_its_schema():
    with open(os.path.join(data_dir("schemas"), "prices.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    with open(DATA_FILE, encoding="utf-8") as handle:
        document = json.load(handle)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []


def test_overrides_replace_prices_key_by_key():
    prices = load_prices({"cpu-hour": 0.05, "currency": "EUR"})
    assert (prices.cpu_hour, prices.memory_gib_hour, prices.currency) == (0.05, 0.004237, "EUR")
    assert prices.overridden == ("cpu-hour",)


@pytest.mark.parametrize("overrides, message", [
    ({"cpu": 0.05}, "unknown price 'cpu'"),
    ({"cpu-hour": -1}, "price 'cpu-hour' must be a number of at least 0, not -1"),
    ({"cpu-hour": "cheap"}, "price 'cpu-hour' must be a number of at least 0, not 'cheap'"),
])
def test_bad_overrides_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        load_prices(overrides)


# -- Kubernetes ---------------------------------------------------------------------------------


def test_a_deployment_costs_its_requests_times_its_replicas():
    (cost,) = price_manifest(DEPLOYMENT)
    assert (cost.name, cost.kind, cost.path, cost.replicas, cost.basis) == ("web", "Deployment", "k8s.yaml", (3, 3),
                                                                             "month")
    assert (cost.span.line, cost.span.column) == (4, 9)  # metadata.name
    assert (cost.cpu.value, cost.cpu.from_limits, cost.memory.value, cost.memory.from_limits) == \
        (0.5, False, 512 * 2 ** 20, False)
    # 3 × 0.017924 = 0.053772 per hour; × 730 = 39.25356 per month.
    assert cost.hourly.low == cost.hourly.high == pytest.approx(3 * WEB_REPLICA_HOUR) == pytest.approx(0.053772)
    assert cost.monthly.low == cost.monthly.high == pytest.approx(39.25356)
    assert cost.notes == ()
    text = render_text([cost], load_prices())
    assert "$39.25" in text.splitlines()[1]
    assert total_line(text) == "Total (1 workload): $39.25 per month"


def test_limits_stand_in_for_missing_requests_and_the_row_says_so():
    (cost,) = price_manifest("""
        apiVersion: v1
        kind: Pod
        metadata: {name: tool}
        spec:
          containers:
            - name: tool
              image: example/tool:1.0
              resources:
                requests: {memory: 256Mi}
                limits: {cpu: 250m, memory: 1Gi}
        """)
    assert (cost.cpu.value, cost.cpu.from_limits) == (0.25, True)
    assert (cost.memory.value, cost.memory.from_limits) == (256 * 2 ** 20, False)
    # 0.25 × 0.031611 + 0.25 × 0.004237 = 0.00790275 + 0.00105925 = 0.008962 per hour; × 730 = 6.54226.
    assert cost.monthly.high == pytest.approx(6.54226)
    assert cost.notes == ("container 'tool': no CPU request: Kubernetes uses the limit as the request",)
    text = render_text([cost], load_prices())
    assert "0.25*" in text and "$6.54" in text
    assert "* read from limits: no request (reservation) is written" in text


def test_a_container_with_neither_requests_nor_limits_is_unbounded_not_free():
    (cost,) = price_manifest("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: api
                  image: example/api:1.0
                  resources:
                    requests: {cpu: "1", memory: 2Gi}
                - name: log-shipper
                  image: example/shipper:1.0
        """)
    assert cost.cpu.unbounded and cost.memory.unbounded
    assert cost.monthly.unbounded
    # The bounded part: 2 × (1 × 0.031611 + 2 × 0.004237) = 2 × 0.040085 = 0.08017 per hour; × 730 = 58.5241.
    assert cost.monthly.low == pytest.approx(58.5241)
    assert cost.notes == ("container 'log-shipper': no CPU or memory request or limit: its cost has no upper bound",)
    text = render_text([cost], load_prices())
    assert "≥ $58.52 + unbounded" in text.splitlines()[1]
    assert total_line(text) == "Total (1 workload): ≥ $58.52 + unbounded per month"


def test_a_best_effort_pod_alone_is_shown_as_unbounded():
    (cost,) = price_manifest("""
        apiVersion: v1
        kind: Pod
        metadata: {name: scratch}
        spec:
          containers:
            - {name: scratch, image: "example/scratch:1.0"}
        """)
    assert (cost.monthly.low, cost.monthly.high) == (0, None)
    row = render_text([cost], load_prices()).splitlines()[1]
    assert row.split()[2:6] == ["1", "unset", "unset", "unbounded"]


def test_an_hpa_turns_the_replicas_into_a_range():
    (cost,) = price_manifest(DEPLOYMENT + HPA)
    assert cost.replicas == (2, 10)
    # 2 × 0.017924 × 730 = 26.16904; 10 × 0.017924 × 730 = 130.8452.
    assert (cost.monthly.low, cost.monthly.high) == (pytest.approx(26.16904), pytest.approx(130.8452))
    assert cost.notes == ("HorizontalPodAutoscaler 'web-scaler' scales it between 2 and 10 replicas",)
    text = render_text([cost], load_prices())
    assert "2–10" in text and "$26.17 – $130.85" in text
    assert total_line(text) == "Total (1 workload): $26.17 – $130.85 per month"


def test_an_hpa_in_another_file_of_the_same_input_applies_too():
    workloads, _ = kubernetes(DEPLOYMENT, "deployment.yaml")
    _, autoscalers = kubernetes(HPA, "hpa.yaml")
    (cost,) = price_workloads(workloads, load_prices(), objects=autoscalers)
    assert cost.replicas == (2, 10)


@pytest.mark.parametrize("change", [
    ("name: web}", "name: api}"),                        # another target
    ("kind: Deployment, name: web", "kind: StatefulSet, name: web"),
    ("  name: web-scaler\n", "  name: web-scaler\n  namespace: other\n"),  # another namespace
])
def test_an_hpa_for_another_workload_changes_nothing(change):
    (cost,) = price_manifest(DEPLOYMENT + HPA.replace(*change))
    assert cost.replicas == (3, 3)


def test_an_hpa_without_min_replicas_starts_at_one():
    (cost,) = price_manifest(DEPLOYMENT + HPA.replace("  minReplicas: 2\n", ""))
    assert cost.replicas == (1, 10)


DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: example/agent:1.0
          resources:
            requests: {cpu: 100m, memory: 128Mi}
"""
# One pod: 0.1 × 0.031611 + 0.125 × 0.004237 = 0.0031611 + 0.000529625 = 0.003690725 per hour;
# × 730 = 2.69422925 per node and month.


def test_a_daemonset_with_a_node_count_is_one_pod_per_node():
    (cost,) = price_manifest(DAEMONSET, nodes=5)
    assert (cost.replicas, cost.basis) == ((5, 5), "month")
    assert cost.monthly.high == pytest.approx(5 * 2.69422925)  # 13.47114625
    assert cost.notes == ("one pod on each of 5 nodes",)
    assert total_line(render_text([cost], load_prices())) == "Total (1 workload): $13.47 per month"


def test_a_daemonset_without_a_node_count_is_priced_per_node_outside_the_total():
    costs = price_manifest(DEPLOYMENT + "---\n" + DAEMONSET)
    daemonset = by_name(costs)["node-agent"]
    assert (daemonset.replicas, daemonset.basis) == ((1, 1), "node")
    assert daemonset.monthly.high == pytest.approx(2.69422925)
    assert daemonset.notes == ("one pod per node: the cost is per node, outside the monthly total until the node "
                               "count is given",)
    text = render_text(costs, load_prices())
    assert "1 per node" in text and "$2.69 per node" in text
    assert total_line(text) == "Total (2 workloads): $39.25 per month, plus $2.69 per node"


def test_the_effective_request_counts_the_largest_init_container_and_sidecars():
    (cost,) = price_manifest("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              initContainers:
                - name: proxy
                  image: example/proxy:1.0
                  restartPolicy: Always
                  resources: {requests: {cpu: 100m, memory: 64Mi}}
                - name: migrate
                  image: example/migrate:1.0
                  resources: {requests: {cpu: "1", memory: 128Mi}}
                - name: wait
                  image: busybox:1.36
              containers:
                - name: app
                  image: example/app:1.0
                  resources: {requests: {cpu: 250m, memory: 256Mi}}
        """)
    # CPU: app + sidecar = 0.25 + 0.1 = 0.35; migrate runs beside the started sidecar: 1 + 0.1 = 1.1 → 1.1.
    # Memory: app + sidecar = 256 + 64 = 320 Mi; migrate + sidecar = 128 + 64 = 192 Mi → 320 Mi.
    # An init container with no request ('wait') sets nothing aside and is not unbounded: it finishes.
    assert cost.cpu.value == pytest.approx(1.1)
    assert cost.memory.value == 320 * 2 ** 20
    assert not cost.cpu.unbounded and not cost.memory.unbounded
    # 1.1 × 0.031611 + 0.3125 × 0.004237 = 0.0347721 + 0.0013240625 = 0.0360961625 per hour; × 730 = 26.350198625.
    assert cost.monthly.high == pytest.approx(26.350198625)
    assert cost.notes == ("init container 'migrate' needs more CPU than the app containers together: its request "
                          "sets the pod's",)


def test_an_init_container_larger_in_both_resources():
    (cost,) = price_manifest("""
        apiVersion: v1
        kind: Pod
        metadata: {name: app}
        spec:
          initContainers:
            - name: warm-cache
              image: example/warm:1.0
              resources: {limits: {cpu: "2", memory: 4Gi}}
          containers:
            - name: app
              image: example/app:1.0
              resources: {requests: {cpu: 500m, memory: 1Gi}}
        """)
    assert (cost.cpu.value, cost.cpu.from_limits, cost.memory.value) == (2.0, True, 4 * 2 ** 30)
    # 2 × 0.031611 + 4 × 0.004237 = 0.063222 + 0.016948 = 0.08017 per hour; × 730 = 58.5241.
    assert cost.monthly.high == pytest.approx(58.5241)
    assert "init container 'warm-cache' needs more CPU and memory than the app containers together: its requests " \
           "set the pod's" in cost.notes


def test_a_cronjob_is_priced_per_run_hour_with_its_parallelism():
    costs = price_manifest(DEPLOYMENT + """
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              parallelism: 2
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: report
                      image: example/report:1.0
                      resources: {requests: {cpu: "2", memory: 4Gi}}
        """.replace("\n        ", "\n"))
    job = by_name(costs)["report"]
    assert (job.replicas, job.basis, job.monthly) == ((2, 2), "run-hour", None)
    # 2 pods × (2 × 0.031611 + 4 × 0.004237) = 2 × 0.08017 = 0.16034 per hour of a run.
    assert job.hourly.high == pytest.approx(0.16034)
    assert job.notes == ("priced per hour of a run, 2 pods at once",)
    text = render_text(costs, load_prices())
    assert "$0.16 per run-hour" in text
    assert total_line(text) == "Total (2 workloads): $39.25 per month, plus $0.16 per run-hour of the jobs"


def test_gpus_and_claimed_storage_are_priced():
    costs = price_manifest("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: inference}
        spec:
          template:
            spec:
              containers:
                - name: model
                  image: example/model:1.0
                  resources:
                    requests: {cpu: "1", memory: 4Gi}
                    limits: {nvidia.com/gpu: 1}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: db
                  image: postgres:17
                  resources: {requests: {cpu: 250m, memory: 1Gi}}
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                resources: {requests: {storage: 10Gi}}
        """)
    inference, db = by_name(costs)["inference"], by_name(costs)["db"]
    assert (inference.gpus, db.storage) == (1, 10 * 2 ** 30)
    # 1 × 0.031611 + 4 × 0.004237 + 1 × 0.95 = 0.998559 per hour; × 730 = 728.94807.
    assert inference.monthly.high == pytest.approx(728.94807)
    # Per replica: (0.25 × 0.031611 + 1 × 0.004237) × 730 = 0.01213975 × 730 = 8.8620175,
    # plus 10 GiB × 0.04 = 0.40; two replicas: 2 × 9.2620175 = 18.524035.
    assert db.monthly.high == pytest.approx(18.524035)


def test_an_unreadable_request_is_not_priced_as_zero():
    (cost,) = price_manifest(DEPLOYMENT.replace("cpu: 500m", "cpu: lots").replace('cpu: "1"', "cpu: more"))
    assert cost.cpu.unbounded and cost.monthly.unbounded
    assert cost.notes == ("container 'app': CPU request 'lots' and CPU limit 'more' cannot be read",
                          "container 'app': no readable CPU request or limit: its cost has no upper bound")


# -- Compose -----------------------------------------------------------------------------------


COMPOSE = """
services:
  limited:
    image: example/limited:1.0
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 256M}
  reserved:
    image: example/reserved:1.0
    deploy:
      replicas: 2
      resources:
        reservations: {cpus: "0.25", memory: 512M}
        limits: {cpus: "1", memory: 1G}
  bare:
    image: example/bare:1.0
"""


def test_compose_limits_only_reservations_and_nothing():
    costs = by_name(price_workloads(compose(COMPOSE), load_prices()))
    limited, reserved, bare = costs["limited"], costs["reserved"], costs["bare"]

    # Docker's M is MiB. Limits only: 0.5 × 0.031611 + 0.25 × 0.004237 = 0.0158055 + 0.00105925 = 0.01686475
    # per hour; × 730 = 12.3112675.
    assert (limited.kind, limited.replicas, limited.cpu.from_limits, limited.memory.from_limits) == \
        ("service", (1, 1), True, True)
    assert limited.monthly.high == pytest.approx(12.3112675)
    assert limited.notes == ("no CPU or memory reservation: priced at the limits",)

    # Reservations are the requests: 2 × (0.25 × 0.031611 + 0.5 × 0.004237) = 2 × 0.01002125 = 0.0200425
    # per hour; × 730 = 14.631025.
    assert (reserved.replicas, reserved.cpu.value, reserved.cpu.from_limits) == ((2, 2), 0.25, False)
    assert reserved.monthly.high == pytest.approx(14.631025)
    assert reserved.notes == ()

    assert bare.monthly == (0, None)
    assert bare.notes == ("no CPU or memory reservation or limit: its cost has no upper bound",)

    text = render_text(list(costs.values()), load_prices())
    rows = text.splitlines()[1:4]
    assert "$12.31" in rows[0] and "$14.63" in rows[1] and "unbounded" in rows[2]
    # 12.3112675 + 14.631025 = 26.9422925
    assert total_line(text) == "Total (3 workloads): ≥ $26.94 + unbounded per month"


def test_compose_scale_and_legacy_keys():
    (cost,) = compose("""
        services:
          worker:
            image: example/worker:1.0
            scale: 3
            cpus: 0.5
            mem_reservation: 256m
        """)
    (priced,) = price_workloads([cost], load_prices())
    assert priced.replicas == (3, 3)
    # cpus is a limit, mem_reservation a request: 3 × (0.5 × 0.031611 + 0.25 × 0.004237) × 730
    # = 3 × 0.01686475 × 730 = 36.9338025.
    assert (priced.cpu.from_limits, priced.memory.from_limits) == (True, False)
    assert priced.monthly.high == pytest.approx(36.9338025)


def test_a_global_compose_service_is_per_node_like_a_daemonset():
    services = compose("""
        services:
          agent:
            image: example/agent:1.0
            deploy:
              mode: global
              resources:
                reservations: {cpus: "0.1", memory: 128M}
        """)
    (per_node,) = price_workloads(services, load_prices())
    (on_four,) = price_workloads(services, load_prices(), nodes=4)
    assert (per_node.basis, on_four.basis, on_four.replicas) == ("node", "month", (4, 4))
    # 4 × 2.69422925 (as the DaemonSet above) = 10.776917.
    assert on_four.monthly.high == pytest.approx(10.776917)


def test_compose_gpu_reservations_are_priced():
    services = compose("""
        services:
          trainer:
            image: example/trainer:1.0
            deploy:
              resources:
                reservations:
                  cpus: "1"
                  memory: 4G
                  devices:
                    - {driver: nvidia, count: 2, capabilities: [gpu]}
        """)
    (cost,) = price_workloads(services, load_prices())
    # 1 × 0.031611 + 4 × 0.004237 + 2 × 0.95 = 1.948559 per hour; × 730 = 1422.44807.
    assert cost.gpus == 2
    assert cost.monthly.high == pytest.approx(1422.44807)
    assert "$1,422.45" in render_text([cost], load_prices())


# -- configuration -----------------------------------------------------------------------------


def test_prices_in_the_config_change_the_total(tmp_path):
    config = tmp_path / ".dlint.yaml"
    config.write_text("prices:\n  cpu-hour: 0.05\n  memory-gib-hour: 0.01\n", encoding="utf-8")
    prices = load_prices(load_settings(str(config)).prices)
    costs = price_manifest(DEPLOYMENT, prices=prices)
    # 3 × (0.5 × 0.05 + 0.5 × 0.01) = 3 × 0.03 = 0.09 per hour; × 730 = 65.70 (39.25 with the defaults).
    assert total_line(render_text(costs, prices)) == "Total (1 workload): $65.70 per month"
    assert "configured: cpu-hour, memory-gib-hour" in render_text(costs, prices)


def test_prices_in_pyproject(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.dlint.prices]\ncpu-hour = 0.04\nmemory-gib-hour = 0.005\ngpu-hour = 2.5\n'
                      'storage-gib-month = 0.1\ncurrency = "EUR"\n', encoding="utf-8")
    prices = load_prices(load_settings(str(config)).prices)
    costs = price_manifest(DEPLOYMENT, prices=prices)
    # 3 × (0.5 × 0.04 + 0.5 × 0.005) × 730 = 3 × 0.0225 × 730 = 49.275
    assert total_line(render_text(costs, prices)) == "Total (1 workload): 49.28 EUR per month"


@pytest.mark.parametrize("text, where, message", [
    ("prices:\n  cpu-hour: cheap\n", "2:13", "prices.cpu-hour: 'cheap' is not of type 'number'"),
    ("prices:\n  memory-gib-hour: -0.1\n", "2:20", "prices.memory-gib-hour: -0.1 is less than the minimum of 0"),
    ("prices:\n  cpu-hours: 0.1\n", "2:3", "prices.cpu-hours: unknown setting 'cpu-hours' (did you mean 'cpu-hour'?)"),
    ("prices:\n  currency: EUR\n  cpu-hour: 0.03\n", "2:3",
     "prices: 'memory-gib-hour' is a dependency of 'currency'"),
    ("prices:\n  currency: euro\n  cpu-hour: 1\n  memory-gib-hour: 1\n  gpu-hour: 1\n  storage-gib-month: 1\n",
     "2:13", "prices.currency: 'euro' does not match '^[A-Z]{3}$'"),
])
def test_a_bad_price_setting_is_a_positioned_config_error(tmp_path, text, where, message):
    config = tmp_path / ".dlint.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(str(config))
    assert str(error.value) == f"{config}:{where}: {message}"


# -- output --------------------------------------------------------------------------------------


def test_json_output_has_the_documented_shape():
    costs = price_manifest(DEPLOYMENT + HPA + "---\n" + DAEMONSET)
    document = json.loads(render_json(costs, load_prices()))
    assert document["currency"] == "USD" and document["hours_per_month"] == 730
    assert document["prices"]["cpu-hour"] == 0.031611
    assert document["price_source"]["date"] == "2026-11-27"
    web, agent = document["workloads"]
    assert {key: web[key] for key in ("name", "kind", "path", "line", "column", "basis", "replicas")} == {
        "name": "web", "kind": "Deployment", "path": "k8s.yaml", "line": 4, "column": 9, "basis": "month",
        "replicas": {"min": 2, "max": 10}}
    assert web["cpu"] == {"cores": 0.5, "from_limits": False, "unbounded": False}
    assert web["memory"] == {"bytes": 536870912, "from_limits": False, "unbounded": False}
    assert web["monthly"] == {"low": 26.16904, "high": 130.8452}
    assert agent["basis"] == "node" and agent["monthly"] == {"low": 2.694229, "high": 2.694229}
    assert document["total"] == {"monthly": {"low": 26.16904, "high": 130.8452},
                                 "per_node_monthly": {"low": 2.694229, "high": 2.694229}, "per_run_hour": None}


def test_json_shows_an_unbounded_cost_as_null_not_zero():
    (cost,) = price_workloads(compose("services:\n  bare:\n    image: example/bare:1.0\n"), load_prices())
    document = json.loads(render_json([cost], load_prices()))
    assert document["workloads"][0]["monthly"] == {"low": 0.0, "high": None}
    assert document["total"]["monthly"] == {"low": 0.0, "high": None}


def test_markdown_is_a_table_with_a_total_row():
    costs = price_manifest(DEPLOYMENT + HPA)
    lines = render_markdown(costs, load_prices()).splitlines()
    assert lines[0] == "| Workload | Kind | Replicas | CPU | Memory | Monthly cost | Notes |"
    assert lines[2] == ("| `web`<br><sub>k8s.yaml:4</sub> | Deployment | 2–10 | 0.5 | 512 MiB | $26.17 – $130.85 | "
                        "HorizontalPodAutoscaler 'web-scaler' scales it between 2 and 10 replicas |")
    assert lines[3] == "| **Total** | | | | | **$26.17 – $130.85 per month** | |"


def test_rows_of_several_files_are_grouped_under_their_path():
    costs = price_workloads(compose(COMPOSE, "app/compose.yaml") + kubernetes(DEPLOYMENT, "k8s/web.yaml")[0],
                            load_prices())
    lines = render_text(costs, load_prices()).splitlines()
    assert lines[1] == "app/compose.yaml:" and lines[5] == "k8s/web.yaml:"
