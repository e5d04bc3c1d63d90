"""Does a council's procedure meet the statute it extends? Deadline by deadline, with worst cases
worked out from the duties themselves, not guessed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .diagnostics import ERROR, WARNING, Diagnostic
from .inheritance import Resolved

ERROR_KIND, WARNING_KIND, STRICTER, CONFORMS, ADDED, GENEROUS = (
    "error",
    "warning",
    "stricter",
    "conforms",
    "added",
    "more generous",
)


@dataclass(frozen=True)
class Finding:
    deadline: str
    kind: str  # error, warning, stricter, more generous, conforms, added
    code: str
    message: str
    council: str
    statute: str
    difference: (
        int | None
    )  # worst-case working days later than the statute allows; None if unbounded or not a comparison
    where: Diagnostic | None = None  # the YAML line concerned

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "deadline": self.deadline,
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "council": self.council,
            "statute": self.statute,
            "difference_working_days": self.difference,
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

    @property
    def conformant(self) -> bool:
        return not any(f.kind == ERROR_KIND for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "baseline": self.baseline,
            "conformant": self.conformant,
            "findings": [f.to_json() for f in self.findings],
            "conflicts": [
                {"concerns": c, "description": d, "binding": b} for c, d, b in self.conflicts
            ],
        }


def _longest(deadline: Mapping[str, Any]) -> int | None:
    """The limit with every extension at its maximum, in working days; None if not working days."""
    limit = deadline.get("limit", {})
    if limit.get("unit") != "working-days" or "amount" not in limit:
        return None
    maxima = [
        e.get("maximum", {}).get("amount", 0)
        for e in deadline.get("extensions", {}).values()
        if e.get("maximum", {}).get("unit") == "working-days"
    ]
    return int(max([limit["amount"], *maxima]))


def _text(deadline: Mapping[str, Any] | None) -> str:
    if deadline is None:
        return "none"
    limit = deadline.get("limit", {})
    if "amount" not in limit:
        return "no time limit stated"
    unit = str(limit.get("unit", "")).replace("-", " ")
    longest = _longest(deadline)
    up_to = f" (up to {longest})" if longest is not None and longest != limit["amount"] else ""
    direction = (
        f"before {deadline.get('anchor_field')} of"
        if deadline.get("direction") == "before"
        else "from"
    )
    met = ", ".join(deadline.get("met_by", []))
    return f"{limit['amount']}{up_to} {unit} {direction} {deadline.get('anchor')} to {met}"


def _extension_cap(deadline: Mapping[str, Any]) -> tuple[int, str] | None:
    """The largest extension maximum in working days, and the extension that gives it."""
    caps = [
        (e["maximum"]["amount"], k)
        for k, e in deadline.get("extensions", {}).items()
        if e.get("maximum", {}).get("unit") == "working-days"
    ]
    return max(caps) if caps else None


def bound(duties: Mapping[str, Mapping[str, Any]], start: str, end: str) -> int | None:
    """The most working days `end` can come after `start` under these duties, or None if nothing
    bounds it. A duty counted after event x and met by event y bounds y after x; an event bounded
    after an earlier one can be no later than the earlier one's bound allows."""
    edges: list[tuple[str, str, int]] = []
    for duty in duties.values():
        weight = _longest(duty)
        if weight is None or duty.get("direction") == "before":
            continue
        edges.extend((str(duty.get("anchor")), str(m), weight) for m in duty.get("met_by", []))

    def from_(event: str) -> int | None:
        best: dict[str, int] = {event: 0}
        frontier = [event]
        while frontier:  # the graph is small: relax until nothing changes
            following = []
            for node in frontier:
                for a, b, w in edges:
                    if a == node and best[node] + w < best.get(b, 10**9):
                        best[b] = best[node] + w
                        following.append(b)
            frontier = following
        return best.get(end)

    candidates = [from_(start)]
    # `start` comes after any event a duty bounds it from, so bounds from those hold too
    candidates += [from_(a) for a, b, _ in edges if b == start]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None


