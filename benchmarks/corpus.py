"""A deterministic corpus of Dockerfiles, Compose files and Kubernetes manifests, laid out the
way a monorepo holds them: one folder per service with its Dockerfile, often a Compose file,
often a ``k8s/`` folder of manifests, sometimes a ``.dockerignore``.

The same ``seed`` always gives the same files, and a larger ``count`` with the same seed starts
with the files of a smaller one, so 1x, 4x and 16x corpora differ only in size.

What it covers: multi-stage builds, ``RUN``/``COPY`` heredocs (one holding a ``FROM`` line),
long ``RUN`` chains, ``--mount`` caches, ARGs before ``FROM``, variable base images, digests,
registries with ports, non-ASCII labels, and about 1 % each of CRLF files, a backtick
``escape`` directive, a trailing backslash at the end and an unterminated heredoc; Compose
files of 2 to 12 services and a few of 50, with ``x-`` anchors and ``<<`` merges,
``${VAR:-default}``, healthchecks, deploy limits, bind mounts and overrides; Kubernetes
streams of one to eight objects (and a few of 60) across Deployments, StatefulSets, CronJobs,
Jobs, DaemonSets, Pods, Services, ConfigMaps, Ingresses, HPAs, PDBs, ``List`` objects and a
custom resource.

    /tmp/venv/bin/python benchmarks/corpus.py OUT [--files 1000] [--seed 1]

writes the corpus to OUT and prints what it holds. The benchmarks import :func:`generate`.
"""
from __future__ import annotations

import argparse
import random
from collections import Counter, namedtuple
from pathlib import Path

CorpusFile = namedtuple("CorpusFile", "path kind")

# -- Dockerfiles ----------------------------------------------------------------------------

DOCKERFILE_NAMES = ["Dockerfile"] * 6 + ["Dockerfile.dev", "Dockerfile.prod", "app.dockerfile", "dockerfile"]
BASES = ["ubuntu", "ubuntu:22.04", "debian:bookworm-slim", "python:3.12-slim", "node:20-alpine", "golang:1.22",
         "alpine:3.19", "nginx:latest", "registry.example.com:5000/team/base:1.4.2",
         "python@sha256:" + "ab" * 32, "${BASE_IMAGE}", "$BASE_IMAGE:${TAG:-stable}"]
APT = ["curl", "ca-certificates", "git", "build-essential", "libpq-dev", "jq=1.6-2.1", "gnupg", "unzip", "tini"]
PIP = ["flask", "requests==2.32.3", "gunicorn", "'uvicorn[standard]>=0.30'", "-r requirements.txt", "numpy"]
NPM = ["typescript", "pm2@5", "@angular/cli", "yarn"]
CHAIN_STEPS = ["mkdir -p /opt/app/{n}", "cd /opt/app/{n}", "curl -fsSL https://example.com/{n}.tgz -o /tmp/{n}.tgz",
               "tar -xzf /tmp/{n}.tgz -C /opt/app/{n}", "rm -f /tmp/{n}.tgz", "chmod +x /opt/app/{n}/run",
               "ln -s /opt/app/{n}/run /usr/local/bin/tool{n}", "echo 'tool {n} installed' >> /var/log/setup.log",
               "sed -i 's/^#\\s*\\(listen\\)/\\1/' /etc/app{n}.conf", "useradd --system --uid 10{n:02d} svc{n}"]


