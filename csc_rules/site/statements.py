"""What the public pages say about time and rights, sentence by sentence, each filled in from the
compiled rules: a limit from the limit, when it starts and what stops it from the events'
plain words, how far and why it may be extended from the extensions, when the next stage may be
asked for without an answer from the move's own trigger, what may be done at any time from the
moves open from every open state, and where the documents disagree from the notes. Each sentence
is a `Statement` that names what it states, so that a page can mark it and a test can check it
against the rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .._words import joined
from ..language.model import Deadline, Extension, Note, Route, Rule, Step, Transition
from ..procedures.compiler import CompiledProcedure
from ..validation.plain_checks import LIMIT, OPENS, WHEN, WITHIN

# What a statement states, and where in the rules it comes from.
CLAIMS = {
    "limit": "a time limit: its plain words, with the number from the limit",
    "start": "when a time limit starts: the plain words of its anchor event",
    "stop": "what stops a duty's time: the plain words of the events that meet it",
    "extension": "how far a limit may be extended, and why: the extensions and their grounds",
    "opens": "when the next stage may be asked for without an answer: the move's own trigger",
    "early": "that asking before then is at the council's discretion: the move's own trigger",
    "anytime": "what may be done at any time: a move open from every open state",
    "anytime-list": "the moves open from every open state, each linked (`data-of` lists them)",
    "usual": "how long a step usually takes: its expected time",
    "optional": "whether a step happens only if you ask: the step and who takes it",
    "note": "where the documents disagree or leave it open: a note of the procedure",
    "staff": "a time limit without plain words, in the rules' own words",
    "aim": "that a time is what the council aims for, not a limit it must keep: a target",
    "route": "another body you can go to, and when: a route of the procedure",
}

# When a route is open, in the words a page fills `{when}` with.
ROUTE_OPENS = {
    "any-time": "at any time",
    "after-the-procedure": "once the council has given its final answer",
}

# How a conflict note names each side, and the page's words for it.
SIDES = {
    "council": "the council's own documents",
    "statute": "the law",
    "national-guide": "a national guide for children and young people",
    "code": "the Ombudsman's Complaint Handling Code",
}

# A source that records that a document says nothing on the point (`SI 2006/1738: no provision
# on withdrawal found`): it tells staff where the reading comes from, and is never cited on a
# public page as support for what the page says.
_ABSENCE = re.compile(r"^[^:]+:\s*no provision\b", re.I)


@dataclass(frozen=True)
class Statement:
    """One sentence of a page; `claim` (one of CLAIMS) and `of` (the id of the deadline, move,
    step or note) say what in the rules it states, None for words that state no time or right."""

    text: str
    claim: str | None = None
    of: str = ""
    sources: tuple[str, ...] = ()


def supports(source: str) -> bool:
    """Whether a source may be cited on a public page for what the page says."""
    return not _ABSENCE.match(source)


def sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def fill(text: str, values: Mapping[str, str]) -> str:
    """The plain words with each placeholder replaced by what the rules say."""
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return " ".join(text.split())


def said(procedure: CompiledProcedure, event: str) -> str | None:
    """`the day you ask for stage 2`: an event's plain words, None where it has none."""
    found = procedure.events.get(event)
    return found.plain.text.strip() if found is not None and found.plain else None


def anchor_phrase(procedure: CompiledProcedure, deadline: Deadline) -> str | None:
    """When the time starts, from the anchor event's plain words; None for a time counted back
    from a date, or an event with no plain words."""
    if deadline.before or not deadline.limit.stated:
        return None
    return said(procedure, deadline.anchor)


def stop_phrase(procedure: CompiledProcedure, deadline: Deadline) -> str | None:
    """What stops a duty's time, from the plain words of the events that meet it; None for a
    window (the complainant's own act, which its words name) or a time counted back."""
    if deadline.kind == "window" or deadline.before or not deadline.limit.stated:
        return None
    phrases = [p for p in (said(procedure, e) for e in deadline.met_by) if p]
    return joined(list(dict.fromkeys(phrases))) or None


