"""Benchmarks: ``make bench`` (``python -m tests.benchmarks.run``); not part of ``make test``."""
