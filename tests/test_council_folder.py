"""A council owns its folder: its own documents and facts, which no other council's procedure may
use, and procedures tied to the folder and council file they are in (issue 25, item 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import line_of, run

ISLINGTON_PAGE = "004_b2659dac51ae51b8.txt"


def errors(*paths: str) -> list[dict[str, object]]:
    result = run("validate", *paths, "--format", "json")
    return [p for p in json.loads(result.stdout) if p["severity"] == "error"]


def test_citing_another_councils_document_is_refused_where_it_is_cited(
    library_copy: Path,
) -> None:
    path = library_copy / "councils/sefton/corporate.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index('"001_fa29f2577f0a0813.txt: ')
    path.write_text(text[:first] + f'"{ISLINGTON_PAGE}: ' + text[first + 27 :], encoding="utf-8")
    found = errors()
    assert [(p["path"], p["line"], p["code"]) for p in found] == [
        ("councils/sefton/corporate.yaml", line_of(path, ISLINGTON_PAGE), "unknown-document")
    ]
    message = str(found[0]["message"])
    assert "Islington Council (islington)" in message
    assert "councils/islington/council.yaml" in message
    assert "under `documents:` in councils/sefton/council.yaml" in message


def test_a_councils_own_fact_is_its_procedures_and_no_one_elses(library_copy: Path) -> None:
    council = library_copy / "councils/islington/council.yaml"
    council.write_text(
        council.read_text(encoding="utf-8")
        + "facts:\n  reported_by_councillor:\n    type: bool\n"
        + "    description: Whether a councillor passed the complaint on.\n",
        encoding="utf-8",
    )
    rule = (
        "  by-a-councillor:\n    title: Passed on by a councillor\n"
        "    when: {fact: reported_by_councillor, equals: true}\n    decision: eligible\n"
        "    message: A councillor passed the complaint on.\n"
        '    sources: ["Children Act 1989: s26(3)"]\n'
    )
    for council_id in ("islington", "cheshire-west"):
        path = library_copy / f"councils/{council_id}/csc-statutory.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("\nrules:\n", "\nrules:\n" + rule, 1),
            encoding="utf-8",
        )
    found = errors()
    assert [(p["path"], p["code"]) for p in found] == [
        ("councils/cheshire-west/csc-statutory.yaml", "unknown-fact")
    ]
    assert "a fact of Islington Council (islington)" in str(found[0]["message"])
    # Islington's cases may state it; the compiled procedure declares it, as its facts' type.
    shown = json.loads(run("compile", "islington/csc-statutory").stdout)
    assert shown["facts"]["reported_by_councillor"]["type"] == "bool"
    assert (
        "reported_by_councillor"
        not in json.loads(run("compile", "sefton/corporate").stdout)["facts"]
    )


def test_a_council_fact_may_not_take_a_shared_facts_name(library_copy: Path) -> None:
    council = library_copy / "councils/sefton/council.yaml"
    council.write_text(
        council.read_text(encoding="utf-8")
        + "facts:\n  complex:\n    type: bool\n    description: Our own idea of complex.\n",
        encoding="utf-8",
    )
    found = errors()
    assert [(p["path"], p["code"]) for p in found] == [
        ("councils/sefton/council.yaml", "duplicate-id")
    ]
    assert "shared fact" in str(found[0]["message"])


def test_a_copied_folder_is_wrong_in_the_copy_never_in_the_original(library_copy: Path) -> None:
    shutil.copytree(library_copy / "councils/sefton", library_copy / "councils/newtown")
    found = errors()
    assert found, "a copy still naming sefton must not validate"
    assert {str(p["path"]).split("/")[1] for p in found} == {"newtown"}
    for problem in found:
        message = str(problem["message"])
        assert "newtown" in message and "change" in message, message
        assert "version" not in message, message
    council = [p for p in found if p["path"] == "councils/newtown/council.yaml"]
    assert len(council) == 1 and "`council: newtown`" in str(council[0]["message"])


def test_a_procedure_whose_council_has_no_file_says_which_file_to_create(
    library_copy: Path,
) -> None:
    folder = library_copy / "councils/knowsly"
    folder.mkdir()
    text = (library_copy / "councils/islington/csc-statutory.yaml").read_text(encoding="utf-8")
    (folder / "csc-statutory.yaml").write_text(
        text.replace("procedure: islington/", "procedure: knowsly/"), encoding="utf-8"
    )
    found = errors()
    assert [(p["path"], p["code"]) for p in found] == [
        ("councils/knowsly/csc-statutory.yaml", "file-not-found")
    ]
    assert "create councils/knowsly/council.yaml" in str(found[0]["message"])


def test_a_procedure_named_for_another_council_than_its_folder_is_refused(
    library_copy: Path,
) -> None:
    path = library_copy / "councils/sefton/csc-statutory.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("procedure: sefton/", "procedure: knowsly/"),
        encoding="utf-8",
    )
    found = errors()
    assert ("councils/sefton/csc-statutory.yaml", "invalid-value") in [
        (p["path"], p["code"]) for p in found
    ]
    assert any(
        "change `knowsly/csc-statutory` to `sefton/csc-statutory`" in str(p["message"])
        for p in found
    )


def test_a_dated_document_needs_a_date_or_a_reason_it_has_none(library_copy: Path) -> None:
    council = library_copy / "councils/islington/council.yaml"
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace("    undated: true\n", "", 1), encoding="utf-8")
    found = errors()
    assert [(p["path"], p["code"]) for p in found] == [
        ("councils/islington/council.yaml", "missing-key")
    ]
    assert "`date`" in str(found[0]["message"])
