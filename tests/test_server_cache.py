"""The API, like the CLI, answers from the library when the cache folder is one others can write
(issue 28, F7): a real `csc-rules serve` on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cache_trust import CASE, DUE, acknowledgement_due, reseal, ten_times_longer, the_entry

from conftest import require_posix
from test_server import Api, start, stop


def test_an_entry_edited_in_a_folder_others_can_write_changes_no_answer_of_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_posix("trusting a cache folder by its owner and permissions")
    cache = tmp_path / "cache"
    monkeypatch.setenv("CSC_RULES_CACHE_DIR", str(cache))
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    acknowledgement_due(cases)  # the entry, written by the CLI
    reseal(the_entry(cache), ten_times_longer)
    cache.chmod(0o777)

    process, base = start()  # the environment above is the server's
    try:
        status, answer = Api(base).json(
            "POST", "/cases/evaluate?as_of=2025-01-20", json.dumps(CASE).encode()
        )
        process.log.seek(0)  # type: ignore[attr-defined]
        said = process.log.read().decode()  # type: ignore[attr-defined]
    finally:
        stop(process)

    assert status == 200, answer
    [due] = [d["due"] for d in answer["deadlines"] if d["id"] == "acknowledgement"]
    assert due == DUE
    assert f"the cache folder {cache.resolve()} is writable by others" in said
