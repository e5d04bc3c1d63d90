"""The application layer, called as the HTTP API will call it: plain values and the project's
own errors, the same answers the CLI prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import COUNCIL_PROCEDURES, PROCEDURE_FILES, ROOT, run
from csc_rules.application import cases, procedures, workdays
from csc_rules.errors import ArgumentError, CommandError, CscRulesError

EXAMPLE = ROOT / "examples" / "sefton-late-acknowledgement.yaml"


def cli_json(*args: str) -> object:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_case_replayed_is_what_run_prints() -> None:
    as_of = cases.as_of_date("2025-01-20")
    [outcome] = cases.evaluate_cases([EXAMPLE], as_of, jobs=1)
    assert outcome.result is not None
    assert outcome.result.to_json() == cli_json("run", str(EXAMPLE), "--as-of", "2025-01-20")
    assert cases.result_text(outcome.result).startswith(f"{outcome.result.case}  ")


def test_eligibility_decisions_and_failures_are_values(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("case: X\nprocedure: nowhere/csc\nevents: []\n", encoding="utf-8")
    folder = ROOT / "examples" / "eligibility"
    decided = list(cases.decide_cases([folder, broken]))
    assert [d.to_json() for d in decided[:-1]] == cli_json("eligibility", str(folder))
    failed = decided[-1]
    assert failed.decision is None and failed.problems
    assert failed.to_json()["error"]["path"] == str(broken)
    assert cases.is_batch([folder]) and not cases.is_batch([EXAMPLE])


def test_workdays_answers_are_the_json_the_cli_prints() -> None:
    added = workdays.add("2024-12-20", "10")
    assert added.result.isoformat() == "2025-01-08"
    assert added.to_json() == cli_json("workdays", "add", "2024-12-20", "10")
    counted = workdays.between("2024-12-20", "2025-01-08", council="cheshire-west")
    assert counted.to_json() == cli_json(
        "workdays", "between", "2024-12-20", "2025-01-08", "--council", "cheshire-west"
    )
    assert workdays.year(2024).to_json() == cli_json("workdays", "list", "2024")


def test_arguments_that_do_not_go_together_are_a_usage_error() -> None:
    with pytest.raises(ArgumentError) as exc_info:
        workdays.add("2024-12-20", 3, council="sefton", region="WLS")
    assert str(exc_info.value) == "give --council or --region, not both"
    assert exc_info.value.code == "usage"  # the CLI exits 2 with its usage line
    with pytest.raises(CscRulesError, match="outside 2000-2040"):
        workdays.year(0)


def test_conformance_of_every_council_procedure() -> None:
    found = list(procedures.conformance_of_all())
    # every version of each, one a file: Sefton's corporate procedure has two
    assert sorted((r.procedure, r.version) for r in found if not isinstance(r, str)) == sorted(
        (f.id, f.version) for f in PROCEDURE_FILES if f.council
    )
    assert len(found) == len(COUNCIL_PROCEDURES)
    with pytest.raises(procedures.NothingToCompare) as exc_info:
        procedures.conformance("baseline/csc-statutory")
    assert exc_info.value.code == "nothing-to-compare"


def test_compile_all_gives_the_texts_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    texts = procedures.compile_all(folder)
    assert not folder.exists()
    name = folder / "sefton-csc-statutory.json"
    assert texts[name] == procedures.compiled("sefton/csc-statutory")
    assert json.loads(texts[name])["format"] == "csc-rules/compiled-procedure"


def test_no_scenarios_is_the_projects_own_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no scenario files found"):
        cases.scenario_files([tmp_path])
