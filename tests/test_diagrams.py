"""`csc-rules graph` and `csc-rules show`, and the generated pages in docs/procedures/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import COUNCIL_PROCEDURE_IDS, ROOT, run
from csc_rules.procedures.library import load_procedure
from csc_rules.reports.summary import markdown

COUNCIL_IDS = COUNCIL_PROCEDURE_IDS


def test_mermaid_shows_seftons_13_numbered_steps_in_order() -> None:
    result = run("graph", "sefton/csc-statutory", "--format", "mermaid")
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[1] == "flowchart TD"
    step_nodes = re.findall(r'^\s+steps_\w+\["(.*)"\]$', text, re.M)
    numbers = [int(n) for node in step_nodes for n in re.findall(r"(?:^|<br/>)(\d+) · ", node)]
    assert numbers == list(range(1, 14))
    assert "1 · Record the complaint, complaints officer" in text
    assert "limit panel-papers: 10 working days before panel_date" in text
    assert '-->|"stage-2-requested if stage-1-response is overdue"|' in text


def test_mermaid_is_well_formed() -> None:
    """Every line is a node, an edge, a subgraph or a directive; quotes balance; ids are plain."""
    text = run("graph", "cheshire-west/csc-statutory").stdout
    opened = 0
    for line in text.splitlines()[2:]:
        line = line.strip()
        opened += line.startswith("subgraph ") - (line == "end")
        assert line.count('"') % 2 == 0, line
        assert re.match(
            r'^(subgraph \w+\[".*"\]|end|direction TB|\w+(\[|\(|\(\[)".*"(\]|\)|\]\))|\w+ -(->|\.->)\|".*"\| \w+|start\(\[".*"\]\) --> \w+|classDef .*|class [\w,]+ \w+)$',
            line,
        ), line
    assert opened == 0


def test_dot_is_well_formed() -> None:
    text = run("graph", "islington/csc-statutory", "--format", "dot").stdout
    assert text.splitlines()[1] == 'digraph "islington/csc-statutory" {'
    assert text.count("{") == text.count("}")
    assert (
        '"stage-2-investigation" -> "stage-2-adjudication" [label="investigation-report-received"];'
        in text
    )
    assert (
        "limit stage-2-response: 25 working days (up to 65 working days) from stage-2-started"
        in text
    )


def test_json_is_node_link_data() -> None:
    data = json.loads(run("graph", "sefton/corporate", "--format", "json").stdout)
    assert data["directed"] and data["multigraph"]
    assert {
        "source": "stage-1",
        "target": "awaiting-stage-2-decision",
        "key": "stage-1-response-sent",
        "event": "stage-1-response-sent",
    } in data["edges"]


def test_graph_and_show_accept_a_compiled_file(tmp_path: Path) -> None:
    path = tmp_path / "islington.json"
    assert run("compile", "islington/csc-statutory", "-o", str(path)).exit_code == 0
    assert run("graph", str(path)).stdout == run("graph", "islington/csc-statutory").stdout
    assert run("show", str(path)).stdout == run("show", "islington/csc-statutory").stdout


def test_show_lists_every_limit_with_its_extension_and_source() -> None:
    text = run("show", "cheshire-west/csc-statutory").stdout
    assert "Stage 3: Independent review panel" in text
    assert "  stage-2-report-response (duty: the council, senior manager)" in text
    assert (
        "        10 working days from `investigation-report-received`, met by `stage-2-response-sent`"
        in text
    )
    assert "        extension complex: up to 65 working days when complex" in text
    assert (
        '        source: 003_8020045b0d788e4d.txt: "within 10 working days of receiving the report"'
        in text
    )
    assert "Where the council's documents disagree" in text


def test_show_json() -> None:
    data = json.loads(run("show", "sefton/csc-statutory", "--format", "json").stdout)
    panel_papers = next(d for d in data["deadlines"] if d["id"] == "panel-papers")
    assert (panel_papers["direction"], panel_papers["limit"], panel_papers["anchor_field"]) == (
        "before",
        "10 working days",
        "panel_date",
    )
    # the Young People's Zone window, recorded in the baseline for every council, then Sefton's own
    assert [c["concerns"] for c in data["conflicts"]] == [
        ["stage-2-request"],
        ["panel"],
        ["stage-1-response"],
        ["stage-1-response"],
        ["panel-report-sent"],
    ]


@pytest.mark.parametrize("procedure_id", COUNCIL_IDS)
def test_generated_page_is_up_to_date(procedure_id: str) -> None:
    page = ROOT / "docs" / "procedures" / f"{procedure_id.replace('/', '-')}.md"
    assert page.read_text(encoding="utf-8") == markdown(load_procedure(procedure_id)), (
        f"{page.name} is out of date: run `csc-rules docs -o docs`"
    )


def test_every_council_procedure_has_a_page() -> None:
    pages = sorted(p.name for p in (ROOT / "docs" / "procedures").glob("*.md"))
    assert pages == sorted(f"{i.replace('/', '-')}.md" for i in COUNCIL_IDS)
