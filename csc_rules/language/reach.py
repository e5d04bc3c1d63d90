"""Which events a case can still meet from each state: the events allowed in it or in any state
reachable from it, by every move a procedure allows. Replay stops a duty no such event can meet;
conformance warns of an ending that leaves one so."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Transition


def allowed_after(
    states: Iterable[str], transitions: Iterable[Transition]
) -> dict[str, frozenset[str]]:
    """For each state, the events allowed in it or in a state reachable from it."""
    moves: dict[str, list[Transition]] = {}
    for t in transitions:
        moves.setdefault(t.source, []).append(t)
    found: dict[str, frozenset[str]] = {}
    for state in states:
        seen, todo, allowed = {state}, [state], set()
        while todo:
            for t in moves.get(todo.pop(), ()):
                allowed.add(t.event)
                if t.target not in seen:
                    seen.add(t.target)
                    todo.append(t.target)
        found[state] = frozenset(allowed)
    return found


__all__ = ["allowed_after"]
