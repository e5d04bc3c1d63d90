"""Cheshire West's published tables, all of them, reproduced cell for cell (issue 23, item 5 and
"What must be shown"): the example caseload counted in the council's own categories, beside the
earlier years it published (given in a figures file); and the figures file, the council's own
categories and the years with no records, as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, line_of, run
from csc_rules.annual_report.tables import Table, labelled, tables

FOLDER = ROOT / "examples" / "annual-report"
EXAMPLE = FOLDER / "cheshire-west-2024-25.jsonl"
FIGURES = FOLDER / "cheshire-west.figures.yaml"
YEARS = ("2024-25", "2023-24", "2022-23", "2021-22", "2020-21")
HEADING = ()  # a heading row of the published table, with no figures of its own

# -- the published tables, typed by hand from the council's report 2024-25 (seed 003) ----------
# Tables 1-4 as published: a row per year, in the table's columns.
TABLE_1 = (
    (
        "Total no. of valid complaints processed",
        "Withdrawn/ not pursued/ other",
        "Ineligible*",
        "Total no. of complaints representations considered",
    ),
    {
        "2024-25": (30, 75, 18, 123),
        "2023-24": (25, 133, 53, 211),
        "2022-23": (14, 97, 26, 137),
        "2021-22": (14, 93, 24, 131),
        "2020-21": (15, 94, 16, 125),
    },
)
TABLE_2 = (
    ("Upheld", "Partially upheld", "Not upheld", "Outstanding", "Total"),
    {
        "2024-25": (4, 19, 7, 0, 30),
        "2023-24": (2, 14, 9, 0, 25),
        "2022-23": (1, 11, 2, 0, 14),
        "2021-22": (1, 10, 3, 0, 14),
        "2020-21": (2, 11, 2, 0, 15),
    },
)
TABLE_3 = (
    ("Upheld", "Partially upheld", "Not upheld", "Open cases", "Withdrawn", "Total"),
    {
        "2024-25": (0, 9, 0, 0, 0, 9),
        "2023-24": (0, 4, 1, 0, 2, 7),
        "2022-23": (0, 1, 0, 0, 4, 5),
        "2021-22": (0, 2, 0, 0, 2, 4),
        "2020-21": (0, 1, 0, 1, 1, 3),
    },
)
TABLE_4 = (
    ("Upheld", "Partially upheld", "Not upheld (No Fault)*", "Open cases", "Withdrawn", "Total"),
    {
        "2024-25": (0, 0, 3, 1, 0, 4),
        "2023-24": (0, 1, 0, 1, 1, 3),
        "2022-23": (0, 1, 0, 0, 0, 1),
        "2021-22": (0, 0, 0, 0, 0, 0),
        "2020-21": (0, 0, 0, 0, 0, 0),
    },
)
# Tables 5-9 as published: a row per category, a column per year (2024-25 first). A row under
# a heading is named `heading / row`.
TABLE_5 = (
    ("Children in Need", HEADING),
    ("Children in Need / Winsford", (3, 5, 1, 2, 1)),
    ("Children in Need / Chester", (9, 1, 3, 0, 1)),
    ("Children in Need / Ellesmere Port", (3, 2, 0, 0, 1)),
    ("CP Court Team", HEADING),
    ("CP Court Team / Winsford", (0, 0, 0, 1, 0)),
    ("CP Court Team / Chester", (2, 1, 2, 0, 0)),
    ("CP Court Team / Ellesmere Port", (0, 0, 1, 1, 0)),
    ("Children in Care (Permanence Teams')", HEADING),
    ("Children in Care (Permanence Teams') / Winsford", (3, 5, 0, 2, 1)),
    ("Children in Care (Permanence Teams') / Ellesmere Port", (5, 7, 4, 0, 6)),
    ("Leaving Care (Supporting Independence)", HEADING),
    ("Children with Disabilities", (3, 3, 2, 2, 3)),
    ("Provider Services", HEADING),
    ("Provider Services / Fostering", (1, 0, 0, 0, 0)),
    ("Provider Services / Adoption", (0, 0, 0, 0, 0)),
    ("Safeguarding", HEADING),
    (
        "Safeguarding / Integrated Access and Referral Team and Integrated Early Support",
        (0, 0, 0, 2, 2),
    ),
    ("Safeguarding / Transition Team", (0, 0, 1, 1, 0)),
    ("Safeguarding / Emergency Duty Team", (0, 0, 0, 0, 0)),
    ("Total", (30, 25, 14, 14, 15)),
)
TABLE_6 = (
    ("Standard of Service Delivery", (19, 16, 7, 10, 10)),
    ("Standard of Service Delivery / Inaccuracies in assessments", (0, 0, 0, 1, 1)),
    ("Standard of Service Delivery / Lack of support", (15, 6, 0, 2, 7)),
    ("Standard of Service Delivery / Failure to investigate concerns", (0, 1, 0, 2, 0)),
    ("Standard of Service Delivery / Issues with contact arrangements", (4, 9, 1, 2, 2)),
    ("Standard of Service Delivery / Other", (0, 0, 6, 3, 0)),
    ("Social Worker", (7, 0, 4, 1, 1)),
    ("Social Worker / Allegations of Misconduct", (0, 0, 0, 0, 0)),
    ("Social Worker / Issues with Attitude / Behaviour", (0, 0, 0, 0, 0)),
    ("Social Worker / Lack of Support", (7, 0, 3, 1, 1)),
    ("Social Worker / Preference for one parent over another", (0, 0, 1, 0, 0)),
    ("Social Worker / Social Worker and Team Manager", (0, 0, 0, 0, 0)),
    ("Communication", (1, 3, 0, 0, 2)),
    ("Communication / Lack of response", (1, 2, 0, 0, 2)),
    ("Communication / Late / missing reports", (0, 0, 0, 0, 0)),
    ("Communication / Cancellation of appointments", (0, 1, 0, 0, 0)),
    ("Child Protection Issues", (1, 1, 1, 1, 0)),
    ("Financial Issues", (0, 0, 2, 0, 1)),
    ("Accommodation/Placement Issues", (1, 1, 0, 1, 0)),
    ("Adoption", (1, 0, 0, 0, 0)),
    ("Fostering Issues", (0, 0, 0, 1, 0)),
    ("Eligibility for Service / Unhappy with Social Care involvement", (0, 4, 0, 0, 1)),
    ("Data Protection Issues", (0, 0, 0, 0, 0)),
    ("Total", (30, 25, 14, 14, 15)),
)
TABLE_7 = (
    ("10 working days or less", (3, 4, 2, 0, 1)),
    ("20 working days or less", (14, 4, 2, 2, 5)),
    ("Outside the statutory timescale", (13, 17, 10, 12, 9)),
    ("Total", (30, 25, 14, 14, 15)),
)
TABLE_8 = (
    ("Service Area", (3, 3, 1, 3, 1)),
    ("Customer Relations Team", (21, 20, 13, 9, 12)),
    ("Director/Head of Service", (2, 0, 0, 0, 0)),
    ("Chief Executive", (0, 0, 0, 0, 1)),
    ("Other", (4, 2, 0, 2, 1)),
    ("Total", (30, 25, 14, 14, 15)),
)
TABLE_9 = (
    ("Child or young person being looked after or in need", (0, 0, 0, 0, 1)),
    ("Parent/s", (26, 22, 12, 11, 12)),
    ("Local Authority foster carer", (1, 1, 0, 1, 0)),
    ("Special guardian", (1, 0, 2, 0, 0)),
    ("Persons wishing to adopt", (0, 0, 0, 0, 0)),
    ("Persons with sufficient interest in child's welfare", (0, 0, 0, 1, 1)),
    ("Advocacy service", (2, 2, 0, 1, 1)),
    ("Total", (30, 25, 14, 14, 15)),
)

# Where the report names a published row otherwise: (published, the report's), per table.
RENAMED = {
    "representations": {
        "Total no. of valid complaints processed": "Valid complaints",
        "Withdrawn/ not pursued/ other": "Withdrawn, not pursued or resolved early",
        "Ineligible*": "Ineligible",
        "Total no. of complaints representations considered": "Total representations considered",
    },
    "outcomes-stage-1": {"Outstanding": "Not yet answered"},
    "outcomes-stage-2": {
        "Open cases": "Not yet answered",
        "Withdrawn": "Withdrawn before an answer",
    },
    "outcomes-stage-3": {
        "Not upheld (No Fault)*": "Not upheld",
        "Open cases": "Not yet answered",
        "Withdrawn": "Withdrawn before an answer",
    },
}
# The report's rows the published table does not have, and what they hold: 0 in 2024-25 (no
# case falls in them), and no figure in the years given as published, which never had them;
# but for one case the published Table 5 does not place (its rows add up to 29 of 30).
NOT_PUBLISHED = (None, None, None, None)
UNANSWERED_ROWS = ("Answered, outcome not recorded", "Escalated before an answer")
ENDS = ("Settled without a formal answer", "Referred to the Ombudsman before an answer")
EXTRA = {
    "outcomes-stage-1": {
        row: (0, *NOT_PUBLISHED) for row in (*UNANSWERED_ROWS, "Withdrawn before an answer", *ENDS)
    },
    "outcomes-stage-2": {row: (0, *NOT_PUBLISHED) for row in (*UNANSWERED_ROWS, *ENDS)},
    "outcomes-stage-3": {row: (0, *NOT_PUBLISHED) for row in (*UNANSWERED_ROWS, *ENDS)},
    "response-times-stage-1": {
        "Ended before an answer": (0, *NOT_PUBLISHED),
        "Not yet answered, still in time": (0, *NOT_PUBLISHED),
    },
    "service-areas": {"not recorded": (1, *NOT_PUBLISHED)},
}


def by_year(table: tuple[tuple[str, ...], dict[str, tuple[int, ...]]]) -> dict[str, tuple]:
    """A table published with a row per year, as label -> a value per year."""
    columns, rows = table
    return {label: tuple(rows[y][i] for y in YEARS) for i, label in enumerate(columns)}


PUBLISHED: dict[str, dict[str, tuple]] = {
    "representations": by_year(TABLE_1),
    "outcomes-stage-1": by_year(TABLE_2),
    "outcomes-stage-2": by_year(TABLE_3),
    "outcomes-stage-3": by_year(TABLE_4),
    "service-areas": dict(TABLE_5),
    "subjects": dict(TABLE_6),
    "response-times-stage-1": dict(TABLE_7),
    "points-of-receipt": dict(TABLE_8),
    "complainants": dict(TABLE_9),
}


def rows_of(table: Table) -> dict[str, tuple[Any, ...]]:
    """A rendered table as label -> its values, a row under a heading named `heading / row`."""
    return {
        f"{heading} / {label}" if heading else label: values
        for label, _, heading, values in labelled(table)
    }


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(FIGURES), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


@pytest.fixture(scope="module")
def rendered(document: dict[str, Any]) -> dict[str, dict[str, tuple[Any, ...]]]:
    from csc_rules.procedures.library import library

    facts = library().vocabulary.facts()
    labels = {name: dict(fact.get("labels", {})) for name, fact in facts.items()}
    return {t.key: rows_of(t) for t in tables(document, labels)}


@pytest.mark.parametrize("key", list(PUBLISHED))
def test_every_cell_of_the_published_table_is_the_reports(
    key: str, rendered: dict[str, dict[str, tuple[Any, ...]]]
) -> None:
    """Tables 1-9: the 2024-25 column counted from the example's records, the four years before
    it as the figures file gives them as published; every row, zero rows and headings included,
    in the published order; and the report's rows the table does not have, accounted for."""
    ours = rendered[key]
    renamed = RENAMED.get(key, {})
    published = {renamed.get(label, label): values for label, values in PUBLISHED[key].items()}
    assert {label: ours.get(label, "missing") for label in published} == published
    in_order = [label for label in ours if label in published]
    assert in_order == list(published)  # the council's order
    assert {label: v for label, v in ours.items() if label not in published} == EXTRA.get(key, {})


