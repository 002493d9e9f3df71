"""The first acceptance case: the Dockerfile from the study notes, with every rule."""
from __future__ import annotations

from tests.conftest import ROOT, lint_with

SEED = ROOT / "examples" / "seed" / "Dockerfile"


def test_seed_dockerfile_gives_exactly_the_expected_findings(catalog):
    defaults = [rule.code for rule in catalog if rule.enabled_by_default]
    findings = lint_with(catalog, SEED.read_text(encoding="utf-8"), *defaults, path=str(SEED))
    assert sorted((f.name, f.span.line, f.span.column) for f in findings) == sorted([
        ("base-image-unpinned", 1, 6),
        ("runs-as-root", 1, 6),            # no USER: reported at the FROM image word
        ("apt-lists-not-removed", 2, 5),   # at `apt-get update`
        ("apt-install-recommends", 2, 23),  # at `apt-get install`
        ("cache-busting-copy", 3, 6),      # at `./app.py`
        ("pip-cache-kept", 4, 5),          # at `pip3 install flask`
        ("pip-package-unpinned", 4, 18),   # at `flask`
    ])


def test_seed_messages_name_what_to_change(catalog):
    findings = {f.name: f.message for f in lint_with(catalog, SEED.read_text(encoding="utf-8"))}
    assert "`pip3 install flask` (line 4)" in findings["cache-busting-copy"]
    assert "--no-install-recommends" in findings["apt-install-recommends"]
    assert "rm -rf /var/lib/apt/lists/*" in findings["apt-lists-not-removed"]
    assert "`flask`" in findings["pip-package-unpinned"]
    assert "--mount=type=cache" in findings["pip-cache-kept"]
    assert "ubuntu" in findings["runs-as-root"]
