"""Each scenario's case reference is its own: the suite another implementation imports, and any
report or list made from the scenarios together, name a case by its reference, so two scenarios
with the same one would be read as two records of one case."""

from __future__ import annotations

from collections import defaultdict

import yaml

from conftest import ROOT, SCENARIO_FILES


def test_no_two_scenarios_share_a_case_reference() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in SCENARIO_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "case" in data:
            seen[str(data["case"])].append(str(path.relative_to(ROOT)))
    assert len(seen) > 0, "no scenarios found under councils/<id>/scenarios/"
    shared = {case: paths for case, paths in seen.items() if len(paths) > 1}
    assert shared == {}, "give each of these scenarios a reference of its own"
