"""The server under attack: how `/health` answers, and how much memory the server holds, while
each of issue 28's denial-of-service attacks runs against `csc-rules serve` on 127.0.0.1.

    pip install '.[server]' && python benchmarks/attacks.py [--seconds S] [--only NAME] [--json]
    python benchmarks/attacks.py --scale tiny --seconds 2    # a smoke run, under a minute

Each attack gets a freshly started server (`--max-connections 200` unless told otherwise), so
memory and log figures belong to that attack alone and one attack's damage does not spill into
the next. First a baseline: --calls back-to-back GET /health calls on an idle server, their
median and 95th percentile latency, and its resident memory. Then, for each attack, a watcher
thread calls GET /health every 100 ms (a new connection each time, 10 s timeout) while the
attack runs for --seconds; the attacker then has --grace seconds more to read its answers. The
table gives, for each attack: /health's median, 95th percentile and worst latency; the share of
its calls that failed or were answered other than 200 (and how); the server's resident memory
at start and its peak (VmHWM, summed over its processes); the lines (and tracebacks) it wrote
to its log during the attack; and what the attacker got.

The attacks, all bounded in bytes and time (sizes are for --scale 1):
  headers       header lines on one connection that never end, up to 50 MB or until the
                server closes or stops reading
  idle          --connections idle sockets (200: all of --max-connections), held; with
                --reopen, each one the server closes is opened again
  slowloris     --connections sockets, each sending one header byte a second (--reopen too)
  unknown-keys  a 1 MB JSON case of some 116,000 unknown keys to /cases/evaluate, 8 at once,
                again and again
  blank-lines   a 100 MB stream of newlines to /cases/evaluate-batch
  one-lines     a 200 KB batch of `1` lines, again and again: answer bytes per request byte
  long-id       a case whose id is 60 KB, again and again: how often the answer echoes it
  disconnect    clients that send half a body and hang up, 20 a second, alternating between
                /cases/evaluate and /cases/evaluate-batch: what the log says of them

The attacker connects from 127.0.0.2 and the watcher from 127.0.0.1, as two machines would.
Every socket has a timeout, and the whole run is bounded: at most (seconds + grace + 90) s an
attack, the 90 s being the server's start-up and stop and the last /health call. The servers'
output goes to temporary files whose size is printed at the end (log flooding). Figures on a
machine shared with other work move with its load: compare medians, and outcomes (statuses,
sizes), not single timings.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import math
import os
import select
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from serving import ROOT, Server, run_stopping_servers

AS_OF = "2025-06-01"
SCALES = {"tiny": 0.01, "small": 0.1, "full": 1.0}
MB = 1_000_000
SOCKET_TIMEOUT = 5.0  # any one send or receive of an attacker


# -- /health, watched -------------------------------------------------------------------------


def health(port: int, timeout: float) -> tuple[float, str]:
    """Seconds one GET /health took on a new connection, and "200" or why it failed."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/health")
        answer = connection.getresponse()
        answer.read()
        outcome = str(answer.status)
    except (OSError, http.client.HTTPException) as exc:
        outcome = type(exc).__name__
    finally:
        connection.close()
    return time.perf_counter() - began, outcome


@dataclass
class Calls:
    latencies: list[float] = field(default_factory=list)
    outcomes: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, seconds: float, outcome: str) -> None:
        self.latencies.append(seconds)
        self.outcomes[outcome] += 1

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.latencies) or [math.nan]
        failed = {k: v for k, v in sorted(self.outcomes.items()) if k != "200"}
        return {
            "calls": len(self.latencies),
            "median_ms": 1000 * statistics.median(ordered),
            "p95_ms": 1000 * ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],
            "worst_ms": 1000 * ordered[-1],
            "failed": sum(failed.values()),
            "failed_share": sum(failed.values()) / max(1, len(self.latencies)),
            "failures": failed,
        }


