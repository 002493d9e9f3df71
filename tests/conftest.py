"""Shared fixtures: the catalogue, and a helper that lints Dockerfile text with chosen rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from linter.engine.catalog import load_catalog
from linter.engine.runner import Linter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(ROOT / "rules", docs=True)


def lint_with(catalog, text: str, *selectors: str, params: dict | None = None, path: str = "Dockerfile",
              context: dict[str, str] | None = None):
    """Findings of the rules named by ``selectors`` (all when none) on ``text``: a Dockerfile, or
    a Compose file or Kubernetes manifest when ``path`` ends in .yaml or .yml. ``context`` gives
    a Dockerfile's build context files (name: text); None leaves the context unknown."""
    rules = [rule for rule in catalog if not selectors or any(rule.matches(s) for s in selectors)]
    if params:
        rules = [rule.with_params(params) for rule in rules]
    kind = "yaml" if path.endswith((".yaml", ".yml")) else "dockerfile"
    return Linter(rules, catalog).lint_bytes(text.encode("utf-8"), path, kind=kind, context=context).findings


def corpus_generator():
    """``benchmarks/corpus.py``, the seeded corpus generator; the calling test is skipped where
    it is absent (an sdist ships tests/ without benchmarks/)."""
    import importlib.util

    script = ROOT / "benchmarks" / "corpus.py"
    if not script.is_file():
        pytest.skip("benchmarks/corpus.py is not part of this tree")
    spec = importlib.util.spec_from_file_location("corpus", script)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return corpus