def _run_block(rng: random.Random) -> str:
    kind = rng.choice(["apt", "apt", "pip", "npm", "apk", "heredoc", "mount", "shell", "chain"])
    if kind == "apt":
        packages = rng.sample(APT, rng.randint(1, 6))
        flags = rng.choice(["-y", "-y --no-install-recommends", "-qq -y"])
        lines = ["apt-get update", f"apt-get install {flags} \\\n        " + " \\\n        ".join(packages)]
        if rng.random() < 0.6:
            lines.append("rm -rf /var/lib/apt/lists/*")
        return "RUN " + " \\\n    && ".join(lines)
    if kind == "pip":
        cache = rng.choice(["", "--no-cache-dir "])
        return f"RUN pip install {cache}" + " ".join(rng.sample(PIP, rng.randint(1, 3)))
    if kind == "npm":
        return rng.choice(["RUN npm ci --omit=dev", "RUN npm install -g " + " ".join(rng.sample(NPM, 2)),
                           "RUN npm install && npm run build \\\n    # comment inside a continuation\n    && npm prune"])
    if kind == "apk":
        return "RUN apk add --no-cache " + " ".join(rng.sample(["bash", "curl", "git", "openssl"], 2))
    if kind == "heredoc":
        return ("RUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF" if rng.random() < 0.5 else
                "COPY <<-CONF /etc/app.conf\n\tFROM inside a heredoc is not an instruction\n\tport=8080\n\tCONF")
    if kind == "mount":
        return "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt"
    if kind == "chain":  # the long RUN chains of hand-grown Dockerfiles
        steps = [rng.choice(CHAIN_STEPS).format(n=rng.randint(0, 99)) for _ in range(rng.randint(12, 40))]
        return "RUN set -eux \\\n    && " + " \\\n    && ".join(steps)
    return "RUN set -e; for f in a b c; do echo \"$f\" > /tmp/$f; done; if [ -n \"$X\" ]; then echo 'x'; fi"