class Watcher(threading.Thread):
    """Calls GET /health every `interval` seconds (or at once after a slower call) until
    stopped."""

    def __init__(self, port: int, interval: float = 0.1, timeout: float = 10.0) -> None:
        super().__init__(daemon=True)
        self.port, self.interval, self.timeout = port, interval, timeout
        self.calls = Calls()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            seconds, outcome = health(self.port, self.timeout)
            self.calls.add(seconds, outcome)
            self.stopping.wait(max(0.0, self.interval - seconds))

    def finish(self) -> Calls:
        self.stopping.set()
        self.join(self.timeout + 5)
        return self.calls


# -- the attacker's tools ---------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    port: int
    until: float  # time.monotonic() at which the attack stops starting anything
    grace: float  # seconds after `until` to read answers already asked for
    scale: float
    connections: int
    reopen: bool

    def left(self, grace: bool = False) -> float:
        return self.until + (self.grace if grace else 0.0) - time.monotonic()


# The attacker calls from another loopback address than the /health watcher, as an attacker on
# a council's network calls from another machine than its staff: the server's bound on the
# connections one address may hold is then what it is in use.
ATTACKER = "127.0.0.2"


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(
        ("127.0.0.1", port), timeout=SOCKET_TIMEOUT, source_address=(ATTACKER, 0)
    )
    sock.settimeout(SOCKET_TIMEOUT)
    return sock


def head(method: str, path: str, port: int, length: int, kind: str) -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {kind}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def answer(sock: socket.socket, until: float, keep: bool = False) -> tuple[str, int, bytes]:
    """The status of the answer on `sock` (or why there is none), the bytes of its body read
    before `until`, and (with `keep`) the body. A slow server is waited for until `until`."""
    sock.settimeout(max(0.2, until - time.monotonic()))
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
    except (OSError, http.client.HTTPException) as exc:
        return f"no answer ({type(exc).__name__})", 0, b""
    status, size, parts = str(response.status), 0, []
    try:
        while chunk := response.read(1 << 20):
            size += len(chunk)
            if keep:
                parts.append(chunk)
            if time.monotonic() > until:
                return f"{status}, cut short by the attacker", size, b"".join(parts)
            sock.settimeout(max(0.2, until - time.monotonic()))
    except (OSError, http.client.HTTPException) as exc:
        status += f" then {type(exc).__name__}"
    return status, size, b"".join(parts)


@dataclass(frozen=True)
class Got:
    status: str
    sent: int
    received: int
    seconds: float
    body: bytes = b""


def post(attack: Attack, path: str, body: bytes, kind: str, keep: bool = False) -> Got:
    """One POST, its body written whole (or until the server stops taking it), its answer read
    until the attack's grace runs out."""
    began = time.monotonic()
    try:
        sock = connect(attack.port)
    except OSError as exc:
        return Got(f"no connection ({type(exc).__name__})", 0, 0, time.monotonic() - began)
    with sock:
        query = f"{path}?as_of={AS_OF}"
        # the server may answer early and close: its answer is read below all the same
        with contextlib.suppress(OSError):
            sock.sendall(head("POST", query, attack.port, len(body), kind) + body)
        status, size, kept = answer(sock, attack.until + attack.grace, keep)
    return Got(status, len(body), size, time.monotonic() - began, kept)


