"""Does a council's procedure meet the statute it extends? Deadline by deadline, with worst cases
worked out from the duties themselves, not guessed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..language.chains import bound, bound_from
from ..language.model import Deadline, Limit, Parts, Transition

if TYPE_CHECKING:
    from ..reading.inheritance import Resolved

ERROR_KIND, WARNING_KIND, STRICTER, CONFORMS, ADDED, GENEROUS, NOT_IN_FORCE = (
    "error",
    "warning",
    "stricter",
    "conforms",
    "added",
    "more generous",
    "not in force",
)


@dataclass(frozen=True)
class Finding:
    deadline: str
    kind: str  # error, warning, stricter, more generous, conforms, added
    code: str
    message: str
    council: str
    statute: str
    # worst-case working days later than the statute allows; None if unbounded or not a comparison
    difference: int | None
    where: Diagnostic | None = None  # the YAML line concerned
    sources: tuple[str, ...] = ()  # the council's sources for what is found, then the baseline's

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "deadline": self.deadline,
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "council": self.council,
            "statute": self.statute,
            "difference_working_days": self.difference,
            "sources": list(self.sources),
        }
        if self.where is not None:
            data.update(
                path=self.where.path,
                line=self.where.line,
                column=self.where.column,
                yaml_path=self.where.yaml_path,
            )
        return data


@dataclass(frozen=True)
class Report:
    procedure: str
    baseline: str
    findings: tuple[Finding, ...]
    conflicts: tuple[tuple[str, str, str], ...]  # (concerns, description, binding)
    version: str = ""

    @property
    def verdict(self) -> str:
        """Why the procedure is not conformant, in one line; empty when it is."""
        errors = [f for f in self.findings if f.kind == ERROR_KIND]
        if not errors:
            return ""
        reasons = "; ".join(f"`{f.deadline}`: {f.message}" for f in errors)
        return f"{self.procedure} is not conformant: {reasons}"

    @property
    def conformant(self) -> bool:
        return not any(f.kind == ERROR_KIND for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "version": self.version,
            "baseline": self.baseline,
            "conformant": self.conformant,
            "verdict": self.verdict or None,
            "findings": [f.to_json() for f in self.findings],
            "conflicts": [
                {"concerns": c, "description": d, "binding": b} for c, d, b in self.conflicts
            ],
        }


class Locate(Protocol):
    """Where the value at `path` (a path in the definition language, such as
    `("duties", "<id>", "limit", "amount")`) was written, as a diagnostic with `code`
    and `severity`; None where nothing records it (a compiled procedure has no YAML lines)."""

    def __call__(self, path: tuple[Any, ...], code: str, severity: str) -> Diagnostic | None: ...


def unlocated(path: tuple[Any, ...], code: str, severity: str) -> Diagnostic | None:
    """No locations, for a procedure that was not read from YAML."""
    return None


def locations(procedure: Resolved) -> Locate:
    """Findings located in the YAML of `procedure`: at the line where the value concerned was
    written (in the council's file or the baseline it inherits from), and for a deadline the
    procedure does not have, at the `remove:` entry that took it out."""

    def locate(path: tuple[Any, ...], code: str, severity: str) -> Diagnostic:
        if len(path) == 2 and path[1] not in procedure.data.get(path[0], {}):
            own = procedure.chain[-1]
            removals = own.data.get("remove", []) or []
            index = next((i for i, r in enumerate(removals) if r.get("id") == path[1]), None)
            return own.diagnostic(
                ("remove", index) if index is not None else (), code, "", severity=severity
            )
        return procedure.diagnostic(path, code, "", severity=severity)

    return locate


def cited(*groups: Iterable[str]) -> tuple[str, ...]:
    """The sources of a finding, in order, each once: the council's first, then the baseline's."""
    return tuple(dict.fromkeys(source for group in groups for source in group))


def _at(deadline: Deadline) -> tuple[str, str]:
    """Where a deadline is written in a definition."""
    return ("duties" if deadline.kind == "duty" else "windows", deadline.id)


def _working_days(limit: Limit) -> int | None:
    """The amount of a limit in working days; None in another unit or with none stated."""
    return limit.amount if limit.stated and limit.unit == "working-days" else None


def _text(deadline: Deadline | None, *, extended: bool = True) -> str:
    """`10 (up to 20) working days from <anchor> to <the events that meet it>`; with
    `extended=False`, the limit alone, before any extension."""
    if deadline is None:
        return "none"
    if not deadline.limit.stated:
        return str(deadline.limit)
    direction = f"before {deadline.anchor_field} of" if deadline.before else "from"
    met = ", ".join(deadline.met_by)
    span = deadline.span if extended else f"{deadline.limit}, before any extension,"
    return f"{span} {direction} {deadline.anchor} to {met}"


def check(procedure: Parts, baseline: Parts, locate: Locate = unlocated) -> Report:
    """`procedure` measured against `baseline`: its deadlines, the moves a complainant may make,
    and the rules that take a complaint out of the procedure; `locate` places each error and
    warning where the YAML says what is wrong (see `locations`)."""
    # how findings name what the procedure is measured against
    authority = "the statute" if baseline.kind == "statutory" else "the baseline"
    findings: list[Finding] = []
    # A baseline that took effect after this version (a code that came later) binds it in
    # nothing; what it inherits from it regardless is flagged.
    in_force = baseline.effective <= procedure.effective
    for kind in ("duty", "window"):
        statutory = {k: d for k, d in baseline.deadlines.items() if d.kind == kind}
        own = {k: d for k, d in procedure.deadlines.items() if d.kind == kind}
        for deadline_id, law in statutory.items():
            here = own.get(deadline_id)
            if not in_force:
                findings.append(_not_in_force(procedure, baseline, law, here, locate))
                continue
            findings.append(_compare(procedure, baseline, law, here, authority, locate))
            unextended = _unextended(procedure, baseline, law, here, authority, locate)
            if unextended is not None:
                findings.append(unextended)
        for deadline_id, here in own.items():
            if deadline_id not in statutory:
                findings.append(
                    Finding(
                        deadline_id,
                        ADDED,
                        "added",
                        f"the council adds this; {authority} has no such limit",
                        _text(here),
                        "none",
                        None,
                        sources=here.sources,
                    )
                )
    if in_force:
        findings.extend(_moves(procedure, baseline, authority, locate))
    if baseline.kind == "statutory":
        findings.extend(_cut_offs(procedure, baseline, locate))
    from .obligations import beyond_deadlines  # it builds on this module's findings

    findings.extend(beyond_deadlines(procedure, baseline, authority, locate, in_force))
    conflicts = tuple(
        (", ".join(n.concerns), n.description, n.binding or "")
        for n in procedure.notes
        if n.kind == "conflict"
    )
    return Report(procedure.id, baseline.id, tuple(findings), conflicts, procedure.version)


def _not_in_force(
    procedure: Parts, baseline: Parts, law: Deadline, here: Deadline | None, locate: Locate
) -> Finding:
    """A deadline of a baseline that took effect after `procedure` did."""
    when = f"{baseline.id} applies from {baseline.effective.isoformat()}, after this version took effect on {procedure.effective.isoformat()}"
    if here is None:
        return Finding(
            law.id,
            NOT_IN_FORCE,
            "not-in-force",
            f"not required: {when}",
            "none",
            _text(law),
            None,
            sources=law.sources,
        )
    if here == law:  # inherited as it is
        return Finding(
            law.id,
            WARNING_KIND,
            "inherited-before-in-force",
            f"inherited from the baseline though {when}: state it with the council's own source, or remove it",
            _text(here),
            _text(law),
            None,
            locate(_at(law), "inherited-before-in-force", WARNING),
            law.sources,
        )
    return Finding(
        law.id,
        NOT_IN_FORCE,
        "not-in-force",
        f"the council's own; {when}",
        _text(here),
        _text(law),
        None,
        sources=cited(here.sources, law.sources),
    )


def _opening(transition: Transition, deadlines: Mapping[str, Deadline]) -> tuple[int, int] | None:
    """The working days after its duty starts that a guarded move opens: (at the soonest, at
    the latest, as extensions allow); None where it cannot be counted in working days."""
    if transition.overdue_after is not None:
        days = _working_days(transition.overdue_after)
        return None if days is None else (days, days)
    duty = deadlines.get(transition.when_overdue or "")
    if duty is None:
        return None
    soonest, latest = _working_days(duty.limit), _working_days(duty.longest)
    return None if soonest is None or latest is None else (soonest, latest)


def _moves(procedure: Parts, baseline: Parts, authority: str, locate: Locate) -> list[Finding]:
    """Moves the baseline gives that the procedure takes away, gates or opens later."""
    own = {(t.source, t.event): t for t in procedure.transitions}
    findings = []
    for law in baseline.transitions:
        if law.anytime or law.source not in procedure.states:
            continue
        here = own.get((law.source, law.event))
        name = f"{law.event} in {law.source}"
        at = ("states", law.source, "transitions", law.event)
        recorded = procedure.events.get(law.event)
        if here is None and recorded is not None and recorded.records_extension:
            continue  # an extension the council does not give: its grounds are compared instead
        if here is None:
            findings.append(
                Finding(
                    name,
                    WARNING_KIND,
                    "move-removed",
                    f"{authority} allows `{law.event}` in `{law.source}` and the procedure does not",
                    "not allowed",
                    "allowed",
                    None,
                    locate(("states", law.source), "move-removed", WARNING),
                    law.sources,
                )
            )
            continue
        if not here.when_overdue:
            continue
        if not law.when_overdue:
            findings.append(
                Finding(
                    name,
                    WARNING_KIND,
                    "move-gated",
                    f"`{law.event}` is allowed only once {here.guard_words()}; {authority} allows it at once",
                    f"once {here.guard_words()}",
                    "at once",
                    None,
                    locate(at + ("when_overdue",), "move-gated", WARNING),
                    cited(here.sources, law.sources),
                )
            )
            continue
        opens_here = _opening(here, procedure.deadlines)
        opens_law = _opening(law, baseline.deadlines)
        if opens_here is None or opens_law is None:
            continue
        # soonest against soonest, latest against latest (both as extensions allow)
        later = max(opens_here[0] - opens_law[0], opens_here[1] - opens_law[1])
        if later <= 0:
            continue
        span = (
            f"{opens_law[0]} working days"
            if opens_law[0] == opens_law[1]
            else f"{opens_law[0]} working days ({opens_law[1]} if extended)"
        )
        findings.append(
            Finding(
                name,
                WARNING_KIND,
                "move-delayed",
                f"`{law.event}` opens only once {here.guard_words()}, up to {later} working days after {authority} opens it, when `{law.when_overdue}` is overdue after {span}",
                f"once {here.guard_words()}",
                f"once {law.guard_words()} ({span})",
                later,
                locate(
                    at + (("overdue_after",) if here.overdue_after else ("when_overdue",)),
                    "move-delayed",
                    WARNING,
                ),
                cited(here.sources, law.sources),
            )
        )
    return findings


def _cut_offs(procedure: Parts, baseline: Parts, locate: Locate) -> list[Finding]:
    """Rules that take a complaint out of the statutory procedure, or stop its clocks, on no
    statutory authority: one that cites none of the documents the baseline rests on."""
    authorities = {source.split(":", 1)[0] for source in baseline.sources}
    findings = []
    for rule in procedure.rules:
        takes_out = rule.decision in ("redirect", "ineligible")
        if not (takes_out or rule.stop):
            continue
        cited = {source.split(":", 1)[0] for source in rule.sources}
        if cited & authorities:
            continue
        what = (
            f"sends the complaint to {rule.route}, stopping every clock"
            if rule.decision == "redirect"
            else "makes the complaint ineligible"
            if rule.decision == "ineligible"
            else "stops the other rules"
        )
        findings.append(
            Finding(
                rule.id,
                WARNING_KIND,
                "no-statutory-basis",
                f"rule `{rule.id}` {what}, on the council's own documents alone ({', '.join(sorted(cited))}): it cites no statutory basis",
                f"{rule.decision}{f' to {rule.route}' if rule.route else ''}",
                "no such rule",
                None,
                locate(("rules", rule.id, "decision"), "no-statutory-basis", WARNING),
                rule.sources,
            )
        )
    return findings


def _compare(
    procedure: Parts,
    baseline: Parts,
    law: Deadline,
    here: Deadline | None,
    authority: str,
    locate: Locate,
) -> Finding:
    """The procedure's deadline (`here`) measured against the baseline's of the same id (`law`):
    its extensions' cap, then how it is counted, then its limits day for day."""
    if here is None:
        return Finding(
            law.id,
            ERROR_KIND,
            "missing-duty",
            f"{authority} requires this and the procedure does not have it",
            "none",
            _text(law),
            None,
            locate(_at(law), "missing-duty", ERROR),
            law.sources,
        )
    pair = _Pair(procedure, baseline, law, here, authority, locate)
    capped = _beyond_the_cap(pair)
    if capped is not None:
        return capped
    same_shape = (
        here.anchor == law.anchor
        and set(here.met_by) == set(law.met_by)
        and here.before == law.before
    )
    return _limits(pair) if same_shape else _different_anchor(pair)


@dataclass(frozen=True)
class _Pair:
    """A deadline of the baseline (`law`) and the procedure's own of the same id (`here`)."""

    procedure: Parts
    baseline: Parts
    law: Deadline
    here: Deadline
    authority: str
    locate: Locate

    def finding(
        self,
        kind: str,
        code: str,
        message: str,
        difference: int | None = None,
        path: tuple[Any, ...] | None = None,
    ) -> Finding:
        """A finding on the pair, located (for an error or a warning) at `path` within the
        deadline's definition."""
        severity = ERROR if kind == ERROR_KIND else WARNING
        where = None if path is None else self.locate(_at(self.law) + path, code, severity)
        here, law = _text(self.here), _text(self.law)
        sources = cited(self.here.sources, self.law.sources)
        return Finding(self.law.id, kind, code, message, here, law, difference, where, sources)


def _beyond_the_cap(pair: _Pair) -> Finding | None:
    """An extension's maximum is a cap whatever the limit counts from: beyond the baseline's is
    a breach."""
    cap_here, cap_law = pair.here.longest_extension, pair.law.longest_extension
    if cap_here is None or cap_law is None or pair.law.kind != "duty":
        return None
    most_here, most_law = _working_days(cap_here.maximum), _working_days(cap_law.maximum)
    if most_here is None or most_law is None or most_here <= most_law:
        return None
    return pair.finding(
        ERROR_KIND,
        "maximum-breach",
        f"extensions can take it to {cap_here.maximum}, beyond the maximum of {most_law} that {pair.authority} allows",
        most_here - most_law,
        ("extensions", cap_here.id, "maximum", "amount"),
    )


def _limits(pair: _Pair) -> Finding:
    """Two deadlines counted alike, compared day for day: the limits, then the longest that
    extensions allow."""
    here, law, authority = pair.here, pair.law, pair.authority
    base_here, base_law = here.limit.amount, law.limit.amount
    if here.limit.unit != law.limit.unit or base_here is None or base_law is None:
        return pair.finding(
            WARNING_KIND,
            "different-unit",
            "the limit is in another unit, or not stated, so it cannot be compared day for day",
            path=("limit",),
        )
    longest_here, longest_law = _working_days(here.longest), _working_days(law.longest)
    window = law.kind != "duty"
    # For a duty, longer is worse for the complainant; for a window, shorter is.
    if (base_here < base_law) if window else (base_here > base_law):
        return pair.finding(
            ERROR_KIND,
            "limit-breach",
            f"the limit of {here.limit} is {'shorter' if window else 'longer'} than the {base_law} that {authority} allows",
            None if window or _working_days(here.limit) is None else base_here - base_law,
            ("limit", "amount"),
        )
    if (
        longest_here is not None
        and longest_law is not None
        and not window
        and longest_here > longest_law
    ):
        extension = here.longest_extension
        culprit = ("extensions", extension.id, "maximum", "amount") if extension else ()
        return pair.finding(
            ERROR_KIND,
            "maximum-breach",
            f"extensions can take it to {here.longest}, beyond the maximum of {longest_law} that {authority} allows",
            longest_here - longest_law,
            culprit,
        )
    if (base_here, longest_here) == (base_law, longest_law):
        return pair.finding(CONFORMS, "conforms", f"the same as {authority}", 0)
    if window:
        better = base_here > base_law
        message = f"gives the complainant longer than {authority} does"
        return pair.finding(GENEROUS if better else CONFORMS, "more-generous", message)
    better = base_here < base_law or (longest_here or 0) < (longest_law or 0)
    return pair.finding(STRICTER if better else CONFORMS, "stricter", f"tighter than {authority}")


def _worst_case(
    procedure: Parts, baseline: Parts, law: Deadline, authority: str, *, extended: bool = True
) -> tuple[str, int] | None:
    """Where the procedure lets an event that meets `law` come later than the statute allows,
    measured over the statute's whole chain (from the earliest event it counts that event
    from, such as the request that opens a stage): the message and the working days over.
    With `extended=False`, both count every limit before any extension."""
    anchors = dict.fromkeys(d.anchor for d in baseline.deadlines.values())
    before = "" if extended else "before any extension, "
    for end in law.met_by:
        chains = [
            (allowed, a)
            for a in anchors
            if (allowed := bound(baseline.deadlines.values(), a, end, extended=extended))
            is not None
        ]
        if not chains:
            continue
        allowed, root = max(chains, key=lambda chain: chain[0])
        actual = bound(procedure.deadlines.values(), root, end, extended=extended)
        if actual is not None and actual > allowed:
            return (
                f"{before}in the worst case `{end}` may come {actual} working days after `{root}`, {actual - allowed} more than the {allowed} that {authority} allows",
                actual - allowed,
            )
    return None


def _unextended(
    procedure: Parts,
    baseline: Parts,
    law: Deadline,
    here: Deadline | None,
    authority: str,
    locate: Locate,
) -> Finding | None:
    """A duty counted differently from the baseline's, measured against the baseline's limits
    before any extension (a code's 10 working days from the acknowledgement, not the 20 an
    extension allows): beyond them over the baseline's whole chain is an error; beyond them from
    the baseline's own start, a warning. Counted alike, its limit is compared day for day
    already."""
    if here is None or law.kind != "duty" or law.longest_extension is None:
        return None
    if here.anchor == law.anchor and set(here.met_by) == set(law.met_by):
        return None
    name, at = (
        f"{law.id} unextended",
        _at(law) + (("anchor",) if here.anchor != law.anchor else ("met_by",)),
    )
    texts = (_text(here, extended=False), _text(law, extended=False))
    sources = cited(here.sources, law.sources)
    breach = _worst_case(procedure, baseline, law, authority, extended=False)
    if breach is not None:
        message, worst = breach
        where = locate(at, "unextended-breach", ERROR)
        return Finding(
            name, ERROR_KIND, "unextended-breach", message, *texts, worst, where, sources
        )
    for end in law.met_by:
        allowed = bound(baseline.deadlines.values(), law.anchor, end, extended=False)
        found = bound_from(procedure.deadlines.values(), law.anchor, end, extended=False)
        if allowed is None or found is None or found[0] <= allowed:
            continue
        actual, root = found
        via = f" (if `{law.anchor}` comes the day of `{root}`)" if root != law.anchor else ""
        cover = (
            "unless it is extended"
            if here.longest_extension is not None
            else "and the procedure has no extension to cover them"
        )
        message = f"before any extension, in the worst case `{end}` may come {actual} working days after `{law.anchor}`{via}, {actual - allowed} more than the {allowed} that {authority} allows, {cover}"
        where = locate(at, "unextended-limit", WARNING)
        return Finding(
            name,
            WARNING_KIND,
            "unextended-limit",
            message,
            *texts,
            actual - allowed,
            where,
            sources,
        )
    return None


def _different_anchor(pair: _Pair) -> Finding:
    """A deadline counted from another event, or met by others, than the baseline's: compared
    by the worst case each allows."""
    here, law, authority = pair.here, pair.law, pair.authority
    start = law.anchor
    moved = ("anchor",) if here.anchor != law.anchor else ("met_by",)
    breach = _worst_case(pair.procedure, pair.baseline, law, authority)
    if breach is not None:
        message, worst = breach
        return pair.finding(ERROR_KIND, "worst-case-breach", message, worst, moved)
    differences = []
    for end in law.met_by:
        allowed = bound(pair.baseline.deadlines.values(), start, end)
        actual = bound(pair.procedure.deadlines.values(), start, end)
        if allowed is None:
            continue
        if actual is None:
            return pair.finding(
                WARNING_KIND,
                "different-anchor",
                f"counted from `{here.anchor}`: nothing in the procedure limits how long after `{start}` the `{end}` may come, because `{here.anchor}` has no time limit of its own; {authority} allows {allowed} working days",
                path=moved,
            )
        differences.append((actual - allowed, end, actual, allowed))
    if not differences:
        return pair.finding(
            WARNING_KIND,
            "different-anchor",
            f"counted differently from {authority}, which sets no bound to compare with",
            path=moved,
        )
    worst, end, actual, allowed = max(differences)
    if worst > 0:
        message = f"counted differently: in the worst case `{end}` may come {actual} working days after `{start}`, {worst} more than the {allowed} that {authority} allows"
    elif worst < 0:
        message = f"counted differently, but in the worst case `{end}` still comes within {actual} working days of `{start}`, {-worst} fewer than the {allowed} that {authority} allows"
    else:
        message = f"counted differently, but in the worst case `{end}` comes {actual} working days after `{start}`, as {authority} allows"
    return pair.finding(WARNING_KIND, "different-anchor", message, worst, moved)
