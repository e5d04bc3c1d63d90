"""Messages a policy officer can act on: each mistake made in a copy of a real council file, and
the message checked for what is wrong, where (the line and column of the mistake itself) and
what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csc_rules import validate
from csc_rules.diagnostics import Diagnostic
from csc_rules.procedures.library import forget
from csc_rules.reading.loader import parse

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
    """The number of the one line holding `needle`; one starting with spaces starts the line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = needle.startswith(" ")
    hits = [
        n
        for n, line in enumerate(lines, 1)
        if (line.startswith if starts else line.__contains__)(needle)
    ]
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


# -- YAML syntax: the line that is really wrong --------------------------------------------------

INDENTATION = [
    (
        # the first key of a stage one space too far: the reader stops a line later
        ISLINGTON,
        "    title: Informal resolution\n",
        "     title: Informal resolution\n",
        "title: Informal resolution",
        "indented by 5 spaces, but the keys beside it by 4 (`sources` on line {n+1}, `steps` on "
        "line {n+2}); YAML tells which belong together by their indentation, so move it 1 space "
        "left",
    ),
    (
        # a key one space short among its siblings: as far right as they, or back to its parent
        ISLINGTON,
        "    actor: complaints-officer\n    anchor",
        "   actor: complaints-officer\n    anchor",
        "   actor: complaints-officer",
        "indented by 3 spaces, but the keys beside it by 4 (`title` on line {n-1}, `anchor` on "
        "line {n+1}); YAML tells which belong together by their indentation, so move it 1 space "
        "right to line up with them, or 1 space left if it belongs with `acknowledgement` on "
        "line {n-2}",
    ),
    (
        # a key indented under one that has its value already
        ISLINGTON,
        "    limit: {amount: 2, unit: working-days}\n",
        "      limit: {amount: 2, unit: working-days}\n",
        "limit: {amount: 2",
        "indented by 6 spaces, but `anchor` on line {n-1} by 4, so YAML reads it as more of that "
        "key's value; move it 2 spaces left to line up with the keys beside it",
    ),
    (
        # a section of the file indented: its own keys stand level with the section before
        ISLINGTON,
        "\nduties:\n",
        "\n duties:\n",
        " duties:",
        "indented by 1 space, but the keys beside it by 0 (`events` on line {n-10}); YAML tells "
        "which belong together by their indentation, so move it 1 space left",
    ),
    (
        # a key of a list item short of the item's first key
        CHESHIRE_WEST,
        "  - what: extension\n    id: stage-1-response/advocate\n",
        "  - what: extension\n   id: stage-1-response/advocate\n",
        "id: stage-1-response/advocate",
        "indented by 3 spaces, but the keys beside it by 4 (`reason` on line {n+1}, `sources` on "
        "line {n+5}); YAML tells which belong together by their indentation, so move it 1 space "
        "right to line up with them",
    ),
]


@pytest.mark.parametrize(
    ("source", "old", "new", "wrong", "said"),
    INDENTATION,
    ids=["first-key-too-far", "key-short", "under-a-value", "section-indented", "list-item-key"],
)
def test_wrong_indentation_is_placed_at_the_line_and_measured(
    library_copy: Path, source: str, old: str, new: str, wrong: str, said: str
) -> None:
    path = mistake(library_copy, source, old, new)
    problem = only_error(path)
    n = line_of(path, wrong)
    text = path.read_text(encoding="utf-8").splitlines()[n - 1]
    column = len(text) - len(text.lstrip(" ")) + 1  # the first letter of the wrong line
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", n, column)
    expected = said.format_map(_Lines(n))
    assert expected in problem.message, problem.message