def test_the_earlier_years_are_marked_as_published(document: dict[str, Any]) -> None:
    assert document["published"] is False and document["no_data"] is False
    earlier = document["previous_years"]
    assert [(y["year"], y["published"], y["no_data"]) for y in earlier] == [
        (year, True, False) for year in YEARS[1:]
    ]
    assert "counted" not in earlier[0]  # no records of 2023-24 were counted
    markdown = run("report", str(EXAMPLE), "--year", "2024-25", "--figures", str(FIGURES))
    assert "| | 2024-25 | 2023-24 as published | 2022-23 as published |" in markdown.stdout
    # a row the published tables do not have: no figure in the years given as published
    assert "| Ended before an answer | 0 | no data | no data | no data | no data |" in (
        markdown.stdout
    )


def test_every_subject_raised_is_counted_once_a_complaint(
    rendered: dict[str, dict[str, tuple[Any, ...]]],
) -> None:
    """Worked out from the example's script: beside the primary subjects of Table 6, two
    complaints also raise a social worker's lack of support, two lack of response and late
    reports, one a preference for one parent, one cancelled appointments, and the one whose
    primary subject is lack of response also raises lack of support: 30 + 9 = 39."""
    raised = {label: values[0] for label, values in rendered["subjects-raised"].items()}
    assert raised["Standard of Service Delivery / Lack of support"] == 15 + 1
    assert raised["Standard of Service Delivery / Issues with contact arrangements"] == 4
    assert raised["Social Worker / Lack of Support"] == 7 + 2
    assert raised["Social Worker / Preference for one parent over another"] == 1
    assert raised["Communication / Lack of response"] == 1 + 2
    assert raised["Communication / Late / missing reports"] == 2
    assert raised["Communication / Cancellation of appointments"] == 1
    # a heading's figure is the sum of the rows under it
    assert raised["Standard of Service Delivery"] == 20
    assert raised["Social Worker"] == 10
    assert raised["Communication"] == 6
    assert raised["Total"] == 39
    assert rendered["subjects-raised"]["Total"][1:] == NOT_PUBLISHED  # not published


