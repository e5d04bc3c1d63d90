"""Replay throughput: generated eight-event cases through a procedure with full deadline evaluation,
beside the same event sequences driven through the `transitions` state-machine library.

    pip install '.[bench]' && python benchmarks/replay.py [--cases N] [--procedure ID]

Every council procedure in the library, or the one named. The cases are random walks over the
procedure's own transitions (events that need a guard, and the exits to an end state, left out,
so every case is valid), with 1 to 15 days between events, received from 2024 to 2029; an
extension records a ground the procedure allows, as a council's records do. The headline rows
are the public entry points a user calls, with the checks they run: `evaluate` on `Case` objects
(each case's events checked against the procedure) and `evaluate_data` on plain dicts (the
README's Python API). csc-rules replays each event, starts, extends and meets every duty and
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


def grounds(procedure: Any) -> dict[str, str]:
    """The ground each extending event records, as a council's records give one: the first the
    procedure allows for it (an event that extends on no ground the procedure names records
    none, and its extension is set aside)."""
    found: dict[str, str] = {}
    for d in procedure.deadlines.values():
        for e in d.extensions:
            if e.event and e.grounds:
                found.setdefault(e.event, e.grounds[0].id)
    return found


def fields(procedure: Any, event: str, day: dt.date) -> dict[str, Any]:
    """What a generated event carries: a panel's date, the ground of an extension."""
    if event == "panel-scheduled":
        return {"panel_date": day + dt.timedelta(days=28)}
    ground = grounds(procedure).get(event)
    return {} if ground is None else {"ground": ground}


class Tables:
    """The procedure as plain dicts: what a hand-written replay of it would look up."""

    def __init__(self, procedure: Any) -> None:
        self.moves = {(t.source, t.event): t.target for t in procedure.transitions}
        recorded = grounds(procedure)
        self.windows = {d.id for d in procedure.deadlines.values() if d.kind == "window"}
        self.starts: dict[str, list[Any]] = {}
        self.meets: dict[str, list[str]] = {}
        self.extends: dict[str, list[tuple[str, int]]] = {}
        for d in procedure.deadlines.values():
            self.starts.setdefault(d.anchor, []).append(d)
            for event in d.met_by:
                self.meets.setdefault(event, []).append(d.id)
            for e in d.extensions:
                if e.event and e.maximum.amount and e.allows(recorded.get(e.event)):
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


HEADLINE = "csc-rules: evaluate(), checking each case's events"
PLAIN = "csc-rules: evaluate_data() on plain dicts, text dates"
TRANSITIONS = "transitions: the same deadlines, in its callbacks"
FLOOR = "floor: dict look-ups and the same deadlines"


def machines(procedure: Any, tables: Tables) -> tuple[Any, Any, Any]:
    """`transitions` machines for the procedure: one bare, one computing the deadlines in its
    callbacks (with the model those callbacks keep the clocks on)."""
    from transitions import Machine

    bare = Machine(
        states=list(procedure.states),
        transitions=[
            {"trigger": t.event, "source": t.source, "dest": t.target}
            for t in procedure.transitions
        ],
        initial=procedure.start_state,
        auto_transitions=False,
    )

    class Model:
        """For `transitions`: the same deadline work, done in its transition callbacks."""

        clocks: dict[str, list[Any]]
        agreed: dict[str, int]

        def on_event(self, happened: Any) -> None:
            kwargs, name = happened.kwargs, happened.event.name
            step(tables, self.clocks, kwargs["day"], name, kwargs["fields"], self.agreed)
            strand(tables, self.clocks, kwargs["day"], happened.transition.source, name)

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
    return bare, model, with_deadlines


def plain_data(case: Any) -> dict[str, Any]:
    """A case as another system holds it: plain dicts, dates as text."""
    return {
        "case": case.id,
        "procedure": case.procedure,
        "events": [
            {
                "date": e.date.isoformat(),
                "event": e.event,
                **{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in e.fields.items()},
            }
            for e in case.events
        ],
    }


