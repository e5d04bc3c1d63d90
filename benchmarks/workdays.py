"""Working-day arithmetic: our calendar beside the libraries a user would otherwise reach for.

    pip install '.[bench]' && python benchmarks/workdays.py [--calls N] [--seed S]

Every method gets the same random inputs (start dates 2015-2030, N from 1 to 65) and answers the
same two questions: the N-th working day after a date ("add"), and how many working days fall
after one date up to and including another ("between"). Each answer is checked against ours, and
ours against a day-by-day walk over the `holidays` package's England list; disagreements are
printed with an example. Then a table: the median time per call over batches of 1,000 calls
(vectorised numpy: the whole array at once, divided by its length) and the ratio to ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

BATCH = 1000


def per_call_medians(run_batch: Callable[[Sequence[Any]], Any], inputs: Sequence[Any]) -> float:
    """Median microseconds per call over batches of BATCH calls."""
    samples = []
    for start in range(0, len(inputs), BATCH):
        batch = inputs[start : start + BATCH]
        began = time.perf_counter()
        run_batch(batch)
        samples.append((time.perf_counter() - began) / len(batch) * 1e6)
    return statistics.median(samples)


def vectorised_median(run_all: Callable[[], Any], count: int, repeats: int = 7) -> float:
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        run_all()
        samples.append((time.perf_counter() - began) / count * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--calls", type=int, default=100_000, help="calls per method (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=2006, help="random seed (default 2006)")
    args = parser.parse_args()
    try:
        import holidays
        import numpy as np
        import pandas as pd
        from workalendar.europe import UnitedKingdom
    except ImportError as exc:
        sys.exit(f"{exc.name} is missing: run `pip install '.[bench]'` first")

    from csc_rules.calendars.bank_holidays import region_calendar

    rng = random.Random(args.seed)
    first, last = dt.date(2015, 1, 1).toordinal(), dt.date(2030, 12, 31).toordinal()
    adds = [
        (dt.date.fromordinal(rng.randint(first, last)), rng.randint(1, 65))
        for _ in range(args.calls)
    ]
    spans = [(d, d + dt.timedelta(days=rng.randint(1, 95))) for d, _ in adds]

    began = time.perf_counter()
    ours = region_calendar("ENG", 2015, 2031)
    built_ms = (time.perf_counter() - began) * 1000
    listed = holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2032))
    names = dict(listed)
    holiday_days = sorted(names)

    def walk_add(day: dt.date, n: int) -> dt.date:
        while n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in listed:
                n -= 1
        return day

    def walk_between(a: dt.date, b: dt.date) -> int:
        count = 0
        while a < b:
            a += dt.timedelta(days=1)
            count += a.weekday() < 5 and a not in listed
        return count

    uk = UnitedKingdom()
    busdays = np.busdaycalendar(holidays=holiday_days)
    cbd = pd.offsets.CustomBusinessDay(holidays=holiday_days)
    starts = np.array([d for d, _ in adds], dtype="datetime64[D]")
    counts = np.array([n for _, n in adds])
    lows = np.array([a for a, _ in spans], dtype="datetime64[D]") + 1
    highs = np.array([b for _, b in spans], dtype="datetime64[D]") + 1

    add_methods: dict[str, Callable[[dt.date, int], Any]] = {
        "csc-rules": ours.add,
        "day-by-day walk over holidays": walk_add,
        "workalendar add_working_days": uk.add_working_days,
        "pandas CustomBusinessDay": lambda d, n: (pd.Timestamp(d) + n * cbd).date(),
        "numpy busday_offset, per date": lambda d, n: np.busday_offset(
            d, n, roll="backward", busdaycal=busdays
        ),
    }
    between_methods: dict[str, Callable[[dt.date, dt.date], Any]] = {
        "csc-rules": ours.between,
        "day-by-day walk over holidays": walk_between,
        "workalendar get_working_days_delta": uk.get_working_days_delta,
        "numpy busday_count, per date": lambda a, b: np.busday_count(
            a + dt.timedelta(days=1), b + dt.timedelta(days=1), busdaycal=busdays
        ),
    }
    vector_add = lambda: np.busday_offset(starts, counts, roll="backward", busdaycal=busdays)  # noqa: E731
    vector_between = lambda: np.busday_count(lows, highs, busdaycal=busdays)  # noqa: E731

    print(
        f"{args.calls:,} calls per method, start dates 2015-2030, N 1-65, seed {args.seed}; Python {sys.version.split()[0]}"
    )
    print(
        f"our calendar for 2015-2031 built in {built_ms:.1f} ms (holidays {holidays.__version__}, subdivision ENG)\n"
    )

    expected_add = [ours.add(d, n) for d, n in adds]
    expected_between = [ours.between(a, b) for a, b in spans]
    print("Agreement with csc-rules (and of csc-rules with the England bank-holiday list):")
    answers = {
        name: [method(d, n) for d, n in adds]
        for name, method in add_methods.items()
        if name != "csc-rules"
    }
    answers["numpy busday_offset, vectorised"] = list(vector_add())
    for name, got in answers.items():
        report(f"add: {name}", adds, expected_add, [_as_date(g) for g in got], names)
    counted = {
        name: [method(a, b) for a, b in spans]
        for name, method in between_methods.items()
        if name != "csc-rules"
    }
    counted["numpy busday_count, vectorised"] = list(vector_between())
    for name, got in counted.items():
        report(f"between: {name}", spans, expected_between, [int(g) for g in got], names)

    rows: list[tuple[str, str, float]] = []
    for name, method in add_methods.items():
        rows.append(
            (
                "add",
                name,
                per_call_medians(lambda batch, m=method: [m(d, n) for d, n in batch], adds),
            )
        )
    rows.append(
        ("add", "numpy busday_offset, vectorised", vectorised_median(vector_add, len(adds)))
    )
    for name, method in between_methods.items():
        rows.append(
            (
                "between",
                name,
                per_call_medians(lambda batch, m=method: [m(a, b) for a, b in batch], spans),
            )
        )
    rows.append(
        ("between", "numpy busday_count, vectorised", vectorised_median(vector_between, len(spans)))
    )

    print(f"\n{'':8} {'method':<36} {'median µs/call':>15} {'× csc-rules':>12}")
    for question in ("add", "between"):
        base = next(t for q, n, t in rows if q == question and n == "csc-rules")
        for q, name, median in rows:
            if q == question:
                print(f"{q:8} {name:<36} {median:>15.3f} {median / base:>12.1f}")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def report(
    label: str,
    inputs: Sequence[tuple[Any, Any]],
    expected: Sequence[Any],
    got: Sequence[Any],
    names: dict[dt.date, str],
) -> None:
    wrong = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g]
    if not wrong:
        print(f"  {label:<50} agrees on all {len(expected):,}")
        return
    index, ours, theirs = wrong[0]
    a, b = inputs[index]
    end = max(ours, theirs) if isinstance(ours, dt.date) else b  # add's answers, or between's end
    listed = [d for d in sorted(names) if a < d <= end]
    why = (
        f" (bank holidays in that span: {', '.join(f'{d} {names[d]}' for d in listed)})"
        if listed
        else ""
    )
    print(
        f"  {label:<50} DISAGREES on {len(wrong):,}, e.g. {a} and {b}: csc-rules {ours}, it {theirs}{why}"
    )


if __name__ == "__main__":
    main()
