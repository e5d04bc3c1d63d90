"""The compiled-procedure cache is trusted only as far as its folder: an entry someone else could
have written changes no answer (issue 28, F7).

Each attack edits a cache entry the way an attacker would, with its digests worked out again,
and shows that the answer is the library's. The answer expected is worked out by hand in
councils/sefton/scenarios/01-late-acknowledgement.yaml: a complaint received on Friday
2024-12-20 is to be acknowledged within 3 working days, Mon 23, Tue 24 and (over Christmas Day
and Boxing Day) Fri 27 December."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from conftest import ROOT, require_posix, require_root, run
from csc_rules.procedures.library import forget


@pytest.fixture(autouse=True)
def _posix() -> None:
    require_posix("trusting a cache folder by its owner and permissions")


CASE = {
    "case": "F7-1",
    "procedure": "sefton/csc-statutory",
    "events": [
        {"date": "2024-12-20", "event": "complaint-received"},
        {"date": "2024-12-30", "event": "acknowledged"},
    ],
}
DUE = "2024-12-27"  # by hand, above
STATUTORY = ROOT / "councils" / "sefton" / "csc-statutory.yaml"


def canonical_sha256(value: object) -> str:
    """The digest of a compiled file (compiled-format.md: sorted keys, no spaces, UTF-8), as
    an attacker works it out again after an edit."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, made as csc-rules makes it (0700)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CSC_RULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("CSC_RULES_CACHE", raising=False)
    return folder


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    return path


def fresh(*args: str) -> Result:
    """The command as a new process runs it: with nothing of the library kept in memory, so that
    what it compiles comes from the cache or the library's files."""
    forget(ROOT)
    return run(*args)


def acknowledgement_due(cases: Path) -> tuple[str, str]:
    """The due date of the acknowledgement of the case, and what the command said on stderr."""
    result = fresh("run", str(cases), "--as-of", "2025-01-20", "--format", "json")
    assert result.exit_code == 0, result.output
    [answer] = json.loads(result.stdout)
    [due] = [d["due"] for d in answer["deadlines"] if d["id"] == "acknowledgement"]
    return due, result.stderr


def the_entry(cache: Path, procedure: str = "sefton/csc-statutory") -> Path:
    found = [
        path
        for path in cache.glob("procedure-*.json")
        if json.loads(path.read_text(encoding="utf-8"))["procedure"] == procedure
    ]
    assert len(found) == 1, found
    return found[0]


