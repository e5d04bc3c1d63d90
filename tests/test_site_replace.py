"""`csc-rules site -o` over a folder it made before: replaced only when every file in it is one
the site's manifest lists, unchanged; otherwise refused, with nothing deleted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import run

MANIFEST = ".csc-rules-site.json"


def everything(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, by its path inside it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def made(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    result = run("site", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def refused(target: Path, naming: str) -> None:
    """`site` over `target` fails on one line naming `naming`, and leaves every file as it was."""
    before = everything(target)
    result = run("site", "-o", str(target))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert naming in result.output and str(target) in result.output
    assert "Traceback" not in result.output
    assert everything(target) == before
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # nothing left beside it


def test_the_manifest_lists_every_file_written_with_its_size_and_digest(made: Path) -> None:
    listed = json.loads((made / MANIFEST).read_text(encoding="utf-8"))["files"]
    on_disk = everything(made)
    del on_disk[MANIFEST]
    assert set(listed) == set(on_disk)
    assert {
        "index.html",
        "comparison.html",
        "assets/site.css",
        "sefton/csc-statutory/staff.html",
    } <= set(listed)
    for name, data in on_disk.items():
        assert listed[name] == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_a_git_folder_added_is_refused(made: Path) -> None:
    (made / ".git").mkdir()
    (made / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    refused(made, ".git/")


def test_a_cname_added_is_refused(made: Path) -> None:
    (made / "CNAME").write_text("complaints.example.gov.uk\n", encoding="utf-8")
    refused(made, "CNAME")


def test_an_empty_folder_added_is_refused(made: Path) -> None:
    (made / "sefton" / "drafts").mkdir()
    refused(made, "sefton/drafts/")


def test_a_page_edited_by_hand_is_refused(made: Path) -> None:
    page = made / "sefton" / "csc-statutory" / "staff.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("<h1", "<h1 data-edited", 1), encoding="utf-8"
    )
    refused(made, "sefton/csc-statutory/staff.html has changed")


def test_a_page_edited_to_the_same_size_is_refused(made: Path) -> None:
    page = made / "index.html"
    data = bytearray(page.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    page.write_bytes(bytes(data))
    refused(made, "index.html has changed")


def test_a_site_whose_manifest_was_deleted_is_refused(made: Path) -> None:
    (made / MANIFEST).unlink()
    refused(made, MANIFEST)


def test_a_manifest_that_is_not_one_is_refused(made: Path) -> None:
    (made / MANIFEST).write_text("{not json", encoding="utf-8")
    refused(made, MANIFEST)


def test_a_site_made_by_an_older_csc_rules_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "site"
    old.mkdir()
    (old / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (old / ".csc-rules-site").write_text("Made by `csc-rules site`.\n", encoding="utf-8")
    refused(old, "older csc-rules")
    result = run("site", "-o", str(old))
    assert "move the folder away or delete it" in result.output


def test_a_second_run_replaces_its_own_site(made: Path) -> None:
    first = everything(made)
    (made / "islington" / "csc-statutory" / "children.html").unlink()  # a page lost is put back
    result = run("site", "-o", str(made))
    assert result.exit_code == 0, result.output
    assert everything(made) == first
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no staging folder left behind
    assert run("site", "-o", str(made)).exit_code == 0


def test_a_file_added_while_the_site_is_made_is_kept(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is checked again when it is moved aside, so a file put in it after the first
    check (while the new pages are being written) stops the replacement."""
    from csc_rules.application import site_manifest

    write = site_manifest.write

    def write_then_add(staging: Path) -> None:
        write(staging)
        (made / "CNAME").write_text("complaints.example.gov.uk\n", encoding="utf-8")

    monkeypatch.setattr(site_manifest, "write", write_then_add)
    result = run("site", "-o", str(made))
    assert result.exit_code == 1 and "CNAME" in result.output
    assert (made / "CNAME").read_text(encoding="utf-8") == "complaints.example.gov.uk\n"
    assert (made / "index.html").is_file() and (made / MANIFEST).is_file()
    assert [p.name for p in made.parent.iterdir()] == [made.name]