class _Lines(dict[str, int]):
    """`{n+1}` in an expected message: the line `n` lines after the wrong one."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def __missing__(self, key: str) -> int:
        return self.n + int(key[1:]) if key != "n" else self.n


@pytest.mark.parametrize(
    ("old", "new", "column", "said"),
    [
        (
            'sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]',
            'sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution]',
            15,
            'the text quoted here is not closed on this line: add the closing `"` at its end',
        ),
        (
            '  - "004_b2659dac51ae51b8.txt: Children\'s social care complaints process"',
            "  - \"004_b2659dac51ae51b8.txt: Children's social care complaints process",
            5,
            'the text quoted here is not closed on this line: add the closing `"` at its end',
        ),
        (
            "description: The complaint is detailed.",
            "description: Note: the complaint is detailed.",
            26,
            "this text holds a colon and a space (`: `), which YAML reads as the start of a key: "
            'put the whole text in double quotes (`"..."`)',
        ),
        (
            "    title: Acknowledgement letter",
            "    title Acknowledgement letter",
            5,
            "this line has no colon after its key: write `title: Acknowledgement letter`",
        ),
    ],
    ids=["quote-in-a-list", "quote-in-a-block-list", "colon-in-text", "no-colon"],
)
def test_a_syntax_mistake_is_placed_where_it_is_made(
    library_copy: Path, old: str, new: str, column: int, said: str
) -> None:
    path = mistake(library_copy, ISLINGTON, old, new)
    problem = only_error(path)
    assert (problem.code, problem.line, problem.column) == (
        "yaml-syntax",
        line_of(path, new.strip()),
        column,
    )
    assert said in problem.message, problem.message


@given(st.text(alphabet=" \n-:#\"'[]{},>|ab", max_size=80))
def test_any_text_gets_located_problems_not_a_crash(text: str) -> None:
    document, problems = parse(Path("any.yaml"), text)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "None" not in problem.message


# -- an id of the baseline renamed -------------------------------------------------------------

RENAMES = [
    # Islington's stage 1 holds three steps of the baseline's stage 1, each then a second step of
    # that id (duplicate-id) lacking `actor`: 6 problems inside the renamed stage.
    (ISLINGTON, "stages:\n  stage-1:\n", "stages:\n  informal-resolution:\n", "missing-key",
     "stage ids come from the baseline (`stage-1`, `stage-2`, `stage-3`)",
     "keep `stage-1` and change its `title`", 6),
    # Cheshire West's: record-complaint and stage-1-respond likewise (4); allocate-complaint is
    # its own, complete.
    (CHESHIRE_WEST, "  stage-1:\n    title: Local resolution",
     "  local-resolution:\n    title: Local resolution", "missing-key",
     "stage ids come from the baseline (`stage-1`, `stage-2`, `stage-3`)",
     "keep `stage-1` and change its `title`", 4),
    # Islington's stage 1 duty, renamed: its three extensions are the baseline duty's; the duty
    # lacks five keys (one problem), each extension `maximum` and `when` or `event` (six), and
    # the recorded one has grounds without an event (one): 8.
    (ISLINGTON, "  stage-1-response:\n    extensions:", "  first-response:\n    extensions:",
     "missing-key",
     "duty ids come from the baseline (`stage-1-response`, `stage-2-response`, `panel`, "
     "`panel-report`, `stage-3-response`)",
     "keep `stage-1-response` and change its `title`", 8),
    # a step of stage 1 renamed: it lacks `actor`.
    (ISLINGTON, "      offer-advocacy:\n", "      advocacy:\n", "missing-key",
     "step ids come from the baseline (`record-complaint`, `offer-advocacy`, `stage-1-respond`)",
     "keep `offer-advocacy` and change its `title`", 1),
    # a state renamed: it lacks `description`, and `stage` or `end`.
    (ISLINGTON, "  awaiting-stage-2-decision:\n    transitions:",
     "  waiting-for-stage-2:\n    transitions:", "missing-key",
     "state ids come from the baseline (`stage-1`, `awaiting-stage-2-decision`,",
     "keep `awaiting-stage-2-decision` and change its `description`", 2),
    # an event renamed: it lacks `description`.
    (ISLINGTON, "  acknowledged:\n    plain:", "  acknowledgement-sent:\n    plain:",
     "missing-key", "event ids come from the baseline (`complaint-received`, `acknowledged`,",
     "keep `acknowledged` and change its `plain`", 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "old", "new", "code", "ids", "keep", "inside"),
    RENAMES,
    ids=["stage", "stage-among-new-steps", "duty", "step", "state", "event"],
)
def test_a_renamed_id_is_one_error_naming_the_baselines_ids_and_title(
    library_copy: Path,
    source: str,
    old: str,
    new: str,
    code: str,
    ids: str,
    keep: str,
    inside: int,
) -> None:
    path = mistake(library_copy, source, old, new)
    problem = only_error(path)
    key = next(line for line in new.split("\n") if line.endswith(":") and line != "stages:")
    assert (problem.code, problem.line, problem.column) == (
        code,
        line_of(path, key),
        len(key) - len(key.lstrip()) + 1,
    )
    assert ids in problem.message
    assert keep in problem.message
    said = f"{inside} problems inside it are" if inside > 1 else "1 problem inside it is"
    assert f"({said} left out until this is settled)" in problem.message


def test_a_new_item_lacking_a_key_is_not_taken_for_a_rename(library_copy: Path) -> None:
    """Islington's acknowledgement is its own duty: without its anchor it lacks a key, and is not
    like any duty of the baseline."""
    path = mistake(
        library_copy,
        ISLINGTON,
        "    anchor: complaint-received\n    limit: {amount: 2",
        "    limit: {amount: 2",
    )
    problem = only_error(path)
    assert problem.code == "missing-key"
    assert problem.message.startswith("duties.acknowledgement is missing `anchor`")


# -- remove: ----------------------------------------------------------------------------------

REMOVE_ADVOCATE = """
remove:
  - what: extension
    id: stage-1-response/advocate
    reason: The page names no extension for an advocate.
    sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]