def reseal(entry: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Edit a compiled entry and work its two digests out again, as an attacker would."""
    document = json.loads(entry.read_text(encoding="utf-8"))
    edit(document)
    document["source_sha256"] = canonical_sha256(document["definition"])
    del document["sha256"]
    document["sha256"] = canonical_sha256(document)
    entry.write_text(json.dumps(document), encoding="utf-8")


def ten_times_longer(document: dict[str, Any]) -> None:
    document["definition"]["duties"]["acknowledgement"]["limit"]["amount"] = 30


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_entry_edited_in_a_folder_others_can_write_changes_no_answer(
    cache: Path, cases: Path
) -> None:
    assert acknowledgement_due(cases)[0] == DUE
    entry = the_entry(cache)
    reseal(entry, ten_times_longer)
    cache.chmod(0o777)
    edited = entry.read_bytes()

    due, said = acknowledgement_due(cases)

    assert due == DUE
    assert f"the cache folder {cache.resolve()} is writable by others (mode 0777)" in said
    assert f"chmod go-w {cache.resolve()}" in said
    assert said.count("warning") == 1
    # Nothing written into it: the edited entry is as the attacker left it, and no other file.
    assert entry.read_bytes() == edited
    assert sorted(p.name for p in cache.iterdir() if p.name.startswith("procedure")) == [entry.name]
    # What the attack does when the folder is the user's own (an edit only this user could
    # have made, which is taken on its digests): the edit is read, so the test above can fail.
    cache.chmod(0o700)
    assert acknowledgement_due(cases)[0] != DUE


def test_a_folder_above_the_cache_that_others_can_write_stops_its_use(
    tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could rename the cache folder away and put their own there
    monkeypatch.setenv("CSC_RULES_CACHE_DIR", str(shared / "mine" / "cache"))

    due, said = acknowledgement_due(cases)

    assert due == DUE
    assert f"the folder {shared.resolve()}, which holds the cache folder" in said
    assert list(shared.iterdir()) == []  # not even created

    shared.chmod(0o1777)  # the sticky bit, as /tmp has: others cannot rename what is in it
    due, said = acknowledgement_due(cases)
    assert (due, said) == (DUE, "")
    assert list((shared / "mine" / "cache").glob("procedure-*.json"))


def test_an_entry_others_can_write_is_compiled_again_and_replaced(cache: Path, cases: Path) -> None:
    acknowledgement_due(cases)
    entry = the_entry(cache)
    reseal(entry, ten_times_longer)
    entry.chmod(0o666)

    due, said = acknowledgement_due(cases)

    assert due == DUE
    assert f"the cache entry {entry.resolve()} is writable by others (mode 0666)" in said
    assert mode_of(entry) == 0o600
    assert (
        json.loads(entry.read_text(encoding="utf-8"))["definition"]["duties"]["acknowledgement"][
            "limit"
        ]["amount"]
        == 3
    )
    assert acknowledgement_due(cases) == (DUE, "")  # the replacement is the user's own


@pytest.mark.parametrize("what", ["folder", "entry"])
def test_what_another_user_owns_is_not_used(cache: Path, cases: Path, what: str) -> None:
    require_root("a cache entry another user owns")
    acknowledgement_due(cases)
    entry = the_entry(cache)
    reseal(entry, ten_times_longer)
    os.chown(cache if what == "folder" else entry, 65534, 65534)

    due, said = acknowledgement_due(cases)

    assert due == DUE
    assert "is owned by another user (uid 65534)" in said


def test_a_folder_writable_only_by_the_user_s_own_group_is_trusted(
    tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian and Ubuntu give each user a group of their own, and a umask of 002 makes their
    folders group-writable: nobody else can write them, so the cache is used. A group-writable
    folder of any other group is not."""
    import grp
    import pwd

    require_root("a cache folder of another group")
    user = pwd.getpwuid(os.geteuid()).pw_name
    own = grp.getgrnam(user)
    assert not set(own.gr_mem) - {user}, f"the group {user} has other members: {own.gr_mem}"
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, os.geteuid(), own.gr_gid)
    home.chmod(0o775)
    monkeypatch.setenv("CSC_RULES_CACHE_DIR", str(home / "cache"))

    assert acknowledgement_due(cases) == (DUE, "")
    assert list((home / "cache").glob("procedure-*.json"))

    shared = next(g for g in grp.getgrall() if g.gr_name != user)
    os.chown(home, os.geteuid(), shared.gr_gid)
    due, said = acknowledgement_due(cases)
    assert due == DUE
    assert f"the folder {home.resolve()}, which holds the cache folder" in said
    assert "is writable by others (mode 0775)" in said


