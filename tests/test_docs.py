"""The README and the pages in docs/: every link leads somewhere, and every page is on the map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run

# The pages people write; docs/procedures/, docs/comparison.md and docs/catalogue.md are made
# by csc-rules.
WRITTEN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GENERATED = {ROOT / "docs" / "comparison.md", ROOT / "docs" / "catalogue.md"}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m) for m in re.findall(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize("page", WRITTEN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    links = [link for link in LINK.findall(text) if not link.startswith(("http:", "https:"))]
    for link in links:
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name}: {link} leads nowhere"
        if anchor:
            assert anchor in anchors(path), f"{page.name}: {link}: no such heading"


def test_the_readme_maps_every_page_of_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Who reads what", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    linked = {(ROOT / link).resolve() for link in LINK.findall(table)}
    pages = {p for p in WRITTEN if p.parent == ROOT / "docs"} - GENERATED
    assert linked == pages


def test_one_command_makes_every_generated_page_as_it_is_in_docs(tmp_path: Path) -> None:
    # The pages the tests hold to the library, made again by the one command the docs name:
    # into an empty folder, they are byte for byte the checkout's.
    result = run("docs", "-o", str(tmp_path / "docs"))
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(tmp_path) for p in (tmp_path / "docs").rglob("*.md"))
    assert Path("docs/catalogue.md") in made and Path("docs/comparison.md") in made
    assert any(p.parent == Path("docs/procedures") for p in made)
    for page in made:
        assert (tmp_path / page).read_text(encoding="utf-8") == (ROOT / page).read_text(
            encoding="utf-8"
        ), f"{page} is out of date: run `csc-rules docs -o docs`"
