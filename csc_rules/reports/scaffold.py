"""The files `csc-rules new` writes for a council: its council file, a procedure extending a
baseline with every item it inherits written out as a commented choice, and an example scenario
counted on the council's calendar. All of it is made from the procedure extended, so a change
to a baseline changes what is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .._shapes import as_map, plain
from ._yaml_text import commented, lines, scalar

if TYPE_CHECKING:
    from ..calendars.working_days import WorkingCalendar
    from ..language.model import Deadline
    from ..procedures.compiler import CompiledProcedure

# The parts a council file may change, in the order a policy officer is most likely to need
# them, each with what it is for. The keys naming the procedure itself are written out apart.
SECTIONS = {
    "plain": "What a complaint is, in the plain words of the public pages.",
    "stages": (
        "The stages and their steps. Their ids are fixed by the baseline: to rename a stage or "
        "step for the public, change its `title:`, not its id."
    ),
    "duties": (
        "What the council must do, and by when: `limit` counted from the `anchor` event and met "
        "by a `met_by` event, with its `extensions`."
    ),
    "windows": "How long the complainant has to take the next step.",
    "rules": "Who may complain and what this procedure covers, checked in order.",
    "events": "What a case records, and how the public pages name it.",
    "states": "Where a case can stand, and the events that move it on (`transitions`).",
    "from_every_open_state": "The moves open in every state before the procedure has ended.",
    "notes": "Where the documents are uncertain or disagree, and what is encoded.",
}
_OWN = ("procedure", "extends", "title", "version", "effective", "description", "sources")
PLACEHOLDER_SOURCE = "<document>: <where it says so, or a few words it says in quotes>"


def procedure_text(base: CompiledProcedure, procedure_id: str, council_name: str) -> str:
    """A procedure file for `procedure_id` extending `base`, with every item `base` defines
    listed, commented out, ready to be uncommented and changed."""
    definition = plain(base.definition)
    head = [
        "# yaml-language-server: $schema=../../rules/procedure.schema.json",
        "#",
        *_wrapped(
            f"{council_name}: {base.title}, on top of `{base.id}`. Written by `csc-rules new`; "
            "docs/adding-a-council.md says how to go on."
        ),
        "#",
        "# Everything is inherited from the baseline: this file says only what the council's own",
        "# documents say differently. Every item the baseline defines is below, commented out, with",
        "# the baseline's value and its source. To change one, uncomment the keys you change and",
        "# the keys they sit under (in VS Code, select the lines and press Ctrl+/), edit the values,",
        "# and give the council's own document in `sources:`. Lines left commented change nothing.",
        "# `csc-rules validate` then says what is still to do.",
        f"procedure: {procedure_id}",
        f"extends: {base.id}",
        f"title: {scalar(f'{council_name}: {base.title}')}",
        "# The council's own name for this version: the date of its document, say.",
        "version: draft",
        "# The day this version takes effect: the baseline's, until the council's document gives one.",
        f"effective: {base.effective.isoformat()}",
        *lines({"description": _description(base)}),
        "# The council's documents this procedure follows: replace the placeholder.",
        *lines({"sources": [PLACEHOLDER_SOURCE]}),
    ]
    body: list[str] = []
    for section, why in SECTIONS.items():
        if section in definition:
            body += ["", f"# -- {section} " + "-" * (92 - len(section)), *_wrapped(why)]
            body += list(_section(base, section, definition[section]))
    return "\n".join(head + body + ["", *_removal(definition)]) + "\n"


def _description(base: CompiledProcedure) -> str:
    return (
        f"The council's procedure as {base.id} sets it, until the council's own documents say "
        "otherwise; say here in a sentence or two how it differs."
    )


def _wrapped(text: str) -> list[str]:
    import textwrap

    return ["# " + line for line in textwrap.wrap(text, 96)]


def _section(base: CompiledProcedure, section: str, value: Any) -> Iterator[str]:
    """One part of the baseline, commented out, each item with a summary of its value."""
    if not isinstance(value, dict) or section == "plain":
        yield from commented(lines({section: value}))
        return
    yield f"# {section}:"
    for item_id, item in value.items():
        deadline = base.deadlines.get(item_id) if section in ("duties", "windows") else None
        if deadline is not None:
            yield f"#   # {_deadline_summary(deadline)}"
        yield from commented(lines({item_id: item}, 2))


def _deadline_summary(deadline: Deadline) -> str:
    met = " or ".join(f"`{e}`" for e in deadline.met_by)
    return f"{deadline.span} from `{deadline.anchor}`, met by {met}"


def _removal(definition: dict[str, Any]) -> list[str]:
    """How an inherited item is taken out, with an item the baseline has as the example."""
    example = next(
        (
            f"{duty_id}/{extension_id}"
            for duty_id, duty in as_map(definition.get("duties")).items()
            for extension_id in as_map(as_map(duty).get("extensions"))
        ),
        None,
    )
    if example is None:
        return []
    entry = {
        "what": "extension",
        "id": example,
        "reason": "<why the council's documents leave it out>",
        "sources": [PLACEHOLDER_SOURCE],
    }
    return [
        f"# -- remove {'-' * 87}",
        "# Items the council's documents leave out, each with the reason and the source (a duty or",
        "# window of the statute cannot be removed: change its limit instead).",
        *commented(lines({"remove": [entry]})),
    ]


def council_text(council_id: str, name: str, region: str) -> str:
    """A council file with placeholders that `validate` reports until each is filled in."""
    data = {
        "council": council_id,
        "name": name,
        "region": region,
        "contact": {
            "team": "<the complaints team's name, as the council's page gives it>",
            "phone": "<the team's phone number>",
            "email": "<the team's email address>",
            "address": "<the team's postal address>",
        },
        "sources": ["<document>: <where the council gives these contact details>"],
    }
    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../../rules/council.schema.json",
                "#",
                f"# {name}, as csc-rules knows it. Written by `csc-rules new`: replace each value in",
                "# <angle brackets>; `csc-rules validate` reports each one until it is filled in.",
                *lines(data),
                "# The page the public site links to, an http(s) or mailto address:",
                "#   web: https://www.example.gov.uk/complaints",
                "#",
                "# Days the council is closed beyond the bank holidays:",
                *commented(
                    lines(
                        {
                            "closure_days": [
                                {"date": "2025-12-29", "name": "<why the council is closed>"}
                            ]
                        }
                    )
                ),
                "#",
                "# The council's documents that `sources:` cite, each with where a copy of its text is:",
                *commented(lines({"documents": {"complaints-page": _DOCUMENT_FORM}})),
                "#",
                "# Facts about a case that only this council's rules read, in the form of the shared",
                "# vocabulary's `facts:` (rules/vocabulary.yaml):",
                *commented(lines({"facts": {"<fact-id>": _FACT_FORM}})),
            ]
        )
        + "\n"
    )


_DOCUMENT_FORM = {
    "title": "<the document's title>",
    "publisher": "<who published it>",
    "date": "<the date it gives, as YYYY-MM-DD>",
    "address": "<the web address where it is published>",
    "text": "complaints-page.txt",
}
_FACT_FORM = {"type": "bool", "description": "<what the fact says about a case>"}


def scenario_text(
    procedure: CompiledProcedure,
    procedure_id: str,
    calendar: WorkingCalendar,
    region: str,
    today: dt.date,
) -> str:
    """An example case of `procedure_id`, which extends `procedure` and changes nothing yet: a
    complaint received a few working days before the last holiday of last year, so that counting its first limits crosses holidays, with every limit counted from
    receipt worked out day by day in the description."""
    year = today.year - 1
    holiday = max(d for d in calendar.holidays if d.year == year)
    received = calendar.subtract(holiday, 4)
    as_of = calendar.add(received, 2)
    first = [
        d
        for d in procedure.deadlines.values()
        if d.anchor == procedure.start_event and not d.before and d.limit.stated
    ]
    counted = [_counted(calendar, received, as_of, d) for d in first]
    description = [
        "An example written by `csc-rules new`: check it by hand, then keep it or replace it",
        f"with the council's own cases. A complaint received {_day(received)}, with nothing",
        f"else recorded by {_day(as_of)}. Weekends and the bank holidays of {region} are not",
        "working days.",
        *(words for words, _ in counted),
    ]
    expect = {"state": procedure.start_state, "deadlines": dict(e for _, e in counted)}
    data = {
        "case": "EXAMPLE-01",
        "procedure": procedure_id,
        "as_of": as_of.isoformat(),
        "events": [{"date": received.isoformat(), "event": procedure.start_event}],
        "expect": expect,
    }
    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../../../rules/case.schema.json",
                *lines({"description": " ".join(description)}),
                *lines(data),
            ]
        )
        + "\n"
    )


def _counted(
    calendar: WorkingCalendar, received: dt.date, as_of: dt.date, deadline: Deadline
) -> tuple[str, tuple[str, dict[str, Any]]]:
    """How one limit counted from receipt falls due, in words, and what the scenario expects."""
    amount, unit = deadline.limit.amount or 0, deadline.limit.unit or ""
    due = calendar.shift(received, amount, unit)
    expected: dict[str, Any] = {"due": due.isoformat(), "status": "pending"}
    if unit != "working-days":
        return f"{deadline.title}: {deadline.limit} after receipt, so due {due}.", (
            deadline.id,
            expected,
        )
    remaining = calendar.between(as_of, due)
    expected["working_days_remaining"] = remaining
    days = _days(calendar, received, due)
    words = (
        f"{deadline.title} ({deadline.limit}): {days}, so due {due}; on {_day(as_of)}"
        f" {remaining} working day{'s' * (remaining != 1)} remain."
    )
    return words, (deadline.id, expected)


def _days(calendar: WorkingCalendar, start: dt.date, end: dt.date) -> str:
    """The working days after `start` up to `end`, each month named after its last one, and
    the holidays between them in brackets."""
    found: list[tuple[dt.date, str | None]] = []
    day = start + dt.timedelta(days=1)
    while day <= end:
        reason = calendar.why_not_working(day)
        if reason is None or reason.kind != "weekend":
            found.append((day, reason.name if reason else None))
        day += dt.timedelta(days=1)
    parts = []
    for index, (day, holiday) in enumerate(found):
        month_ends = index + 1 == len(found) or found[index + 1][0].month != day.month
        if holiday:
            parts.append(f"({holiday} {day.day} {day:%b})")
        else:
            parts.append(f"{day.day} {day:%b}" if month_ends else str(day.day))
    return ", ".join(parts)


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.isoformat()}"