def check(procedure: Resolved, baseline: Resolved) -> Report:
    council, statute = procedure.data, baseline.data
    # how findings name what the procedure is measured against
    authority = "the statute" if statute.get("kind") == "statutory" else "the baseline"
    findings: list[Finding] = []
    duties = council.get("duties", {})
    for collection in ("duties", "windows"):
        statutory = statute.get(collection, {})
        own = council.get(collection, {})
        for deadline_id, law in statutory.items():
            here = own.get(deadline_id)
            findings.append(
                _compare(
                    procedure,
                    collection,
                    deadline_id,
                    law,
                    here,
                    duties,
                    statute.get("duties", {}),
                    authority,
                )
            )
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
                    )
                )
    conflicts = tuple(
        (", ".join(n.get("concerns", [])), str(n.get("description", "")), str(n.get("binding", "")))
        for n in council.get("notes", {}).values()
        if n.get("kind") == "conflict"
    )
    return Report(
        str(council.get("procedure")), str(statute.get("procedure")), tuple(findings), conflicts
    )


def _compare(
    procedure: Resolved,
    collection: str,
    deadline_id: str,
    law: Mapping[str, Any],
    here: Mapping[str, Any] | None,
    duties: Mapping[str, Any],
    statute_duties: Mapping[str, Any],
    authority: str,
) -> Finding:
    at = (collection, deadline_id)
    if here is None:
        removal = next(
            (
                i
                for i, r in enumerate(procedure.chain[-1].data.get("remove", []) or [])
                if r.get("id") == deadline_id
            ),
            None,
        )
        where = procedure.chain[-1].diagnostic(
            ("remove", removal) if removal is not None else (), "missing-duty", "", severity=ERROR
        )
        return Finding(
            deadline_id,
            ERROR_KIND,
            "missing-duty",
            f"{authority} requires this and the procedure does not have it",
            "none",
            _text(law),
            None,
            where,
        )
    council_text, statute_text = _text(here), _text(law)
    # An extension's maximum is a cap whatever the limit counts from: beyond the baseline's is a breach.
    cap_here, cap_law = _extension_cap(here), _extension_cap(law)
    if (
        cap_here is not None
        and cap_law is not None
        and collection == "duties"
        and cap_here[0] > cap_law[0]
    ):
        path = at + ("extensions", cap_here[1], "maximum", "amount")
        return Finding(
            deadline_id,
            ERROR_KIND,
            "maximum-breach",
            f"extensions can take it to {cap_here[0]} working days, beyond the maximum of {cap_law[0]} that {authority} allows",
            council_text,
            statute_text,
            cap_here[0] - cap_law[0],
            procedure.diagnostic(path, "maximum-breach", "", severity=ERROR),
        )
    same_shape = (
        here.get("anchor") == law.get("anchor")
        and set(here.get("met_by", [])) == set(law.get("met_by", []))
        and here.get("direction") == law.get("direction")
    )
    if not same_shape:
        return _different_anchor(
            procedure,
            at,
            deadline_id,
            law,
            here,
            duties,
            statute_duties,
            council_text,
            statute_text,
            authority,
        )
    base_here, base_law = here.get("limit", {}).get("amount"), law.get("limit", {}).get("amount")
    if (
        here.get("limit", {}).get("unit") != law.get("limit", {}).get("unit")
        or base_here is None
        or base_law is None
    ):
        return Finding(
            deadline_id,
            WARNING_KIND,
            "different-unit",
            "the limit is in another unit, or not stated, so it cannot be compared day for day",
            council_text,
            statute_text,
            None,
            procedure.diagnostic(at + ("limit",), "different-unit", "", severity=WARNING),
        )
    longest_here, longest_law = _longest(here), _longest(law)
    window = collection == "windows"
    # For a duty, longer is worse for the complainant; for a window, shorter is.
    if (base_here < base_law) if window else (base_here > base_law):
        return Finding(
            deadline_id,
            ERROR_KIND,
            "limit-breach",
            f"the limit of {base_here} working days is {'shorter' if window else 'longer'} than the {base_law} that {authority} allows",
            council_text,
            statute_text,
            None if window else base_here - base_law,
            procedure.diagnostic(at + ("limit", "amount"), "limit-breach", "", severity=ERROR),
        )
    if (
        longest_here is not None
        and longest_law is not None
        and not window
        and longest_here > longest_law
    ):
        extension = next(
            (
                k
                for k, e in here.get("extensions", {}).items()
                if e.get("maximum", {}).get("amount") == longest_here
            ),
            None,
        )
        culprit: tuple[Any, ...] = (
            at + ("extensions", extension, "maximum", "amount") if extension else at
        )
        return Finding(
            deadline_id,
            ERROR_KIND,
            "maximum-breach",
            f"extensions can take it to {longest_here} working days, beyond the maximum of {longest_law} that {authority} allows",
            council_text,
            statute_text,
            longest_here - longest_law,
            procedure.diagnostic(culprit, "maximum-breach", "", severity=ERROR),
        )
    if (base_here, longest_here) == (base_law, longest_law):
        return Finding(
            deadline_id,
            CONFORMS,
            "conforms",
            f"the same as {authority}",
            council_text,
            statute_text,
            0,
        )
    better = (
        (base_here > base_law)
        if window
        else (base_here < base_law or (longest_here or 0) < (longest_law or 0))
    )
    kind = GENEROUS if window else STRICTER
    return Finding(
        deadline_id,
        kind if better else CONFORMS,
        "stricter" if not window else "more-generous",
        f"tighter than {authority}"
        if not window
        else f"gives the complainant longer than {authority} does",
        council_text,
        statute_text,
        None,
    )


