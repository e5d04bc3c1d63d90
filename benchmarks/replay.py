"""Replay throughput: generated eight-event cases through a procedure with full deadline evaluation,
beside the same event sequences driven through the `transitions` state-machine library.

    pip install '.[bench]' && python benchmarks/replay.py [--cases N] [--procedure ID]

The cases are random walks over the procedure's own transitions (events that need a guard, and
the exits to an end state, left out, so every case is valid), with 1 to 15 days between events,
received from 2024 to 2029. csc-rules replays each event, starts, extends and meets every duty and
window, and reports each deadline's due date and status on the as-of date. `transitions` drives
one shared machine through the same events, once doing nothing else and once computing the same
deadlines in its transition callbacks; the floor does that with plain dict look-ups (its answers
are checked against csc-rules' first). Timings are medians of runs over all cases; the table
gives cases per second and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from typing import Any


def generate(procedure: Any, count: int, seed: int) -> list[list[tuple[dt.date, str]]]:
    rng = random.Random(seed)
    moves: dict[str, list[tuple[str, str]]] = {}
    for t in procedure.transitions:
        if (
            not t.when_overdue
            and not t.anytime
            and t.target not in {s for s, st in procedure.states.items() if st.end}
        ):
            moves.setdefault(t.source, []).append((t.event, t.target))
    cases = []
    first, last = dt.date(2024, 1, 1).toordinal(), dt.date(2029, 12, 31).toordinal()
    while len(cases) < count:
        day = dt.date.fromordinal(rng.randint(first, last))
        state, events = procedure.start_state, [(day, procedure.start_event)]
        while len(events) < 8 and moves.get(state):
            event, state = rng.choice(moves[state])
            day += dt.timedelta(days=rng.randint(1, 15))
            events.append((day, event))
        if len(events) == 8:
            cases.append(events)
    return cases


class Tables:
    """The procedure as plain dicts: what a hand-written replay of it would look up."""

    def __init__(self, procedure: Any) -> None:
        self.moves = {(t.source, t.event): t.target for t in procedure.transitions}
        self.windows = {d.id for d in procedure.deadlines.values() if d.kind == "window"}
        self.starts: dict[str, list[Any]] = {}
        self.meets: dict[str, list[str]] = {}
        self.extends: dict[str, list[tuple[str, int]]] = {}
        for d in procedure.deadlines.values():
            self.starts.setdefault(d.anchor, []).append(d)
            for event in d.met_by:
                self.meets.setdefault(event, []).append(d.id)
            for e in d.extensions:
                if e.event and e.maximum.amount:
                    self.extends.setdefault(e.event, []).append((d.id, e.maximum.amount))
        self.calendar = procedure.calendar
        # The duties a move leaves where no later event can meet them: they stop counting.
        allowed: dict[str, set[str]] = {}
        for state in procedure.states:
            seen, todo = {state}, [state]
            events = allowed[state] = set()
            while todo:
                here = todo.pop()
                for t in procedure.transitions:
                    if t.source == here:
                        events.add(t.event)
                        if t.target not in seen:
                            seen.add(t.target)
                            todo.append(t.target)
        duties = [d for d in procedure.deadlines.values() if d.kind == "duty"]
        meetable = {
            state: {d.id for d in duties if events & set(d.met_by)}
            for state, events in allowed.items()
        }
        self.strands = {
            (t.source, t.event): tuple(meetable[t.source] - meetable[t.target])
            for t in procedure.transitions
        }


def start(
    tables: Tables,
    clocks: dict[str, list[Any]],
    day: dt.date,
    fields: Any,
    d: Any,
    agreed: dict[str, int],
) -> None:
    """Start deadline `d`: [due, done on, from] (no due date when the limit is not stated),
    with any extension agreed before it started."""
    if d.id in clocks and clocks[d.id][1] is not None:
        return
    anchor = fields.get(d.anchor_field, day) if d.anchor_field else day
    if d.limit.amount is None:
        due = None
    elif d.limit.unit == "working-days" and not d.before:
        amount = d.limit.amount
        if agreed and d.id in agreed:
            amount = max(amount, agreed.pop(d.id))
        due = tables.calendar.add(anchor, amount)
    else:
        due = tables.calendar.shift(anchor, d.limit.amount, d.limit.unit, before=d.before)
    clocks[d.id] = [due, None, anchor, None]


def step(
    tables: Tables,
    clocks: dict[str, list[Any]],
    day: dt.date,
    event: str,
    fields: Any,
    agreed: dict[str, int],
) -> None:
    """What one event does to the deadlines: meet, extend, start. An extension agreed before
    its deadline starts is kept in `agreed` until it does."""
    for deadline_id in tables.meets.get(event, ()):
        clock = clocks.get(deadline_id)
        if clock is not None and clock[1] is None:
            clock[1] = day
    for deadline_id, amount in tables.extends.get(event, ()):
        clock = clocks.get(deadline_id)
        if clock is None:
            agreed[deadline_id] = amount
        # An extension recorded after the limit has passed is set aside: the duty stays late.
        elif clock[1] is None and clock[0] is not None and day <= clock[0]:
            clock[0] = tables.calendar.add(clock[2], amount)
    for d in tables.starts.get(event, ()):
        start(tables, clocks, day, fields, d, agreed)


def strand(
    tables: Tables, clocks: dict[str, list[Any]], day: dt.date, source: Any, event: str
) -> None:
    """Stop the duties the move of `event` from `source` leaves where nothing can meet them."""
    for deadline_id in tables.strands.get((source, event), ()):
        clock = clocks.get(deadline_id)
        if clock is not None and clock[1] is None and clock[3] is None:
            clock[3] = day


def statuses(
    tables: Tables, clocks: dict[str, list[Any]], as_of: dt.date
) -> dict[str, tuple[Any, str, Any, Any]]:
    """Each deadline's due date and status on `as_of`, with the working days it was or is late,
    or that remain, as csc-rules reports them."""
    between = tables.calendar.between
    found = {}
    for deadline_id, (due, done, _, stopped) in clocks.items():
        late = remaining = None
        if stopped is not None:  # the case moved where nothing can meet it
            late_then = due is not None and due < stopped
            status = "missed" if late_then else "cancelled"
            late = between(due, stopped) if late_then else None
        elif done is not None:
            if due is None or done <= due:
                status, late = "met", 0
            else:
                status, late = "missed", between(due, done)
        elif due is not None and due < as_of:
            if deadline_id in tables.windows:
                status = "lapsed"  # a window that closed unused
            else:
                status, late = "overdue", between(due, as_of)
        else:
            status = "pending"
            remaining = between(as_of, due) if due is not None else None
        found[deadline_id] = (due, status, late, remaining)
    return found


def bare_statuses(
    tables: Tables, clocks: dict[str, list[Any]], as_of: dt.date
) -> dict[str, tuple[Any, ...]]:
    """Due dates and statuses only, without the working-day counts."""
    found = {}
    for deadline_id, (due, done, _, stopped) in clocks.items():
        if stopped is not None:
            status = "missed" if due is not None and due < stopped else "cancelled"
        elif done is not None:
            status = "met" if due is None or done <= due else "missed"
        elif due is not None and due < as_of:
            status = "lapsed" if deadline_id in tables.windows else "overdue"
        else:
            status = "pending"
        found[deadline_id] = (due, status)
    return found


def floor_replay(
    tables: Tables, case: Any, as_of: dt.date, report: Any = statuses
) -> dict[str, tuple[Any, ...]]:
    """The floor: a state machine of dict look-ups, and each deadline's due date and status."""
    state, clocks, agreed = None, {}, {}
    for e in case.events:
        before = state
        state = tables.moves[("start" if state is None else state, e.event)]
        step(tables, clocks, e.date, e.event, e.fields, agreed)
        strand(tables, clocks, e.date, before, e.event)
    found: dict[str, tuple[Any, ...]] = report(tables, clocks, as_of)
    return found


