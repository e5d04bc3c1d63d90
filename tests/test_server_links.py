"""A running `csc-rules serve` on a library with a file linked out of it still answers for the
rest (issue 28, F8), and no answer names a file by where it lies on the server's machine, even
when the server runs from another folder than its library's, as an installed copy does (F9)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import ROOT
from test_server import Api, free_port, start_on, stop

CASE = ROOT / "councils/sefton/scenarios/01-late-acknowledgement.yaml"


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def machine_paths(body: bytes, kind: str, roots: list[Path]) -> list[str]:
    """What in an answer names a place on the server's machine: a JSON string that is an
    absolute path there, or any mention of the folders the library or the server live in."""
    text = body.decode("utf-8", "replace")
    found = [str(root) for root in roots if str(root) in text]
    if "json" in kind:
        found += [
            s
            for s in strings(json.loads(body))
            if s.startswith("/") and len(s) > 1 and len(s) < 4096 and Path(s).exists()
        ]
    return found


def test_a_file_linked_out_of_the_library_leaves_the_rest_answering(library_copy: Path) -> None:
    outside = library_copy.parent / "elsewhere.yaml"
    shutil.move(library_copy / "councils/sefton/corporate.yaml", outside)
    (library_copy / "councils/sefton/corporate.yaml").symlink_to(outside)
    process, base = start_on(free_port(), cwd=library_copy)
    try:
        api = Api(base)
        answers = {
            "health": api.call("GET", "/health"),
            "procedures": api.call("GET", "/procedures"),
            "evaluate": api.call("POST", "/cases/evaluate", CASE.read_bytes(), "application/yaml"),
        }
    finally:
        stop(process)
    for name, (status, kind, body) in answers.items():
        assert status == 200, (name, body[:300])
        assert machine_paths(body, kind, [library_copy.parent, ROOT]) == [], name
    listed = {entry["id"] for entry in json.loads(answers["procedures"][2])}
    assert "sefton/csc-statutory" in listed
    assert json.loads(answers["health"][2])["procedures"] == len(
        json.loads(answers["procedures"][2])
    )


def get_routes(api: Api) -> dict[str, tuple[int, str, bytes]]:
    """An answer of every GET route, for every procedure and schema, and some refusals."""
    paths = ["/health", "/procedures", "/openapi.json", "/docs"]
    listed = json.loads(api.call("GET", "/procedures")[2])
    for procedure_id in dict.fromkeys(entry["id"] for entry in listed):
        paths += [
            f"/procedures/{procedure_id}",
            f"/procedures/{procedure_id}?on=1990-01-01",
            f"/procedures/{procedure_id}/compiled",
            *(f"/procedures/{procedure_id}/diagram?format={f}" for f in ("json", "mermaid", "dot")),
            f"/conformance/{procedure_id}",
        ]
    paths += [f"/{p.name}" for p in sorted((ROOT / "rules").glob("*.schema.json"))]
    paths += [
        "/workdays/add?date=2025-01-02&n=20&council=sefton",
        "/workdays/between?start=2025-01-02&end=2025-03-01&council=nowhere",
        "/procedures/nowhere/nothing",
        "/nothing-here",
    ]
    return {path: api.call("GET", path) for path in paths}


def test_no_answer_names_a_file_where_the_server_keeps_it(library_copy: Path, tmp_path: Path):
    """Started from another folder, with the library found through CSC_RULES_HOME."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    process, base = start_on(free_port(), cwd=elsewhere, env={"CSC_RULES_HOME": str(library_copy)})
    try:
        api = Api(base)
        answers = get_routes(api)
        broken = b"procedure: sefton/broken\nextends: baseline/nothing\n"
        answers["POST /validate"] = api.call("POST", "/validate", broken, "application/yaml")
        case = CASE.read_bytes().replace(b"sefton/csc-statutory", b"sefton/nothing")
        answers["POST /cases/evaluate"] = api.call(
            "POST", "/cases/evaluate", case, "application/yaml"
        )
    finally:
        stop(process)
    assert len(answers) > 40
    assert answers["/procedures"][0] == 200
    assert "councils/sefton/corporate.yaml" in answers["/procedures"][2].decode()
    assert answers["/conformance/sefton/csc-statutory"][0] == 200
    assert all(status < 500 for status, _, _ in answers.values())
    roots = [tmp_path, ROOT, Path(shutil.__file__).parent]
    named = {path: machine_paths(body, kind, roots) for path, (_, kind, body) in answers.items()}
    assert {path: found for path, found in named.items() if found} == {}
