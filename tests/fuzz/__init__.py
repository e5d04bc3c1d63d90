"""The fuzz suite of issue 10: hostile input never crashes, hangs or fails inside csc-rules.

    .venv/bin/python -m pytest tests/fuzz                            # a minute: a few dozen
                                                                     # examples a test
    CI=1 .venv/bin/python -m pytest tests/fuzz                       # the same, derandomized
    .venv/bin/python -m pytest tests/fuzz --hypothesis-profile=fuzz  # 1,000 examples a test
    .venv/bin/python -m pytest tests/fuzz -m "not json_contract"     # without issue 10 item 4

Families of input: damaged procedure files (test_procedures), cases (test_cases), compiled
files (test_compiled), the Python API (test_api), and the hand-written nasty inputs of the
issue (test_nasty, with nasty/). At the end of the run a table gives, per family, how many
inputs were tried and what came of them (tests/fuzz/conftest.py).

A package, so that its conftest and helpers import as `fuzz.*` and never shadow the
`conftest` module of tests/ that the other test modules import from.
"""
