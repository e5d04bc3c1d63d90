"""`impact` written out: text and markdown for people, JSON (one document) and CSV (the
deadlines that moved) for other systems. Each writer streams the moved deadlines from the file
they were spilled to, so a large caseload is never held whole."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from .impact import ABSENT

if TYPE_CHECKING:
    from .impact import Impact

FORMATS = ("text", "markdown", "json", "csv", "html")
CSV_HEADER = ["case", "deadline", "due_before", "status_before", "due_after", "status_after"]


def write(fmt: str, impact: Impact, out: IO[str]) -> None:
    """The comparison in format `fmt` (one of FORMATS), written to `out`."""
    writers: dict[str, Callable[[Impact, IO[str]], None]] = {
        "text": _text,
        "markdown": _markdown,
        "json": _json,
        "csv": _csv,
        "html": _html,
    }
    writers[fmt](impact, out)


def _html(impact: Impact, out: IO[str]) -> None:
    from .impact_page import write as page

    page(impact, out)


def _json(impact: Impact, out: IO[str]) -> None:
    """{"procedures", "summary", "changes", "warnings"}, the changes streamed."""
    out.write('{"procedures": ' + json.dumps(impact.procedures))
    out.write(', "summary": ' + json.dumps(impact.tally.summary()))
    out.write(', "changes": [')
    for number, change in enumerate(impact.changed()):
        out.write((", " if number else "") + json.dumps(change))
    out.write('], "warnings": ' + json.dumps(impact.tally.warnings()))
    if impact.report is not None:
        out.write(', "report": ' + json.dumps(impact.report))
    out.write("}\n")


def _csv(impact: Impact, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for change in impact.changed():
        before, after = change["before"], change["after"]
        writer.writerow(
            [
                change["case"],
                change["deadline"],
                before["due"] or "",
                before["status"],
                after["due"] or "",
                after["status"],
            ]
        )


def _change_heading(item: dict[str, Any]) -> str:
    if "replaces" not in item:
        return f"{item['id']}: a new version, {item['version']}"
    if item["replaces"] == item["version"]:
        return f"{item['id']}, version {item['version']}, as proposed"
    return f"{item['id']}: version {item['version']} in place of {item['replaces']}"


def _status_rows(impact: Impact) -> Iterator[tuple[str, list[tuple[str, int, int]], str]]:
    """For each deadline: its id, each status with its count before and after, and the moves
    between statuses in words."""
    tally = impact.tally
    for key in tally.before:
        before, after = tally.before[key], tally.after[key]
        statuses = sorted(set(before) | set(after))
        rows = [(status, before[status], after[status]) for status in statuses]
        moves = ", ".join(
            f"{count} {move.replace('->', ' to ')}"
            for move, count in sorted(tally.moved[key].items())
        )
        yield key, rows, moves or "no case changes status"


def _text(impact: Impact, out: IO[str]) -> None:
    from .comparison import as_text

    out.write("The change\n\n")
    for item in impact.procedures:
        out.write(_change_heading(item) + "\n")
        if "diff" in item:
            out.write(as_text(item["diff"]))
        out.write("\n")
    out.write(f"Deadlines of the {impact.tally.compared} cases replayed both ways\n\n")
    for key, rows, moves in _status_rows(impact):
        out.write(f"{key}\n  {'status':<14} {'before':>8} {'after':>8}\n")
        for status, a, b in rows:
            out.write(f"  {status:<14} {a:>8} {b:>8}\n")
        out.write(f"  moved: {moves}\n\n")
    out.write(
        f"Deadlines that moved ({impact.tally.changes}, in {impact.tally.changed_cases} cases)\n"
    )
    for change in impact.changed():
        out.write("  " + _change_words(change) + "\n")
    out.write("\n" + "\n".join(_warning_lines(impact)) + "\n")
    if impact.report is not None:
        out.write("\n" + "\n".join(_report_lines(impact.report)) + "\n")


def _report_lines(report: dict[str, Any]) -> list[str]:
    """The annual report's response times in sentences, a stage a line."""
    lines = [f"The annual report for {report['year']}, by the statute's timescales"]
    for stage, sides in report["stages"].items():
        words = []
        for name in ("before", "after"):
            side = sides[name]
            duty = ", ".join(f"{n} {status}" for status, n in side["duty"].items()) or "none"
            words.append(f"{name}: {side['in_time']} of {side['judged']} in time (duty: {duty})")
        lines.append(
            f"  {stage} (within {report['within'][stage]} working days): " + "; ".join(words)
        )
    return lines


