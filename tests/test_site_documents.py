"""The staff page names the documents to read with care: those a procedure cites that say they
are undated (and why) or incomplete (and what they lack), as their council or the vocabulary
lists them."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import run

PAGE = "004_b2659dac51ae51b8.txt"
LACKS = "The page refers to a leaflet for young people that it does not give."


def with_care(staff: Path) -> str:
    found = re.search(
        r'<section aria-labelledby="with-care">.*?</section>',
        staff.read_text(encoding="utf-8"),
        re.S,
    )
    assert found, f"{staff} has no section of documents to read with care"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0)))


def test_an_incomplete_document_is_listed_with_what_it_lacks(library_copy: Path) -> None:
    council = library_copy / "councils" / "islington" / "council.yaml"
    text = council.read_text(encoding="utf-8")
    marker = f"  {PAGE}:\n"
    assert text.count(marker) == 1
    council.write_text(text.replace(marker, f"{marker}    incomplete: {LACKS}\n"), encoding="utf-8")
    assert run("validate").exit_code == 0
    result = run("site", "-o", str(library_copy / "site"), "--on", "2026-12-01")
    assert result.exit_code == 0, result.output
    section = with_care(library_copy / "site" / "islington" / "csc-statutory" / "staff.html")
    assert f"incomplete: {LACKS}" in section
    # and undated, with the reason the council gives
    assert "undated: The page's text carries no date of publication or review." in section


def test_incomplete_must_say_what_is_missing(library_copy: Path) -> None:
    council = library_copy / "councils" / "islington" / "council.yaml"
    text = council.read_text(encoding="utf-8")
    council.write_text(
        text.replace(f"  {PAGE}:\n", f"  {PAGE}:\n    incomplete: true\n"), encoding="utf-8"
    )
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert "incomplete" in result.stdout


def test_a_document_cited_by_an_id_of_the_councils_choosing_is_named_by_its_title() -> None:
    # `csc-rules new` and the guide suggest ids such as `bexley-complaints-page`: the pages name
    # it as the council lists it, not by the id (statutes keep their citation, a name already)
    from csc_rules.reports.comparison import document_name

    names = {"bexley-complaints-page": "London Borough of Bexley, Complaints"}
    assert document_name("bexley-complaints-page", names) == names["bexley-complaints-page"]
    assert document_name("SI 2006/1738", {"SI 2006/1738": "The Regulations"}) == "SI 2006/1738"
