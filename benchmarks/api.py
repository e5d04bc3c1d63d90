"""HTTP API throughput: `POST /cases/evaluate` (one case a request) and
`POST /cases/evaluate-batch` (JSON lines in, JSON lines out, streamed) with 1, 8 and 64
concurrent clients against `csc-rules serve` on 127.0.0.1, beside the in-process rate of the
same work, and the server's memory after 1,000 and after 100,000 requests, in the same run.

    pip install '.[server]' && python benchmarks/api.py [--workers N] [--repeat R] [--json]
    python benchmarks/api.py --quick     # a smoke run: few requests, well under a minute

The script starts `csc-rules serve` on a free loopback port (one worker unless --workers says
otherwise), waits for GET /health, and stops it at the end, on Ctrl-C and on errors too. The
load generator is asyncio over raw keep-alive HTTP/1.1 connections, one persistent connection
a client, so the client stays cheap beside the server: each client writes a request, reads the
status line and headers, then the body by Content-Length or by chunked decoding, and checks
that the status is 200 and the body JSON (for a batch, every line, none an error). Each
measurement warms every connection up first, then times a fixed number of requests (split over
the clients, each client at least one) and stops early at --seconds. Latency is the time from
writing a request to reading the last byte of its answer.

The single-case requests are examples/sefton-late-acknowledgement.yaml sent as JSON, and a mix
of it with the three cases of examples/cases.jsonl (four procedures), taken in turn; a batch is
--batch-size lines of examples/cases.jsonl repeated with distinct case ids. Everything is
evaluated `as_of` 2025-06-01. The in-process rates run the same cases in this process without
HTTP: `evaluate_text` alone, and with the JSON the route writes (for a batch, `evaluate_lines`
and each line's JSON). Rounds are interleaved, so a slow spell on a shared machine falls on all
rows alike; the table gives medians over --repeat rounds, each row's cases per second as a
ratio to its in-process rate, and the CPU the server and the client used, in % of one core.

Memory is measured first, on the freshly started server: its resident set (VmRSS from /proc,
summed over the server and any worker processes) after 1,000 requests to POST /cases/evaluate
from 8 clients and after --memory-requests (100,000 unless given), with checkpoints between.
The claim checked: memory after 100,000 requests equals memory after 1,000, within --tolerance
MiB (5 unless given). With --workers > 1 the connections need not reach every worker in the
first 1,000 requests, and a worker that loads its procedures later adds its tens of MiB once;
the figures by process say which.

The default run takes about 2.5 minutes on a 2-core machine (the memory phase about 50 s of
them, at some 2,000 requests a second); --quick about 10 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from serving import ROOT, Server, run_stopping_servers

AS_OF = "2025-06-01"
CLIENTS = (1, 8, 64)


# -- the load generator -----------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    label: str
    method: str
    path: str
    content_type: str
    bodies: tuple[bytes, ...]  # taken in turn, each client from its own starting point
    cases: int  # cases a request carries
    warmup: int  # requests each client makes before the clock starts


class Failed(Exception):
    pass


class Connection:
    """One persistent HTTP/1.1 connection, reopened only if the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            "127.0.0.1", self.port, limit=1 << 22
        )

    async def close(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def call(self, request: bytes) -> tuple[int, bytes]:
        """The status and body of the answer to one request, written whole."""
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        reader = self.reader
        self.writer.write(request)
        await self.writer.drain()
        status_line = await reader.readline()
        if not status_line:
            await self.close()
            raise Failed("the server closed the connection")
        status = int(status_line.split(None, 2)[1])
        length, chunked, closing = None, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                closing = b"close" in value.lower()
        if chunked:
            parts = []
            while True:
                size = int((await reader.readline()).split(b";", 1)[0], 16)
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b"".join(parts)
        elif length is not None:
            body = await reader.readexactly(length)
        else:
            body = await reader.read()  # to the end of the connection
            closing = True
        if closing:
            await self.close()
        return status, body


def check(endpoint: Endpoint, status: int, body: bytes) -> str | None:
    """Why an answer is wrong, or None: a 200 whose body is JSON (every line, for a batch)."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    try:
        if endpoint.cases == 1 and not endpoint.content_type.endswith("ndjson"):
            answer = json.loads(body)
            return None if isinstance(answer, dict) else "not a JSON object"
        lines = body.splitlines()
        if len(lines) != endpoint.cases:
            return f"{len(lines)} lines for {endpoint.cases} cases"
        for line in lines:
            if "error" in json.loads(line):
                return f"a case answered with an error: {line[:200]!r}"
    except ValueError as exc:
        return f"not JSON: {exc}"
    return None


@dataclass
class Measurement:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    cut_short: bool = False

    def fail(self, why: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or why


def request_bytes(endpoint: Endpoint, port: int) -> list[bytes]:
    query = f"?as_of={AS_OF}" if endpoint.method == "POST" else ""
    made = []
    for body in endpoint.bodies:
        head = (
            f"{endpoint.method} {endpoint.path}{query} HTTP/1.1\r\n"
            f"host: 127.0.0.1:{port}\r\n"
            f"content-type: {endpoint.content_type}\r\n"
            f"content-length: {len(body)}\r\n"
            "accept: */*\r\n\r\n"
        )
        made.append(head.encode() + body)
    return made


async def load(
    server: Server, endpoint: Endpoint, clients: int, total: int, seconds: float
) -> Measurement:
    """`total` requests (at least one a client) from `clients` connections, after a warm-up;
    no request starts after `seconds`."""
    requests = request_bytes(endpoint, server.port)
    each = max(1, math.ceil(total / clients))
    found = Measurement()
    connections = [Connection(server.port) for _ in range(clients)]
    timeout = max(60.0, seconds)

    async def one(connection: Connection, request: bytes, timed: bool) -> None:
        began = time.perf_counter()
        try:
            status, body = await asyncio.wait_for(connection.call(request), timeout)
        except (
            OSError,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.TimeoutError,
            Failed,
        ) as exc:
            await connection.close()
            found.fail(f"{type(exc).__name__}: {exc}")
            return
        finished = time.perf_counter()
        why = check(endpoint, status, body)
        if why is not None:
            found.fail(why)
        if timed:
            found.latencies.append(finished - began)

    async def warm(number: int, connection: Connection) -> None:
        for n in range(endpoint.warmup):
            await one(connection, requests[(number + n) % len(requests)], False)

    async def run(number: int, connection: Connection, deadline: float) -> None:
        for n in range(each):
            if time.perf_counter() >= deadline:
                found.cut_short = True
                return
            await one(connection, requests[(number + n) % len(requests)], True)

    try:
        await asyncio.gather(*(c.open() for c in connections))
        await asyncio.gather(*(warm(n, c) for n, c in enumerate(connections)))
        found.errors, found.first_error = 0, None  # only the timed requests count
        cpu, own = server.cpu(), time.process_time()
        began = time.perf_counter()
        deadline = began + seconds
        await asyncio.gather(*(run(n, c, deadline) for n, c in enumerate(connections)))
        found.seconds = time.perf_counter() - began
        found.server_cpu, found.client_cpu = server.cpu() - cpu, time.process_time() - own
    finally:
        await asyncio.gather(*(c.close() for c in connections))
    found.requests = len(found.latencies)
    return found


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# -- the cases --------------------------------------------------------------------------------


def cases() -> tuple[str, list[str]]:
    """The Sefton case as JSON text, and the lines of examples/cases.jsonl."""
    import yaml

    sefton = yaml.safe_load((ROOT / "examples/sefton-late-acknowledgement.yaml").read_text())
    lines = (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()
    return json.dumps(sefton, default=str), [line for line in lines if line.strip()]


def batch(lines: list[str], size: int) -> str:
    """`size` JSON lines: the examples in turn, each with a case id of its own."""
    out = []
    for n in range(size):
        case = json.loads(lines[n % len(lines)])
        case["case"] = f"{case.get('case', 'CASE')}-{n + 1}"
        out.append(json.dumps(case) + "\n")
    return "".join(out)


def in_process(texts: list[str], count: int, as_of: dt.date, serialise: bool) -> float:
    """Seconds to evaluate `count` cases with `evaluate_text`, the texts taken in turn, and
    (with `serialise`) to write each result's JSON as the route does."""
    from csc_rules.application.cases import evaluate_text

    began = time.perf_counter()
    for n in range(count):
        outcome = evaluate_text(texts[n % len(texts)], as_of)
        if outcome.result is None:
            raise SystemExit(f"in-process: a case did not evaluate: {outcome.problems[:1]}")
        if serialise:
            json.dumps(outcome.result.to_json(), ensure_ascii=False)
    return time.perf_counter() - began


def in_process_batch(body: str, count: int, as_of: dt.date) -> float:
    """Seconds to answer `count` cases as the batch route does, line by line, without HTTP."""
    from csc_rules.application.cases import evaluate_lines, outcome_json

    lines = [line.encode() for line in body.splitlines(keepends=True)]
    rounds = max(1, count // len(lines))
    began = time.perf_counter()
    for _ in range(rounds):
        for number, line in enumerate(lines, 1):
            [outcome] = list(evaluate_lines([line], as_of, first=number))
            (json.dumps(outcome_json(outcome), ensure_ascii=False) + "\n").encode()
    return (time.perf_counter() - began) * count / (rounds * len(lines))


# -- the run ----------------------------------------------------------------------------------


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def memory(server: Server, endpoint: Endpoint, total: int, seconds: float) -> dict[str, Any]:
    """RSS after 1,000 requests from 8 clients, and at checkpoints up to `total`."""
    checkpoints = sorted({n for n in (1_000, total // 10, total // 4, total // 2, total)})
    checkpoints = [n for n in checkpoints if n >= 1_000] or [1_000]
    done, errors, first_error, began = 0, 0, None, time.perf_counter()
    sizes: dict[int, int] = {}
    each: dict[int, dict[int, int]] = {}
    busy, cut_short = 0.0, False
    for checkpoint in checkpoints:
        timed = max(8, checkpoint - done - 8 * endpoint.warmup)  # the warm-up counts too
        part = asyncio.run(load(server, endpoint, 8, timed, seconds))
        done += part.requests + 8 * endpoint.warmup
        cut_short = cut_short or part.cut_short
        errors += part.errors
        first_error = first_error or part.first_error
        busy += part.seconds
        each[done] = server.memory_each()
        sizes[done] = sum(each[done].values())
        note(f"  memory: {done:>9,} requests, RSS {sizes[done] / 2**20:.1f} MiB")
    counts = sorted(sizes)
    first, last = sizes[counts[0]], sizes[counts[-1]]
    return {
        "requests": counts[-1],
        "clients": 8,
        "rss_bytes": {str(n): sizes[n] for n in counts},
        "rss_bytes_by_process": {str(n): {str(p): b for p, b in each[n].items()} for n in counts},
        "first": counts[0],
        "last": counts[-1],
        "difference_bytes": last - first,
        "difference_percent": 100 * (last - first) / first,
        "requests_per_second": done / busy if busy else 0.0,
        "seconds": time.perf_counter() - began,
        "errors": errors,
        "first_error": first_error,
        "cut_short": cut_short,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (1)")
    parser.add_argument("--repeat", type=int, help="rounds of every measurement (3; quick 1)")
    parser.add_argument(
        "--requests", type=int, help="timed single-case requests a measurement (5000; quick 300)"
    )
    parser.add_argument(
        "--batch-requests", type=int, help="timed batch requests a measurement (192; quick 64)"
    )
    parser.add_argument("--batch-size", type=int, default=100, help="cases a batch (100)")
    parser.add_argument(
        "--memory-requests",
        type=int,
        help="requests before the last memory reading (100000; quick 5000)",
    )
    parser.add_argument("--tolerance", type=float, default=5.0, help="MiB memory may differ by (5)")
    parser.add_argument(
        "--in-process", type=int, help="cases a round of each in-process loop (20000; quick 2000)"
    )
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="most seconds a measurement runs (30)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few requests")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    started = time.perf_counter()
    quick = args.quick
    repeat = args.repeat or (1 if quick else 3)
    singles = args.requests or (300 if quick else 5_000)
    batches = args.batch_requests or (64 if quick else 192)
    memory_requests = args.memory_requests or (5_000 if quick else 100_000)
    own_cases = args.in_process or (2_000 if quick else 20_000)

    sefton, lines = cases()
    mix = [sefton, *lines]
    body = batch(lines, args.batch_size)
    endpoints = [
        Endpoint(
            "evaluate (1 case)",
            "POST",
            "/cases/evaluate",
            "application/json",
            (sefton.encode(),),
            1,
            3,
        ),
        Endpoint(
            f"evaluate (mix of {len(mix)})",
            "POST",
            "/cases/evaluate",
            "application/json",
            tuple(t.encode() for t in mix),
            1,
            3,
        ),
        Endpoint(
            f"evaluate-batch ({args.batch_size})",
            "POST",
            "/cases/evaluate-batch",
            "application/x-ndjson",
            (body.encode(),),
            args.batch_size,
            1,
        ),
    ]
    as_of = dt.date.fromisoformat(AS_OF)
    in_process_rows: dict[str, Any] = {
        "evaluate_text (1 case)": lambda n: in_process([sefton], n, as_of, False),
        "evaluate_text + JSON (1 case)": lambda n: in_process([sefton], n, as_of, True),
        f"evaluate_text + JSON (mix of {len(mix)})": lambda n: in_process(mix, n, as_of, True),
        f"evaluate_lines + JSON (batch of {args.batch_size})": lambda n: in_process_batch(
            body, n, as_of
        ),
    }
    # which in-process rate each HTTP row is set beside
    beside = {
        endpoints[0].label: "evaluate_text + JSON (1 case)",
        endpoints[1].label: f"evaluate_text + JSON (mix of {len(mix)})",
        endpoints[2].label: f"evaluate_lines + JSON (batch of {args.batch_size})",
    }

    for run in in_process_rows.values():
        run(1_000)  # before the clock: to load and compile the procedures, and warm up
    samples: dict[tuple[str, int], list[Measurement]] = {}
    own: dict[str, list[float]] = {label: [] for label in in_process_rows}
    note(f"csc-rules serve --workers {args.workers} on 127.0.0.1, {os.cpu_count()} cores")
    # Every client of the load generator calls from 127.0.0.1: that one address may hold as many
    # connections as the server takes (the default, 50, is for a council's network).
    options = ["--workers", str(args.workers), "--max-client-connections", "1000"]
    with Server(options) as server:
        note(f"  listening on port {server.port}, RSS {server.memory() / 2**20:.1f} MiB at start")
        held = memory(server, endpoints[1], memory_requests, max(args.seconds, 600.0))
        for round_ in range(repeat):
            note(f"  round {round_ + 1} of {repeat}")
            for endpoint in endpoints:
                total = batches if endpoint.cases > 1 else singles
                for clients in CLIENTS:
                    m = asyncio.run(load(server, endpoint, clients, total, args.seconds))
                    samples.setdefault((endpoint.label, clients), []).append(m)
                    note(
                        f"    {endpoint.label:<24} {clients:>3} clients: "
                        f"{m.requests / m.seconds:>8,.1f} req/s, {m.errors} errors"
                    )
            for label, run in in_process_rows.items():
                own[label].append(own_cases / run(own_cases))
    elapsed = time.perf_counter() - started

    rows: list[dict[str, Any]] = []
    for endpoint in endpoints:
        rate = statistics.median(own[beside[endpoint.label]])
        for clients in CLIENTS:
            ms = samples[(endpoint.label, clients)]
            per_second = statistics.median(m.requests / m.seconds for m in ms)
            rows.append(
                {
                    "endpoint": endpoint.label,
                    "clients": clients,
                    "requests_per_second": per_second,
                    "cases_per_second": per_second * endpoint.cases,
                    "p50_ms": statistics.median(1000 * percentile(m.latencies, 50) for m in ms),
                    "p99_ms": statistics.median(1000 * percentile(m.latencies, 99) for m in ms),
                    "ratio_to_in_process": per_second * endpoint.cases / rate,
                    "in_process": beside[endpoint.label],
                    "server_cpu_percent": statistics.median(
                        100 * m.server_cpu / m.seconds for m in ms
                    ),
                    "server_cpu_us_per_case": statistics.median(
                        1e6 * m.server_cpu / (m.requests * endpoint.cases) for m in ms
                    ),
                    "client_cpu_percent": statistics.median(
                        100 * m.client_cpu / m.seconds for m in ms
                    ),
                    "requests_timed": [m.requests for m in ms],
                    "errors": sum(m.errors for m in ms),
                    "first_error": next((m.first_error for m in ms if m.first_error), None),
                    "cut_short": any(m.cut_short for m in ms),
                }
            )
    in_process_rates = {label: statistics.median(v) for label, v in own.items()}
    tolerance = args.tolerance * 2**20
    holds = abs(held["difference_bytes"]) <= tolerance and held["errors"] == 0
    figures = {
        "workers": args.workers,
        "cores": os.cpu_count(),
        "as_of": AS_OF,
        "repeat": repeat,
        "seconds": elapsed,
        "rows": rows,
        "in_process_cases_per_second": in_process_rates,
        "memory": {**held, "tolerance_mib": args.tolerance, "holds": holds},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return

    print(
        f"csc-rules serve --workers {args.workers}, 127.0.0.1, {os.cpu_count()} cores, "
        f"as_of {AS_OF}; medians of {repeat} rounds; {elapsed:.0f} s in all"
    )
    print(
        f"{'endpoint':<24} {'clients':>7} {'req/s':>8} {'cases/s':>8} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'÷ in-proc':>9} {'srv CPU':>7} {'cli CPU':>7} {'errors':>6}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:<24} {r['clients']:>7} {r['requests_per_second']:>8,.0f} "
            f"{r['cases_per_second']:>8,.0f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.1f} "
            f"{r['ratio_to_in_process']:>9.3f} {r['server_cpu_percent']:>6.0f}% "
            f"{r['client_cpu_percent']:>6.0f}% {r['errors']:>6}"
            + ("  (cut short)" if r["cut_short"] else "")
        )
    print()
    print(f"in process, no HTTP (cases/s, median of {repeat}, {own_cases:,} cases a round)")
    for label, rate in in_process_rates.items():
        print(f"  {label:<40} {rate:>8,.0f}")
    bare = in_process_rates["evaluate_text (1 case)"]
    for endpoint in endpoints:
        mine = [r for r in rows if r["endpoint"] == endpoint.label]
        best = max(mine, key=lambda r: r["cases_per_second"])
        work = 1e6 / in_process_rates[best["in_process"]]
        print(
            f"  {endpoint.label}: best over HTTP {best['cases_per_second']:,.0f} cases/s "
            f"({best['clients']} clients), {best['ratio_to_in_process']:.3f} of "
            f"{best['in_process']} ({1 / best['ratio_to_in_process']:.1f} times slower); "
            f"the server spends {best['server_cpu_us_per_case']:.0f} µs of CPU a case, "
            f"{work:.0f} µs of it the work itself"
        )
    single = rows[0]
    print(
        f"  one case, one client: {single['cases_per_second'] / bare:.3f} of evaluate_text "
        f"alone ({bare:,.0f} cases/s)"
    )
    print()
    sizes = held["rss_bytes"]
    mib = {int(n): b / 2**20 for n, b in sizes.items()}
    first, last = held["first"], held["last"]
    print(
        f"memory (server RSS, POST /cases/evaluate, 8 clients, "
        f"{held['requests_per_second']:,.0f} req/s, {held['errors']} errors)"
    )
    print("  " + ", ".join(f"{n:,}: {v:.1f} MiB" for n, v in mib.items()))
    by_process = held["rss_bytes_by_process"]
    if len(by_process[str(last)]) > 1:
        for n in (first, last):
            print(
                f"  by process after {n:,}: "
                + ", ".join(f"{p} {b / 2**20:.1f}" for p, b in by_process[str(n)].items())
                + " MiB"
            )
    print(f"  after {first:>9,} requests {mib[first]:>8.1f} MiB")
    print(f"  after {last:>9,} requests {mib[last]:>8.1f} MiB")
    print(
        f"  difference {mib[last] - mib[first]:+.1f} MiB ({held['difference_percent']:+.1f}%): "
        f"'memory after {last:,} requests equals memory after {first:,}' "
        + (
            f"holds within {args.tolerance:g} MiB"
            if holds
            else f"does not hold within {args.tolerance:g} MiB"
        )
    )
    failures = [r for r in rows if r["errors"]]
    if failures or held["errors"]:
        print()
        for r in failures:
            print(
                f"ERRORS: {r['endpoint']}, {r['clients']} clients: {r['errors']}, first: {r['first_error']}"
            )
        if held["errors"]:
            print(f"ERRORS in the memory run: {held['errors']}, first: {held['first_error']}")


if __name__ == "__main__":
    run_stopping_servers(main)