def extension_grounds(deadline: Deadline) -> list[tuple[int, list[Extension]]]:
    """The grounds on which a limit may be lengthened, grouped by how far, shortest first.

    Read from what each extension's condition tests: one that tests the case's facts
    (`complex`) is a ground of its own; one the council records by an event is a ground of its
    own only where no fact-tested extension lengthens the limit as far, for otherwise it is how
    the council records one of those, and the grounds it is accepted on (`grounds:`) are those
    same extensions (tests/test_site_statements.py holds the two equal in every procedure).
    Every page and the calculator take the grounds from this."""
    groups: dict[int, list[Extension]] = {}
    for extension in deadline.extensions:
        amount = extension.maximum.amount or 0
        if amount > (deadline.limit.amount or 0):
            groups.setdefault(amount, []).append(extension)
    out = []
    for amount, extensions in sorted(groups.items()):
        tested = [e for e in extensions if e.when is not None]
        out.append((amount, tested or extensions))
    return out


def ground_words(extension: Extension) -> str:
    """An extension's ground in plain words (`your complaint is complicated`), else in the
    rules' own (the site names it among what has no plain words)."""
    text = extension.plain.text if extension.plain else (extension.description or extension.id)
    text = text.strip().rstrip(".")
    return text if extension.plain else text[:1].lower() + text[1:]


def ground_sources(extensions: Iterable[Extension]) -> tuple[str, ...]:
    return tuple(s for e in extensions for s in (e.plain.sources if e.plain else e.sources))


def deadline_statements(procedure: CompiledProcedure, deadline: Deadline) -> list[Statement]:
    """A time limit in plain words: `The council has 10 working days to answer you.`, when the
    time starts, what stops it, how far and why it may be extended, and the notes on it; in the
    rules' own words where it has no plain words."""
    of = deadline.id
    if deadline.plain is None:
        return [Statement(staff_time_sentence(procedure, deadline), "staff", of, deadline.sources)]
    plain = deadline.plain
    text = fill(plain.text, {LIMIT: str(deadline.limit)})
    out = [Statement(sentence(text), "limit", of, plain.sources)]
    start = anchor_phrase(procedure, deadline)
    if start:
        event = procedure.events[deadline.anchor]
        out.append(Statement(f"The time starts from {start}.", "start", of, _sources(event)))
    stop = stop_phrase(procedure, deadline)
    if stop:
        events = [procedure.events[e] for e in deadline.met_by if e in procedure.events]
        out.append(
            Statement(
                f"The time stops on {stop}.",
                "stop",
                of,
                tuple(s for e in events for s in _sources(e)),
            )
        )
    for amount, extensions in extension_grounds(deadline):
        longest = deadline.limit.with_amount(amount)
        reasons = list(dict.fromkeys(ground_words(e) for e in extensions))
        out.append(
            Statement(
                f"It can take up to {longest} if {joined(reasons)}.",
                "extension",
                of,
                ground_sources(extensions),
            )
        )
    if deadline.kind == "target":
        out.append(
            Statement(
                "This is what the council aims for. It is not a time limit the council must keep.",
                "aim",
                of,
                deadline.sources,
            )
        )
    return out + note_statements(procedure, (of,))


def route_statements(route: Route) -> list[Statement]:
    """Another body in plain words, `{when}` filled in from when it is open, and how to reach
    it; in the rules' own words where it has none."""
    opens = ROUTE_OPENS.get(route.open, route.open)
    if route.plain is not None:
        text = sentence(fill(route.plain.text, {WHEN: opens}))
        out = [Statement(text, "route", route.id, route.plain.sources)]
    else:
        words = f"You can go to {route.body} {opens}"
        out = [Statement(sentence(words), "route", route.id, route.sources)]
    if route.contact:
        out.append(Statement(f"How to contact {route.body}: {route.contact}", None, route.id))
    return out


def rule_statements(rule: Rule) -> list[Statement]:
    """What an eligibility rule means for the complainant, where it has plain words."""
    if rule.plain is None:
        return []
    return [Statement(sentence(rule.plain.text), None, rule.id, rule.plain.sources)]


def _sources(item: object) -> tuple[str, ...]:
    plain = getattr(item, "plain", None)
    return plain.sources if plain is not None else ()