notes:"""


def test_removing_an_extension_still_changed_says_both_places(library_copy: Path) -> None:
    """Islington changes the baseline's advocate extension (its sources); removing it as well
    leaves that change alone, without `maximum` and `when` or `event`: two problems, said as one."""
    path = mistake(library_copy, ISLINGTON, "\nnotes:", REMOVE_ADVOCATE)
    problem = only_error(path)
    changed = line_of(path, "      advocate:")
    assert (problem.code, problem.line, problem.column) == (
        "missing-key",
        line_of(path, "id: stage-1-response/advocate"),
        9,
    )
    assert problem.message.startswith(
        f"`stage-1-response/advocate` is removed here, but line {changed} (under "
        "`duties.stage-1-response.extensions`) writes part of it again, which leaves it "
        "incomplete (2 problems inside it, such as: "
    )
    assert (
        f"if the council does not have it, delete line {changed} and the lines indented under "
        "it; if it changes the baseline's, delete this `remove` entry" in problem.message
    )


@pytest.mark.parametrize(
    ("entry", "code", "said"),
    [
        (
            "  - what: extension\n    id: advocate\n    reason: r\n"
            '    sources: ["SI 2006/1738: reg 14"]',
            "remove-unknown",
            "cannot remove extension `advocate`: the baseline has no such extension; did you mean "
            "`stage-1-response/advocate`? (an extension is named by its duty and its own id: "
            "`<duty>/<extension>`)",
        ),
        (
            "  - what: extensions\n    id: stage-1-response/advocate\n    reason: r\n"
            '    sources: ["SI 2006/1738: reg 14"]',
            "invalid-value",
            "remove.0.what is the text `extensions`; did you mean `extension`?",
        ),
        (
            '  - id: stage-1-response/advocate\n    reason: r\n    sources: ["SI 2006/1738: reg 14"]',
            "missing-key",
            "remove.0 is missing `what`; for example `{what: extension, id: "
            "stage-1-response/advocate, reason: Why the council does not have it., sources: "
            '["<document>: <where it says so>"]}`',
        ),
        (
            "  what: extension\n  id: stage-1-response/advocate",
            "wrong-type",
            "remove should be a list, not a mapping; start each entry on a line of its own with "
            "`- `; for example `remove: [{what: extension,",
        ),
        (
            "  - stage-1-response/advocate",
            "wrong-type",
            "remove.0 should be a mapping of `key: value` lines, not the text "
            "`stage-1-response/advocate`; for example `{what: extension,",
        ),
    ],
    ids=["extension-without-its-duty", "misspelt-what", "no-what", "not-a-list", "bare-id"],
)
def test_remove_in_a_wrong_form_shows_the_right_one(
    library_copy: Path, entry: str, code: str, said: str
) -> None:
    path = mistake(library_copy, CHESHIRE_WEST, _CHESHIRE_REMOVE, f"remove:\n{entry}\n")
    found = [d for d in errors(path) if d.code == code]
    assert len(found) == 1, [d.to_text() for d in errors(path)]
    assert said in found[0].message
    for problem in errors(path):
        assert "None" not in problem.message and "<invalid>" not in problem.message


_CHESHIRE_REMOVE = """remove:
  - what: extension
    id: stage-1-response/advocate
    reason: >-
      The annual report gives the longer stage 1 only when a matter is more complex; it names no
      extension for a complainant who needs an advocate, which the Regulations allow but do not
      require.
    sources:
      - "003_8020045b0d788e4d.txt: \\"can be extended to 20 working days when a matter is more complex\\""
      - "SI 2006/1738: reg 14"
