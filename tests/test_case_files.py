"""Case files that cannot be run: each gives located, one-line errors and exit 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, assert_no_crash, run

GOOD = "case: C-1\nprocedure: islington/csc-statutory\nevents:\n  - {date: 2024-06-03, event: complaint-received}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "case: C-1\nevents:\n  - {date: 2024-06-03, event: complaint-received}\n",
            ":1:1: error[missing-key]: the top level is missing `procedure`",
        ),
        (
            GOOD.replace("2024-06-03", "2024-06-31"),
            ":4:12: error[invalid-value]: events.0.date is `2024-06-31`, which is not a real date: write YYYY-MM-DD",
        ),
        (
            GOOD.replace("islington/csc-statutory", "islington/csc-statutry"),
            ":2:12: error[unknown-procedure]: no procedure is called `islington/csc-statutry`; did you mean `islington/csc-statutory`?",
        ),
        (
            GOOD + "  - {date: 2024-06-01, event: acknowledged}\n",
            ":5:12: error[event-order]: 2024-06-01 comes before the previous event's date, 2024-06-03: write events in date order",
        ),
        (
            GOOD + "  - {on: 2024-06-04, event: acknowledged}\n",
            ":5:6: error[non-string-key]: the key `on` is read as a boolean or null by YAML 1.1 tools",
        ),
        (
            GOOD + "  - {date: 2024-06-04, event: acknowledged, outcome: partly}\n",
            ":5:54: error[invalid-value]: events.1.outcome is the text `partly`",
        ),
        (
            GOOD + "facts:\n  complex: maybe\n",
            ":6:12: error[fact-type]: fact `complex` is true or false, so it cannot be compared with `maybe`",
        ),
        (
            GOOD + "  - {date: 2024-06-04, event: panel-scheduled}\n",
            ":5:31: error[event-not-allowed]",
        ),
        ("case: [\n", ":2:1: error[yaml-syntax]"),
        ("", ":1:1: error[empty-file]"),
    ],
    ids=[
        "missing procedure",
        "bad date",
        "unknown procedure",
        "out of order",
        "on as a key",
        "bad outcome",
        "fact of the wrong type",
        "not allowed",
        "broken YAML",
        "empty",
    ],
)
def test_broken_case(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert_no_crash(result)
    lines = result.stderr.splitlines()
    assert any(f"{path}{expected}" in line for line in lines), result.stderr
    assert lines[-1] == "Error: 1 case could not be evaluated; see above"


def test_a_missing_case_file(tmp_path: Path) -> None:
    result = run("run", str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'nothing.yaml'}:1:1: error[file-not-found]: no such file; check the path"
        in result.stderr
    )


# -- inputs past a bound, and input from other systems: refused with the reason, never a crash --


def test_too_many_events_names_the_limit_and_how_to_raise_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(GOOD + "  - {date: 2024-06-04, event: acknowledged}\n" * 10_000)
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert f"{path}:3:1: error[too-large]: the case has 10,001 events, more than 10,000" in (
        result.stderr
    )
    assert "CSC_RULES_MAX_EVENTS" in result.stderr
    monkeypatch.setenv("CSC_RULES_MAX_EVENTS", "20000")
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr


def test_plain_data_nested_absurdly_deep_is_a_case_error() -> None:
    """Data from another program never passed a YAML or JSON reader, so it is measured too."""
    from csc_rules import CaseError, case_from_data

    facts: dict[str, object] = {}
    inner = facts
    for _ in range(10_000):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    data = {
        "case": "DEEP",
        "procedure": "sefton/csc-statutory",
        "facts": facts,
        "events": [{"date": "2024-06-03", "event": "complaint-received"}],
    }
    with pytest.raises(CaseError) as caught:
        case_from_data(data)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.yaml_path) == ("too-deep", "$.facts")


def test_plain_data_is_checked_against_the_case_schema_like_a_file() -> None:
    from csc_rules import CaseError, case_from_data

    with pytest.raises(CaseError) as caught:
        case_from_data(
            {
                "case": "LOOK-ALIKE",
                "procedure": "sefton/csc-statutory",
                "events": [{"date": "2024-06-03", "event": "complаint-received"}],  # Cyrillic а
            }
        )
    [problem] = caught.value.diagnostics
    assert problem.yaml_path == "$.events[0].event"
    assert "U+0430 CYRILLIC SMALL LETTER A" in problem.message


def test_as_of_before_receipt_is_bad_data_for_that_case_only(tmp_path: Path) -> None:
    (tmp_path / "early.yaml").write_text(GOOD)
    (tmp_path / "late.yaml").write_text(GOOD.replace("2024-06-03", "2024-07-01"))
    result = run("run", str(tmp_path), "--as-of", "2024-06-10", "--format", "jsonl")
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'late.yaml'}:4:12: error[as-of-before-receipt]: the case is evaluated as of "
        "2024-06-10, before the complaint was received on 2024-07-01" in result.stderr
    )
    states = [line for line in result.stdout.splitlines() if '"state": "stage-1"' in line]
    assert len(states) == 1  # the other case still ran


def test_as_of_before_receipt_through_the_python_api() -> None:
    import datetime as dt

    from csc_rules import CaseError, evaluate_data, load_procedure

    case = {
        "case": "EARLY",
        "procedure": "islington/csc-statutory",
        "events": [{"date": "2024-06-03", "event": "complaint-received"}],
    }
    with pytest.raises(CaseError) as caught:
        evaluate_data(load_procedure("islington/csc-statutory"), case, dt.date(2024, 6, 2))
    assert caught.value.diagnostics[0].code == "as-of-before-receipt"


def _jsonl(tmp_path: Path, *lines: bytes) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


GOOD_LINE = (
    b'{"case": "OK", "procedure": "islington/csc-statutory", '
    b'"events": [{"date": "2024-06-03", "event": "complaint-received"}]}'
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"[" * 10_000 + b"]" * 10_000, ":1:65: error[too-deep]: the JSON is nested more than 64"),
        (
            GOOD_LINE.replace(b'"OK"', b"1" + b"0" * 5_000),
            ":1:10: error[invalid-value]: the number",
        ),
        (
            GOOD_LINE.replace(b'"case": "OK"', b'"case": "A", "case": "B"'),
            ":1:15: error[duplicate-key]",
        ),
        (GOOD_LINE.replace(b'"OK"', b"NaN"), ":1:10: error[invalid-json]: `NaN` is not JSON"),
        (b"\xff\xfe", ":1:1: error[binary-file]: not UTF-8 text (byte 0xff)"),
        (b'{"case": ', ":1:10: error[invalid-json]: not JSON: Expecting value"),
    ],
    ids=["deep", "long number", "duplicate key", "NaN", "not UTF-8", "cut short"],
)
def test_a_bad_json_line_is_reported_and_the_batch_carries_on(
    tmp_path: Path, line: bytes, expected: str
) -> None:
    path = _jsonl(tmp_path, line, GOOD_LINE)
    result = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{path}{expected}" in result.stderr
    assert '"case": "OK"' in result.stdout and '"state": "stage-1"' in result.stdout


def test_a_line_past_the_bound_is_skipped_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_RULES_MAX_LINE_BYTES", "1000")
    path = _jsonl(tmp_path, b'{"case": "' + b"x" * 5_000 + b'"}', GOOD_LINE)
    result = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{path}:1:1: error[too-large]: the line holds more than 1,000 bytes" in result.stderr
    assert "CSC_RULES_MAX_LINE_BYTES" in result.stderr
    assert '"case": "OK"' in result.stdout


def test_a_case_file_past_the_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSC_RULES_MAX_FILE_BYTES", "100")
    path = tmp_path / "case.yaml"
    path.write_text(GOOD + "# " + "x" * 200 + "\n")
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert f"{path}:1:1: error[too-large]: the file holds more than 100 bytes" in result.stderr


@pytest.mark.parametrize("setting", ["banana", "-1", "0", "9" * 40])
def test_a_limit_set_to_something_that_is_not_a_count_is_refused(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("CSC_RULES_MAX_FILE_BYTES", setting)
    result = run("run", str(ROOT / "examples/sefton-late-acknowledgement.yaml"), "--format", "json")
    assert result.exit_code == 1
    assert f"CSC_RULES_MAX_FILE_BYTES is `{setting}`: give a whole number from 1" in result.stderr
    assert json.loads(result.stdout)["error"]["message"].startswith("CSC_RULES_MAX_FILE_BYTES")