def staff_time_sentence(procedure: CompiledProcedure, deadline: Deadline) -> str:
    """A deadline with no plain words, in the procedure's own: shown rather than left out."""
    event = procedure.events.get(deadline.anchor)
    if not deadline.limit.stated:
        return f"{deadline.title}: {deadline.limit}."
    if deadline.before:
        return f"{deadline.title}: {deadline.span} before the {deadline.anchor_field or 'date'}."
    start = event.description.rstrip(".").lower() if event else deadline.anchor
    return f"{deadline.title}: {deadline.span}, counting from when {start}."


def move_statements(procedure: CompiledProcedure, move: Transition) -> list[Statement]:
    """A move in plain words, the time it opens filled in from its own trigger, and the notes on
    it: `... you can ask for stage 2 straight away.`, or `... once 20 working days have passed,
    counted from the day the council gets your complaint.` and that asking sooner is up to the
    council."""
    if move.plain is None:
        return []
    of = f"{move.source}/{move.event}"
    guard = procedure.deadlines.get(move.when_overdue or "")
    opens, early = _opens(procedure, move, guard)
    claim = "opens" if guard is not None else ("anytime" if WHEN in move.plain.text else None)
    text = fill(move.plain.text, {OPENS: opens, WHEN: "at any time"})
    out = [Statement(sentence(text), claim, of, move.plain.sources)]
    if early:
        out.append(Statement(early, "early", of, move.sources))
    return out + note_statements(procedure, (move.event,))


def _opens(
    procedure: CompiledProcedure, move: Transition, guard: Deadline | None
) -> tuple[str, str]:
    """When a move allowed once a duty is overdue opens, and what asking before then means."""
    if guard is None:
        return "", ""
    if move.overdue_after is None:  # the duty's own due date, its extensions included, opens it
        return "straight away", ""
    start = said(procedure, guard.anchor) or "the day the time starts"
    passed = "has" if move.overdue_after.amount == 1 else "have"
    opens = f"once {move.overdue_after} {passed} passed, counted from {start}"
    return opens, "If you ask before then, it is up to the council whether to accept your request."


def step_statements(procedure: CompiledProcedure, step: Step) -> list[Statement]:
    """A step's plain words, with how long it usually takes filled in."""
    if step.plain is None:
        return []
    within = str(step.expected_within) if step.expected_within else ""
    claim = "usual" if WITHIN in step.plain.text else None
    text = fill(step.plain.text, {WITHIN: within})
    return [Statement(text, claim, f"{step.stage}/{step.id}", step.plain.sources)]


def usual_statement(step: Step) -> Statement | None:
    if step.expected_within is None:
        return None
    return Statement(
        f"This usually takes up to {step.expected_within}; no time limit is set.",
        "usual",
        f"{step.stage}/{step.id}",
        step.sources,
    )


def optional_statement(step: Step) -> Statement | None:
    """Who makes an optional step happen: the complainant by asking, else the council's offer."""
    if not step.optional:
        return None
    text = (
        "This step only happens if you ask for it."
        if step.actor == "complainant"
        else "This step does not always happen: the council may offer it."
    )
    return Statement(text, "optional", f"{step.stage}/{step.id}", step.sources)


def note_statements(procedure: CompiledProcedure, concerned: Iterable[str]) -> list[Statement]:
    """What the notes on these deadlines, moves or steps tell a reader: each conflict, worded
    by what disagrees and which the procedure follows; an uncertain note's plain words."""
    ids = set(concerned)
    out = []
    for note in procedure.notes:
        if not ids & set(note.concerns):
            continue
        if note.kind == "conflict":  # its sources name both sides: the staff page gives them
            out.append(Statement(conflict_words(note), "note", note.id))
        elif note.plain is not None:
            out.append(Statement(sentence(note.plain.text), "note", note.id, note.plain.sources))
    return out


def conflict_words(note: Note) -> str:
    """`The council's own documents and the law do not say the same about this. This page follows
    the council's own documents; the page for staff says why.`"""
    sides = [SIDES.get(side, side) for side in note.between] or [SIDES["council"]]
    if list(note.between) in ([], ["council"]):
        differ = f"{sides[0]} do not all say the same about this"
        follows = "one of them; the page for staff says which, and why"
    else:
        differ = f"{joined(sides, 'and')} do not say the same about this"
        follows = f"{SIDES.get(note.follows or '', 'one of them')}; the page for staff says why"
    return f"{differ[:1].upper()}{differ[1:]}. This page follows {follows}."
