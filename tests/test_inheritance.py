"""`extends`: override by id, add, place, remove; and where each part came from."""

from __future__ import annotations

from pathlib import Path

from csc_rules.reading.inheritance import resolve
from csc_rules.reading.loader import parse

BASE = """
procedure: test/base
stages:
  one:
    steps:
      a: {actor: x}
      b: {actor: x}
duties:
  d:
    anchor: start
    limit: {amount: 10, unit: working-days}
    extensions:
      e1: {maximum: {amount: 20, unit: working-days}}
      e2: {maximum: {amount: 15, unit: working-days}}
"""


def resolved(child: str):
    base, _ = parse(Path("base.yaml"), BASE)
    document, _ = parse(Path("child.yaml"), child)
    return resolve(document, {"test/base": base}.get)


def test_an_override_keeps_what_it_does_not_mention() -> None:
    result, problems = resolved(
        "procedure: test/c\nextends: test/base\nduties:\n  d:\n    limit: {amount: 15, unit: working-days}\n"
    )
    assert problems == []
    d = result.data["duties"]["d"]
    assert d["anchor"] == "start" and d["limit"] == {"amount": 15, "unit": "working-days"}
    assert list(d["extensions"]) == ["e1", "e2"]
    assert result.document_for(("duties", "d", "limit")).path.name == "child.yaml"
    assert result.document_for(("duties", "d", "anchor")).path.name == "base.yaml"


def test_new_steps_go_where_they_say() -> None:
    result, problems = resolved(
        "procedure: test/c\nextends: test/base\nstages:\n  one:\n    steps:\n"
        "      z: {actor: x}\n      first: {actor: x, before: a}\n      mid: {actor: x, after: a}\n"
    )
    assert problems == []
    assert list(result.data["stages"]["one"]["steps"]) == ["first", "a", "mid", "b", "z"]
    assert "after" not in result.data["stages"]["one"]["steps"]["mid"]


def test_remove_takes_out_one_extension_and_reports_unknown_ids() -> None:
    result, problems = resolved(
        "procedure: test/c\nextends: test/base\nremove:\n"
        "  - {what: extension, id: d/e2, reason: r, sources: [s]}\n"
        "  - {what: duty, id: dd, reason: r, sources: [s]}\n"
    )
    assert list(result.data["duties"]["d"]["extensions"]) == ["e1"]
    assert [(p.code, p.line) for p in problems] == [("remove-unknown", 5)]
    assert "did you mean `d`?" in problems[0].message


def test_remove_then_add_replaces_an_item_whole() -> None:
    result, problems = resolved(
        "procedure: test/c\nextends: test/base\nremove:\n  - {what: duty, id: d, reason: r, sources: [s]}\n"
        "duties:\n  d: {anchor: other}\n"
    )
    assert problems == [] and result.data["duties"]["d"] == {"anchor": "other"}
