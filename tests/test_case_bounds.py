"""The bounds a case is read within, the same whether it comes as YAML, as JSON or as a line of
a .jsonl file: the keys of one mapping, and the length of a case's reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import assert_no_crash, run
from csc_rules.errors import JsonInputError
from csc_rules.reading import json_input

GOOD = {
    "case": "OK",
    "procedure": "islington/csc-statutory",
    "events": [{"date": "2024-06-03", "event": "complaint-received"}],
}


def wide(keys: int) -> str:
    """A JSON object of `keys` keys `"k0000": 0`, each pair 12 characters apart: the colon of
    key i (from 0) is at column 9 + 12 * i."""
    return "{" + ", ".join(f'"k{i:04d}": 0' for i in range(keys)) + "}"


def test_a_jsonl_line_of_too_many_keys_is_refused_where_the_bound_is_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(wide(6_000) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert_no_crash(result)
    assert result.exit_code == 1
    # the 5,001st key (i = 5,000): its colon at column 9 + 60,000
    assert (
        f"{path}:1:60009: error[too-large]: this object has more than 5,000 keys" in result.stderr
    )
    assert "CSC_RULES_MAX_KEYS" in result.stderr
    assert '"case": "OK"' in result.stdout  # and the batch goes on

    monkeypatch.setenv("CSC_RULES_MAX_KEYS", "7000")
    raised = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert "too-large" not in raised.stderr and "unknown-key" in raised.stderr


def test_a_json_case_file_of_too_many_keys_is_refused_by_the_same_bound(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(wide(6_000), encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "more than 5,000 keys" in result.stderr and "CSC_RULES_MAX_KEYS" in result.stderr


def test_keys_are_counted_in_each_object_and_not_inside_strings() -> None:
    # 3,000 keys holding 3,000 more: 6,000 colons, but no object past 5,000
    inner = wide(3_000)
    outer = "{" + ", ".join(f'"k{i:04d}": {inner if i == 0 else 0}' for i in range(3_000)) + "}"
    assert len(json_input.loads(outer)) == 3_000
    colons = json.dumps({"note": ":" * 10_000, "other": 1})
    assert len(json_input.loads(colons)) == 2
    with pytest.raises(JsonInputError) as refused:
        json_input.loads("[" + wide(5_001) + "]")
    assert (refused.value.code, refused.value.line, refused.value.column) == ("too-large", 1, 60010)


def test_a_reference_longer_than_200_characters_is_refused_and_shown_short(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cases.jsonl"
    lines = [{**GOOD, "case": "A" * 200}, {**GOOD, "case": "B" * 60_000}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["case"] == "A" * 200 and "error" not in first
    assert second["case"] == "B" * 100 + "... (60,000 characters)"
    assert second["error"]["yaml_path"] == "$.case"
    assert "60,000 characters long: shorten it to at most 200" in second["error"]["message"]
    assert "B" * 101 not in result.stdout + result.stderr


def test_run_answers_every_line_of_a_file_however_many_fail(tmp_path: Path) -> None:
    """The bound on a batch's error lines is the server's: a user's own file is answered whole."""
    path = tmp_path / "junk.jsonl"
    path.write_text("1\n" * 1_500, encoding="utf-8")
    result = run("run", str(path), "--as-of", "2024-06-30", "--format", "jsonl")
    assert result.exit_code == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 1_500
    assert answers[-1]["case"] == f"{path}:1500"


@pytest.mark.parametrize(
    "line",
    [
        b"1\n",  # not an object
        b'{"case": "X"}\n',  # against the schema
        b"not json\n",
        b'{"case": "X", "procedure": "no/such", "events": []}\n',
    ],
)
def test_a_bad_line_leaves_nothing_for_the_garbage_collector(line: bytes) -> None:
    """A refused case kept as a value held its traceback, whose frames held their callers',
    one of which held the refusal: a cycle per bad line, freed only by Python's rare full
    collection. A server answering batches of bad lines grew by some 5 MB a batch between
    collections (248 MB after 60 batches of 100,000 `1` lines, 58 MB now). Nothing is left."""
    import gc

    from csc_rules.application import cases

    def answer(count: int) -> None:
        lines = [(number, line) for number in range(1, count + 1)]
        cases.answer_lines(lines, None, most_problems=100, errors_left=count)

    answer(3)  # what is read once, on first use, is not this test's business
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        answer(200)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
