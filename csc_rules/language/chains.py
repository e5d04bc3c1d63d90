"""Duties as chains of limits between events: how long one event can come after another when
every duty in between is met at the last day its longest extension allows. Conformance measures
a council against the statute with these; replay uses the statute's to bound a council where
its records lack the event a duty counts from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .model import Deadline


class Link(NamedTuple):
    """One duty seen as a bound: `to` comes at most `working_days` after `since`."""

    duty: str
    since: str  # the event the duty counts from
    to: str  # an event that meets it
    working_days: int  # with every extension at its maximum
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "duty": self.duty,
            "from": self.since,
            "to": self.to,
            "working_days": self.working_days,
            "sources": list(self.sources),
        }


class Statute(NamedTuple):
    """The statutory baseline a council's procedure extends, as the chains its duties make:
    what bounds the council where its own procedure sets no limit."""

    procedure: str
    version: str
    links: tuple[Link, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "version": self.version,
            "links": [link.to_json() for link in self.links],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Statute:
        return cls(
            str(data["procedure"]),
            str(data["version"]),
            tuple(
                Link(
                    str(link["duty"]),
                    str(link["from"]),
                    str(link["to"]),
                    int(link["working_days"]),
                    tuple(str(s) for s in link.get("sources", ())),
                )
                for link in data["links"]
            ),
        )


def links(deadlines: Iterable[Deadline], *, extended: bool = True) -> tuple[Link, ...]:
    """The duties that bound one event after another: those with a limit in working days,
    counted forward (windows bound nothing: the complainant may act late; a limit before an
    event bounds nothing after it). Each duty counts at its longest, as extensions make it, or
    with `extended=False` at its limit before any extension."""
    found: list[Link] = []
    for duty in deadlines:
        limit = duty.longest if extended else duty.limit
        if duty.kind != "duty" or duty.before or not limit.stated:
            continue
        if limit.unit != "working-days" or limit.amount is None:
            continue
        found.extend(Link(duty.id, duty.anchor, m, limit.amount, duty.sources) for m in duty.met_by)
    return tuple(found)


def bound(
    deadlines: Iterable[Deadline], start: str, end: str, *, extended: bool = True
) -> int | None:
    """The most working days `end` can come after `start` under these duties, or None if
    nothing bounds it. A duty counted after event x and met by event y bounds y after x; an
    event bounded after an earlier one can be no later than the earlier one's bound allows."""
    found = _tightest(links(deadlines, extended=extended), start, end)
    return found[0] if found is not None else None


def bound_from(
    deadlines: Iterable[Deadline], start: str, end: str, *, extended: bool = True
) -> tuple[int, str] | None:
    """`bound`, with the event it is counted from: `start`, or an earlier event that a duty
    bounds `start` after (the worst case being that `start` came the same day as it)."""
    found = _tightest(links(deadlines, extended=extended), start, end)
    return (found[0], found[2]) if found is not None else None


def chain(made: Iterable[Link], start: str, end: str) -> tuple[int, tuple[str, ...]] | None:
    """`bound` over links already made (a compiled procedure's statute carries them): the most
    working days, and the duties of the tightest chain that gives it, in order."""
    found = _tightest(made, start, end)
    return (found[0], found[1]) if found is not None else None


def _tightest(
    made: Iterable[Link], start: str, end: str
) -> tuple[int, tuple[str, ...], str] | None:
    """The tightest chain from `start` (or an event a link bounds `start` after) to `end`: its
    working days, its duties in order, and the event it is counted from."""
    edges = list(made)

    def from_(event: str) -> tuple[int, tuple[str, ...], str] | None:
        best: dict[str, tuple[int, tuple[str, ...]]] = {event: (0, ())}
        frontier = [event]
        while frontier:  # the graph is small: relax until nothing changes
            following = []
            for node in frontier:
                days, duties = best[node]
                for link in edges:
                    if (
                        link.since == node
                        and days + link.working_days < best.get(link.to, (10**9, ()))[0]
                    ):
                        best[link.to] = (days + link.working_days, (*duties, link.duty))
                        following.append(link.to)
            frontier = following
        found = best.get(end)
        return (found[0], found[1], event) if found is not None else None

    candidates = [from_(start)]
    # `start` comes after any event a duty bounds it from, so bounds from those hold too
    candidates += [from_(link.since) for link in edges if link.to == start]
    found = [c for c in candidates if c is not None]
    return min(found, key=lambda c: c[0]) if found else None


__all__ = ["Link", "Statute", "bound", "bound_from", "chain", "links"]
