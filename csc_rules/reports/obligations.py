"""What conformance checks beyond the deadlines: the grounds on which a limit may be extended,
who must receive what a duty sends, a duty counted from an event the records may lack, and a
settlement that ends a case while a duty that answers an earlier one is still owed. Each finding
is made, located and cited as `conformance` makes the others."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..diagnostics import WARNING
from ..language.chains import bound, bound_from
from ..language.model import Cited, Deadline, Extension, Parts, Transition
from ..language.reach import allowed_after
from .conformance import (
    CONFORMS,
    STRICTER,
    WARNING_KIND,
    Finding,
    Locate,
    cited,
)


def beyond_deadlines(
    procedure: Parts, baseline: Parts, authority: str, locate: Locate, in_force: bool
) -> list[Finding]:
    """Every finding of this module on `procedure` measured against `baseline`; what compares
    the two only where the baseline binds it (is in force)."""
    findings = []
    if in_force:
        for law in baseline.deadlines.values():
            here = procedure.deadlines.get(law.id)
            if here is None or here.kind != law.kind:
                continue
            findings += grounds(here, law, authority, locate)
            findings += recipients(here, law, authority, locate)
    findings += implied_anchors(procedure, baseline, authority, locate)
    if in_force:
        findings += settlements(procedure, baseline, authority, locate)
    return findings


# -- the grounds of an extension -------------------------------------------------------------------


def _named(grounds: tuple[Cited, ...] | None) -> str:
    return "any ground" if grounds is None else ", ".join(g.id for g in grounds)


def grounds(here: Deadline, law: Deadline, authority: str, locate: Locate) -> list[Finding]:
    """Each of the baseline's extensions of `law` against the council's: a recorded one by the
    grounds it may be recorded on, one the case's facts bring by whether the council has it."""
    findings = []
    for extension in law.extensions:
        name = f"{law.id}/{extension.id}"
        if extension.event is None:
            if not any(e.id == extension.id for e in here.extensions):
                findings.append(
                    Finding(
                        name,
                        STRICTER,
                        "extension-grounds",
                        f"the council does not extend `{law.id}` by this extension ({extension.description or extension.id}); {authority} does, up to {extension.maximum}",
                        "none",
                        f"up to {extension.maximum}",
                        None,
                        sources=cited(here.sources, extension.sources),
                    )
                )
            continue
        own = next((e for e in here.extensions if e.event == extension.event), None)
        findings.append(_recorded(name, here, law, extension, own, authority, locate))
    return findings


def _ground_sources(extension: Extension | None) -> tuple[str, ...]:
    if extension is None:
        return ()
    if extension.grounds is None:
        return extension.sources
    return cited(*(g.sources for g in extension.grounds))


def _recorded(
    name: str,
    here: Deadline,
    law: Deadline,
    extension: Extension,
    own: Extension | None,
    authority: str,
    locate: Locate,
) -> Finding:
    """A recorded extension of the baseline's against the council's that the same event makes."""
    statute = f"when `{extension.event}` is recorded, on {_named(extension.grounds)}"
    sources = cited(_ground_sources(own) or here.sources, _ground_sources(extension))
    if own is None:
        message = f"the council records no extension of `{law.id}`; {authority} allows one on {_named(extension.grounds)}"
        return Finding(
            name, STRICTER, "extension-grounds", message, "none", statute, None, None, sources
        )
    council = f"when `{own.event}` is recorded, on {_named(own.grounds)}"
    allowed = None if extension.grounds is None else {g.id for g in extension.grounds}
    given = None if own.grounds is None else {g.id for g in own.grounds}
    at = ("duties", law.id, "extensions", own.id)
    if allowed is not None and given is None:
        message = f"a recorded extension counts on any ground; {authority} gives one only for {_named(extension.grounds)}"
        where = locate(at, "extension-grounds", WARNING)
        return Finding(
            name, WARNING_KIND, "extension-grounds", message, council, statute, None, where, sources
        )
    extra = sorted(given - allowed) if given is not None and allowed is not None else []
    if extra:
        message = f"a recorded extension counts for {', '.join(extra)}, which {authority} does not give (it gives {_named(extension.grounds)})"
        where = locate(at + ("grounds", extra[0]), "extension-grounds", WARNING)
        return Finding(
            name, WARNING_KIND, "extension-grounds", message, council, statute, None, where, sources
        )
    if given == allowed:
        message = (
            f"recorded extensions count on the same grounds as {authority}: {_named(own.grounds)}"
        )
        return Finding(
            name, CONFORMS, "extension-grounds", message, council, statute, None, None, sources
        )
    if allowed is None:
        message = f"recorded extensions count only for {_named(own.grounds)}; {authority} allows them on any ground"
    else:
        fewer = ", ".join(sorted(allowed - (given or set())))
        message = f"recorded extensions count only for {_named(own.grounds)}; {authority} also allows {fewer}"
    return Finding(
        name, STRICTER, "extension-grounds", message, council, statute, None, None, sources
    )


