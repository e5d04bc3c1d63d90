"""A library file that is a link: one to a file outside the library, or any link to a folder, is
refused with a located problem wherever the library is read; the other files still answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import assert_no_crash, run

ISLINGTON_CASE = "councils/islington/scenarios/01-escalated-across-the-coronation.yaml"


def link_out(library: Path, name: str) -> Path:
    """Move the library's `name` (a file or a folder) out of it and leave a link in its place."""
    outside = library.parent / "elsewhere" / Path(name).name
    outside.parent.mkdir(exist_ok=True)
    shutil.move(library / name, outside)
    (library / name).symlink_to(outside, target_is_directory=outside.is_dir())
    return outside


# What is linked, by what the test calls it, and the code of the problem it is refused with.
LINKS = {
    "a procedure file": ("councils/sefton/corporate.yaml", "outside-library"),
    "a council file": ("councils/islington/council.yaml", "outside-library"),
    "a council's folder": ("councils/cheshire-west", "outside-library"),
    "a baseline file": ("rules/baseline/corporate.yaml", "outside-library"),
}


@pytest.mark.parametrize(("name", "code"), LINKS.values(), ids=LINKS.keys())
def test_validate_refuses_the_link_at_its_name_in_the_library(
    library_copy: Path, name: str, code: str
) -> None:
    outside = link_out(library_copy, name)
    result = run("validate", "--format", "json")
    assert_no_crash(result)
    assert result.exit_code == 1
    errors = [d for d in json.loads(result.stdout) if d["severity"] == "error"]
    refused = [d for d in errors if d["code"] == code]
    assert [d["path"] for d in refused] == [name], errors
    assert "copy the" in refused[0]["message"]
    assert str(outside.parent) not in result.output
    assert str(library_copy) not in result.output


@pytest.mark.parametrize(("name", "code"), LINKS.values(), ids=LINKS.keys())
def test_list_shows_the_other_procedures_and_the_problem(
    library_copy: Path, name: str, code: str
) -> None:
    link_out(library_copy, name)
    result = run("list", "--format", "json")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert f"{name}:1:1: error[{code}]" in result.stderr
    listed = {entry["id"] for entry in json.loads(result.stdout)}
    assert "sefton/csc-statutory" in listed  # never linked: still answers
    assert not any(line.startswith("/") for line in result.stderr.splitlines())
    assert str(library_copy.parent) not in result.output


def test_a_linked_procedure_is_not_listed_and_its_cases_are_refused(library_copy: Path) -> None:
    link_out(library_copy, "councils/islington/csc-statutory.yaml")
    listed = {e["id"] for e in json.loads(run("list", "--format", "json").stdout)}
    assert "islington/csc-statutory" not in listed
    result = run("run", ISLINGTON_CASE)
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "no procedure is called `islington/csc-statutory`" in result.output
    assert str(library_copy.parent) not in result.output


def test_a_linked_council_file_refuses_that_council_s_cases_only(library_copy: Path) -> None:
    link_out(library_copy, "councils/islington/council.yaml")
    refused = run("run", ISLINGTON_CASE)
    assert_no_crash(refused)
    assert refused.exit_code == 1
    assert "councils/islington/council.yaml:1:1: error[outside-library]" in refused.output
    answered = run("run", "councils/sefton/scenarios/01-late-acknowledgement.yaml")
    assert answered.exit_code == 0, answered.output


def test_a_link_to_a_file_inside_the_library_is_read(library_copy: Path) -> None:
    """A second name for one of the library's own files reads nothing from elsewhere."""
    sefton = library_copy / "councils" / "sefton"
    (sefton / "corporate.yaml").rename(sefton / "corporate.txt")
    (sefton / "corporate.yaml").symlink_to("corporate.txt")
    assert run("validate").exit_code == 0
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.output
    versions = {e["version"] for e in json.loads(result.stdout) if e["id"] == "sefton/corporate"}
    assert len(versions) == 2


def test_a_link_to_a_folder_inside_the_library_is_not_followed(library_copy: Path) -> None:
    """Followed, it would list its procedures twice (or loop, if it named a folder above it)."""
    (library_copy / "councils" / "copy-of-sefton").symlink_to("sefton", target_is_directory=True)
    result = run("list")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "councils/copy-of-sefton:1:1: error[linked-folder]: is a link to a folder" in (
        result.stderr
    )


def test_a_schema_linked_out_of_the_library_is_not_served(library_copy: Path) -> None:
    from csc_rules.application.procedures import contract
    from csc_rules.errors import CommandError

    link_out(library_copy, "rules/case.schema.json")
    with pytest.raises(CommandError) as exc_info:
        contract("case.schema.json")
    assert str(exc_info.value).startswith("rules/case.schema.json is a link to a file outside")
