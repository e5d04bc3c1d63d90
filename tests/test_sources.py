"""`csc-rules sources`: every quotation in the library is found in the saved text of the document
it cites (the seed documents, beside this checkout in shared/seeds), and one that is not, made
up here, is refused at its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, assert_no_crash, line_of, run

NO_SEEDS = (
    f"the council documents are not at {SEEDS}: the quotations cannot be checked without "
    "them. Put the saved texts of the documents the library cites (000_...txt to 004_...txt, "
    "see each council.yaml's `documents:`) in that folder, beside this checkout, and run again"
)


@pytest.fixture(scope="module")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(NO_SEEDS)
    return SEEDS


def test_every_quotation_in_the_library_is_in_the_document_it_cites(seeds: Path) -> None:
    result = run("sources", "--documents", str(seeds), "--strict", "--format", "json")
    assert_no_crash(result)
    found = json.loads(result.stdout)
    assert found["problems"] == [], "\n".join(p["message"] for p in found["problems"])
    assert result.exit_code == 0
    assert found["quotations"] == found["found"] > 200


def test_a_made_up_quotation_is_refused_at_its_line(seeds: Path, library_copy: Path) -> None:
    path = library_copy / "councils/islington/csc-statutory.yaml"
    real = "within 15 working days of receiving the Review Panel"
    text = path.read_text(encoding="utf-8")
    assert real in text
    path.write_text(text.replace(real, "within 15 working days of the panel, or so", 1))
    result = run("sources", "--documents", str(seeds))
    assert result.exit_code == 1, result.output
    line = line_of(path, "of the panel, or so")
    assert result.stdout.startswith(f"councils/islington/csc-statutory.yaml:{line}:"), result.stdout
    assert "error[quotation-not-found]" in result.stdout
    assert "within 15 working days of the panel, or so" in result.stdout
    assert "is not in 004_b2659dac51ae51b8.txt" in result.stdout
    assert "1 not found" in result.stderr


def test_quotations_are_compared_with_whitespace_quotes_dashes_and_case_folded(
    seeds: Path, library_copy: Path
) -> None:
    """The page writes `Children’s`, with a curly apostrophe; a quotation may use a straight one,
    break the line anywhere and change case."""
    assert "Children\u2019s Social Care Complaint" in (
        seeds / "000_0386b032216d3c7d.txt"
    ).read_text(encoding="utf-8")
    path = library_copy / "councils/sefton/council.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"001_fa29f2577f0a0813.txt: Get in touch"',
            '"000_0386b032216d3c7d.txt: \\"CHILDREN\'S  social\\n care complaint\\""',
        ),
        encoding="utf-8",
    )
    result = run("sources", "councils/sefton/council.yaml", "--documents", str(seeds))
    assert result.exit_code == 0, result.output
    assert "1 quotations: 1 found" in result.stderr


def test_a_document_with_no_saved_text_is_a_warning_that_strict_fails(
    seeds: Path, library_copy: Path
) -> None:
    islington = "councils/islington/csc-statutory.yaml"
    result = run("sources", islington)
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stdout.splitlines() if "004_b2659dac51ae51b8.txt" in line]
    assert len(warned) == 1 and warned[0].startswith("councils/islington/council.yaml:")
    assert "warning[no-saved-text]" in warned[0]
    assert "councils/islington/documents/004_b2659dac51ae51b8.txt" in warned[0]
    assert run("sources", islington, "--strict").exit_code == 1
    # Saved in the council's own documents/ folder, where `sources` looks by default.
    (library_copy / "councils/islington/documents").mkdir()
    shutil.copy(seeds / "004_b2659dac51ae51b8.txt", library_copy / "councils/islington/documents")
    result = run("sources", islington)
    assert result.exit_code == 0, result.output
    assert "004_b2659dac51ae51b8.txt" not in result.stdout


def test_a_councils_own_saved_text_counts_when_documents_names_another_folder(
    seeds: Path, library_copy: Path
) -> None:
    # CI checks the library against the seeds with --documents; a new council keeps its page in
    # its own documents/ folder, under a name the seeds do not have: it is checked, not skipped.
    council = library_copy / "councils" / "islington" / "council.yaml"
    text = council.read_text(encoding="utf-8")
    assert text.count("text: 004_b2659dac51ae51b8.txt") == 1
    council.write_text(text.replace("text: 004_b2659dac51ae51b8.txt", "text: our-page.txt"))
    (library_copy / "councils/islington/documents").mkdir()
    shutil.copy(
        seeds / "004_b2659dac51ae51b8.txt",
        library_copy / "councils/islington/documents/our-page.txt",
    )
    result = run(
        "sources", "councils/islington/csc-statutory.yaml", "--documents", str(seeds), "--strict"
    )
    assert result.exit_code == 0, result.output
    assert "0 not checked" in result.output


def test_a_quotation_nearly_right_is_shown_the_words_the_document_has(
    seeds: Path, library_copy: Path
) -> None:
    # The page says "You will be sent a letter"; a policy officer remembers it as "We will send
    # you a letter": the message gives the page's own words to copy.
    path = library_copy / "councils/islington/csc-statutory.yaml"
    real = "within 15 working days of receiving the Review Panel"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(real, "within fifteen working days of receiving the Review Panel", 1)
    )
    result = run("sources", "--documents", str(seeds))
    assert result.exit_code == 1, result.output
    assert f'the nearest words in it are "{real.lower()}' in result.stdout, result.stdout