def _different_anchor(
    procedure: Resolved,
    at: tuple[str, str],
    deadline_id: str,
    law: Mapping[str, Any],
    here: Mapping[str, Any],
    duties: Mapping[str, Any],
    statute_duties: Mapping[str, Any],
    council_text: str,
    statute_text: str,
    authority: str,
) -> Finding:
    start = str(law.get("anchor"))
    where = procedure.diagnostic(
        at + ("anchor",) if here.get("anchor") != law.get("anchor") else at + ("met_by",),
        "different-anchor",
        "",
        severity=WARNING,
    )
    differences = []
    for end in law.get("met_by", []):
        allowed = bound(statute_duties, start, str(end))
        actual = bound(duties, start, str(end))
        if allowed is None:
            continue
        if actual is None:
            return Finding(
                deadline_id,
                WARNING_KIND,
                "different-anchor",
                f"counted from `{here.get('anchor')}`: nothing in the procedure limits how long after `{start}` the `{end}` may come, because `{here.get('anchor')}` has no time limit of its own; {authority} allows {allowed} working days",
                council_text,
                statute_text,
                None,
                where,
            )
        differences.append((actual - allowed, end, actual, allowed))
    if not differences:
        return Finding(
            deadline_id,
            WARNING_KIND,
            "different-anchor",
            f"counted differently from {authority}, which sets no bound to compare with",
            council_text,
            statute_text,
            None,
            where,
        )
    worst, end, actual, allowed = max(differences)
    if worst > 0:
        message = f"counted differently: in the worst case `{end}` may come {actual} working days after `{start}`, {worst} more than the {allowed} that {authority} allows"
    elif worst < 0:
        message = f"counted differently, but in the worst case `{end}` still comes within {actual} working days of `{start}`, {-worst} fewer than the {allowed} that {authority} allows"
    else:
        message = f"counted differently, but in the worst case `{end}` comes {actual} working days after `{start}`, as {authority} allows"
    return Finding(
        deadline_id,
        WARNING_KIND,
        "different-anchor",
        message,
        council_text,
        statute_text,
        worst,
        where,
    )