def interleaved(rows: list[tuple[str, Any]], repeats: int) -> dict[str, list[float]]:
    """Seconds per run of each row, the rows taking turns in every round, so that a slow spell
    on a shared machine falls on all of them alike rather than on one."""
    samples: dict[str, list[float]] = {label: [] for label, _ in rows}
    for _ in range(repeats):
        for label, run in rows:
            began = time.perf_counter()
            run()
            samples[label].append(time.perf_counter() - began)
    return samples


def ratio(slower: list[float], faster: list[float]) -> float:
    """The median over rounds of one row's time over another's in the same round."""
    return statistics.median(s / f for s, f in zip(slower, faster, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--procedure", default="sefton/csc-statutory")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1989)
    args = parser.parse_args()
    try:
        from transitions import Machine
    except ImportError:
        sys.exit("transitions is missing: run `pip install '.[bench]'` first")

    from csc_rules.cases.case import Case, CaseEvent
    from csc_rules.cases.interpreter import evaluate, evaluate_data
    from csc_rules.procedures.library import load_procedure

    procedure = load_procedure(args.procedure)
    sequences = generate(procedure, args.cases, args.seed)
    cases = [
        Case(
            f"BENCH-{n}",
            procedure.id,
            {},
            tuple(
                CaseEvent(
                    day,
                    event,
                    {"panel_date": day + dt.timedelta(days=28)}
                    if event == "panel-scheduled"
                    else {},
                    i,
                )
                for i, (day, event) in enumerate(events)
            ),
        )
        for n, events in enumerate(sequences)
    ]
    as_of = [events[-1][0] + dt.timedelta(days=10) for events in sequences]
    plain = [
        {
            "case": c.id,
            "procedure": c.procedure,
            "events": [
                {
                    "date": e.date.isoformat(),
                    "event": e.event,
                    **({"panel_date": e.fields["panel_date"].isoformat()} if e.fields else {}),
                }
                for e in c.events
            ],
        }
        for c in cases
    ]

    machine = Machine(
        states=list(procedure.states),
        transitions=[
            {"trigger": t.event, "source": t.source, "dest": t.target}
            for t in procedure.transitions
        ],
        initial=procedure.start_state,
        auto_transitions=False,
    )

    def drive_transitions() -> None:
        for events in sequences:
            machine.set_state(procedure.start_state)
            for _, event in events[1:]:
                machine.trigger(event)

    tables = Tables(procedure)

    class Model:
        """For `transitions`: the same deadline work, done in its transition callbacks."""

        clocks: dict[str, list[Any]]
        agreed: dict[str, int]

        def on_event(self, happened: Any) -> None:
            kwargs = happened.kwargs
            step(
                tables,
                self.clocks,
                kwargs["day"],
                happened.event.name,
                kwargs["fields"],
                self.agreed,
            )
            strand(
                tables, self.clocks, kwargs["day"], happened.transition.source, happened.event.name
            )

    model = Model()
    with_deadlines = Machine(
        model=model,
        states=list(procedure.states),
        transitions=[
            {"trigger": t.event, "source": t.source, "dest": t.target, "after": "on_event"}
            for t in procedure.transitions
        ],
        initial=procedure.start_state,
        auto_transitions=False,
        send_event=True,
    )

    def transitions_with_deadlines() -> None:
        for case, day in zip(cases, as_of, strict=True):
            with_deadlines.set_state(procedure.start_state)
            model.clocks, model.agreed = {}, {}
            first = case.events[0]
            step(tables, model.clocks, first.date, first.event, first.fields, model.agreed)
            for e in case.events[1:]:
                model.trigger(e.event, day=e.date, fields=e.fields)
            statuses(tables, model.clocks, day)

    def floor() -> None:
        for case, day in zip(cases, as_of, strict=True):
            floor_replay(tables, case, day)

    def bare_floor() -> None:
        for case, day in zip(cases, as_of, strict=True):
            floor_replay(tables, case, day, bare_statuses)

    def replay_checked_cases() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day, checked=True)

    def replay_cases() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day)

    def replay_plain() -> None:
        for case, day in zip(plain, as_of, strict=True):
            evaluate_data(procedure, case, day)

    tables.moves[("start", procedure.start_event)] = procedure.start_state
    for case, day in zip(cases[:2000], as_of[:2000], strict=True):  # the floor is a fair one
        ours = {
            d.id: (d.due, d.status, d.working_days_late, d.working_days_remaining)
            for d in evaluate(procedure, case, day).deadlines
        }
        theirs = floor_replay(tables, case, day)
        if ours != theirs:
            sys.exit(f"the floor disagrees with csc-rules on {case.id}: {theirs} != {ours}")
    sample = evaluate(procedure, cases[0], as_of[0])
    deadlines = (
        sum(
            len(evaluate(procedure, c, d).deadlines)
            for c, d in zip(cases[:1000], as_of[:1000], strict=True)
        )
        / 1000
    )
    print(
        f"{len(cases):,} eight-event cases through {procedure.id}, median of {args.repeats} rounds; Python {sys.version.split()[0]}"
    )
    print(
        f"on average {deadlines:.1f} deadlines evaluated per case; e.g. {sample.case}: {[e for _, e in sample.events]}\n"
    )
    transitions_row = "transitions: the same deadlines, in its callbacks"
    floor_row = "floor: dict look-ups and the same deadlines"
    ours_row = "csc-rules: replay and every deadline (Case objects)"
    rows = [
        ("transitions: the events only, one shared machine", drive_transitions),
        (transitions_row, transitions_with_deadlines),
        (floor_row, floor),
        ("floor: due dates and statuses only, no day counts", bare_floor),
        (ours_row, replay_checked_cases),
        ("csc-rules: the same, checking each case's events first", replay_cases),
        ("csc-rules: the same, from plain dicts with text dates", replay_plain),
    ]
    samples = interleaved(rows, args.repeats)
    print(f"{'':<56} {'cases/s':>10} {'÷ transitions':>14} {'÷ floor':>8}")
    for label, seconds in samples.items():
        rate = len(cases) / statistics.median(seconds)
        print(
            f"{label:<56} {rate:>10,.0f} {ratio(samples[transitions_row], seconds):>14.2f}"
            f" {ratio(samples[floor_row], seconds):>8.2f}"
        )
    print(
        f"\ncsc-rules is {ratio(samples[transitions_row], samples[ours_row]):.1f}x as fast as "
        f"transitions computing the same deadlines (target: at least 5x) and takes "
        f"{ratio(samples[ours_row], samples[floor_row]):.1f}x the floor's time (target: within 2x)"
    )
    print(
        "(ratios are medians over rounds of the two rows' times in the same round; the floor "
        "computes each deadline's due date, status and working days late or remaining, as the "
        "result reports them)"
    )


if __name__ == "__main__":
    main()
