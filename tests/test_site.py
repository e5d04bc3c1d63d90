"""`csc-rules site`: the pages it writes, what they say, where they refuse to write, and the plain
words of the rules they come from (browser tests are in test_site_browser.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import (
    COUNCIL_PROCEDURE_IDS,
    COUNCILS,
    ROOT,
    STATUTORY_COUNCIL_PROCEDURE_IDS,
    line_of,
    run,
)
from csc_rules.site.readability import TARGET_GRADE

# A process map and a staff page for every council procedure; a children's page for each
# statutory one.
MAPS = COUNCIL_PROCEDURE_IDS
CHILDREN = STATUTORY_COUNCIL_PROCEDURE_IDS


class Text(HTMLParser):
    """The visible text of a page, without its scripts and styles, and every URL it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.loads: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            if found.get("src"):
                self.loads.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.loads.append(found["href"] or "")
        if tag == "img" and found.get("src"):
            self.loads.append(found["src"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def read(page: Path) -> Text:
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_council_procedure_has_a_map_and_a_staff_page(site: Path) -> None:
    for procedure_id in MAPS:
        assert (site / procedure_id / "index.html").is_file(), procedure_id
        assert (site / procedure_id / "staff.html").is_file(), procedure_id
    for procedure_id in CHILDREN:
        assert (site / procedure_id / "children.html").is_file(), procedure_id
    index = read(site / "index.html").text
    for name in COUNCILS.values():
        assert name in index
    assert (site / "comparison.html").is_file()


def test_the_site_loads_nothing_from_elsewhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        for url in read(page).loads:
            assert not re.match(r"^[a-z]+:|^//", url), f"{page} loads {url}"
            assert (page.parent / url).resolve().is_file(), f"{page} loads {url}, which is missing"


def test_the_map_states_the_time_limits_in_plain_words(site: Path) -> None:
    text = read(site / "sefton/csc-statutory/index.html").text
    assert (
        "The council has 10 working days to answer you. The time starts from the day the council "
        "gets your complaint. The time stops on the day the council sends you its stage 1 answer. "
        "It can take up to 20 working days if your complaint is complicated or you need an "
        "advocate to help you."
    ) in text
    assert "you have 20 working days to ask for stage 2" in text
    # the binding 30 working days, not the map's 20 (the conflict note `panel-timing`)
    assert "The review panel must meet within 30 working days." in text
    # Sefton's own steps, numbered as its map numbers them, with who acts
    for number, title in (
        (1, "Record the complaint"),
        (4, "Stage 1 response"),
        (13, "Council's response to the panel"),
    ):
        assert f"Step {number}: {title}" in text
    # sources by title, never by file name
    assert "Interactive Process Map for making a Children's Social Care Complaint" in text
    assert ".txt" not in text


def test_the_children_page_covers_what_a_child_needs(site: Path) -> None:
    text = read(site / "sefton/csc-statutory/children.html").text
    for heading in (
        "What is a complaint?",
        "Who can help you?",
        "Stage 1: Sorting it out",
        "Stage 2: Looking into it",
        "Stage 3: The review panel",
        "Can I stop my complaint?",
        "What if I am still not happy?",
    ):
        assert heading in text, heading
    # Sefton's map says advocates are independent of the council; the baseline says no such thing
    assert "Advocates do not work for the council." in text
    for council in ("islington", "cheshire-west"):
        page = read(site / f"{council}/csc-statutory/children.html").text
        assert (
            "do not work for the council"
            not in page.split("Who can help you?")[-1].split("Stage 2")[0]
        ), council
    assert "you have 20 working days to ask for a review panel" in text
    assert "Ombudsman" in text


def test_children_pages_meet_the_reading_age_target(tmp_path: Path) -> None:
    result = run("site", "-o", str(tmp_path / "site"), "--format", "json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["readability"]
    assert sorted(scores) == sorted(CHILDREN)
    for procedure_id, score in scores.items():
        assert score["grade"] <= TARGET_GRADE, f"{procedure_id}: {score}"
        assert score["meets_target"] is True
        assert score["words"] > 300  # the page says enough to be worth scoring


def test_a_page_with_hard_words_misses_the_target() -> None:
    from csc_rules.site.readability import measure

    hard = (
        "Notwithstanding the aforementioned considerations, the local authority's determination "
        "regarding representations under the statutory framework necessitates comprehensive "
        "investigation of organisational responsibilities and accountability arrangements."
    )
    assert not measure(hard).meets_target
    assert measure("You can ask for help. The council must answer you.").meets_target


def test_the_staff_page_has_the_summary_notes_and_a_drawn_diagram(site: Path) -> None:
    page = (site / "sefton/csc-statutory/staff.html").read_text(encoding="utf-8")
    text = read(site / "sefton/csc-statutory/staff.html").text
    assert "<svg" in page and "```mermaid" not in page and "stateDiagram" not in page
    assert "Where the documents conflict or are uncertain" in text
    assert "panel-timing" in text and "Encoded as binding" in text
    assert "Readability of the children's page" in text
    comparison = read(site / "comparison.html").text
    assert "islington/csc-statutory" in comparison and "cheshire-west/csc-statutory" in comparison


def test_the_calculator_carries_the_compiled_calendar(site: Path) -> None:
    from csc_rules.procedures.library import load_procedure

    page = (site / "sefton/csc-statutory/index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="calculator-data">(.*?)</script>', page)
    assert found
    data = json.loads(found[1])
    calendar = load_procedure("sefton/csc-statutory").calendar
    assert set(data["non_working_days"]) == {d.isoformat() for d in calendar.holidays}
    assert {"2024-12-25", "2024-12-26", "2025-04-18", "2025-04-21"} <= set(data["non_working_days"])
    starts = {s["event"]: s for s in data["starts"]}
    assert [d["id"] for d in starts["complaint-received"]["deadlines"]] == [
        "acknowledgement",
        "stage-1-response",
    ]
    stage_1 = starts["complaint-received"]["deadlines"][1]
    assert (stage_1["amount"], stage_1["unit"]) == (10, "working-days")
    assert [e["amount"] for e in stage_1["extended"]] == [20]


# -- where the site may be written ----------------------------------------------------------------


def test_site_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("site", "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "notes.txt" in result.output and str(tmp_path) in result.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "index.html").exists()


def test_site_refuses_to_write_into_the_library(library_copy: Path) -> None:
    result = run("site", "-o", str(library_copy / "councils" / "site"))
    assert result.exit_code == 1
    assert "over the library" in result.output
    assert not (library_copy / "councils" / "site").exists()


def test_site_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.write_text("x", encoding="utf-8")
    result = run("site", "-o", str(target))
    assert result.exit_code == 1 and "is a file" in result.output
    assert target.read_text(encoding="utf-8") == "x"


def test_site_refuses_a_bad_date(tmp_path: Path) -> None:
    result = run("site", "-o", str(tmp_path / "s"), "--on", "2026-02-30")
    assert result.exit_code == 1
    assert "2026-02-30" in result.output


# -- a limit changed in a council file changes every page ----------------------------------------


def test_a_changed_limit_changes_the_map_the_children_page_and_the_calculator(
    library_copy: Path,
) -> None:
    council = library_copy / "councils" / "sefton" / "csc-statutory.yaml"
    text = council.read_text(encoding="utf-8")
    old = """  stage-2-request:
    sources:"""
    assert text.count(old) == 1
    council.write_text(
        text.replace(
            old,
            """  stage-2-request:
    limit: {amount: 25, unit: working-days}
    sources:""",
        ),
        encoding="utf-8",
    )
    out = library_copy.parent / "site"
    result = run("site", "-o", str(out))
    assert result.exit_code == 0, result.output
    for page in ("index.html", "children.html"):
        text = read(out / "sefton" / "csc-statutory" / page).text
        assert "you have 25 working days to ask for stage 2" in text, page
        assert "you have 20 working days to ask for stage 2" not in text, page
    page = (out / "sefton" / "csc-statutory" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'id="calculator-data">(.*?)</script>', page)
    assert found
    starts = {s["event"]: s for s in json.loads(found[1])["starts"]}
    window = starts["stage-1-response-sent"]["deadlines"][0]
    assert (window["id"], window["amount"]) == ("stage-2-request", 25)


# -- the plain words are checked where they are written --------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        (
            "text: The council has {limit} to answer you.",
            "text: The council has 10 working days to answer you.",
            "plain-limit",
            "text: The council has 10 working days",
        ),
        (
            "text: The review panel must meet within {limit}.",
            "text: The review panel must meet within {limit}, or 30 days.",
            "plain-number",
            "text: The review panel must meet",
        ),
        (
            "text: your complaint is complicated",
            "text: your complaint is complicated {limit}",
            "plain-placeholder",
            "text: your complaint is complicated",
        ),
    ],
)
def test_plain_words_must_take_their_time_from_the_limit(
    library_copy: Path, old: str, new: str, code: str, needle: str
) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    text = baseline.read_text(encoding="utf-8")
    assert text.count(old) == 1
    baseline.write_text(text.replace(old, new), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    line = line_of(baseline, needle)
    assert re.search(
        rf"rules/baseline/csc-statutory\.yaml:{line}:\d+: error\[{code}\]", result.output
    ), result.output


# A claim about time or rights written by hand, where the rules fill it in: (the file, the words
# replaced, what replaces them, the code, and the line it is reported on).
HAND_WRITTEN = [
    (
        "rules/baseline/csc-statutory.yaml",
        "you can ask for stage 2 {opens}.",
        "you can ask for stage 2 straight away.",
        "plain-early",
        "you can ask for stage 2 straight away.",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "you can ask for stage 2 {opens}.",
        "you can ask for stage 2 when it is late.",
        "plain-opens",
        "you can ask for stage 2 when it is late.",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "text: Yes. You can stop your complaint {when}. Just tell the council.",
        "text: Yes. You can stop your complaint at any time. Just tell the council.",
        "plain-anytime",
        "You can stop your complaint at any time.",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "text: The council has {limit} to answer you.",
        "text: The council has {limit} to answer you, or longer if you agree.",
        "plain-extension",
        "or longer if you agree",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "text: The review panel must meet within {limit}.",
        "text: The review panel must meet within {limit}, counted from the day you ask.",
        "plain-start",
        "counted from the day you ask",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "text: the day you ask for a review panel",
        "text: when you ask for a review panel",
        "plain-event",
        "text: when you ask for a review panel",
    ),
    (
        "rules/baseline/csc-statutory.yaml",
        "text: the day you ask for stage 2\n",
        "text: the day you ask for stage 2 {opens}\n",
        "plain-placeholder",
        "text: the day you ask for stage 2 {opens}",
    ),
    (
        "councils/sefton/csc-statutory.yaml",
        "    between: [council]\n    follows: council",
        "    between: [council]\n    follows: national-guide",
        "plain-note",
        "follows: national-guide",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "needle"), HAND_WRITTEN, ids=[h[3] for h in HAND_WRITTEN]
)
def test_a_claim_about_time_or_rights_written_by_hand_is_refused(
    library_copy: Path, file: str, old: str, new: str, code: str, needle: str
) -> None:
    """`validate` names the file, the line and the placeholder to use instead."""
    path = library_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1, result.output
    line = line_of(path, needle)
    found = re.search(rf"{re.escape(file)}:{line}:\d+: error\[{code}\]: (.*)", result.output)
    assert found, result.output
    message = found[1]
    if code in ("plain-early", "plain-opens"):
        assert "`{opens}`" in message
    if code == "plain-anytime":
        assert "`{when}`" in message
    if code == "plain-extension":
        assert "extensions" in message and "agreement" in message


def test_a_time_written_into_a_stage_s_plain_words_is_a_warning(library_copy: Path) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    text = baseline.read_text(encoding="utf-8")
    old = "First, the people who work with you try to sort out the problem with you."
    assert text.count(old) == 1
    baseline.write_text(text.replace(old, old + " This takes 10 working days."), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 0
    assert "warning[plain-time]" in result.output and "`10 working days`" in result.output


def test_plain_words_without_sources_are_refused(library_copy: Path) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    text = baseline.read_text(encoding="utf-8")
    old = """          text: your complaint is complicated
          sources: ["002_c7d417cfe8039895.txt: \\"if the complaint is more complicated\\""]"""
    assert text.count(old) == 1, old
    baseline.write_text(
        text.replace(old, "          text: your complaint is complicated"), encoding="utf-8"
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "sources" in result.output


def test_every_time_limit_of_a_childrens_page_procedure_has_plain_words() -> None:
    from csc_rules.procedures.library import load_procedure

    for procedure_id in CHILDREN:
        procedure = load_procedure(procedure_id)
        missing = [d.id for d in procedure.deadlines.values() if d.plain is None]
        assert missing == [], f"{procedure_id}: {missing}"
        assert all(s.plain for s in procedure.stages), procedure_id


def test_the_docs_say_how_to_make_and_test_the_site() -> None:
    page = (ROOT / "docs" / "web-teams.md").read_text(encoding="utf-8")
    assert "csc-rules site -o" in page
    assert "apt-get install chromium" in page
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "apt-get install chromium" in readme  # the browser tests are part of the whole suite
    assert "(docs/web-teams.md)" in readme


def test_a_readability_library_that_fails_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textstat

    def offline(text: str) -> float:
        raise LookupError("Resource 'cmudict' not found. Please use the NLTK Downloader")

    monkeypatch.setattr(textstat, "flesch_kincaid_grade", offline)
    result = run("site", "-o", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "readability of the children's pages could not be measured" in result.output
    assert "LookupError: Resource 'cmudict' not found" in result.output
    assert "internal error" not in result.output
    assert list(tmp_path.iterdir()) == []  # all or nothing: not even the half-made folder


def test_a_council_web_address_that_is_not_http_is_refused_and_never_linked(
    library_copy: Path,
) -> None:
    council = library_copy / "councils" / "sefton" / "council.yaml"
    text = council.read_text(encoding="utf-8")
    old = "  web: https://www.sefton.gov.uk/"
    assert text.count(old) == 1
    council.write_text(
        text.replace(old, "  web: javascript:alert(1)//https://www.sefton.gov.uk/"),
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "councils/sefton/council.yaml" in result.output
    from csc_rules.site.index import contact

    shown = contact({"contact": {"web": "javascript:alert(1)"}})
    assert "javascript:alert(1)" in shown and "href" not in shown
    assert 'href="https://example.org/"' in contact({"contact": {"web": "https://example.org/"}})


def test_site_refuses_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = run("site", "-o", str(link))
    assert result.exit_code == 1
    assert "symbolic link" in result.output and "internal error" not in result.output
    assert (real / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_site_refuses_a_folder_it_cannot_make(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run("site", "-o", str(blocker / "site"))
    assert result.exit_code == 1
    assert "cannot make the folder" in result.output and "internal error" not in result.output


def test_site_refuses_a_day_when_nothing_is_in_force(tmp_path: Path) -> None:
    result = run("site", "-o", str(tmp_path / "site"), "--on", "2000-01-01")
    assert result.exit_code == 1
    assert "no council procedure is in force on 2000-01-01" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_site_can_be_read_by_others(site: Path) -> None:
    assert site.stat().st_mode & 0o005 == 0o005  # a web server's user may list and read it


def test_the_map_says_what_disagrees_where_the_documents_disagree(site: Path) -> None:
    """Each time limit a conflict note concerns says so where it is listed, naming what
    disagrees; the others do not."""
    import html

    def items(council: str) -> list[str]:
        page = (site / f"{council}/csc-statutory/index.html").read_text(encoding="utf-8")
        found = re.findall(r"<li>(.*?)</li>", page)
        return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in found]

    def item(council: str, start: str) -> str:
        [found] = [i for i in items(council) if i.startswith(start)]
        return found

    own = "The council's own documents do not all say the same about this."
    law = "The council's own documents and the law do not say the same about this."
    guide = "A national guide for children and young people and the law do not say the same"
    # `panel-timing`: Sefton's map's 20 days against the 30 its web page and the law give
    assert own in item("sefton", "The review panel must meet within 30 working days.")
    # `stage-2-request-window`: the children's guide's 28 days against 20 working days
    window = item("sefton", "If you are not happy with the answer, you have 20 working days")
    assert guide in window and own not in window and law not in window
    # `director-response`: Cheshire West's 20 working days from the panel against the law
    director = item("cheshire-west", "The council then has 20 working days to tell you")
    assert law in director and "This page follows the council's own documents" in director
    # no note concerns these
    for start in ("The council has 25 working days to look into", "The panel then has 5"):
        said = item("sefton", start)
        assert "say the same" not in said, said


def test_the_children_page_explains_working_days_and_a_late_answer(site: Path) -> None:
    text = read(site / "islington/csc-statutory/children.html").text
    assert (
        "A working day is a weekday, Monday to Friday, that is not a bank holiday in England."
        in text
    )
    # Islington keeps the Regulations' trigger: the answer's own time, extensions and all
    assert (
        "If the council does not answer you in time, you can ask for stage 2 straight away." in text
    )
    # Cheshire West's own trigger is 20 working days: asking sooner is the council's choice
    cheshire = read(site / "cheshire-west/csc-statutory/children.html").text
    assert "straight away" not in cheshire
    assert (
        "you can ask for stage 2 once 20 working days have passed, counted from the day the "
        "council gets your complaint. If you ask before then, it is up to the council whether to "
        "accept your request."
    ) in cheshire
    # the reasons Islington's page gives for more time, in its words ("detailed"), and no other
    assert (
        "It can take up to 20 working days if your complaint is detailed or you need an "
        "advocate to help you."
    ) in text
    # and its stage 2 runs to 65 working days only "if there is agreement"
    assert "It can take up to 65 working days if there is agreement to take longer." in text
    # Islington's and Cheshire West's pages do not cite Sefton's documents
    for council in ("islington", "cheshire-west"):
        page = read(site / f"{council}/csc-statutory/children.html").text
        assert "Sefton" not in page, council


def test_section_ids_are_unique_on_every_page(site: Path) -> None:
    for page in site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), f"{page}: {sorted(i for i in ids if ids.count(i) > 1)}"


@pytest.mark.parametrize(
    "text",
    ["15 calendar days", "twenty-eight days", "10 working-days", "six weeks", "a fortnight"],
)
def test_any_length_of_time_in_a_stage_s_plain_words_is_flagged(
    library_copy: Path, text: str
) -> None:
    baseline = library_copy / "rules" / "baseline" / "csc-statutory.yaml"
    source = baseline.read_text(encoding="utf-8")
    old = "      heading: Sorting it out"
    assert source.count(old) == 1
    baseline.write_text(
        source.replace(old, f"      heading: Sorting it out in {text}"), encoding="utf-8"
    )
    result = run("validate")
    assert "warning[plain-time]" in result.output, result.output
    assert (
        f"rules/baseline/csc-statutory.yaml:{line_of(baseline, 'heading: Sorting it out')}:"
        in result.output
    )
