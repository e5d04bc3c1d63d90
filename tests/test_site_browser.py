"""The generated site in a real browser: Debian's headless Chromium, driven by Playwright.

Each process map's step panels are opened by click, by tap and by keyboard; the calculator is
used on dates around Christmas and Easter and its dates compared with `csc-rules workdays` and
`csc-rules run`; axe-core checks every page; screenshots are taken at desktop and phone width.

Needs Chromium: `sudo apt-get install chromium` on Debian or Ubuntu, or set CSC_RULES_CHROMIUM to
a Chromium or Chrome binary. Screenshots go to a temporary folder, or to CSC_RULES_SCREENSHOTS."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browsers import DESKTOP, PHONE, serious
from conftest import COUNCIL_PROCEDURE_IDS, run

# A process map for every council procedure.
MAPS = COUNCIL_PROCEDURE_IDS
COUNCIL = {p: p.split("/")[0] for p in MAPS}
# Around Christmas and Easter, and days that are themselves holidays or weekends.
DATES = [
    "2024-12-20",  # the Friday before Christmas 2024
    "2024-12-24",
    "2024-12-25",  # Christmas Day: day 1 is the next working day
    "2025-12-23",
    "2024-03-28",  # the Thursday before Good Friday 2024
    "2025-04-17",  # the Thursday before Good Friday 2025
    "2025-04-19",  # Easter Saturday
    "2026-04-02",
    "2026-12-23",
    "2027-03-25",  # the Thursday before Good Friday 2027
]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda r: None if r.url.startswith("file://") else outside.append(r.url))
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    assert outside == [], f"the page fetched from elsewhere: {outside}"
    assert errors == [], f"the page's script failed: {errors}"


def url(site: Path, name: str) -> str:
    return (site / name).as_uri()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("CSC_RULES_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


# -- the step panels ---------------------------------------------------------------------------


@pytest.mark.parametrize("procedure_id", MAPS)
def test_every_step_panel_opens_and_closes_by_click(
    site: Path, page: Any, procedure_id: str
) -> None:
    page.goto(url(site, f"{procedure_id}/index.html"))
    buttons = page.locator(".step-button")
    count = buttons.count()
    assert count >= 4
    for index in range(count):
        button = buttons.nth(index)
        panel = page.locator(f"#{button.get_attribute('aria-controls')}")
        assert not panel.is_visible(), "panels start closed"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert panel.is_visible()
        assert "What happens" in panel.inner_text()
        assert "Where this comes from" in panel.inner_text()
        button.click()
        assert button.get_attribute("aria-expanded") == "false"
        assert not panel.is_visible()


@pytest.mark.parametrize("procedure_id", MAPS)
def test_every_step_panel_opens_by_keyboard_and_escape_closes_it(
    site: Path, page: Any, procedure_id: str
) -> None:
    page.goto(url(site, f"{procedure_id}/index.html"))
    buttons = page.locator(".step-button")
    for index in range(buttons.count()):
        button = buttons.nth(index)
        panel = page.locator(f"#{button.get_attribute('aria-controls')}")
        button.focus()
        page.keyboard.press("Enter" if index % 2 == 0 else " ")
        assert panel.is_visible(), f"step {index + 1} did not open from the keyboard"
        page.keyboard.press("Escape")
        assert not panel.is_visible()
        assert page.evaluate("document.activeElement.id") == button.get_attribute("id")


def test_tab_reaches_the_skip_link_the_calculator_and_the_steps(site: Path, page: Any) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "(() => { const e = document.activeElement; return e.className || e.id || e.tagName; })()"
            )
        )
    assert reached[0] == "skip-link"
    assert reached.index("button") < reached.index("step-button"), reached  # the calculator first
    # the skip link moves focus to the main content
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_step_panel_opens_by_tap_on_a_phone(site: Path, browser: Any, shots: Path) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    phone = context.new_page()
    phone.goto(url(site, "sefton/csc-statutory/index.html"))
    button = phone.locator(".step-button").nth(3)
    button.tap()
    assert phone.locator(f"#{button.get_attribute('aria-controls')}").is_visible()
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the map scrolls sideways on a phone: {width}"
    context.close()


def test_printing_shows_every_panel_and_the_dates_worked_out(site: Path, page: Any) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    page.emulate_media(media="print")
    panels = page.locator(".step-panel")
    assert all(panels.nth(i).is_visible() for i in range(panels.count()))
    assert not page.locator(".calculator").is_visible()  # nothing worked out: nothing to print
    page.emulate_media(media="screen")
    calculate(page, "complaint-received", "2024-12-20")
    page.emulate_media(media="print")
    assert page.locator("#calculator-result").is_visible()
    assert not page.locator("#calculator-start").is_visible()  # the form itself is not printed


# -- the calculator ------------------------------------------------------------------------------


def calculate(page: Any, start: str, day: str) -> dict[str, list[str]]:
    page.select_option("#calculator-start", start)
    page.fill("#calculator-date", day)
    page.click("#calculator form button, #calculator button[type=submit]")
    found: dict[str, list[str]] = {}
    items = page.locator("#calculator-result li[data-deadline]")
    for index in range(items.count()):
        item = items.nth(index)
        times = item.locator("time")
        found[item.get_attribute("data-deadline")] = [
            times.nth(i).get_attribute("datetime") for i in range(times.count())
        ]
    return found


def workdays_add(day: str, amount: int, council: str) -> str:
    result = run("workdays", "add", day, str(amount), "--council", council, "--format", "json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["result"])


@pytest.mark.parametrize("procedure_id", MAPS)
def test_the_calculator_agrees_with_csc_rules_workdays(
    site: Path, page: Any, procedure_id: str
) -> None:
    page.goto(url(site, f"{procedure_id}/index.html"))
    data = json.loads(page.locator("#calculator-data").text_content())
    days = [day for day in DATES if day >= data["first_day"]]  # this version's days
    assert len(days) >= 3
    checked = 0
    for start in data["starts"]:
        for day in days:
            shown = calculate(page, start["event"], day)
            assert sorted(shown) == sorted(d["id"] for d in start["deadlines"])
            for deadline in start["deadlines"]:
                assert deadline["unit"] == "working-days"  # every limit shipped is in working days
                amounts = [deadline["amount"]] + [e["amount"] for e in deadline["extended"]]
                expected = [workdays_add(day, n, COUNCIL[procedure_id]) for n in amounts]
                assert shown[deadline["id"]] == expected, (start["event"], day, deadline["id"])
                checked += len(expected)
    assert checked >= 4 * len(days)


def test_the_calculator_dates_worked_out_by_hand(site: Path, page: Any) -> None:
    """Sefton: 3 working days to acknowledge, 10 (up to 20) to answer at stage 1. Bank holidays
    of England: 25 and 26 December 2024, 1 January 2025, 18 and 21 April 2025 (Good Friday and
    Easter Monday), 5 May 2025."""
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    shown = calculate(page, "complaint-received", "2024-12-20")
    # Friday 20 December: 23, 24, (25, 26 holidays), 27 -> the 3rd working day is 27 December
    assert shown["acknowledgement"] == ["2024-12-27"]
    # 23, 24, 27, 30, 31, (1 Jan), 2, 3, 6, 7, 8 -> 8 January; ten more -> 22 January
    assert shown["stage-1-response"] == ["2025-01-08", "2025-01-22"]
    shown = calculate(page, "complaint-received", "2025-04-17")
    # Thursday 17 April: (18, 21 holidays) 22, 23, 24 -> 24 April
    assert shown["acknowledgement"] == ["2025-04-24"]
    # 22, 23, 24, 25, 28, 29, 30, 1 May, 2 May, (5 May holiday), 6 May -> 6 May
    assert shown["stage-1-response"][0] == "2025-05-06"
    text = page.locator("#calculator-result").inner_text()
    assert "Tuesday 6 May 2025" in text


@pytest.mark.parametrize("day", DATES)
def test_the_calculator_agrees_with_csc_rules_run(
    site: Path, page: Any, tmp_path: Path, day: str
) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    shown = calculate(page, "complaint-received", day)
    for complex_case in (False, True):
        case = tmp_path / f"case-{complex_case}.json"
        case.write_text(
            json.dumps(
                {
                    "case": "calc",
                    "procedure": "sefton/csc-statutory",
                    "facts": {"complainant": {"role": "child"}, "complex": complex_case},
                    "events": [{"date": day, "event": "complaint-received"}],
                }
            ),
            encoding="utf-8",
        )
        as_of = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
        result = run("run", str(case), "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.output
        due = {d["id"]: d["due"] for d in json.loads(result.stdout)["deadlines"]}
        assert due["acknowledgement"] == shown["acknowledgement"][0]
        assert due["stage-1-response"] == shown["stage-1-response"][1 if complex_case else 0]


def test_the_calculator_explains_a_bad_date(site: Path, page: Any) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    page.click("#calculator button[type=submit]")
    assert "Enter the date it happened" in page.locator("#calculator-result").inner_text()
    assert page.get_attribute("#calculator-date", "aria-invalid") == "true"
    described = page.get_attribute("#calculator-date", "aria-describedby")
    assert "calculator-error" in described.split()  # read out with the field
    page.fill("#calculator-date", "1990-06-01")
    page.click("#calculator button[type=submit]")
    assert (
        "Enter a date from Friday 17 November 2023"
        in page.locator("#calculator-result").inner_text()
    )
    # a corrected date clears the error
    calculate(page, "complaint-received", "2024-12-20")
    assert page.get_attribute("#calculator-date", "aria-invalid") is None


def test_the_calculator_refuses_a_day_before_the_version_in_force(site: Path, page: Any) -> None:
    """Sefton's corporate procedure shown is the version in force from 1 April 2026; a complaint
    made before then runs under the earlier version, which `run` would pick."""
    page.goto(url(site, "sefton/corporate/index.html"))
    page.select_option("#calculator-start", "complaint-received")
    page.fill("#calculator-date", "2026-01-15")
    page.click("#calculator button[type=submit]")
    text = page.locator("#calculator-result").inner_text()
    assert "Enter a date from Wednesday 1 April 2026" in text
    assert page.locator("#calculator-result li").count() == 0


def test_the_calculator_reads_a_typed_british_date(site: Path, page: Any) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    page.evaluate("document.getElementById('calculator-date').type = 'text'")  # no date picker
    shown = calculate(page, "complaint-received", "20/12/2024")
    assert shown["acknowledgement"] == ["2024-12-27"]
    page.fill("#calculator-date", "31/02/2025")
    page.click("#calculator button[type=submit]")
    assert "real date" in page.locator("#calculator-result").inner_text()


def test_the_calculator_says_when_a_longer_limit_runs_past_its_calendar(
    site: Path, page: Any
) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    data = json.loads(page.locator("#calculator-data").text_content())
    shown = calculate(page, "complaint-received", f"{data['last_year']}-12-10")
    assert shown["stage-1-response"] == [f"{data['last_year']}-12-24"]
    text = page.locator("#calculator-result li[data-deadline=stage-1-response]").inner_text()
    assert f"runs past {data['last_year']}" in text


def test_the_calculator_agrees_with_run_from_a_stage_2_request(
    site: Path, page: Any, tmp_path: Path
) -> None:
    page.goto(url(site, "sefton/csc-statutory/index.html"))
    for day in ("2024-12-20", "2025-04-17"):
        shown = calculate(page, "stage-2-requested", day)
        case = tmp_path / "case.json"
        case.write_text(
            json.dumps(
                {
                    "case": "calc-2",
                    "procedure": "sefton/csc-statutory",
                    "facts": {"complainant": {"role": "child"}},
                    "events": [
                        {"date": "2024-10-01", "event": "complaint-received"},
                        {"date": "2024-10-02", "event": "acknowledged"},
                        {"date": "2024-10-10", "event": "stage-1-response-sent"},
                        {"date": day, "event": "stage-2-requested"},
                    ],
                }
            ),
            encoding="utf-8",
        )
        result = run("run", str(case), "--as-of", day, "--format", "json")
        assert result.exit_code == 0, result.output
        due = {d["id"]: d["due"] for d in json.loads(result.stdout)["deadlines"]}
        assert shown["stage-2-response"][0] == due["stage-2-response"]


def test_text_from_the_rules_never_breaks_the_page(library_copy: Path, browser: Any) -> None:
    """Rules text is shown as written, however it looks: `<!--<script>` in plain words, which
    would swallow the page's script if the calculator's data let it through, and markup."""
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    text = baseline.read_text(encoding="utf-8")
    old = "          text: your complaint is complicated\n"
    assert text.count(old) == 1
    baseline.write_text(
        text.replace(
            old, '          text: "your complaint is <!--<script> & <b>complicated</b>"\n'
        ),
        encoding="utf-8",
    )
    out = library_copy.parent / "site"
    result = run("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((out / "sefton/csc-statutory/index.html").as_uri())
    assert (
        "if your complaint is <!--<script> & <b>complicated</b>" in tab.locator("main").inner_text()
    )
    assert tab.locator("main b").count() == 0
    button = tab.locator(".step-button").first
    assert button.get_attribute("aria-expanded") == "false"  # the script ran
    shown = calculate(tab, "complaint-received", "2024-12-20")
    assert shown["stage-1-response"] == ["2025-01-08", "2025-01-22"]
    assert "<!--<script>" in tab.locator("#calculator-result").inner_text()
    context.close()
    assert errors == []


def test_a_changed_limit_changes_the_calculator(library_copy: Path, browser: Any) -> None:
    """Policy staff give Sefton's complainants 25 working days to ask for stage 2, in the council
    file alone; after `csc-rules site` the calculator counts 25."""
    council = library_copy / "councils" / "sefton" / "csc-statutory.yaml"
    text = council.read_text(encoding="utf-8")
    old = "  stage-2-request:\n    sources:"
    assert text.count(old) == 1
    council.write_text(
        text.replace(
            old, "  stage-2-request:\n    limit: {amount: 25, unit: working-days}\n    sources:"
        ),
        encoding="utf-8",
    )
    out = library_copy.parent / "site"
    assert run("site", "-o", str(out)).exit_code == 0
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.goto((out / "sefton/csc-statutory/index.html").as_uri())
    shown = calculate(tab, "stage-1-response-sent", "2024-12-20")
    # 23, 24, 27, 30, 31 Dec (5); 2, 3 Jan (7); 6-10 (12); 13-17 (17); 20-24 (22); 27, 28, 29:
    # the 25th working day is 29 January (25 and 26 December and 1 January are holidays)
    assert shown["stage-2-request"] == ["2025-01-29"]
    assert shown["stage-2-request"] == [workdays_add("2024-12-20", 25, "sefton")]
    context.close()


# -- accessibility, with axe-core ------------------------------------------------------------


def pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def test_axe_finds_no_serious_or_critical_problem_on_any_page(site: Path, page: Any) -> None:
    problems = {}
    for name in pages(site):
        page.goto(url(site, name))
        found = serious(page)
        buttons = page.locator(".step-button")
        for index in range(buttons.count()):  # the panels' content too
            buttons.nth(index).click()
        if buttons.count():
            found += serious(page)
        if found:
            problems[name] = found
    assert len(pages(site)) >= 12
    assert problems == {}


def test_axe_finds_no_serious_problem_on_a_phone(site: Path, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    for name in ("sefton/csc-statutory/index.html", "sefton/csc-statutory/children.html"):
        phone.goto(url(site, name))
        assert serious(phone) == [], name
    context.close()


# -- screenshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", "children"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_sefton(site: Path, browser: Any, shots: Path, name: str, size: str) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    context = browser.new_context(viewport=viewport)
    shot = context.new_page()
    shot.goto(url(site, f"sefton/csc-statutory/{name}.html"))
    if name == "index":
        shot.locator(".step-button").nth(0).click()  # one panel open, as a user would see it
        calculate(shot, "complaint-received", "2024-12-20")
    target = shots / f"sefton-{'map' if name == 'index' else name}-{size}.png"
    shot.screenshot(path=str(target), full_page=True)
    width = shot.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    context.close()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert width[0] <= width[1], f"{name} scrolls sideways at {size} width: {width}"
