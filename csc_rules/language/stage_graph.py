"""The stage graph: a procedure's states joined by the events that move a case, and its checks.

The edges are worked out here once, from the resolved procedure, for both the checks (run by
`validate`, on plain sets, so validation never waits for networkx to import) and the compiler
(which builds the networkx graph from the same edges).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._shapes import as_map as _map
from ..diagnostics import Diagnostic, Path_

if TYPE_CHECKING:
    from ..reading.inheritance import Resolved

# Two of the end states every procedure has (rules/evaluation-result.schema.json names the statuses); the checks
# need these two exits open from every state.
WITHDRAWN = "withdrawn"
REFERRED = "referred-to-ombudsman"


@dataclass(frozen=True)
class Edge:
    """One event allowed in one state, and the state it leads to."""

    source: str
    event: str
    target: str
    when_overdue: str | None
    anytime: bool  # written once under from_every_open_state, not in the state itself
    path: Path_  # where the transition is written
    overdue_after: Mapping[str, Any] | None = None  # the guard's own limit, in place of the duty's

    @property
    def moves(self) -> bool:
        return self.source != self.target


def end_states(data: Mapping[str, Any]) -> dict[str, str]:
    """The end states and how each ends a case."""
    return {
        sid: s["end"]
        for sid, s in _map(data.get("states")).items()
        if isinstance(s, dict) and "end" in s
    }


def edges(data: Mapping[str, Any]) -> list[Edge]:
    """Every transition, with the ones allowed from every open state spelt out per state; a
    state's own transition for an event takes the place of the general one."""
    states = _map(data.get("states"))
    ends = end_states(data)
    anytime = _map(data.get("from_every_open_state"))
    found: list[Edge] = []

    def add(state_id: str, event: str, transition: Any, anytime: bool, path: Path_) -> None:
        written = _map(transition)
        target = written.get("to")
        if isinstance(target, str):
            after = written.get("overdue_after")
            found.append(
                Edge(
                    state_id,
                    event,
                    target,
                    written.get("when_overdue"),
                    anytime,
                    path,
                    after if isinstance(after, Mapping) else None,
                )
            )

    for state_id, state in states.items():
        own = _map(_map(state).get("transitions"))
        for event, transition in own.items():
            add(state_id, event, transition, False, ("states", state_id, "transitions", event))
        if state_id not in ends:
            for event, transition in anytime.items():
                if event not in own:
                    add(state_id, event, transition, True, ("from_every_open_state", event))
    return found


def _reach(starts: Iterable[str], adjacency: Mapping[str, set[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for following in adjacency.get(queue.popleft(), ()):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


def _adjacency(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    adjacency: dict[str, set[str]] = {}
    for source, target in pairs:
        adjacency.setdefault(source, set()).add(target)
    return adjacency


def check(procedure: Resolved) -> list[Diagnostic]:
    """Every way the stage graph fails: states no case can reach or leave, open states that can
    never end or lack the exits everyone has, and duties that can never start or be met."""
    return list(_checks(procedure))


def _checks(procedure: Resolved) -> Iterator[Diagnostic]:
    data = procedure.data
    states = _map(data.get("states"))
    ends = end_states(data)
    open_states = [s for s in states if s not in ends]
    start = _map(data.get("start"))
    all_edges = [e for e in edges(data) if e.target in states]
    reachable = _reach(
        [str(start.get("state"))], _adjacency((e.source, e.target) for e in all_edges)
    )

    for state_id in states:
        if state_id not in reachable:
            yield procedure.diagnostic(
                ("states", state_id),
                "unreachable-state",
                f"state `{state_id}` cannot be reached: no event leads to it from the start or from any state a case can reach",
                key=True,
            )

    progress = [e for e in all_edges if e.moves and not e.anytime]
    leaving = {e.source for e in progress}
    dead = [s for s in open_states if s not in leaving]
    for state_id in dead:
        yield procedure.diagnostic(
            ("states", state_id),
            "dead-end",
            f"state `{state_id}` is a dead end: no event (besides withdrawal and referral) moves a case out of it; add a transition or make it an end state",
            key=True,
        )
    can_end = _reach(ends, _adjacency((e.target, e.source) for e in progress))
    trapped = [s for s in open_states if s not in can_end and s not in dead and s in reachable]
    for group in _groups(trapped, progress):
        names = ", ".join(f"`{s}`" for s in group)
        # point at a member the last file names, where the user is most likely working
        named = procedure.chain[-1].key_positions
        culprit = next((s for s in group if ("states", s) in named), group[0])
        yield procedure.diagnostic(
            ("states", culprit),
            "no-way-out",
            f"a case in state {names} can never reach an end state except by withdrawal or referral: its transitions only lead among these states",
            key=True,
        )

    outcomes: dict[str, set[str]] = {}
    for edge in all_edges:
        if edge.target in ends:
            outcomes.setdefault(edge.source, set()).add(ends[edge.target])
    for state_id in open_states:
        for exit_, code in ((WITHDRAWN, "no-withdrawal"), (REFERRED, "no-referral")):
            if exit_ not in outcomes.get(state_id, set()):
                yield procedure.diagnostic(
                    ("states", state_id),
                    code,
                    f"a case in state `{state_id}` cannot be {'withdrawn' if exit_ == WITHDRAWN else 'referred to the Ombudsman'}, which must be possible at any time; add it under `from_every_open_state`",
                    key=True,
                )

    yield from _deadlines(procedure, all_edges, reachable, start)


def _groups(trapped: list[str], progress: list[Edge]) -> list[list[str]]:
    """Trapped states that lead into one another, in the order they are written."""
    links = _adjacency(
        [(e.source, e.target) for e in progress] + [(e.target, e.source) for e in progress]
    )
    groups: list[list[str]] = []
    placed: set[str] = set()
    for state_id in trapped:
        if state_id not in placed:
            members = _reach(
                [state_id], {k: {v for v in vs if v in trapped} for k, vs in links.items()}
            )
            groups.append([s for s in trapped if s in members])
            placed |= members
    return groups


def _deadlines(
    procedure: Resolved, all_edges: list[Edge], reachable: set[str], start: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    data = procedure.data
    adjacency = _adjacency((e.source, e.target) for e in all_edges)
    produced = {e.event for e in all_edges} | {start.get("event")}
    for collection in ("duties", "windows", "targets"):
        for deadline_id, deadline in _map(data.get(collection)).items():
            anchor = _map(deadline).get("anchor")
            if not isinstance(anchor, str) or anchor not in produced:
                continue  # an unknown or never-allowed anchor is reported by the semantic checks
            at = (collection, deadline_id)
            entered = {e.target for e in all_edges if e.event == anchor and e.source in reachable}
            if anchor == start.get("event"):
                entered.add(str(start.get("state")))
            if not entered:
                yield procedure.diagnostic(
                    at + ("anchor",),
                    "duty-never-starts",
                    f"`{deadline_id}` counts from `{anchor}`, but no state a case can reach allows that event, so its clock never starts",
                )
                continue
            after = _reach(entered, adjacency)
            met_by = set(deadline.get("met_by", []))
            if not any(e.event in met_by and e.source in after for e in all_edges):
                events = ", ".join(f"`{m}`" for m in sorted(met_by))
                yield procedure.diagnostic(
                    at + ("met_by",),
                    "duty-never-met",
                    f"`{deadline_id}` starts at `{anchor}`, but no state a case can reach after that allows {events}, so it can never be met",
                )