def test_the_figures_given_pass_into_the_json_as_the_file_gives_them(
    document: dict[str, Any],
) -> None:
    # section 3 and 5.1 of the report: 3 complaints received, 12 decided (6 closed after
    # initial enquiries, 1 advice given, 5 referred for local resolution), none upheld; and
    # 13 compliments
    assert document["given"] == {
        "compliments": 13,
        "ombudsman": {
            "received": 3,
            "decided": 12,
            "decisions": {
                "closed-after-initial-enquiries": 6,
                "advice-given": 1,
                "referred-back-for-local-resolution": 5,
                "upheld": 0,
            },
        },
    }
    assert document["notices"] == []
    two = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--years", "2", "--figures", str(FIGURES),
    )  # fmt: skip
    assert two.exit_code == 0, two.output
    # the years the file gives and the tables do not show are said, not silently dropped
    noted = [line for line in two.stderr.splitlines() if "not shown" in line]
    assert [line.split(":")[1].strip() for line in noted] == ["2020-21", "2021-22", "2022-23"]
    assert all(
        line.startswith("note: ")
        and line.endswith(
            "cheshire-west.figures.yaml gives for this year are not shown: the "
            "tables show 2023-24 to 2024-25 (--years)"
        )
        for line in noted
    )
    assert "> 2020-21: the figures" in two.stdout
    six = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--years", "6", "--figures", str(FIGURES),
        "--format", "json",
    )  # fmt: skip
    oldest = json.loads(six.stdout)["previous_years"][-1]
    assert oldest["year"] == "2019-20" and oldest["no_data"] is True
    assert "given" not in oldest  # a year the file does not mention
    assert oldest["representations"] == {
        "total": None,
        "valid": None,
        "ineligible": None,
        "not_pursued": None,
    }