def readable(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def mb(size: float) -> str:
    return f"{size / MB:.2f} MB" if size >= 10_000 else f"{size:.0f} B"


def tally(gots: list[Got]) -> str:
    statuses = collections.Counter(g.status for g in gots)
    return ", ".join(f"{n}x {s}" for s, n in statuses.most_common())


def case_line(case_id: str | None = None) -> dict[str, Any]:
    first = (ROOT / "examples/cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
    case: dict[str, Any] = json.loads(first)
    if case_id is not None:
        case["case"] = case_id
    return case


# -- the attacks ------------------------------------------------------------------------------


def endless_headers(attack: Attack) -> str:
    limit = int(50 * MB * attack.scale)
    chunk = (b"X-Filler: " + b"a" * 1000 + b"\r\n") * 64
    began, sent, why = time.monotonic(), 0, f"the attacker's limit of {mb(limit)}"
    with connect(attack.port) as sock:
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{attack.port}\r\n".encode())
        while sent < limit:
            if attack.left() <= 0:
                why = "the attacker's time"
                break
            if readable(sock):
                why = "the server answering"
                break
            try:
                sock.sendall(chunk)
            except TimeoutError:
                why = f"the server not reading for {SOCKET_TIMEOUT:g} s"
                break
            except OSError as exc:
                why = f"the server closing ({type(exc).__name__})"
                break
            sent += len(chunk)
        took = time.monotonic() - began
        status, size, _ = answer(sock, time.monotonic() + 2)
    return f"sent {mb(sent)} in {took:.1f} s, stopped by {why}; got {status}, {mb(size)}"


def hold(attack: Attack, drip: bool) -> str:
    """`attack.connections` sockets held open, idle or sending a header byte a second, for the
    attack's whole time; with `attack.reopen`, each one the server ends is opened again."""
    socks: dict[socket.socket, float] = {}
    refused: collections.Counter[str] = collections.Counter()
    ended: dict[str, list[float]] = collections.defaultdict(list)
    began, opened = time.monotonic(), 0

    def open_one() -> None:
        nonlocal opened
        try:
            sock = connect(attack.port)
            if drip:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            socks[sock], opened = time.monotonic(), opened + 1
        except OSError as exc:
            refused[type(exc).__name__] += 1

    for _ in range(attack.connections):
        open_one()
    while attack.left() > 0:
        for sock in list(socks):
            gone = None
            try:
                if readable(sock):
                    data = sock.recv(200)
                    gone = f"answered {data.split(b' ', 2)[1].decode()}" if data else "closed"
                elif drip:
                    sock.send(b"a")
            except (OSError, IndexError, UnicodeDecodeError) as exc:
                gone = f"closed ({type(exc).__name__})"
            if gone:
                ended[gone].append(time.monotonic() - socks.pop(sock))
                sock.close()
                if attack.reopen:
                    open_one()
        time.sleep(min(1.0, max(0.0, attack.left())))
    for sock in socks:
        sock.close()
    parts = [f"{opened} opened" + (" (each one ended opened again)" if attack.reopen else "")]
    parts += [f"{n} refused ({why})" for why, n in refused.items()]
    parts += [
        f"{len(t)} {why} after {statistics.median(t):.1f} s (median)" for why, t in ended.items()
    ]
    parts.append(f"{len(socks)} still held after {time.monotonic() - began:.0f} s")
    return ", ".join(parts)


def unknown_keys_body(size: int) -> bytes:
    """A case (procedure, events) with as many short unknown keys as fit in `size` bytes."""
    case = json.dumps(case_line()).encode()
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # no field of a case is upper case

    def names() -> Iterator[str]:
        for width in range(1, 6):
            for n in range(36**width):
                name, rest = "", n
                for _ in range(width):
                    name, rest = digits[rest % 36] + name, rest // 36
                yield name

    keys, room = [], size - len(case) - 2
    for name in names():
        room -= len(name) + 5  # "NAME":0,
        if room < 0:
            break
        keys.append(f'"{name}":0')
    return case[:-1] + b"," + ",".join(keys).encode() + b"}"


def together(attack: Attack, clients: int, one: Callable[[], Got]) -> list[Got]:
    """`clients` threads, each calling `one` again and again until the attack's time is up."""
    gots: list[Got] = []

    def client() -> None:
        while attack.left() > 0:
            gots.append(one())

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(attack.left(grace=True) + SOCKET_TIMEOUT + 5)
    return gots


def unknown_keys(attack: Attack) -> str:
    body = unknown_keys_body(min(999_000, int(MB * attack.scale)))
    count = body.count(b'":0')
    gots = together(attack, 8, lambda: post(attack, "/cases/evaluate", body, "application/json"))
    if not gots:
        return "no request finished"
    return (
        f"{len(gots)} requests of {mb(len(body))} ({count:,} unknown keys), 8 at once: "
        f"{tally(gots)}; answers median {mb(statistics.median(g.received for g in gots))}, "
        f"largest {mb(max(g.received for g in gots))}, "
        f"median {statistics.median(g.seconds for g in gots):.1f} s, "
        f"slowest {max(g.seconds for g in gots):.1f} s"
    )


def blank_lines(attack: Attack) -> str:
    total = int(100 * MB * attack.scale)
    chunk = b"\n" * min(total, MB)
    began, sent, why = time.monotonic(), 0, "all of it sent"
    path = f"/cases/evaluate-batch?as_of={AS_OF}"
    with connect(attack.port) as sock:
        sock.sendall(head("POST", path, attack.port, total, "application/x-ndjson"))
        while sent < total:
            if attack.left() <= 0:
                why = "the attacker's time"
                break
            try:
                sock.sendall(chunk[: total - sent])
            except OSError as exc:
                why = f"the server stopping it ({type(exc).__name__})"
                break
            sent += min(len(chunk), total - sent)
        took = time.monotonic() - began
        # a body cut short is never answered whole: only what came early is looked at
        status, size, _ = answer(sock, time.monotonic() + (attack.grace if sent == total else 1))
    return (
        f"sent {mb(sent)} of {mb(total)} newlines in {took:.1f} s ({why}); "
        f"got {status}, {mb(size)} after {time.monotonic() - began:.1f} s"
    )


def one_lines(attack: Attack) -> str:
    body = b"1\n" * int(100_000 * attack.scale)
    gots = together(
        attack, 1, lambda: post(attack, "/cases/evaluate-batch", body, "application/x-ndjson")
    )
    if not gots:
        return "no request finished"
    first = gots[0]
    return (
        f"{len(gots)} batches of {mb(len(body))}: {tally(gots)}; the first answered "
        f"{mb(first.received)} ({first.received / len(body):.0f} bytes an asked byte); "
        f"median {statistics.median(g.seconds for g in gots):.1f} s a batch"
    )


def long_id(attack: Attack) -> str:
    case_id = "A" * int(60_000 * attack.scale)
    body = json.dumps(case_line(case_id)).encode()
    gots = together(
        attack,
        1,
        lambda: post(attack, "/cases/evaluate", body, "application/json", keep=True),
    )
    if not gots:
        return "no request finished"
    first = gots[0]
    return (
        f"{len(gots)} requests of {mb(len(body))}: {tally(gots)}; the first answered "
        f"{mb(first.received)}, echoing the id {first.body.count(case_id.encode())} times; "
        f"median {1000 * statistics.median(g.seconds for g in gots):.1f} ms a request"
    )


def disconnect(attack: Attack) -> str:
    body = json.dumps(case_line()).encode()
    half = (body * (1 + 20_000 // len(body)))[:20_000]
    routes = (
        ("/cases/evaluate", "application/json"),
        ("/cases/evaluate-batch", "application/x-ndjson"),
    )
    done, failed = 0, 0
    while attack.left() > 0:
        path, kind = routes[done % 2]
        try:
            with connect(attack.port) as sock:
                sock.sendall(head("POST", f"{path}?as_of={AS_OF}", attack.port, 40_000, kind))
                sock.sendall(half)
            done += 1
        except OSError:
            failed += 1
        time.sleep(0.05)
    return f"{done} clients hung up half-way through a 40 KB body ({failed} could not connect)"


ATTACKS: dict[str, Callable[[Attack], str]] = {
    "headers": endless_headers,
    "idle": lambda attack: hold(attack, drip=False),
    "slowloris": lambda attack: hold(attack, drip=True),
    "unknown-keys": unknown_keys,
    "blank-lines": blank_lines,
    "one-lines": one_lines,
    "long-id": long_id,
    "disconnect": disconnect,
}


# -- the run ----------------------------------------------------------------------------------


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def baseline(options: list[str], calls: int) -> dict[str, Any]:
    with Server(options) as server:
        found = Calls()
        for _ in range(calls):
            found.add(*health(server.port, 10.0))
        return {
            "attack": "baseline",
            **found.figures(),
            "rss_start_mib": server.memory("VmRSS") / 2**20,
            "rss_peak_mib": server.memory("VmHWM") / 2**20,
            "log_lines": 0,
            "tracebacks": 0,
            "log_bytes": len(server.logged()),
            "attacker": f"{calls} GET /health calls one after another, nothing else",
        }


def run_attack(name: str, options: list[str], args: argparse.Namespace) -> dict[str, Any]:
    with Server(options) as server:
        start = server.memory("VmRSS")
        logged = len(server.logged())
        watcher = Watcher(server.port)
        watcher.start()
        attack = Attack(
            server.port,
            time.monotonic() + args.seconds,
            args.grace,
            args.scale,
            args.connections,
            args.reopen,
        )
        try:
            got = ATTACKS[name](attack)
        except OSError as exc:
            got = f"the attack failed: {type(exc).__name__}: {exc}"
        calls = watcher.finish()
        peak = server.memory("VmHWM")
        written = server.logged()[logged:]
        return {
            "attack": name,
            **calls.figures(),
            "rss_start_mib": start / 2**20,
            "rss_peak_mib": peak / 2**20,
            "log_lines": written.count(b"\n"),
            "tracebacks": written.count(b"Traceback"),
            "log_bytes": logged + len(written),
            "attacker": got,
        }


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'attack':<13} {'p50 ms':>8} {'p95 ms':>8} {'worst ms':>9} {'failed':>14} "
        f"{'RSS MiB':>7} {'peak':>6} {'log lines':>9} {'tb':>4}  what the attacker got"
    ]
    for r in rows:
        failed = f"{r['failed']} of {r['calls']}"
        lines.append(
            f"{r['attack']:<13} {r['median_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['worst_ms']:>9.0f} "
            f"{failed:>14} {r['rss_start_mib']:>7.1f} {r['rss_peak_mib']:>6.1f} "
            f"{r['log_lines']:>9} {r['tracebacks']:>4}  {r['attacker']}"
        )
    lines.append("")
    for r in rows:
        if r["failures"]:
            how = ", ".join(f"{n}x {why}" for why, n in r["failures"].items())
            lines.append(f"{r['attack']}: /health calls that failed: {how}")
    return "\n".join(lines)


def scale(text: str) -> float:
    if text in SCALES:
        return SCALES[text]
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a number, or one of {list(SCALES)}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the scale is more than 0 and at most 1")
    return value


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds an attack runs (15)")
    parser.add_argument(
        "--grace", type=float, default=15.0, help="seconds more to read answers (15)"
    )
    parser.add_argument(
        "--only", action="append", choices=list(ATTACKS), help="run this attack; repeatable"
    )
    parser.add_argument(
        "--scale", type=scale, default=1.0, help="shrink every size: 0-1, tiny, small, full (1)"
    )
    parser.add_argument(
        "--max-connections", type=int, default=200, help="the server's --max-connections (200)"
    )
    parser.add_argument(
        "--connections", type=int, help="sockets of idle and slowloris (--max-connections)"
    )
    parser.add_argument(
        "--reopen",
        action="store_true",
        help="idle and slowloris open again each socket the server ends, as an attacker would",
    )
    parser.add_argument("--calls", type=int, default=200, help="/health calls of the baseline")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    args.connections = args.connections or args.max_connections
    return args


def main() -> None:
    args = arguments()
    options = ["--max-connections", str(args.max_connections)]
    names = args.only or list(ATTACKS)
    started = time.monotonic()
    note(f"csc-rules serve {' '.join(options)} on 127.0.0.1, {os.cpu_count()} cores")
    rows = [baseline(options, args.calls)]
    for name in names:
        note(f"  {name} for {args.seconds:g} s ...")
        rows.append(run_attack(name, options, args))
        note(f"    {rows[-1]['attacker']}")
    logs = sum(r["log_bytes"] for r in rows)
    if args.json:
        print(json.dumps({"scale": args.scale, "seconds": args.seconds, "rows": rows}, indent=2))
        return
    print(
        f"csc-rules serve {' '.join(options)}, 127.0.0.1, {os.cpu_count()} cores; "
        f"scale {args.scale:g}, {args.seconds:g} s an attack (+{args.grace:g} s to read), "
        f"/health every 100 ms; {time.monotonic() - started:.0f} s in all"
    )
    print(table(rows))
    print(f"the servers' logs: {logs:,} bytes in all")


if __name__ == "__main__":
    run_stopping_servers(main)
