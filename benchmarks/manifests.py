"""Growth with input size for YAML: a Kubernetes stream of 250 to 2,000 objects and a Compose
file of 125 to 500 services, linted in-process with every default rule. Budget: linear, i.e.
the time per object (or per service) stays flat as the file grows.

Run from the project root:  /tmp/venv/bin/python benchmarks/manifests.py [--repeat 3]
Prints numbers and ratios; never asserts.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from linter.cli import main as dlint_main  # noqa: E402

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{n}
  labels: {{app: web-{n}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web-{n}}}
  template:
    metadata:
      labels: {{app: web-{n}}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:{n}.0
          ports: [{{containerPort: 8080}}]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
          env:
            - {{name: MODE, value: production}}
          readinessProbe: {{httpGet: {{path: /ready, port: 8080}}}}
---
apiVersion: v1
kind: Service
metadata:
  name: web-{n}
spec:
  selector: {{app: web-{n}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""

SERVICE = """\
  app{n}:
    image: registry.example.com/app:{n}.0
    ports: ["{port}:8080"]
    environment:
      LOG_LEVEL: info
      DATABASE_URL: postgres://db{n}:5432/app
    depends_on: [db{n}]
    networks: [backend]
    deploy:
      resources:
        limits: {{cpus: "0.5", memory: 256m}}
  db{n}:
    image: postgres:17
    volumes: ["db{n}:/var/lib/postgresql/data"]
    networks: [backend]
"""


def kubernetes_stream(objects: int) -> str:
    return "---\n".join(DEPLOYMENT.format(n=n, replicas=1 + n % 3) for n in range(objects // 2))


def compose_file(services: int) -> str:
    pairs = services // 2
    body = "".join(SERVICE.format(n=n, port=10000 + n) for n in range(pairs))
    volumes = "".join(f"  db{n}:\n" for n in range(pairs))
    return f"services:\n{body}networks:\n  backend:\nvolumes:\n{volumes}"


def timed(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            dlint_main(["check", "--format", "json", str(path)])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = [("kubernetes objects", n, Path(folder) / f"stream{n}.yaml", kubernetes_stream(n))
                 for n in (250, 500, 1000, 2000)]
        cases += [("compose services", n, Path(folder) / f"c{n}" / "compose.yaml", compose_file(n))
                  for n in (125, 250, 500)]
        print(f"{'input':<22}{'size':>7}{'lines':>9}{'seconds':>10}{'ms per item':>14}{'vs smallest':>13}")
        first: dict[str, float] = {}
        for label, size, path, text in cases:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            seconds = timed(path, args.repeat)
            per_item = seconds / size * 1000
            first.setdefault(label, per_item)
            print(f"{label:<22}{size:>7}{text.count(chr(10)):>9}{seconds:>10.3f}{per_item:>14.3f}"
                  f"{per_item / first[label]:>12.2f}x")
    print("(linear growth keeps 'vs smallest' near 1.0x)")


if __name__ == "__main__":
    main()