def test_a_fresh_cache_is_private_whatever_the_umask(
    tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "new" / "cache"
    monkeypatch.setenv("CSC_RULES_CACHE_DIR", str(cache))
    before = os.umask(0)
    try:
        acknowledgement_due(cases)
    finally:
        os.umask(before)

    assert mode_of(cache) == mode_of(cache.parent) == 0o700
    files = list(cache.iterdir())
    assert {p.name.split("-")[0] for p in files} == {"catalogue", "procedure"}
    assert {mode_of(p) for p in files} == {0o600}


def a_negative_limit(cache: Path, cases: Path) -> None:
    """An entry whose digests are right but whose content breaks the format's rules: a limit of
    -3 working days, which the compiler would never write."""
    acknowledgement_due(cases)
    reseal(
        the_entry(cache),
        lambda d: d["definition"]["duties"]["acknowledgement"]["limit"].update(amount=-3),
    )


def test_an_entry_this_user_wrote_is_taken_on_its_digests(cache: Path, cases: Path) -> None:
    """Only this user could have written it (the folder is 0700, theirs): its meaning is not
    checked again, which keeps a cold start from the cache fast; so the broken limit is used."""
    a_negative_limit(cache, cases)

    result = fresh("run", str(cases), "--as-of", "2025-01-20", "--format", "json")

    assert result.exit_code == 1
    assert "cannot add -3 working days" in result.output


def test_an_entry_whose_writer_cannot_be_told_has_its_meaning_checked(
    cache: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without POSIX permissions (as on Windows) the cache cannot tell who wrote an entry: its
    meaning is checked as a compiled file a user gives is, and it is compiled again."""
    from csc_rules.procedures import cache_trust

    a_negative_limit(cache, cases)
    monkeypatch.setattr(cache_trust, "permissions_known", lambda: False)

    assert acknowledgement_due(cases) == (DUE, "")


def outside_the_library(tmp_path: Path) -> Path:
    """Sefton's statutory procedure with a 30-day acknowledgement, in a file of no library."""
    text = STATUTORY.read_text(encoding="utf-8")
    old = "anchor: complaint-received\n    limit: {amount: 3, unit: working-days}"
    assert text.count(old) == 1
    evil = tmp_path / "elsewhere" / "csc-statutory.yaml"
    evil.parent.mkdir()
    evil.write_text(text.replace(old, old.replace("3", "30")), encoding="utf-8")
    return evil


def test_a_catalogue_entry_pointing_outside_the_library_is_not_used(
    cache: Path, cases: Path, tmp_path: Path
) -> None:
    acknowledgement_due(cases)
    [catalogue] = cache.glob("catalogue-*.json")
    document = json.loads(catalogue.read_text(encoding="utf-8"))
    evil = outside_the_library(tmp_path)
    for row in document["content"]:
        if row["path"] == "councils/sefton/csc-statutory.yaml":
            row["path"] = os.path.relpath(evil, ROOT)
    body = {"entry": document["entry"], "content": document["content"]}
    catalogue.write_text(json.dumps({**body, "sha256": canonical_sha256(body)}), "utf-8")
    for procedure in cache.glob("procedure-*.json"):
        procedure.unlink()  # so the procedure is compiled from where the catalogue says

    assert acknowledgement_due(cases) == (DUE, "")
    listed = json.loads(fresh("list", "--format", "json").stdout)
    [path] = [p["path"] for p in listed if p["id"] == "sefton/csc-statutory"]
    assert Path(path).resolve() == STATUTORY


def test_an_edited_catalogue_whose_digest_was_not_worked_out_again_is_rebuilt(
    cache: Path, cases: Path
) -> None:
    fresh("list")
    [catalogue] = cache.glob("catalogue-*.json")
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("Sefton", "Nowhere"), encoding="utf-8")

    listed = fresh("list", "--format", "json")

    assert "Nowhere" not in listed.stdout
    assert "Sefton" in listed.stdout


def test_an_entry_copied_to_another_procedures_key_is_not_used(
    cache: Path, cases: Path, tmp_path: Path
) -> None:
    """Both entries are whole, with right digests and meaning: only the procedure each says it
    is tells them apart. Sefton's corporate procedure sets no acknowledgement."""
    acknowledgement_due(cases)
    corporate = tmp_path / "corporate.jsonl"
    corporate.write_text(json.dumps({**CASE, "procedure": "sefton/corporate"}) + "\n", "utf-8")
    result = fresh("run", str(corporate), "--as-of", "2025-01-20", "--format", "json")
    assert result.exit_code == 0, result.output
    the_entry(cache).write_bytes(the_entry(cache, "sefton/corporate").read_bytes())

    assert acknowledgement_due(cases)[0] == DUE
