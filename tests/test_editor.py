"""What VS Code's YAML extension does with rules/library.schema.json, asked of the YAML language
server it runs (pinned in tests/editor/package-lock.json; `npm ci --prefix tests/editor`
installs it): completion at an event offers the library's events with what each is, and a
misspelt event is flagged where it is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from language_server import LanguageServer

from conftest import ROOT

pytestmark = [pytest.mark.editor, pytest.mark.slow]

ISLINGTON = ROOT / "councils" / "islington" / "csc-statutory.yaml"
ANCHOR = "    anchor: complaint-received"


def _baseline_events() -> dict[str, str]:
    import yaml

    data = yaml.safe_load((ROOT / "rules/baseline/csc-statutory.yaml").read_text(encoding="utf-8"))
    return {k: v["description"] for k, v in data["events"].items()}


@pytest.fixture(scope="module")
def server() -> Iterator[LanguageServer]:
    with LanguageServer(ROOT) as running:
        yield running


def _opened(server: LanguageServer, text: str, name: str) -> str:
    # A file beside the council's own, so that its `$schema` line finds the library's schema;
    # only the server sees it, nothing is written.
    return server.open(ISLINGTON.parent / name, text)


def test_completion_at_an_event_offers_the_librarys_events(server: LanguageServer) -> None:
    text = ISLINGTON.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines.count(ANCHOR) == 1, "the test opens Islington's file at its one anchor"
    line = lines.index(ANCHOR)
    uri = _opened(server, text, "completion-probe.yaml")
    items = server.complete(uri, line, len("    anchor: "))
    offered = {item["label"]: item.get("documentation") for item in items}
    for event, description in _baseline_events().items():
        assert event in offered, f"{event} is not offered at `anchor:`"
        documentation = offered[event]
        shown = documentation["value"] if isinstance(documentation, dict) else documentation
        assert description in shown


def test_a_misspelt_event_is_flagged_where_it_is_written(server: LanguageServer) -> None:
    text = ISLINGTON.read_text(encoding="utf-8")
    line = text.splitlines().index(ANCHOR)
    uri = _opened(server, text.replace(ANCHOR, "    anchor: complaint-recieved"), "typo-probe.yaml")
    found = server.diagnostics_for(uri)
    assert [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in found] == [
        (line, len("    anchor: "))
    ]
    assert "not an event the library defines" in found[0]["message"]
    assert "csc-rules validate" in found[0]["message"]


def test_the_librarys_own_files_draw_no_diagnostic(server: LanguageServer) -> None:
    uri = _opened(server, ISLINGTON.read_text(encoding="utf-8"), "clean-probe.yaml")
    assert server.diagnostics_for(uri) == []
