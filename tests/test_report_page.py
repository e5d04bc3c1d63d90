"""The annual report's page (`csc-rules report --format html`) as a council would publish it, in
the real browser the site's tests use: its title, its words, its charts, a phone, axe-core, and
a PDF printed by the browser; and the records' problems, written beside it, never on it.

The caseload is the Cheshire West example, with a third of its cases again a year earlier (so
that the charts compare two years), one case whose answers record no outcome (a warning) and one
record with an impossible date (refused). Screenshots and the PDF go to a temporary folder, or
to CSC_RULES_SCREENSHOTS."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browsers import DESKTOP, PHONE, serious
from conftest import COUNCILS, ROOT, run

EXAMPLE = ROOT / "examples" / "annual-report" / "cheshire-west-2024-25.jsonl"
# The Cheshire West example's year, and the title its page has, worked out by hand.
YEAR = "2024-25"
PERIOD = "1 April 2024 to 31 March 2025"
TITLE = f"{COUNCILS['cheshire-west']}: children's social care complaints, {PERIOD}"
BROKEN = "CW-BROKEN-1"  # the refused record
UNANSWERED = "CW-NO-OUTCOME-1"  # the case whose answers record no outcome


def _a_year_earlier(case: dict[str, Any]) -> dict[str, Any]:
    """The same case 52 weeks earlier (the same weekdays), under another reference."""
    earlier = json.loads(json.dumps(case))
    earlier["case"] = case["case"] + "-EARLIER"
    for event in earlier["events"]:
        for key in ("date", "panel_date"):
            if key in event:
                day = dt.date.fromisoformat(event[key]) - dt.timedelta(weeks=52)
                event[key] = day.isoformat()
    return earlier


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cases = [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]
    written = [*cases, *(_a_year_earlier(c) for c in cases[::3])]
    unanswered = json.loads(json.dumps(cases[0]))
    unanswered["case"] = UNANSWERED
    for event in unanswered["events"]:
        event.pop("outcome", None)
    written.append(unanswered)
    broken = {
        "case": BROKEN,
        "procedure": cases[0]["procedure"],
        "facts": cases[0]["facts"],
        "events": [{"date": "2024-02-31", "event": "complaint-received"}],
    }
    path = tmp_path_factory.mktemp("caseload") / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in [*written, broken]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def document(caseload: Path) -> dict[str, Any]:
    result = run("report", str(caseload), "--year", YEAR, "--format", "json")
    assert result.exit_code == 1, result.output  # the refused record
    return dict(json.loads(result.stdout))


@pytest.fixture(scope="module")
def report(caseload: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The page written with -o, and what the command said on stderr."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run("report", str(caseload), "--year", YEAR, "--format", "html", "-o", str(out))
    assert result.exit_code == 1, result.output  # one record refused: written, and said so
    return out, result.stderr


def references(caseload: Path) -> list[str]:
    return [json.loads(line)["case"] for line in caseload.read_text(encoding="utf-8").splitlines()]


# -- the words of the page, without a browser -----------------------------------------------------


@pytest.mark.parametrize(
    ("council", "title"),
    [
        ({"id": "cheshire-west", "name": COUNCILS["cheshire-west"]}, TITLE),
        (None, f"Children's social care complaints, {PERIOD}"),  # the report mixes councils
        ("absent", f"Children's social care complaints, {PERIOD}"),  # a document without it
    ],
    ids=["council", "mixed", "absent"],
)
def test_the_title_names_the_council_and_the_year_in_words(
    document: dict[str, Any], council: Any, title: str
) -> None:
    from csc_rules.application.report import report_texts

    given = {k: v for k, v in document.items() if k != "council"}
    if council != "absent":
        given["council"] = council
    html = report_texts(given, "html")[""]
    assert f"<title>{title.replace(chr(39), '&#x27;')}</title>" in html
    assert f"<h1>{title.replace(chr(39), '&#x27;')}</h1>" in html


def test_the_page_names_no_event_stage_or_key_by_its_id(report: tuple[Path, str]) -> None:
    """The notes name events by their description and stages as a council writes them."""
    text = _text(report[0].read_text(encoding="utf-8"))
    assert "`" not in text
    for event in ("complaint-received", "stage-1-response-sent", "panel-held", "by_the_rules"):
        assert event not in text
    assert re.search(r"\bstage-\d", text) is None
    assert "Outcomes at Stage 1" in text
    # the baseline's descriptions: "The council received the complaint." and "The review panel met."
    assert "from the day the council received the complaint to the day" in text
    assert "to the day the review panel met" in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None  # every date in words
    assert "from 1 April 2024 to 31 March 2025" in text


def test_the_problems_are_written_beside_the_page_and_said_where(
    report: tuple[Path, str], caseload: Path
) -> None:
    page, stderr = report
    listed = page.with_name("report.problems.csv")
    assert f"are listed in {listed}" in stderr
    rows = list(csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8"))))
    refused = [r for r in rows if r["kind"] == "not counted"]
    assert [r["case"] for r in refused] == [BROKEN]
    assert "2024-02-31" in refused[0]["detail"]
    missing = {r["case"] for r in rows if r["warning"] == "missing-outcome"}
    assert missing == {UNANSWERED}


def test_without_o_the_page_goes_to_stdout_and_the_problems_only_to_stderr(
    caseload: Path,
) -> None:
    result = run("report", str(caseload), "--year", YEAR, "--format", "html")
    assert result.exit_code == 1
    assert result.stdout.startswith("<!doctype html>")
    assert BROKEN not in result.stdout and UNANSWERED not in result.stdout
    assert "1 record(s) not counted" in result.stderr
    assert "not on the page: give -o FILE.html" in result.stderr


def test_the_problems_file_is_never_written_over_an_input(caseload: Path, tmp_path: Path) -> None:
    """`-o x.html` writes x.problems.csv beside it: here a link to the caseload read, which
    writing would replace. Nothing is written, the page neither."""
    before = caseload.read_bytes()
    (tmp_path / "x.problems.csv").symlink_to(caseload)
    page = tmp_path / "x.html"
    result = run("report", str(caseload), "--year", YEAR, "--format", "html", "-o", str(page))
    assert result.exit_code == 1
    assert "refusing to write" in result.output and "x.problems.csv" in result.output
    assert caseload.read_bytes() == before
    assert not page.exists()


def test_the_problems_file_is_never_written_into_a_folder_of_cases(
    caseload: Path, tmp_path: Path
) -> None:
    """There, the next report would read it as an export of cases."""
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "cases.jsonl").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(
        "report", str(folder), "--year", YEAR, "--format", "html", "-o", str(folder / "r.html")
    )
    assert result.exit_code == 1
    assert "whose CSV files this command reads as case records" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["cases.jsonl"]


# -- in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    folder = os.environ.get("CSC_RULES_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(params=["desktop", "phone"])
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def opened(size: str, browser: Any, report: tuple[Path, str]) -> Iterator[Any]:
    """The page at desktop or phone width; it must fetch nothing from elsewhere."""
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE)
    tab = context.new_page()
    outside: list[str] = []
    tab.on("request", lambda r: None if r.url.startswith("file://") else outside.append(r.url))
    tab.goto(report[0].as_uri())
    yield tab
    context.close()
    assert outside == [], f"the page fetched from elsewhere: {outside}"


def test_axe_finds_no_serious_or_critical_problem(opened: Any) -> None:
    assert serious(opened) == []


def test_nothing_scrolls_sideways_but_the_wide_tables_each_by_keyboard(
    opened: Any, size: str
) -> None:
    width = opened.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways at {size} width: {width}"
    wide = opened.locator(".scroll").evaluate_all(
        "els => els.map(e => e.scrollWidth > e.clientWidth)"
    )
    if size == "desktop":
        assert not any(wide)
        return
    assert any(wide), "five years of figures should be wider than a phone"
    region = opened.locator(".scroll").nth(wide.index(True))
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-labelledby")
    region.focus()
    opened.keyboard.press("ArrowRight")
    opened.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle(), timeout=2000)


def test_the_heading_and_title_give_the_year_in_words(
    opened: Any, document: dict[str, Any]
) -> None:
    heading = opened.locator("h1").inner_text()
    assert opened.title() == heading
    assert heading.endswith(f"social care complaints, {PERIOD}")
    assert document["council"]["name"] in heading
    assert heading == TITLE


def test_no_case_reference_or_warning_code_is_on_the_page(
    opened: Any, caseload: Path, document: dict[str, Any]
) -> None:
    source, text = opened.content(), opened.locator("body").inner_text()
    codes = list(document["warnings"])
    assert "missing-outcome" in codes  # the caseload did give warnings to keep off
    for found in (*references(caseload), *codes):
        assert found not in source, found
    assert "2024-02-31" not in source  # nor a refused record's reason
    notice = opened.locator("main > p.notice")
    assert notice.inner_text().startswith("1 record could not be counted")
    assert "kept separately" in notice.inner_text()
    assert text.index("1 record could not be counted") < text.index("Representations considered")


def test_each_chart_labels_its_bars_with_its_tables_figures(opened: Any) -> None:
    """A chart is a picture of the table beside it: the figures beside its bars are the
    table's (its rows but the total, its years with figures; a heading with figures stands for
    the rows under it, which are not drawn again), and it has a name."""
    sections = opened.locator("section.figures")
    charts = 0
    for index in range(sections.count()):
        section = sections.nth(index)
        if not section.locator("svg").count():
            continue
        charts += 1
        chart = section.locator("svg.chart")
        assert chart.get_attribute("role") == "img"
        title = section.locator("h2").inner_text()
        assert chart.get_attribute("aria-label").startswith(f"Bar chart of {title}")
        years = chart.locator("text").all_text_contents()
        shown = [y for y in re.findall(r"\d{4}-\d{2}", " ".join(years[:5])) if y]
        rows = section.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.innerText))"
        )
        summed = section.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => { const h = r.parentElement.querySelector('th[scope=rowgroup]');"
            " return !!h && !r.contains(h)"
            " && [...h.parentElement.querySelectorAll('td')].some(c => c.innerText.trim()); })"
        )
        heads = [h.split()[0] for h in section.locator("thead th").all_inner_texts()[1:]]
        expected = sorted(
            row[1 + heads.index(year)]
            for row, under in zip(rows, summed, strict=True)
            if not row[0].startswith("Total") and not under and any(c.strip() for c in row[1:])
            for year in shown
        )
        figures = sorted(t for t in years if re.fullmatch(r"[\d,]+", t))
        assert figures == expected, title
    assert charts >= 10


def test_a_year_with_records_is_charted_in_its_own_pattern(opened: Any) -> None:
    chart = opened.locator("section.figures svg.chart").first
    assert chart.locator("text").nth(0).text_content() == YEAR
    assert chart.locator("text").nth(1).text_content() == "2023-24"
    fills = chart.locator(":scope > rect").evaluate_all("rs => rs.map(r => r.getAttribute('fill'))")
    assert fills[0].startswith("#") and fills[1].startswith("url(#")  # solid, then patterned


def test_screenshots(opened: Any, size: str, shots: Path) -> None:
    target = shots / f"report-{size}.png"
    opened.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_printed_pdf_holds_the_title_and_every_table_whole(
    browser: Any, report: tuple[Path, str], shots: Path
) -> None:
    """Printed by the browser as a council officer would (A4, its print layout): the title on
    the first page, and each table on one page with its title and every row."""
    from pypdf import PdfReader

    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto(report[0].as_uri())
    title = tab.locator("h1").inner_text()
    sections = tab.locator("section.figures").evaluate_all(
        "ss => ss.map(s => [s.querySelector('h2').innerText,"
        " [...s.querySelectorAll('tbody th')].map(t => t.innerText)])"
    )
    pdf = shots / "report.pdf"
    tab.pdf(path=str(pdf), format="A4")
    context.close()
    pages = [_flat(p.extract_text()) for p in PdfReader(str(pdf)).pages]
    assert _flat(title) in pages[0]
    assert len(sections) >= 16
    for heading, rows in sections:
        # the heading's words may stand elsewhere too (a row "Referred to the Ombudsman"): the
        # table is whole when some page holds its heading and every row of it
        holding = [text for text in pages if _flat(heading) in text]
        assert holding, f"{heading} is not in the PDF"
        whole = any(all(_flat(row) in text for row in rows) for text in holding)
        assert whole, f"{heading} is cut across pages"


def _flat(text: str) -> str:
    """Text with its spaces and line breaks taken out, as the PDF's lines break it anywhere."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))  # the PDF's ligatures too


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
