"""Fuzz targets for the parsers; ``python -m tests.fuzz.run`` runs them (see benchmarks/FUZZING.md)."""
