"""Messages a policy officer can act on: each mistake made in a copy of a real council file, and
the message checked for what is wrong, where (the line and column of the mistake itself) and
what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from csc_rules import validate
from csc_rules.diagnostics import Diagnostic

ISLINGTON = "councils/islington/csc-statutory.yaml"
CHESHIRE_WEST = "councils/cheshire-west/csc-statutory.yaml"


def mistake(library: Path, relative: str, old: str, new: str) -> Path:
    """The council file in the library copy with `old` (found once) replaced by `new`."""
    path = library / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [n for n, line in enumerate(lines, 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def errors(path: Path) -> list[Diagnostic]:
    return [d for d in validate([path]).diagnostics if d.is_error]


def only_error(path: Path) -> Diagnostic:
    found = errors(path)
    assert len(found) == 1, "\n".join(d.to_text() for d in found)
    return found[0]


# -- a time limit written as words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("2 working days", "write it as `{amount: 2, unit: working-days}`"),
        ("20 calendar days", "write it as `{amount: 20, unit: days}`"),
        ("1 month", "write it as `{amount: 1, unit: months}`"),
        ("2", "give the unit too, as `{amount: 2, unit: working-days}`"),
        ("2 weeks", "`weeks` is not a unit csc-rules counts in: count the time in `working-days`"),
        ("two working days", "with the number in figures, like `{amount: 10, unit: working-days}`"),
    ],
    ids=["working-days", "calendar-days", "month", "number-alone", "weeks", "number-in-words"],
)
def test_a_limit_written_as_words_gets_the_right_form_and_the_units(
    library_copy: Path, written: str, advice: str
) -> None:
    path = mistake(
        library_copy, ISLINGTON, "limit: {amount: 2, unit: working-days}", f"limit: {written}"
    )
    problem = only_error(path)
    assert (problem.code, problem.line, problem.column) == (
        "wrong-type",
        line_of(path, f"limit: {written}"),
        12,
    )
    assert advice in problem.message
    assert "`working-days`, `days` or `months`" in problem.message
    assert "`{unstated: why}` where the documents give no time" in problem.message


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_limit_of_nothing_says_the_range(library_copy: Path, amount: str) -> None:
    path = mistake(
        library_copy,
        ISLINGTON,
        "limit: {amount: 2, unit: working-days}",
        f"limit: {{amount: {amount}, unit: working-days}}",
    )
    problem = only_error(path)
    assert problem.message == (
        f"duties.acknowledgement.limit.amount is {amount}; it must be a whole number from 1 to 400"
    )


# -- values in another form --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "guess"),
    [
        ("2024/13/01", "; did you mean `2024-01-13`?"),
        ("01/09/2006", "; did you mean `2006-09-01`?"),
        ("2006-09-31", ""),
    ],
    ids=["year-day-month", "day-month-year", "no-such-day"],
)
def test_a_date_in_another_form_is_read_back(library_copy: Path, written: str, guess: str) -> None:
    path = mistake(library_copy, ISLINGTON, "effective: 2006-09-01", f"effective: {written}")
    problem = only_error(path)
    assert (problem.code, problem.line) == ("invalid-value", line_of(path, "effective:"))
    assert problem.message == (
        f"effective is `{written}`, which is not a real date: write YYYY-MM-DD{guess}"
    )


def test_one_event_where_a_list_is_needed_shows_the_list(library_copy: Path) -> None:
    path = mistake(library_copy, ISLINGTON, "met_by: [acknowledged]", "met_by: acknowledged")
    problem = only_error(path)
    assert problem.code == "wrong-type"
    assert problem.message.endswith("write it as a list, even of one: `met_by: [acknowledged]`")


def test_a_source_without_its_document_shows_one_with(library_copy: Path) -> None:
    path = mistake(
        library_copy,
        ISLINGTON,
        'sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]',
        'sources: ["Stage 1 Complaints - Informal Resolution"]',
    )
    problem = only_error(path)
    assert (problem.code, problem.line, problem.column) == (
        "invalid-value",
        line_of(path, '["Stage 1 Complaints'),
        15,
    )
    assert "the document's id, a colon and a space, then where in it" in problem.message
    assert problem.message.endswith('for example `"SI 2006/1738: reg 14"`')


def test_extends_left_empty_names_the_form(library_copy: Path) -> None:
    path = mistake(library_copy, ISLINGTON, "extends: baseline/csc-statutory", "extends:")
    problem = only_error(path)
    assert problem.message == (
        "extends should be text, not nothing; for example `extends: baseline/csc-statutory`"
    )