def _stage(rng: random.Random, index: int, aliases: list[str]) -> list[str]:
    alias = rng.choice(["build", "deps", "test", "assets", "compile"]) + str(index)
    out = [f"FROM {rng.choice(BASES)}" + (f" AS {alias}" if rng.random() < 0.7 else "")]
    if rng.random() < 0.4:
        out.append(rng.choice(["ARG VERSION=1.0", "ARG TARGETPLATFORM", "ARG PIP_INDEX_URL"]))
    for _ in range(rng.randint(2, 9)):
        choice = rng.random()
        if choice < 0.45:
            out.append(_run_block(rng))
        elif choice < 0.6:
            if aliases and rng.random() < 0.5:
                chown = "--chown=1000:1000 " if rng.random() < 0.3 else ""
                out.append(f"COPY {chown}--from={rng.choice(aliases)} /out /usr/local/bin/")
            else:
                out.append("COPY " + rng.choice([". .", "package*.json ./", "requirements.txt /app/"]))
        elif choice < 0.7:
            out.append(rng.choice(["ENV PATH=/opt/venv/bin:$PATH", "ENV LANG C.UTF-8", "ENV A=1 \\\n    B=\"two words\""]))
        elif choice < 0.78:
            out.append(rng.choice(["WORKDIR /app", "WORKDIR $HOME/src", "USER 1000", "USER app:app", "EXPOSE 8080/tcp"]))
        elif choice < 0.86:
            out.append(rng.choice(['LABEL org.opencontainers.image.title="Démo ☃" \\\n      version="1.0"',
                                   "ADD https://example.com/tool.tar.gz /tmp/", "VOLUME [\"/data\"]",
                                   "HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1"]))
        else:
            out.append(rng.choice(["# a comment", "", "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                                   "ONBUILD RUN make", "STOPSIGNAL SIGTERM"]))
    aliases.append(alias)
    return out


def dockerfile(rng: random.Random) -> str:
    head: list[str] = []
    aliases: list[str] = []
    if rng.random() < 0.3:
        head.append("# syntax=docker/dockerfile:1.7")
    if rng.random() < 0.3:
        head.append("ARG BASE_IMAGE=python:3.12-slim\nARG TAG")
    body = [line for index in range(rng.choice([1, 1, 2, 2, 3, 4])) for line in _stage(rng, index, aliases)]
    body.append(rng.choice(['CMD ["python", "-m", "app"]', "CMD npm start", 'ENTRYPOINT ["/sbin/tini", "--"]']))
    text = "\n".join(head + body) + "\n"
    odd = rng.random()  # a few awkward but real-world files
    if odd < 0.01:
        text = text.replace("\n", "\r\n")
    elif odd < 0.02:
        text = "# escape=`\n" + text.replace("\\\n", "`\n")
    elif odd < 0.03:
        text += "RUN echo unterminated \\\n"
    elif odd < 0.04:
        text += "RUN <<EOF\necho heredoc never closed\n"
    return text


# -- YAML -----------------------------------------------------------------------------------

_PLAIN_UNSAFE = set(":#{}[],&*!|>'\"%@`")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def _scalar(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    needs_quotes = (not text or text.lower() in _YAML_WORDS or text[0] in "-?" or text != text.strip()
                    or any(ch in _PLAIN_UNSAFE for ch in text) or text.replace(".", "", 1).isdigit())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if needs_quotes else text


def to_yaml(value, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and scalars (enough for generated manifests)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{_scalar(key)}:\n" + to_yaml(item, indent + 2 if isinstance(item, dict) else indent))
            else:
                out.append(f"{pad}{_scalar(key)}: {_inline(item)}".rstrip() + "\n")
        return "".join(out)
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict) and item:
                nested = to_yaml(item, indent + 2)
                out.append(f"{pad}- " + nested[indent + 2:])
            else:
                out.append(f"{pad}- {_inline(item)}\n")
        return "".join(out)
    return pad + _scalar(value) + "\n"


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return _scalar(value)


# -- Compose files --------------------------------------------------------------------------

COMPOSE_NAMES = ["compose.yaml"] * 3 + ["docker-compose.yml"] * 3 + ["docker-compose.prod.yml", "compose.dev.yaml"]
STATEFUL = {"postgres:16": "/var/lib/postgresql/data", "mysql:8.4": "/var/lib/mysql", "mongo:7": "/data/db",
            "redis:7-alpine": "/data", "rabbitmq:3-management": "/var/lib/rabbitmq",
            "elasticsearch:8.13.0": "/usr/share/elasticsearch/data", "jenkins/jenkins:lts": "/var/jenkins_home"}
STATELESS = ["nginx:1.27", "nginx", "traefik:v3.0", "registry.example.com/team/api:2.3.1", "ghcr.io/acme/worker:latest",
             "busybox", "grafana/grafana:10.4.2", "prom/prometheus:v2.51.0", "localhost:5000/tools/cron:1"]


def compose_service(rng: random.Random, name: str, others: list[str]) -> dict:
    service: dict = {}
    if rng.random() < 0.35:
        service["build"] = rng.choice([".", {"context": ".", "dockerfile": "Dockerfile"},
                                       {"context": f"./{name}", "args": {"VERSION": "${VERSION:-1.0}"}}])
    stateful = rng.random() < 0.3
    image = rng.choice(list(STATEFUL)) if stateful else rng.choice(STATELESS)
    service["image"] = image
    if rng.random() < 0.6:
        service["restart"] = rng.choice(["unless-stopped", "always", "on-failure"])
    if rng.random() < 0.5:
        service["ports"] = [rng.choice([f"{rng.randint(3000, 9999)}:8080", "127.0.0.1:5432:5432", "80:80",
                                        "${HTTP_PORT:-8080}:8080"])]
    environment = {"LOG_LEVEL": rng.choice(["info", "debug"]), "TZ": "Europe/Zürich"}
    if rng.random() < 0.3:
        environment["DB_PASSWORD"] = rng.choice(["hunter2", "${DB_PASSWORD:?set it}"])
    service["environment"] = environment if rng.random() < 0.6 else [f"{k}={v}" for k, v in environment.items()]
    volumes = []
    if stateful and rng.random() < 0.7:
        volumes.append(f"{name}-data:{STATEFUL[image]}")
    if rng.random() < 0.2:
        volumes.append(rng.choice(["./config:/etc/app:ro", "/var/run/docker.sock:/var/run/docker.sock",
                                   "/etc:/host-etc:ro", "/srv/cache"]))
    if volumes:
        service["volumes"] = volumes
    if others and rng.random() < 0.5:
        picked = rng.sample(others, min(len(others), rng.randint(1, 3)))
        service["depends_on"] = (picked if rng.random() < 0.5 else
                                 {other: {"condition": rng.choice(["service_healthy", "service_started"])}
                                  for other in picked})
    if rng.random() < 0.5:
        service["networks"] = rng.sample(["frontend", "backend"], rng.randint(1, 2))
    if rng.random() < 0.5:
        service["deploy"] = {"replicas": rng.randint(1, 3),
                             "resources": {"limits": {"cpus": rng.choice(["0.5", "1", "2"]),
                                                      "memory": rng.choice(["256M", "512m", "1G"])}}}
    if rng.random() < 0.4:
        service["healthcheck"] = {"test": ["CMD", "curl", "-f", "http://localhost:8080/health"],
                                  "interval": "30s", "timeout": "5s", "retries": 3}
    extra = rng.random()
    if extra < 0.05:
        service["privileged"] = True
    elif extra < 0.09:
        service["network_mode"] = "host"
        service.pop("networks", None)
        service.pop("ports", None)
    elif extra < 0.13:
        service["cap_add"] = ["NET_ADMIN"]
    elif extra < 0.17:
        service["user"] = "1000:1000"
    elif extra < 0.2 and others:
        service["links"] = [others[0]]
    return service


def compose_file(rng: random.Random) -> str:
    count = 50 if rng.random() < 0.05 else rng.randint(2, 12)
    names: list[str] = []
    services: dict = {}
    for index in range(count):
        name = rng.choice(["web", "api", "worker", "db", "cache", "queue", "search", "proxy", "cron", "admin"])
        name = f"{name}{index}" if count > 1 else name
        services[name] = compose_service(rng, name, names)
        names.append(name)
    volumes = {f"{name}-data": None for name, service in services.items()
               if any(str(v).startswith(f"{name}-data:") for v in service.get("volumes", []))}
    anchored = rng.random() < 0.3
    head = ""
    if anchored:  # shared settings through an extension field, merged with <<
        head = ("x-logging: &logging\n  logging:\n    driver: json-file\n    options:\n      max-size: \"10m\"\n\n")
    body = to_yaml({"services": services})
    if anchored:
        first = next(iter(services))
        body = body.replace(f"  {first}:\n", f"  {first}:\n    <<: *logging\n", 1)
    tail = to_yaml({"networks": {"frontend": None, "backend": {"driver": "bridge"}}})
    if volumes:
        tail += "volumes:\n" + "".join(f"  {name}:\n" for name in volumes)
    comment = "# Local development stack\n" if rng.random() < 0.5 else ""
    return comment + head + body + tail


def compose_override() -> str:
    return to_yaml({"services": {"web0": {"environment": {"LOG_LEVEL": "debug"}, "ports": ["9000:8080"]}}})


# -- Kubernetes manifests -------------------------------------------------------------------

K8S_NAMES = ["deployment.yaml", "app.yaml", "manifests.yaml", "service.yml", "cronjob.yaml", "statefulset.yaml"]
K8S_IMAGES = ["registry.example.com/team/api:2.3.1", "nginx:1.27", "nginx", "ghcr.io/acme/worker:latest",
              "postgres:16", "redis:7-alpine", "busybox@sha256:" + "cd" * 32, "quay.io/acme/batch:0.9"]


def _container(rng: random.Random, name: str) -> dict:
    image = rng.choice(K8S_IMAGES)
    container: dict = {"name": name, "image": image}
    if rng.random() < 0.3:
        container["imagePullPolicy"] = "IfNotPresent"
    if rng.random() < 0.7:
        container["ports"] = [{"containerPort": rng.choice([80, 8080, 5432, 6379]), "name": "http"}]
    if rng.random() < 0.7:
        resources: dict = {"requests": {"cpu": rng.choice(["100m", "250m", "0.5"]),
                                        "memory": rng.choice(["128Mi", "256Mi", "1Gi"])}}
        if rng.random() < 0.6:
            resources["limits"] = {"memory": rng.choice(["256Mi", "512Mi", "2Gi"])}
            if rng.random() < 0.5:
                resources["limits"]["cpu"] = rng.choice(["500m", "1", "2"])
        container["resources"] = resources
    if rng.random() < 0.5:
        container["env"] = [{"name": "MODE", "value": "production"},
                            rng.choice([{"name": "API_TOKEN", "value": "s3cr3t-value"},
                                        {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api",
                                                                                             "key": "token"}}}])]
    if rng.random() < 0.5:
        container["readinessProbe"] = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 10}
    if rng.random() < 0.4:
        container["livenessProbe"] = {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15}
    security = rng.random()
    if security < 0.4:
        container["securityContext"] = {"runAsNonRoot": True, "runAsUser": 10001, "readOnlyRootFilesystem": True,
                                         "allowPrivilegeEscalation": False,
                                         "capabilities": {"drop": ["ALL"]}}
    elif security < 0.45:
        container["securityContext"] = {"privileged": True}
    elif security < 0.5:
        container["securityContext"] = {"capabilities": {"add": ["SYS_ADMIN"]}}
    if rng.random() < 0.3:
        container["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    return container


def _pod_spec(rng: random.Random, app: str) -> dict:
    spec: dict = {"containers": [_container(rng, app)]}
    if rng.random() < 0.2:
        spec["containers"].append(_container(rng, "sidecar"))
    if rng.random() < 0.2:
        spec["initContainers"] = [{"name": "migrate", "image": rng.choice(K8S_IMAGES),
                                   "command": ["sh", "-c", "./migrate up"]}]
    if any("volumeMounts" in c for c in spec["containers"]):
        spec["volumes"] = [rng.choice([{"name": "data", "emptyDir": {}},
                                       {"name": "data", "persistentVolumeClaim": {"claimName": f"{app}-data"}},
                                       {"name": "data", "hostPath": {"path": "/var/lib/app"}}])]
    if rng.random() < 0.05:
        spec["hostNetwork"] = True
    return spec


def _metadata(app: str, rng: random.Random) -> dict:
    metadata: dict = {"name": app, "labels": {"app": app, "team": f"team{rng.randint(0, 16):02d}"}}
    if rng.random() < 0.2:
        metadata["namespace"] = rng.choice(["prod", "staging", "batch"])
    if rng.random() < 0.1:
        metadata["annotations"] = {"dlint.io/ignore": "KS501"}
    return metadata


def _template(rng: random.Random, app: str) -> dict:
    return {"metadata": {"labels": {"app": app}}, "spec": _pod_spec(rng, app)}


def _workload(rng: random.Random, app: str) -> dict:
    kind = rng.choice(["Deployment"] * 5 + ["StatefulSet", "CronJob", "Job", "DaemonSet", "Pod"])
    metadata = _metadata(app, rng)
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": _pod_spec(rng, app)}
    if kind == "CronJob":
        job = {"template": {"spec": {**_pod_spec(rng, app), "restartPolicy": "OnFailure"}}}
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata,
                "spec": {"schedule": "*/15 * * * *", "jobTemplate": {"spec": job}}}
    if kind == "Job":
        template = _template(rng, app)
        template["spec"]["restartPolicy"] = "Never"
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata,
                "spec": {"backoffLimit": 3, "template": template}}
    spec: dict = {"selector": {"matchLabels": {"app": app}}, "template": _template(rng, app)}
    if kind in ("Deployment", "StatefulSet"):
        spec = {"replicas": rng.choice([1, 2, 3, 3, 5]), **spec}
    if kind == "StatefulSet":
        spec["serviceName"] = app
        spec["volumeClaimTemplates"] = [{"metadata": {"name": "data"},
                                         "spec": {"accessModes": ["ReadWriteOnce"],
                                                  "resources": {"requests": {"storage": "10Gi"}}}}]
    if kind == "Deployment" and rng.random() < 0.3:
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": metadata, "spec": spec}