# -- who receives what a duty sends ----------------------------------------------------------------


def recipients(here: Deadline, law: Deadline, authority: str, locate: Locate) -> list[Finding]:
    """Who the council's duty sends to, against who the baseline's must reach."""
    if law.recipients is None or here.recipients is None:
        return []
    name = f"{law.id} recipients"
    given = {r.id: r for r in here.recipients}
    council = "; ".join(
        f"{r.id}{f' ({r.description})' if r.description else ''}" for r in here.recipients
    )
    statute = ", ".join(r.id for r in law.recipients)
    sources = cited(*(r.sources for r in here.recipients), *(r.sources for r in law.recipients))
    missing = [r.id for r in law.recipients if r.id not in given]
    met = ", ".join(f"`{m}`" for m in law.met_by)
    if not missing:
        message = f"{met} reaches {statute}, as {authority} requires"
        return [
            Finding(
                name, CONFORMS, "report-recipient", message, council, statute, None, None, sources
            )
        ]
    message = f"{met} goes to {', '.join(given)} only; {authority} has it sent to {', '.join(missing)} as well, within the same limit"
    where = locate(("duties", law.id, "recipients"), "report-recipient", WARNING)
    return [
        Finding(
            name, WARNING_KIND, "report-recipient", message, council, statute, None, where, sources
        )
    ]


# -- a duty counted from an event the records may lack ---------------------------------------------


def implied_anchors(
    procedure: Parts, baseline: Parts, authority: str, locate: Locate
) -> list[Finding]:
    """Each duty counted from an event the records may lack (an `implied` event): when it is not
    recorded, replay times the duty by the chain of limits from the last event recorded before
    it (the baseline's chain where the procedure's own gives none), if anything bounds it."""
    findings = []
    recorded = [e.id for e in procedure.events.values() if e.implied is None]
    for here in procedure.deadlines.values():
        event = procedure.events.get(here.anchor)
        if here.kind != "duty" or event is None or event.implied is None:
            continue
        for end in here.met_by:
            message, worst = _unrecorded_anchor(procedure, baseline, here, end, recorded, authority)
            findings.append(
                Finding(
                    f"{here.id} from {here.anchor}",
                    WARNING_KIND,
                    "implied-anchor",
                    message,
                    f"{here.limit} from {here.anchor}, which the records may lack",
                    _statute_chain(baseline, end),
                    worst,
                    locate(("duties", here.id, "anchor"), "implied-anchor", WARNING),
                    cited(here.sources, event.implied.sources),
                )
            )
    return findings


def _statute_chain(baseline: Parts, end: str) -> str:
    chain = _longest_chain(baseline.deadlines.values(), end)
    return "none" if chain is None else f"{chain[0]} working days from {chain[1]} to {end}"


def _longest_chain(deadlines: Iterable[Deadline], end: str) -> tuple[int, str] | None:
    """The baseline's whole chain to `end`: the most working days it allows from the earliest
    event it counts `end` from, and that event."""
    deadlines = list(deadlines)
    chains = [
        (days, d.anchor) for d in deadlines if (days := bound(deadlines, d.anchor, end)) is not None
    ]
    return max(chains, default=None, key=lambda chain: chain[0])


