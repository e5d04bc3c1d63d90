"""Replay throughput: generated eight-event cases through a procedure with full deadline evaluation,
beside the same event sequences driven through the `transitions` state-machine library.

    pip install '.[bench]' && python benchmarks/replay.py [--cases N] [--procedure ID]

The cases are random walks over the procedure's own transitions (events that need a guard, and
the exits to an end state, left out, so every case is valid), with 1 to 15 days between events,
received from 2024 to 2029. csc-rules replays each event, starts, extends and meets every duty and
window, and reports each deadline's due date and status on the as-of date. `transitions` drives
one shared machine through the same events and does nothing else. Timings are medians of runs
over all cases; the table gives cases per second and the ratio.
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


def median_seconds(run: Any, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


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

    from csc_rules.case import Case, CaseEvent
    from csc_rules.interpreter import evaluate, evaluate_data
    from csc_rules.procedures import load_procedure

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

    def replay_checked_cases() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day, checked=True)

    def replay_cases() -> None:
        for case, day in zip(cases, as_of, strict=True):
            evaluate(procedure, case, day)

    def replay_plain() -> None:
        for case, day in zip(plain, as_of, strict=True):
            evaluate_data(procedure, case, day)

    sample = evaluate(procedure, cases[0], as_of[0])
    deadlines = (
        sum(
            len(evaluate(procedure, c, d).deadlines)
            for c, d in zip(cases[:1000], as_of[:1000], strict=True)
        )
        / 1000
    )
    print(
        f"{len(cases):,} eight-event cases through {procedure.id}, median of {args.repeats} runs; Python {sys.version.split()[0]}"
    )
    print(
        f"on average {deadlines:.1f} deadlines evaluated per case; e.g. {sample.case}: {[e for _, e in sample.events]}\n"
    )
    rows = [
        ("transitions: the events only, one shared machine", drive_transitions),
        ("csc-rules: replay and every deadline (Case objects)", replay_checked_cases),
        ("csc-rules: the same, checking each case's events first", replay_cases),
        ("csc-rules: the same, from plain dicts with text dates", replay_plain),
    ]
    timings = {label: median_seconds(run, args.repeats) for label, run in rows}
    base = timings[rows[0][0]]
    print(f"{'':<56} {'cases/s':>10} {'× transitions':>14}")
    for label, seconds in timings.items():
        print(f"{label:<56} {len(cases) / seconds:>10,.0f} {base / seconds:>14.2f}")


if __name__ == "__main__":
    main()