def rows_for(procedure: Any, cases: list[Any], as_of: list[dt.date]) -> list[tuple[str, Any]]:
    """Each row's run over every case: `transitions`, the floor, and csc-rules' entry points."""
    from csc_rules.cases.interpreter import evaluate, evaluate_data

    sequences = [[(e.date, e.event) for e in c.events] for c in cases]
    plain = [plain_data(c) for c in cases]
    tables = Tables(procedure)
    tables.moves[("start", procedure.start_event)] = procedure.start_state
    bare, model, with_deadlines = machines(procedure, tables)
    start_state = procedure.start_state

    def drive_transitions() -> None:
        for events in sequences:
            bare.set_state(start_state)
            for _, event in events[1:]:
                bare.trigger(event)

    def transitions_with_deadlines() -> None:
        for case, day in zip(cases, as_of, strict=True):
            with_deadlines.set_state(start_state)
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

    def replay_cases() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day)

    def replay_plain() -> None:
        for case, day in zip(plain, as_of, strict=True):
            evaluate_data(procedure, case, day)

    def replay_unchecked() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day, checked=True)

    for case, day in zip(cases[:2000], as_of[:2000], strict=True):  # the floor is a fair one
        ours = {
            d.id: (d.due, d.status, d.working_days_late, d.working_days_remaining)
            for d in evaluate(procedure, case, day).deadlines
        }
        theirs = floor_replay(tables, case, day)
        if ours != theirs:
            sys.exit(f"the floor disagrees with csc-rules on {case.id}: {theirs} != {ours}")
    return [
        ("transitions: the events only, one shared machine", drive_transitions),
        (TRANSITIONS, transitions_with_deadlines),
        (FLOOR, floor),
        ("floor: due dates and statuses only, no day counts", bare_floor),
        (HEADLINE, replay_cases),
        (PLAIN, replay_plain),
        ("(no entry point: evaluate(checked=True), events unchecked)", replay_unchecked),
    ]


def bench(procedure_id: str, count: int, repeats: int, seed: int) -> dict[str, float]:
    """One procedure's table; its headline ratios."""
    from csc_rules.cases.case import Case, CaseEvent
    from csc_rules.cases.interpreter import evaluate
    from csc_rules.procedures.library import load_procedure

    procedure = load_procedure(procedure_id)
    sequences = generate(procedure, count, seed)
    cases = [
        Case(
            f"BENCH-{n}",
            procedure.id,
            {},
            tuple(
                CaseEvent(day, event, fields(procedure, event, day), i)
                for i, (day, event) in enumerate(events)
            ),
        )
        for n, events in enumerate(sequences)
    ]
    as_of = [events[-1][0] + dt.timedelta(days=10) for events in sequences]
    rows = rows_for(procedure, cases, as_of)
    sample = evaluate(procedure, cases[0], as_of[0])
    pairs = zip(cases[:1000], as_of[:1000], strict=True)
    deadlines = sum(len(evaluate(procedure, c, d).deadlines) for c, d in pairs) / 1000
    print(f"\n{procedure.id}: {len(cases):,} eight-event cases, median of {repeats} rounds")
    print(
        f"on average {deadlines:.1f} deadlines evaluated per case; e.g. {sample.case}: {[e for _, e in sample.events]}\n"
    )
    samples = interleaved(rows, repeats)
    header = "(each row's cases/s over those of transitions, and of the floor)"
    print(f"{header:<60} {'cases/s':>10} {'÷ transitions':>14} {'÷ floor':>8}")
    for label, seconds in samples.items():
        rate = len(cases) / statistics.median(seconds)
        print(
            f"{label:<60} {rate:>10,.0f} {ratio(samples[TRANSITIONS], seconds):>14.2f}"
            f" {ratio(samples[FLOOR], seconds):>8.2f}"
        )
    return {
        "floor": ratio(samples[HEADLINE], samples[FLOOR]),
        "transitions": ratio(samples[TRANSITIONS], samples[HEADLINE]),
        "plain floor": ratio(samples[PLAIN], samples[FLOOR]),
        "plain transitions": ratio(samples[TRANSITIONS], samples[PLAIN]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--procedure", help="one procedure (default: every council's)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1989)
    args = parser.parse_args()
    try:
        import transitions  # noqa: F401
    except ImportError:
        sys.exit("transitions is missing: run `pip install '.[bench]'` first")
    from csc_rules.procedures.library import library

    chosen = [args.procedure] if args.procedure else library().catalogue.council_procedures()
    print(f"Python {sys.version.split()[0]}; procedures: {', '.join(chosen)}")
    found = {p: bench(p, args.cases, args.repeats, args.seed) for p in chosen}
    print(
        f"\n{'through the public API, with its checks':<40} {'evaluate() ÷ floor':>19}"
        f" {'transitions ÷ it':>17} {'evaluate_data() ÷ floor':>24} {'transitions ÷ it':>17}"
    )
    for procedure_id, r in found.items():
        print(
            f"{procedure_id:<40} {r['floor']:>19.2f} {r['transitions']:>17.2f}"
            f" {r['plain floor']:>24.2f} {r['plain transitions']:>17.2f}"
        )
    print(
        "(targets: evaluate() within 1.5x the floor's time, at least 5x as fast as transitions; "
        "ratios are medians over rounds of the two rows' times in the same round; the floor "
        "computes each deadline's due date, status and working days late or remaining, as the "
        "result reports them; evaluate_data() also reads the plain data, which the floor does not)"
    )


if __name__ == "__main__":
    main()
