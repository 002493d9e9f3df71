"""Fuzz target: the Kubernetes reader (discovery sniffs, objects, List items, the workload view,
quantities), then every Kubernetes and workload rule.

``python -m tests.fuzz.fuzz_kubernetes CORPUS_DIR [libFuzzer options]`` (needs atheris).
"""
from __future__ import annotations

from linter.parsers.kubernetes import parse_kubernetes, to_workloads
from linter.parsers.sniff import is_helm_template, looks_like_kubernetes
from linter.parsers.quantity import parse_cpu, parse_memory
from linter.parsers.yaml import parse_yaml
from tests.fuzz.harness import check_findings, check_span, every_rule, fuzz, spans, text_of, yaml_lines

PATH = "manifest.yaml"
SEEDS = ("examples/**/k8s/*.yaml", "tests/fixtures/kubernetes/*.yaml", "tests/hostile/*k8s*.yaml")
TOKENS = (
    "apiVersion: v1\n", "apiVersion: apps/v1\n", "kind: Pod\n", "kind: Deployment\n", "kind: List\n", "kind: CronJob\n",
    "items:\n", "metadata:\n  name: x\n", "  annotations:\n    dlint.io/ignore: KS502\n", "spec:\n", "  template:\n",
    "  containers:\n", "  - name: a\n", "    image: ", "nginx:1.27", "    resources:\n      limits:\n", "cpu: ",
    "memory: ", "500m", "1Gi", "1e3", "0.5", "-1", "1E-2", "    securityContext:\n", "privileged: true\n",
    "hostPath:\n", "volumeMounts:\n", "persistentVolumeClaim:\n", "{{ .Values.x }}", "---\n", "\n", "\r",
)


def _quantities(text: str) -> None:
    """parse_cpu and parse_memory either read a value or raise ValueError, for both formats."""
    for line in text.splitlines()[:200]:
        value = line.partition(":")[2].strip()
        for parse in (parse_cpu, parse_memory):
            for compose in (False, True):
                try:
                    parse(value, compose=compose)
                except ValueError:
                    pass


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    looks_like_kubernetes(text)
    is_helm_template(text)
    _quantities(text)
    stream = parse_yaml(text, PATH)
    objects = parse_kubernetes(stream.documents, PATH)
    workloads = to_workloads(objects)
    lines = yaml_lines(text)
    for span in spans([objects.objects, objects.problems, workloads]):
        check_span(span, lines, PATH)
    check_findings(every_rule().lint_yaml(text, PATH, "kubernetes", set()), stream.lines)


if __name__ == "__main__":
    fuzz(test_one_input)