def test_published_figures_of_a_counted_year_are_shown_and_the_counted_kept(
    tmp_path: Path,
) -> None:
    figures = tmp_path / "cw.figures.yaml"
    figures.write_text(
        'years:\n  "2024-25":\n    published:\n'
        "      representations: {valid: 31, not_pursued: 74, ineligible: 18, total: 123}\n",
        encoding="utf-8",
    )
    result = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--figures", str(figures), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["published"] is True
    assert data["representations"]["valid"] == 31
    assert data["counted"]["representations"]["valid"] == 30
    assert data["outcomes"]["stage-1"]["upheld"] is None  # not published: no figure
    assert "2024-25: the figures" in result.stderr and "123 records" in result.stderr
    assert data["notices"] == [line[len("note: ") :] for line in result.stderr.splitlines()]


# -- a council's own categories, and a council without -----------------------------------------


def case_line(reference: str, council: str, **facts: Any) -> str:
    """A valid complaint received on Mon 3 Jun 2024, answered a week later."""
    base = {
        "complainant": {"role": "parent"},
        "on_behalf_of_child": False,
        "matter_date": "2024-05-01",
        "about_council_actions": True,
        "previously_completed_all_stages": False,
        "concurrent_proceedings": [],
        "safeguarding_concern": False,
        "subject": "lack-of-support",
    }
    events = [
        {"date": "2024-06-03", "event": "complaint-received"},
        {"date": "2024-06-10", "event": "stage-1-response-sent", "outcome": "upheld"},
    ]
    record = {"case": reference, "procedure": f"{council}/csc-statutory", "facts": base | facts}
    return json.dumps(record | {"events": events}) + "\n"