def _change_words(change: dict[str, Any]) -> str:
    before, after = change["before"], change["after"]
    return f"{change['case']:<14} {change['deadline']:<24} {_side(before)} -> {_side(after)}"


def _side(side: dict[str, Any]) -> str:
    """One side of a moved deadline in words: its due date and status, or its absence."""
    if side["status"] == ABSENT:
        return "not in that procedure"
    return f"{_due(side)} {side['status']}"


def _due(side: dict[str, Any]) -> str:
    return f"due {side['due']}" if side["due"] else "no due date"


def _warning_lines(impact: Impact) -> list[str]:
    warnings = impact.tally.warnings()
    lines = []
    for key, words in (("appear", "Warnings that appear"), ("disappear", "Warnings that go")):
        found = warnings[key]
        shown = ", ".join(f"{code} {count}" for code, count in found.items()) or "none"
        lines.append(f"{words}: {shown}")
    return lines


def _markdown(impact: Impact, out: IO[str]) -> None:
    from .comparison import as_markdown

    out.write("# The impact of the proposed change\n\n## The change\n\n")
    for item in impact.procedures:
        out.write(f"### {_change_heading(item)}\n\n")
        if "diff" in item:
            out.write(as_markdown(item["diff"]) + "\n")
    out.write(f"## Deadlines of the {impact.tally.compared} cases replayed both ways\n\n")
    for key, rows, moves in _status_rows(impact):
        out.write(f"### {key}\n\n| status | before | after |\n|---|---:|---:|\n")
        for status, a, b in rows:
            out.write(f"| {status} | {a} | {b} |\n")
        out.write(f"\nMoved: {moves}.\n\n")
    out.write(
        f"## Deadlines that moved ({impact.tally.changes}, in {impact.tally.changed_cases} cases)\n\n"
        "| case | deadline | before | after |\n|---|---|---|---|\n"
    )
    for change in impact.changed():
        before, after = change["before"], change["after"]
        out.write(
            f"| {change['case']} | {change['deadline']} | {_side(before)} | {_side(after)} |\n"
        )
    out.write("\n## Warnings\n\n" + "".join(f"- {line}\n" for line in _warning_lines(impact)))
    if impact.report is not None:
        heading, *lines = _report_lines(impact.report)
        out.write(f"\n## {heading}\n\n" + "".join(f"- {line.strip()}\n" for line in lines))


def closing_note(impact: Impact) -> list[str]:
    """What was compared and what was left out, in sentences."""
    tally = impact.tally
    notes = [f"{tally.compared} cases of the changed procedures were replayed both ways"]
    if impact.apply_to_all:
        notes.append(
            "every case was replayed under the latest proposed version (--apply-to-all); "
            "`before-first-version` appears for each case received before that version takes "
            "effect, as asked"
        )
    if tally.other:
        notes.append(f"{tally.other} cases of procedures the change leaves alone were not compared")
    if tally.refused:
        notes.append(f"{tally.refused} cases could not be replayed under the proposed procedure")
    if tally.failed:
        notes.append(f"{tally.failed} cases could not be read or replayed (see above)")
    if impact.as_of is not None:
        notes.append(
            f"each case is replayed as of {impact.as_of.isoformat()}, or as of its receipt "
            "if that is later"
        )
    return notes
