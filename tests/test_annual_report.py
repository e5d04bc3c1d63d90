"""`csc-rules report`: the statutory annual report counted from case records (issue 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ROOT, assert_no_crash, run

EXAMPLE = ROOT / "examples" / "annual-report" / "cheshire-west-2024-25.jsonl"


def report(*args: str) -> dict:
    result = run("report", *args, "--format", "json")
    assert_no_crash(result)
    return json.loads(result.stdout)


def test_the_example_caseload_reproduces_the_published_2024_25_figures() -> None:
    # Typed from Cheshire West and Chester's annual report 2024-25 (seed 003), 2024-25 column.
    data = report(str(EXAMPLE), "--year", "2024-25")
    assert (data["year"], data["from"], data["to"]) == ("2024-25", "2024-04-01", "2025-03-31")
    # Table 1: 30 valid, 75 withdrawn/not pursued/other, 18 ineligible, 123 considered
    assert data["representations"] == {
        "total": 123,
        "valid": 30,
        "ineligible": 18,
        "not_pursued": 75,
    }
    # 1.2: 9 of the 30 went to stage 2, and 4 of those to stage 3
    assert data["escalations"] == {"stage-2": 9, "stage-3": 4}
    outcomes = data["outcomes"]
    # Table 2: upheld 4, partially upheld 19, not upheld 7, outstanding 0, total 30
    # (every stage of the example's valid cases is answered, or open: the columns for a stage
    # left unanswered are 0)
    unanswered = {"not-recorded": 0, "escalated": 0, "withdrawn": 0, "settled": 0, "referred": 0}
    assert outcomes["stage-1"] == {
        "upheld": 4,
        "partially-upheld": 19,
        "not-upheld": 7,
        "open": 0,
        **unanswered,
        "total": 30,
    }
    # Table 3: partially upheld 9 of 9
    assert outcomes["stage-2"] == {
        "upheld": 0,
        "partially-upheld": 9,
        "not-upheld": 0,
        "open": 0,
        **unanswered,
        "total": 9,
    }
    # Table 4: not upheld 3, open 1, total 4
    assert outcomes["stage-3"] == {
        "upheld": 0,
        "partially-upheld": 0,
        "not-upheld": 3,
        "open": 1,
        **unanswered,
        "total": 4,
    }
    # Table 7: 3 within 10 working days, 14 within 20, 13 outside; "only 56% ... in time"
    stage_1 = data["response_times"]["stage-1"]
    assert (stage_1["within-10"], stage_1["within-20"], stage_1["outside"]) == (3, 14, 13)
    assert stage_1["in_time_percent"] == 56
    # Table 8: service area 3, customer relations team 21, director 2, chief executive 0,
    # other 4: every row of the council's own (councils/cheshire-west/council.yaml), in its order
    assert list(data["points_of_receipt"].items()) == [
        ("service-area", 3),
        ("customer-relations-team", 21),
        ("director-or-head-of-service", 2),
        ("chief-executive", 0),
        ("other", 4),
    ]
    # Table 9: parents 26, foster carer 1, special guardian 1, advocacy service 2, the rest 0
    assert list(data["complainants"].items()) == [
        ("child", 0),
        ("parent", 26),
        ("local-authority-foster-carer", 1),
        ("special-guardian", 1),
        ("prospective-adopter", 0),
        ("person-with-sufficient-interest", 0),
        ("advocate", 2),
    ]
    assert data["warnings"] == {} and data["refused"] == {"count": 0, "listed": 0, "cases": []}
    # beside the published rule, the engine's own: 10 of the 14 within 20 were extended
    assert stage_1["by_the_rules"] == {"met": 13, "missed": 17}
    assert stage_1["extended"] == 10
    # the example's answers: 3 in 8 working days, 14 in 15, 13 in 25 (its script's `timing`):
    # (24 + 210 + 325) / 30 = 18.63
    assert (stage_1["ended"], stage_1["pending"], stage_1["total"]) == (0, 0, 30)
    assert stage_1["average_days"] == 18.6
    # stage 2: each asked for, then the report 20 working days on and the answer 5 after: 25
    stage_2 = data["response_times"]["stage-2"]
    assert (stage_2["within-25"], stage_2["average_days"], stage_2["extended"]) == (9, 25.0, 0)
    # stage 3: each panel 20 working days after the request; CW-2425-004's, asked for on Thu 6
    # Mar 2025, meets on 3 Apr: on 31 Mar it has run 17 working days of 30, still in time
    stage_3 = data["response_times"]["stage-3"]
    assert (stage_3["within-30"], stage_3["pending"], stage_3["average_days"]) == (3, 1, 20.0)
    assert data["council"] == {"id": "cheshire-west", "name": "Cheshire West and Chester Council"}


def test_the_markdown_report_names_rows_and_says_how_each_table_is_counted() -> None:
    result = run("report", str(EXAMPLE), "--year", "2024-25", "--years", "2")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| | 2024-25 | 2023-24 |" in text
    # 2023-24 has no records: "no data", never 0
    assert "| Total representations considered | 123 | no data |" in text
    assert "| Parent/s | 26 | no data |" in text  # labelled as the council's report names it
    assert "| 10 working days or less | 3 | no data |" in text
    assert "| Answered in time (%) | 56% | no data |" in text
    assert "In time: answered within 20 working days, extended or not" in text
    # the statutory view beside the bands: the duty as the rules judged it, the extensions, the
    # average (worked out in the first test)
    assert "| Duty met in time | 13 | no data |" in text
    assert "| Duty missed (done late) | 17 | no data |" in text
    assert "| Of which the limit was extended | 10 | no data |" in text
    assert "| Average working days | 18.6 | no data |" in text


def line(case: str, procedure: str, events: list, **facts: object) -> str:
    base = {
        "complainant": {"role": "parent"},
        "on_behalf_of_child": False,
        "matter_date": "2024-05-01",
        "about_council_actions": True,
        "previously_completed_all_stages": False,
        "concurrent_proceedings": [],
        "safeguarding_concern": False,
        "subject": "standard-of-service",
    }
    base.update(facts)
    return json.dumps({"case": case, "procedure": procedure, "facts": base, "events": events})


def test_messy_records_are_reported_by_reference_and_counted_where_they_can_be(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            [
                # answered without an outcome: counted as not recorded
                line(
                    "NO-OUTCOME",
                    "sefton/csc-statutory",
                    [
                        {"date": "2024-06-03", "event": "complaint-received"},
                        {"date": "2024-06-10", "event": "stage-1-response-sent"},
                    ],
                ),
                # a category its council does not list: counted under its own name
                line(
                    "ODD-AREA",
                    "cheshire-west/csc-statutory",
                    [{"date": "2024-07-01", "event": "complaint-received"}],
                    service_area="the-moon",
                    subject="lack-of-support",
                ),
                # an impossible date: cannot be replayed, so listed, not counted
                line(
                    "BAD-DATE",
                    "sefton/csc-statutory",
                    [{"date": "2024-02-30", "event": "complaint-received"}],
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = run("report", str(cases), "--year", "2024-25", "--format", "json")
    assert result.exit_code == 1  # a record could not be counted
    assert "1 record(s) could not be counted" in result.stderr
    data = json.loads(result.stdout)
    assert data["representations"]["valid"] == 2
    assert data["outcomes"]["stage-1"]["total"] == 2
    assert data["outcomes"]["stage-1"]["open"] == 1  # ODD-AREA, not yet answered
    assert data["outcomes"]["stage-1"]["not-recorded"] == 1  # NO-OUTCOME
    assert (
        sum(data["outcomes"]["stage-1"][k] for k in ("upheld", "partially-upheld", "not-upheld"))
        == 0
    )
    assert data["warnings"]["missing-outcome"] == {"count": 1, "cases": ["NO-OUTCOME"]}
    assert data["warnings"]["unknown-category"] == {"count": 1, "cases": ["ODD-AREA"]}
    assert data["service_areas"]["the-moon"] == 1
    [refused] = data["refused"]["cases"]
    assert refused["case"] == "BAD-DATE"
    assert "2024-02-30" in refused["why"]


def test_a_year_written_wrongly_is_refused_with_how_to_write_it() -> None:
    result = run("report", str(EXAMPLE), "--year", "2024")
    assert result.exit_code == 1
    assert "`2024` is not a reporting year: write it as 2024-25" in result.output
    assert_no_crash(result)
    far = run("report", str(EXAMPLE), "--year", "9999-00")
    assert far.exit_code == 1
    assert "`9999-00` is outside the years a report can cover" in far.output


def test_html_is_one_self_contained_page_with_a_chart_beside_each_table(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    target = tmp_path / "report.html"
    result = run("report", str(EXAMPLE), "--year", "2024-25", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")

    class Parts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.tags.append((tag, dict(attrs)))

    parts = Parts()
    parts.feed(page)
    tags = [t for t, _ in parts.tags]
    # nothing fetched from anywhere: no scripts, links, images or remote fonts
    assert not {"script", "link", "img", "iframe"} & set(tags)
    assert re.findall(r"url\((?!#)", page) == [] and "@import" not in page  # its own patterns only
    assert all(not a.get("src") and a.get("href", "#")[:1] == "#" for _, a in parts.tags)
    # each table of counts has a bar chart drawn in the page itself
    assert tags.count("svg") >= 10 and tags.count("table") >= 12
    assert '<th scope="row">Parent/s</th><td>26</td>' in page
    # each bar labelled with its figure
    assert re.search(r">Parent/s</text><rect [^>]*/><text [^>]*>26</text>", page)


def test_csv_writes_one_file_per_table_and_needs_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    result = run("report", str(EXAMPLE), "--year", "2024-25", "--format", "csv", "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / "representations.csv").read_text(encoding="utf-8").splitlines()[:2] == [
        "Representations considered,2024-25,2023-24,2022-23,2021-22,2020-21",
        "Valid complaints,30,no data,no data,no data,no data",
    ]
    assert (folder / "response-times-stage-1.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "10 working days or less,3,no data,no data,no data,no data"
    )
    assert run("report", str(EXAMPLE), "--year", "2024-25", "--format", "csv").exit_code == 2


def test_the_report_never_writes_over_its_input(tmp_path: Path) -> None:
    copy = tmp_path / "cases.jsonl"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = run("report", str(copy), "--year", "2024-25", "--format", "html", "-o", str(copy))
    assert result.exit_code == 1
    assert copy.read_bytes() == EXAMPLE.read_bytes()
    assert_no_crash(result)


def test_text_lines_up_the_years() -> None:
    out = run(
        "report", str(EXAMPLE), "--year", "2024-25", "--format", "text", "--years", "2"
    ).stdout
    row = next(line for line in out.splitlines() if line.startswith("Total representations"))
    header = next(
        line for line in out.splitlines() if line.startswith("Representations considered")
    )
    assert row.split() == ["Total", "representations", "considered", "123", "no", "data"]
    assert len(row) == len(header)  # the numbers end under the years


def test_council_keeps_to_one_council_and_says_how_many_it_left_out() -> None:
    every = report(str(EXAMPLE), "--year", "2024-25")
    sefton = report(str(EXAMPLE), "--year", "2024-25", "--council", "sefton")
    cheshire = report(str(EXAMPLE), "--year", "2024-25", "--council", "cheshire-west")
    assert every["left_out"] == {"received_after_as_of": 0, "other_councils": 0, "other_years": 0}
    # the caseload is all Cheshire West's: Sefton's report counts none and says so; it has no
    # figures (null, "no data"), not 0
    assert sefton["no_data"] is True and sefton["representations"]["total"] is None
    assert sefton["left_out"] == {
        "received_after_as_of": 0,
        "other_councils": 123,
        "other_years": 0,
    }
    # a year after the caseload's: its 123 cases are in a year the tables do not show
    later = report(str(EXAMPLE), "--year", "2030-31")
    assert later["left_out"] == {"received_after_as_of": 0, "other_councils": 0, "other_years": 123}
    assert cheshire["representations"] == every["representations"]


def test_a_stage_left_unanswered_when_the_next_was_asked_for(tmp_path: Path) -> None:
    # Sefton: received Mon 3 Jun 2024, never answered; stage 2 asked for on Mon 24 Jun, when
    # the stage 1 answer (due Mon 17 Jun) was late. Stage 1 is counted as escalated.
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        line(
            "ESCALATED",
            "sefton/csc-statutory",
            [
                {"date": "2024-06-03", "event": "complaint-received"},
                {"date": "2024-06-24", "event": "stage-2-requested"},
            ],
        )
        + "\n",
        encoding="utf-8",
    )
    data = report(str(cases), "--year", "2024-25")
    assert data["outcomes"]["stage-1"] == {
        "upheld": 0,
        "partially-upheld": 0,
        "not-upheld": 0,
        "not-recorded": 0,
        "escalated": 1,
        "open": 0,
        "withdrawn": 0,
        "settled": 0,
        "referred": 0,
        "total": 1,
    }
    assert data["outcomes"]["stage-2"]["total"] == 1
    assert data["warnings"]["unanswered-stage"] == {"count": 1, "cases": ["ESCALATED"]}
    assert data["warnings"]["escalated-on-delay"] == {"count": 1, "cases": ["ESCALATED"]}