"""


# -- no message prints Python's None, a Python value or a JSON Schema keyword -------------------


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "    decision: redirect\n    route: child-protection-conference-appeal",
            "    route: child-protection-conference-appeal",
            "rule `child-protection-conference` gives a `route` but no decision; a route goes with "
            "`decision: redirect` only",
        ),
        (
            "when: {fact: complex, equals: true}",
            "when: {fact: complex, equals: maybe}",
            "fact `complex` is true or false, so it cannot be compared with `maybe`: write `true` "
            "or `false`",
        ),
    ],
    ids=["route-without-decision", "fact-compared-with-text"],
)
def test_a_value_left_out_or_mistyped_is_named_in_words(
    library_copy: Path, old: str, new: str, said: str
) -> None:
    path = mistake(library_copy, CHESHIRE_WEST, old, new)
    assert said in [d.message for d in errors(path)]


# -- ten more mistakes a policy officer makes ---------------------------------------------------

TEN = [
    ("met_by: [acknowledged]", "met_by: [acknowleged]", "met_by: [acknowleged]", "unknown-event",
     "no event is called `acknowleged`; did you mean `acknowledged`?"),
    ("met_by: [acknowledged]", "met_by: [letter-sent]", "met_by: [letter-sent]", "unknown-event",
     "no event is called `letter-sent`; use one defined under `events`, in this file or the one "
     "it extends, or define it there"),
    ("effective: 2006-09-01", "effective: 2024/13/01", "effective:", "invalid-value",
     "effective is `2024/13/01`, which is not a real date: write YYYY-MM-DD; did you mean "
     "`2024-01-13`?"),
    ("    title: Acknowledgement letter", "\ttitle: Acknowledgement letter", "\ttitle:",
     "yaml-syntax", "YAML does not allow tabs for indentation: use spaces"),
    ("    title: Acknowledgement letter\n", "    title: Acknowledgement letter\n    title: Letter\n",
     "    title: Letter", "duplicate-key",
     "duplicate key `title` (first given on line {n-1}); YAML would silently keep only the last, "
     "so remove one"),
    ("    actor: complaints-officer\n    anchor", "    actor: customer-care\n    anchor",
     "actor: customer-care", "unknown-role",
     "no role is called `customer-care`; use one of: `complainant`, `complaints-officer`, "
     "`independent-person`, `investigating-officer`, `panel`, `senior-manager`, "
     "`social-worker`, `team-manager`"),
    ("extends: baseline/csc-statutory", "extends: baseline/csc-statuary", "extends:",
     "unknown-procedure",
     "`extends` names `baseline/csc-statuary`, which no procedure file defines; did you mean "
     "`baseline/csc-statutory`?"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "at", "code", "said"),
    TEN,
    ids=["misspelt-event", "unknown-event", "date", "tab", "duplicate-key", "role", "extends"],
)
def test_more_mistakes_say_what_to_do(
    library_copy: Path, old: str, new: str, at: str, code: str, said: str
) -> None:
    path = mistake(library_copy, ISLINGTON, old, new)
    problem = only_error(path)
    n = line_of(path, at)
    assert (problem.code, problem.line) == (code, n)
    assert said.format_map(_Lines(n)) in problem.message, problem.message


# -- a stage written under a new id, as a policy officer tried it (issue 25's trial) -------------

NEW_STAGE = (
    "stages:\n"
    "  stage-one:\n"
    "    title: Informal resolution\n"
    '    sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]\n'
)


def test_a_stage_with_a_new_id_and_nothing_in_it_says_stage_ids_come_from_the_baseline(
    library_copy: Path,
) -> None:
    path = mistake(library_copy, ISLINGTON, "stages:\n", NEW_STAGE)
    found = only_error(path)
    assert (found.code, found.line) == ("missing-key", line_of(path, "  stage-one:"))
    assert "stage ids come from the baseline" in found.message
    assert "keep `stage-1` and change its `title`" in found.message
    # a name like no stage of the baseline: still an empty stage no case can be in
    path.write_text(path.read_text(encoding="utf-8").replace("stage-one:", "informal:"))
    forget(library_copy)  # this process read the library before the second mistake
    found = only_error(path)
    assert (found.code, found.line) == ("missing-key", line_of(path, "  informal:"))
    assert "stage `informal` has no steps and no state is in it" in found.message
    assert "to rename a stage people see, keep its id and change its `title:`" in found.message


def test_a_step_placed_after_a_step_of_another_stage_says_whose_step_it_is(
    library_copy: Path,
) -> None:
    path = mistake(
        library_copy,
        ISLINGTON,
        "stages:\n",
        NEW_STAGE
        + "    steps:\n"
        + "      meet-them:\n"
        + "        after: record-complaint\n"
        + "        description: A meeting to talk the complaint through.\n"
        + "        actor: complaints-officer\n"
        + '        sources: ["004_b2659dac51ae51b8.txt: Stage 1 Complaints - Informal Resolution"]\n',
    )
    found = only_error(path)
    assert (found.code, found.line) == ("unknown-step", line_of(path, "after: record-complaint"))
    assert "names a step of stage `stage-1`, not of stage `stage-one`" in found.message
    assert "keep the id `stage-1` and change its `title:`" in found.message


def test_a_scenario_expecting_other_warnings_is_shown_what_each_warning_says(
    tmp_path: Path,
) -> None:
    from conftest import ROOT, run

    scenario = (
        ROOT
        / "councils/cheshire-west/scenarios/22-answered-90-days-after-the-request-with-no-report-recorded.yaml"
    )
    text = scenario.read_text(encoding="utf-8")
    assert text.count("  warnings: [implied-event, late-whatever-the-date]\n") == 1
    mine = tmp_path / "scenario.yaml"
    mine.write_text(
        text.replace("  warnings: [implied-event, late-whatever-the-date]\n", "  warnings: []\n")
    )
    result = run("test", str(mine))
    assert result.exit_code == 1
    assert "warnings: expected [], got [implied-event, late-whatever-the-date]" in result.output
    # which event was taken as done, in the warning's own words
    assert "implied-event: " in result.output and "investigation-report-received" in result.output
