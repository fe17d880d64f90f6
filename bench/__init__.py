"""Benchmarks: `python -m bench.run` (make bench). Not part of the test suite.

Each benchmark measures foilog against the alternative people would otherwise use and
against the floor (the least work the task could possibly take on this machine).
"""
