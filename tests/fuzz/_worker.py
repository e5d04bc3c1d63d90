"""A long-lived `csc-rules` process for the fuzz suite: runs one command line per request.

Starting Python and importing the engine costs most of a second, running one command a tenth of
that, so the generated inputs go through this process rather than a fresh one each. It runs
`csc_rules.cli.main`, the console script's own entry point with its last-resort guard, exactly
as a user's shell would, with stdout and stderr captured. The parent (`_harness.Worker`) sends
one JSON request a line on stdin and reads one JSON reply a line from the file descriptor
named by the first argument; a crash (a signal)
or a hang kills only this process, and the parent starts another.

Run as a script: `python tests/fuzz/_worker.py FD` (nothing in it is imported by the tests).
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
import time
import traceback


def _run(args: list[str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from csc_rules.cli import main

    sys.argv = ["csc-rules", *args]
    with CliRunner().isolation() as (stdout, stderr, _):
        try:
            main()
            code = 0
        except SystemExit as exc:  # how click and main() end every command
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:  # Python prints a non-integer exit value and exits 1
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        except BaseException:  # noqa: BLE001 - what would reach the user as a traceback
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out = stdout.getvalue().decode("utf-8", "replace")
        err = stderr.getvalue().decode("utf-8", "replace")
    return code, out, err


def main() -> None:
    # A segfault in C code (libyaml, json) prints the Python stack of every thread on the
    # worker's stderr, which the parent keeps in a log file and quotes in the failure.
    faulthandler.enable()
    replies = os.fdopen(int(sys.argv[1]), "w", encoding="utf-8")
    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        code, out, err = _run(request["args"])
        reply = {"code": code, "stdout": out, "stderr": err}
        reply["seconds"] = time.perf_counter() - started
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
