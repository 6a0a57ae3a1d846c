"""Benchmarks and evaluations that are not part of the test suite (they read ../shared)."""