@pytest.fixture
def sefton_cases(tmp_path: Path) -> Path:
    path = tmp_path / "sefton.jsonl"
    path.write_text(
        case_line("S-1", "sefton", service_area="team-b", point_of_receipt="chief-executive")
        + case_line("S-2", "sefton", service_area="team-a")
        + case_line("S-3", "sefton", service_area="team-a")
        + case_line("S-4", "sefton", service_area="the-moon"),
        encoding="utf-8",
    )
    return path


def test_a_council_without_its_own_categories_is_counted_as_its_records_say(
    sefton_cases: Path,
) -> None:
    result = run("report", str(sefton_cases), "--year", "2024-25", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["categories"] == {}
    # the values its records give, most first, no category listed that no case has
    assert list(data["service_areas"].items()) == [("team-a", 2), ("team-b", 1), ("the-moon", 1)]
    assert list(data["points_of_receipt"].items()) == [("not recorded", 3), ("chief-executive", 1)]
    assert "unknown-category" not in data["warnings"]  # a free-text fact has no categories
    text = run("report", str(sefton_cases), "--year", "2024-25").stdout
    assert "| Chief Executive | 1 | no data |" in text  # as rules/vocabulary.yaml labels it


SEFTON_TEAMS = """
report:
  categories:
    service_area:
      group_totals: true
      sources: ["001_fa29f2577f0a0813.txt: Get in touch"]
      rows:
        - group: Early Help
          rows:
            - {code: team-a, label: Team A}
            - {code: team-b, label: Team B}
        - {code: team-c, label: Team C}
"""


def test_a_council_lists_its_own_categories_in_its_file_alone(
    library_copy: Path, sefton_cases: Path, tmp_path: Path
) -> None:
    """No code and no other file changes: the council's file gives the rows, in its order and
    under its headings, 0 where no case is; a value it does not list is still counted, under its
    own name, and named as not one of them."""
    council = library_copy / "councils" / "sefton" / "council.yaml"
    council.write_text(council.read_text(encoding="utf-8") + SEFTON_TEAMS, encoding="utf-8")
    result = run("report", str(sefton_cases), "--year", "2024-25", "--years", "1")
    assert result.exit_code == 0, result.output
    assert (
        "| **Early Help** | 3 |\n| – Team A | 2 |\n| – Team B | 1 |\n| Team C | 0 |\n"
        "| the-moon | 1 |\n| Total | 4 |"
    ) in result.stdout
    data = json.loads(
        run("report", str(sefton_cases), "--year", "2024-25", "--format", "json").stdout
    )
    assert data["warnings"]["unknown-category"] == {"count": 1, "cases": ["S-4"]}
    assert data["categories"]["service_area"]["from"].endswith("councils/sefton/council.yaml")
    folder = tmp_path / "tables"
    assert run(
        "report", str(sefton_cases), "--year", "2024-25", "--years", "1", "--format", "csv",
        "-o", str(folder),
    ).exit_code == 0  # fmt: skip
    assert (folder / "service-areas.csv").read_text(encoding="utf-8").splitlines()[1:4] == [
        "Early Help,3",
        "Early Help: Team A,2",
        "Early Help: Team B,1",
    ]


def test_a_council_s_categories_are_checked(council_copy: Any) -> None:
    path = council_copy(
        "councils/cheshire-west/council.yaml",
        "        - {code: parent, label: Parent/s}\n",
        "        - {code: parent, label: Parent/s}\n        - {code: parents, label: Parents}\n"
        "        - {code: parent, label: Parents}\n",
        name="council.yaml",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    wrong, twice = line_of(path, "code: parents,"), line_of(path, "code: parent, label: Parents")
    assert f"council.yaml:{wrong}:18: error[invalid-value]: `parents` is not a value of " in (
        result.output
    )
    assert "did you mean `parent`?" in result.output
    assert f"council.yaml:{twice}:18: error[duplicate-id]: `parent` is listed twice" in (
        result.output
    )


# -- a year with no records -------------------------------------------------------------------


def test_a_year_with_no_records_shows_no_data_in_every_format(tmp_path: Path) -> None:
    options = ["report", str(EXAMPLE), "--year", "2024-25", "--years", "2"]
    text = run(*options, "--format", "text").stdout
    row = next(line for line in text.splitlines() if line.startswith("Valid complaints"))
    assert row.split()[-3:] == ["30", "no", "data"]
    assert "| Valid complaints | 30 | no data |" in run(*options).stdout
    folder = tmp_path / "tables"
    run(*options, "--format", "csv", "-o", str(folder))
    assert "Valid complaints,30,no data" in (folder / "representations.csv").read_text("utf-8")
    page = tmp_path / "report.html"
    run(*options, "--format", "html", "-o", str(page))
    assert (
        '<th scope="row">Valid complaints</th><td>30</td><td class="none">no data</td>'
        in page.read_text(encoding="utf-8")
    )
    data = json.loads(run(*options, "--format", "json").stdout)
    earlier = data["previous_years"][0]
    assert earlier["no_data"] is True and earlier["representations"]["valid"] is None
    assert earlier["outcomes"]["stage-1"]["upheld"] is None
    assert set(earlier["service_areas"].values()) == {None}  # every category, no figure


def test_further_subjects_are_read_from_an_export_and_counted_once_a_complaint(
    tmp_path: Path,
) -> None:
    """An export's column of further subjects, several to a cell, in the export's own words
    where the mapping gives them; a subject given twice in a complaint is counted once."""
    (tmp_path / "export.mapping.yaml").write_text(
        "csv: export\nprocedure: cheshire-west/csc-statutory\n"
        "columns: {case: Ref, date: Date, event: Event}\n"
        "fields: {outcome: Outcome}\n"
        "facts: {subject: Subject, further_subjects: Also about}\n"
        "values:\n  further_subjects: {Late reports: late-or-missing-reports}\n",
        encoding="utf-8",
    )
    (tmp_path / "export.csv").write_text(
        "Ref,Date,Event,Outcome,Subject,Also about\n"
        "C-1,2024-06-03,complaint-received,,lack-of-response,Late reports; lack-of-support\n"
        "C-1,2024-06-10,stage-1-response-sent,upheld,,\n"
        "C-2,2024-06-04,complaint-received,,lack-of-support,lack-of-support\n"
        "C-2,2024-06-11,stage-1-response-sent,upheld,,\n",
        encoding="utf-8",
    )
    result = run("report", str(tmp_path / "export.csv"), "--year", "2024-25", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {k: v for k, v in data["subjects"].items() if v} == {
        "lack-of-support": 1,
        "lack-of-response": 1,
    }
    assert {k: v for k, v in data["subjects_raised"].items() if v} == {
        "lack-of-support": 2,
        "lack-of-response": 1,
        "late-or-missing-reports": 1,
    }
    assert "unknown-category" not in data["warnings"]  # each is one of the council's