def _unrecorded_anchor(
    procedure: Parts,
    baseline: Parts,
    here: Deadline,
    end: str,
    recorded: list[str],
    authority: str,
) -> tuple[str, int | None]:
    """The message for a duty counted from an implied event, and how many working days its
    worst case is past the baseline's, if both are bounded."""
    deadlines = list(procedure.deadlines.values())
    start = f"`{here.id}` counts from `{here.anchor}`, which the records may lack"
    if here.before:
        return (
            f"{start}; when it is not recorded, the duty cannot be timed: it counts back from the `{here.anchor_field}` that event gives",
            None,
        )
    # the recorded events a chain of duties runs from, through the anchor, to `end`
    roots = [
        (days, root)
        for root in recorded
        if root not in (end, here.anchor)
        and (into := bound_from(deadlines, root, here.anchor)) is not None
        and into[1] == root
        and (days := bound(deadlines, root, end)) is not None
    ]
    if not roots:
        law = _longest_chain(baseline.deadlines.values(), end)
        if law is None:
            return f"{start}; when it is not recorded, nothing bounds when `{end}` may come", None
        return (
            f"{start}, and nothing recorded in the procedure bounds when `{end}` may come; when it is not recorded, replay holds `{end}` to the {law[0]} working days from `{law[1]}` that {authority} allows",
            None,
        )
    worst, root = min(roots)
    allowed = bound(baseline.deadlines.values(), root, end)
    said = f"{start}; when it is not recorded, replay times it by the chain of limits before it: `{end}` is late only once it comes more than {worst} working days after `{root}`, the most the duties before it and this one allow together"
    if allowed is None or worst <= allowed:
        return said, None
    return (
        f"{said}, {worst - allowed} more than the {allowed} that {authority} allows",
        worst - allowed,
    )


# -- a settlement while a duty answering an earlier one is owed ------------------------------------


def owed(parts: Parts) -> dict[str, frozenset[str]]:
    """The duties still owed in each state however a case reaches it: started on every way in
    and met on none (moves open at any time, such as a withdrawal, are left out)."""
    duties = [d for d in parts.deadlines.values() if d.kind == "duty"]
    starts = {e: frozenset(d.id for d in duties if d.anchor == e) for e in parts.events}
    meets = {e: frozenset(d.id for d in duties if e in d.met_by) for e in parts.events}
    found: dict[str, frozenset[str]] = {
        parts.start_state: starts.get(parts.start_event, frozenset())
    }
    moves = [t for t in parts.transitions if not t.anytime]
    changed = True
    while changed:  # the sets only shrink once set, so this ends
        changed = False
        for move in moves:
            before = found.get(move.source)
            if before is None:
                continue
            after = (before - meets.get(move.event, frozenset())) | starts.get(
                move.event, frozenset()
            )
            current = found.get(move.target)
            new = after if current is None else current & after
            if new != current:
                found[move.target], changed = new, True
    return found


def settlements(procedure: Parts, baseline: Parts, authority: str, locate: Locate) -> list[Finding]:
    """A move that ends the case (a settlement) while a duty of the baseline is still owed that
    answers what an earlier duty produced (a panel's report, the council's response to it) and the
    state it ends in allows nothing that meets it, so the ending cancels it."""
    duties = {d.id: d for d in procedure.deadlines.values() if d.kind == "duty"}
    answering = {
        d.id: prior
        for d in duties.values()
        if d.id in baseline.deadlines
        and (
            prior := next(
                (o for o in duties.values() if o.id != d.id and d.anchor in o.met_by), None
            )
        )
        is not None
    }
    open_in = owed(procedure)
    allowed = allowed_after(procedure.states, procedure.transitions)
    findings = []
    for move in procedure.transitions:
        target = procedure.states.get(move.target)
        if move.anytime or target is None or target.end is None:
            continue
        cut = [
            d
            for d in open_in.get(move.source, frozenset())
            if d in answering
            and move.event not in duties[d].met_by
            and not allowed.get(move.target, frozenset()).intersection(duties[d].met_by)
        ]
        if not cut:
            continue
        findings.append(_settlement(move, sorted(cut), duties, answering, authority, locate))
    return findings


def _settlement(
    move: Transition,
    cut: list[str],
    duties: Mapping[str, Deadline],
    answering: Mapping[str, Deadline],
    authority: str,
    locate: Locate,
) -> Finding:
    owes = ", ".join(
        f"`{d}` (counted from `{duties[d].anchor}`, once `{answering[d].id}` is done)" for d in cut
    )
    them, are = ("it", "is") if len(cut) == 1 else ("them", "are")
    message = f"`{move.event}` may end the case in `{move.source}` while {owes} {are} still owed, answering what an earlier duty produced: the case can end without {them}, though {authority} names no exception for a settlement"
    sources: Any = cited(move.sources, *(duties[d].sources for d in cut))
    return Finding(
        f"{move.event} in {move.source}",
        WARNING_KIND,
        "settlement-cancels-duty",
        message,
        f"`{move.event}` ends the case, {', '.join(cut)} still owed",
        f"{', '.join(cut)} owed until met",
        None,
        locate(
            ("states", move.source, "transitions", move.event), "settlement-cancels-duty", WARNING
        ),
        sources,
    )