COMPANIONS = ["Service", "ConfigMap", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Certificate"]


def _companion(app: str, kind: str) -> dict:
    metadata = {"name": app, "labels": {"app": app}}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": "Service", "metadata": metadata,
                "spec": {"selector": {"app": app}, "ports": [{"port": 80, "targetPort": 8080}]}}
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
                "data": {"LOG_LEVEL": "info", "FEATURES": "a,b,c"}}
    if kind == "Ingress":
        path = {"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": app, "port": {"number": 80}}}}
        return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata,
                "spec": {"rules": [{"host": f"{app}.example.com", "http": {"paths": [path]}}]}}
    if kind == "HorizontalPodAutoscaler":
        return {"apiVersion": "autoscaling/v2", "kind": kind, "metadata": metadata,
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app},
                         "minReplicas": 2, "maxReplicas": 10}}
    if kind == "PodDisruptionBudget":
        return {"apiVersion": "policy/v1", "kind": kind, "metadata": metadata,
                "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": app}}}}
    return {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": metadata,
            "spec": {"secretName": f"{app}-tls", "dnsNames": [f"{app}.example.com"],
                     "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer"}}}


def kubernetes_stream(rng: random.Random, app: str) -> str:
    count = 60 if rng.random() < 0.03 else rng.randint(1, 8)
    objects: list[dict] = []
    while len(objects) < count:
        name = f"{app}-{len(objects)}" if objects else app
        objects.append(_workload(rng, name))
        objects += [_companion(name, kind) for kind in rng.sample(COMPANIONS, rng.randint(0, 2))]
    objects = objects[:count]
    if rng.random() < 0.05:  # kubectl get -o yaml gives a List
        return to_yaml({"apiVersion": "v1", "kind": "List", "items": objects})
    documents = [to_yaml(obj) for obj in objects]
    start = "---\n" if rng.random() < 0.3 else ""
    return start + "---\n".join(documents)


# -- the tree -------------------------------------------------------------------------------


def generate(root: Path, count: int, seed: int = 1) -> list[CorpusFile]:
    """Write ``count`` files (Dockerfiles, Compose files, manifests) under ``root``."""
    rng = random.Random(seed)
    files: list[CorpusFile] = []

    def write(path: Path, text: str, kind: str | None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if kind is not None:
            files.append(CorpusFile(path, kind))

    service = 0
    while len(files) < count:
        folder = root / f"team{service % 17:02d}" / f"svc{service:04d}"
        app = f"svc{service:04d}"
        if rng.random() < 0.9:
            write(folder / rng.choice(DOCKERFILE_NAMES), dockerfile(rng), "dockerfile")
            if rng.random() < 0.3:
                write(folder / ".dockerignore", ".git\nnode_modules\n*.log\n", None)
        if len(files) < count and rng.random() < 0.25:
            name = rng.choice(COMPOSE_NAMES)
            write(folder / name, compose_file(rng), "compose")
            if name == "compose.yaml" and rng.random() < 0.2:
                write(folder / "compose.override.yaml", compose_override(), None)  # merged into compose.yaml
        for index in range(rng.choice([0, 0, 0, 1, 1])):
            if len(files) < count:
                write(folder / "k8s" / f"{index}-{rng.choice(K8S_NAMES)}", kubernetes_stream(rng, app), "kubernetes")
        service += 1
    return files


def summary(files: list[CorpusFile]) -> str:
    kinds = Counter(f.kind for f in files)
    lines = sum(f.path.read_bytes().count(b"\n") for f in files)
    return (f"{len(files)} files ({kinds['dockerfile']} Dockerfiles, {kinds['compose']} Compose files, "
            f"{kinds['kubernetes']} Kubernetes manifests), {lines:,} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.out, args.files, args.seed)
    print(summary(files))


if __name__ == "__main__":
    main()
