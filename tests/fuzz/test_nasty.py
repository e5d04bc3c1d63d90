"""The hand-written nasty inputs of issue 10, each through the real `csc-rules` in a new process.

Each must end within 5 seconds (on the machine the limit was set on: scaled by how slow this one
is at the time, tests/fuzz/_harness.py `slowdown`), not by a signal, with no traceback and no
internal error, and be refused with one located error line and exit 1 (or give a result, where
the input is valid).
The big inputs are written at test time by tests/fuzz/nasty/make.py; the small ones are the
YAML files beside it.

A new process costs up to a second before it reads anything, and there are about ninety of
them, so the `runs` fixture writes every input and starts every command at once, one process
per core at a time; each test then judges the outcome of its own command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from ._harness import NASTY_LIMIT, ROOT, Outcome, check, fresh, slowdown
from .nasty import make

NASTY = Path(make.__file__).resolve().parent
EXAMPLE = ROOT / "examples/sefton-late-acknowledgement.yaml"  # received 2024-12-20
BATCH = ROOT / "examples/cases.jsonl"  # three cases, each received 2025-02-03
AS_OF = "2025-03-01"


def _file(name: str) -> Callable[[Path], Path]:
    return lambda folder: NASTY / name


# name: what writes it (into a folder) or where it is.
PROCEDURES: dict[str, Callable[[Path], Path]] = {
    "deep-sequence-one-line": make.deep_sequence_one_line,
    "deep-sequence-in-procedure": make.deep_sequence_in_procedure,
    "deep-sequence-indented": make.deep_sequence_indented,
    "deep-mapping-indented": make.deep_mapping_indented,
    "deep-flow-procedure": make.deep_flow_procedure,
    "long-number-procedure": make.long_number_procedure,
    "alias-bomb-procedure": _file("alias-bomb-procedure.yaml"),
}
CASES: dict[str, Callable[[Path], Path]] = {
    "deep-events": make.deep_events,
    "deep-facts": make.deep_facts,
    "deep-case.json": make.deep_json_case,
    "long-number-case": make.long_number_case,
    "long-number-case.json": make.long_number_json_case,
    "alias-bomb-case": _file("alias-bomb-case.yaml"),
    "alias-bomb-events": _file("alias-bomb-events.yaml"),
    "unsafe-tag-case": _file("unsafe-tag-case.yaml"),
}
OTHER_INPUTS: dict[str, Callable[[Path], Path]] = {
    "many-keys": make.many_keys,
    "extends-list": _file("extends-list.yaml"),
    "many-events": make.many_events,
    "deep.jsonl": make.deep_jsonl,
    "long-number.jsonl": make.long_number_jsonl,
    "events-after-withdrawal": _file("events-after-withdrawal.yaml"),
    "on-key-case": _file("on-key-case.yaml"),
    "big-file": make.big_file,
    "long-line.jsonl": make.long_jsonl_line,
}
# Every bound csc-rules keeps can be raised by an environment variable; these are not numbers.
BAD_SETTINGS = {"banana": "banana", "negative": "-1", "huge": "9" * 40}
LIMIT_VARIABLES = [
    "CSC_RULES_MAX_FILE_BYTES",
    "CSC_RULES_MAX_LINE_BYTES",
    "CSC_RULES_MAX_VALUES",
    "CSC_RULES_MAX_EVENTS",
]
PROCEDURE_COMMANDS = ["validate", "show", "compile"]
LOOK_ALIKES = ["lookalike-first-event", "lookalike-later-event"]
LOOK_ALIKE_WAYS = ["run yaml", "run json", "run jsonl", "eligibility yaml", "eligibility jsonl"]
COUNCILS = ["x" * 60, "x" * 300, "../../etc", "sefton/x", "no such council"]
OVERWRITES = [f"{s} {w}" for s in ("yaml", "compiled") for w in ("same", "./", "symlink")]
FAILING_JSON_COMMANDS = [
    ["validate", "no-such-file.yaml", "--format", "json"],
    ["show", "no-such/procedure", "--format", "json"],
    ["show", "no-such-file.json", "--format", "json"],
    ["graph", "no-such/procedure", "--format", "json"],
    ["conformance", "no-such/procedure", "--format", "json"],
    ["diff", "sefton/csc-statutory", "no-such/procedure", "--format", "json"],
    ["run", "no-such-case.yaml", "--format", "json"],
    ["eligibility", "no-such-case.yaml", "--format", "json"],
    ["workdays", "add", "2024-02-30", "3", "--format", "json"],
    ["workdays", "list", "2023", "--council", "x" * 60, "--format", "json"],
]
SUCCEEDING_JSON_COMMANDS = [
    ["eligibility", "examples/eligibility", "--format", "json"],
    ["diff", "--all", "--format", "json"],
    ["run", "examples/", "--as-of", AS_OF, "--format", "json"],
]
JSON_COMMANDS = FAILING_JSON_COMMANDS + SUCCEEDING_JSON_COMMANDS


class Runs:
    """Every command of this module, started at once; `outcome(key)` waits for one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.inputs: dict[str, Path] = {}
        self.originals: dict[str, bytes] = {}
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self.started: dict[str, Future[Outcome]] = {}
        self.judged: dict[str, AssertionError | None] = {}

    def start(self, key: str, *args: str, **options: object) -> None:
        assert key not in self.started, key
        self.started[key] = self.pool.submit(fresh, *args, **options)  # type: ignore[arg-type]

    def outcome(self, family: str, key: str) -> Outcome:
        """The outcome, after failing on a crash, a hang, an answer after the (scaled) time
        limit, a traceback or an internal error; counted in the table the first time it is
        asked for."""
        outcome = self.started[key].result()
        if key not in self.judged:
            try:
                check(f"nasty: {family}", outcome, limit=NASTY_LIMIT)
                self.judged[key] = None
            except AssertionError as failed:
                self.judged[key] = failed
        if self.judged[key] is not None:
            raise self.judged[key]
        return outcome


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    slowdown()  # measured before the module's own processes load the machine
    runs = Runs(tmp_path_factory.mktemp("nasty"))
    out = runs.folder / "out"
    out.mkdir()
    for name, write in {**PROCEDURES, **CASES, **OTHER_INPUTS}.items():
        runs.inputs[name] = write(runs.folder)

    for name in PROCEDURES:
        for command in PROCEDURE_COMMANDS:
            path = runs.inputs[name]
            extra = ["-o", str(out / f"{name}.json")] if command == "compile" else []
            runs.start(f"{command} {name}", command, str(path), *extra)
    for command in ("validate", "show"):
        runs.start(f"{command} many-keys", command, str(runs.inputs["many-keys"]))
    runs.start("validate extends-list", "validate", str(runs.inputs["extends-list"]))
    runs.start("validate big-file", "validate", str(runs.inputs["big-file"]))
    _start_list_in_a_library(runs)

    for name in CASES:
        runs.start(f"run {name}", "run", str(runs.inputs[name]), "--as-of", AS_OF)
        runs.start(
            f"run json {name}", "run", str(runs.inputs[name]), "--as-of", AS_OF, "--format", "json"
        )
    runs.start("run many-events", "run", str(runs.inputs["many-events"]), "--as-of", AS_OF)
    runs.start("run deep.jsonl", "run", str(runs.inputs["deep.jsonl"]), "--as-of", AS_OF)
    runs.start(
        "run jsonl deep.jsonl",
        "run",
        str(runs.inputs["deep.jsonl"]),
        "--as-of",
        AS_OF,
        "--format",
        "jsonl",
    )
    runs.start(
        "run long-number.jsonl", "run", str(runs.inputs["long-number.jsonl"]), "--as-of", AS_OF
    )
    runs.start("run long-line.jsonl", "run", str(runs.inputs["long-line.jsonl"]), "--as-of", AS_OF)
    for name, value in BAD_SETTINGS.items():
        runs.start(
            f"run with {name} limits",
            "run",
            str(EXAMPLE),
            "--as-of",
            AS_OF,
            "--format",
            "json",
            env=dict.fromkeys(LIMIT_VARIABLES, value),
        )
    runs.start("run as-of before receipt", "run", str(EXAMPLE), "--as-of", "2024-12-01")
    runs.start(
        "run batch as-of before receipt", "run", str(BATCH), str(EXAMPLE), "--as-of", "2025-01-20"
    )
    runs.start(
        "run events-after-withdrawal",
        "run",
        str(runs.inputs["events-after-withdrawal"]),
        "--as-of",
        "2024-07-01",
        "--format",
        "json",
    )
    runs.start("run on-key-case", "run", str(runs.inputs["on-key-case"]), "--as-of", AS_OF)
    _start_look_alikes(runs)

    compiled = runs.folder / "sefton.json"
    made = fresh("compile", "sefton/csc-statutory", "-o", str(compiled), timeout=60)
    assert made.code == 0, made.describe()
    text = compiled.read_text(encoding="utf-8")
    runs.inputs["deep-compiled"] = make.deep_compiled(runs.folder, text)
    runs.inputs["long-number-compiled"] = make.long_number_compiled(runs.folder, text)
    for name in ("deep-compiled", "long-number-compiled"):
        for command in ("show", "graph", "compile"):
            extra = ["-o", str(out / f"{name}.out.json")] if command == "compile" else []
            runs.start(f"{command} {name}", command, str(runs.inputs[name]), *extra)

    for fmt in ("text", "json"):
        runs.start(f"conformance {fmt}", "conformance", "baseline/csc-statutory", "--format", fmt)
    for council in COUNCILS:
        runs.start(f"workdays {council}", "workdays", "list", "2023", "--council", council)
    _start_overwrites(runs, text)
    for args in JSON_COMMANDS:
        runs.start(" ".join(args), *args)
    _start_with_a_damaged_cache(runs)
    yield runs
    runs.pool.shutdown(wait=True)


def _start_list_in_a_library(runs: Runs) -> None:
    """docs/policy-officers.md, 'Where csc-rules finds the procedures': the library is the
    working folder's, else $CSC_RULES_HOME's. A copy of rules/ and councils/ with one more
    procedure, whose `extends` is a list, is chosen both ways."""
    library = runs.folder / "library"
    for folder in ("rules", "councils"):
        shutil.copytree(ROOT / folder, library / folder)
    shutil.copy(NASTY / "extends-list.yaml", library / "councils/sefton/extends-list.yaml")
    elsewhere = runs.folder / "elsewhere"
    elsewhere.mkdir()
    runs.start("list working folder", "list", cwd=library)
    runs.start("list CSC_RULES_HOME", "list", cwd=elsewhere, env={"CSC_RULES_HOME": str(library)})


def _start_look_alikes(runs: Runs) -> None:
    for name in LOOK_ALIKES:
        source = NASTY / f"{name}.yaml"
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        files = {
            "yaml": source,
            "json": runs.folder / f"{name}.json",
            "jsonl": runs.folder / f"{name}.jsonl",
        }
        files["json"].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files["jsonl"].write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        for way in LOOK_ALIKE_WAYS:
            command, form = way.split()
            runs.inputs[f"{name} {form}"] = files[form]
            extra = ["--as-of", AS_OF] if command == "run" else []
            runs.start(f"{way} {name}", command, str(files[form]), *extra)


DAMAGED_CACHE_ENTRY = {
    "cut short": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "not JSON": lambda text: "\x00\xff garbage",
    "nested deep": lambda text: "[" * 100_000 + "]" * 100_000,
    "long number": lambda text: "9" * 5000,
    "another format": lambda text: json.dumps({"format": "x", "format_version": 99}),
}
CACHED_COMMANDS = {
    "show": ["show", "sefton/csc-statutory"],
    "run": ["run", str(EXAMPLE), "--as-of", AS_OF],
}


def _start_with_a_damaged_cache(runs: Runs) -> None:
    """A compiled-procedure cache filled by one run, then copied with every entry damaged; and
    the same commands with an empty cache, for the answers to compare with."""
    filled = runs.folder / "cache filled"
    done = fresh(*CACHED_COMMANDS["run"], env={"CSC_RULES_CACHE_DIR": str(filled)}, timeout=60)
    assert done.code == 0, done.describe()
    assert any(p.is_file() for p in filled.rglob("*")), "nothing cached: this would prove nothing"
    for damage, spoil in {"none": None, **DAMAGED_CACHE_ENTRY}.items():
        cache = runs.folder / f"cache {damage}"
        if spoil is None:
            cache.mkdir()
        else:
            shutil.copytree(filled, cache)
            for entry in [p for p in cache.rglob("*") if p.is_file()]:
                entry.write_text(spoil(entry.read_text(encoding="utf-8")), encoding="utf-8")
        for name, args in CACHED_COMMANDS.items():
            runs.start(
                f"{name} with cache {damage}", *args, env={"CSC_RULES_CACHE_DIR": str(cache)}
            )


def _start_overwrites(runs: Runs, compiled_text: str) -> None:
    for key in OVERWRITES:
        source, spelling = key.split()
        folder = runs.folder / f"overwrite-{source}-{spelling.strip('./') or 'dot'}"
        folder.mkdir()
        if source == "yaml":
            path = folder / "isl.yaml"
            shutil.copy(ROOT / "councils/islington/csc-statutory.yaml", path)
        else:
            path = folder / "sefton.json"
            path.write_text(compiled_text, encoding="utf-8")
        output = {"same": str(path), "./": f"{folder}/./{path.name}", "symlink": str(folder / "l")}
        if spelling == "symlink":
            (folder / "l").symlink_to(path)
        runs.inputs[f"overwrite {key}"] = path
        runs.originals[f"overwrite {key}"] = path.read_bytes()
        runs.start(f"overwrite {key}", "compile", str(path), "-o", output[spelling])


# -- what is expected ------------------------------------------------------------------------------


def located_errors(outcome: Outcome, path: Path) -> list[str]:
    """The lines `…path:LINE:COL: error[code]: …` that name `path`, on stdout or stderr."""
    pattern = re.compile(rf"{re.escape(path.name)}:(\d+):(\d+): error\[[\w-]+\]")
    lines = (outcome.stdout + "\n" + outcome.stderr).splitlines()
    return [line for line in lines if pattern.search(line)]


def assert_refused(outcome: Outcome, path: Path, line: int | None = None) -> str:
    """Exit 1 and exactly one located error line naming `path` (at `line`, if given)."""
    errors = located_errors(outcome, path)
    assert outcome.code == 1 and len(errors) == 1, (
        f"expected exit 1 and one located error line naming {path.name}, got exit "
        f"{outcome.code} and {len(errors)}\n{outcome.describe()}"
    )
    if line is not None:
        assert f"{path.name}:{line}:" in errors[0], f"expected line {line}: {errors[0]}"
    return errors[0]


def one_line_naming(outcome: Outcome, path: Path, line: int | None = None) -> None:
    """For a compiled file (a one-line CompiledFileError): exit 1 and one line naming it."""
    lines = [text for text in outcome.stderr.splitlines() if path.name in text]
    assert outcome.code == 1 and len(lines) == 1, (
        f"expected exit 1 and one line naming {path.name}\n{outcome.describe()}"
    )
    if line is not None:
        assert f"{path.name}:{line}:" in lines[0], f"expected it located at line {line}: {lines[0]}"


# -- procedures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", PROCEDURE_COMMANDS)
@pytest.mark.parametrize("name", list(PROCEDURES))
def test_nasty_procedure_is_refused(runs: Runs, name: str, command: str) -> None:
    outcome = runs.outcome("procedure", f"{command} {name}")
    assert_refused(outcome, runs.inputs[name])
    assert not (runs.folder / "out" / f"{name}.json").exists(), "compiled a refused procedure"


@pytest.mark.parametrize("command", ["validate", "show"])
def test_procedure_with_200000_keys_is_refused(runs: Runs, command: str) -> None:
    """Refused quickly, and without one line per key: at least one located error, and a report
    a person can read (fewer than 50 lines)."""
    outcome = runs.outcome("procedure", f"{command} many-keys")
    assert outcome.code == 1 and located_errors(outcome, runs.inputs["many-keys"])
    assert len((outcome.stdout + outcome.stderr).splitlines()) < 50, outcome.describe()


def test_extends_a_list_is_refused_by_validate(runs: Runs) -> None:
    outcome = runs.outcome("procedure", "validate extends-list")
    assert_refused(outcome, runs.inputs["extends-list"], line=5)


@pytest.mark.parametrize("chosen_by", ["working folder", "CSC_RULES_HOME"])
def test_extends_a_list_in_the_library_is_refused_by_list(runs: Runs, chosen_by: str) -> None:
    outcome = runs.outcome("library", f"list {chosen_by}")
    assert_refused(outcome, Path("extends-list.yaml"), line=5)


# -- cases -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_nasty_case_is_refused(runs: Runs, name: str) -> None:
    outcome = runs.outcome("case", f"run {name}")
    assert_refused(outcome, runs.inputs[name])
    assert not (ROOT / "PWNED").exists(), "a YAML tag ran a command"


@pytest.mark.json_contract
@pytest.mark.parametrize("name", list(CASES))
def test_nasty_case_gives_a_json_error(runs: Runs, name: str) -> None:
    """Issue 10 item 4: the failed case is one JSON object with an `error` where the result
    would be: code, message, path, line and column."""
    outcome = runs.outcome("case", f"run json {name}")
    document = json.loads(outcome.stdout)
    assert isinstance(document, dict) and isinstance(document.get("error"), dict), outcome.stdout
    assert {"code", "message", "path", "line", "column"} <= set(document["error"])


def test_case_with_100000_events_is_answered_in_time(runs: Runs) -> None:
    """A result, or one located error saying what limit it passes; within the time limit either
    way (5 seconds, scaled by the machine's slowdown)."""
    outcome = runs.outcome("case", "run many-events")
    if outcome.code == 0:
        assert "NASTY" in outcome.stdout, outcome.describe()
    else:
        assert_refused(outcome, runs.inputs["many-events"])


def test_deep_jsonl_line_is_refused_and_the_others_run(runs: Runs) -> None:
    outcome = runs.outcome("case", "run deep.jsonl")
    assert_refused(outcome, runs.inputs["deep.jsonl"], line=2)
    assert "NASTY-GOOD " in outcome.stdout and "NASTY-GOOD-2 " in outcome.stdout, outcome.stdout


@pytest.mark.json_contract
def test_deep_jsonl_line_is_one_error_line_in_jsonl(runs: Runs) -> None:
    """Issue 10 item 4: with `--format jsonl`, one line per case, the deep one an error."""
    outcome = runs.outcome("case", "run jsonl deep.jsonl")
    lines = [json.loads(line) for line in outcome.stdout.splitlines() if line.strip()]
    assert len(lines) == 3, outcome.describe()
    assert "error" in lines[1] and "error" not in lines[0] and "error" not in lines[2]


def test_long_number_in_a_jsonl_line_is_refused(runs: Runs) -> None:
    outcome = runs.outcome("case", "run long-number.jsonl")
    assert_refused(outcome, runs.inputs["long-number.jsonl"], line=1)


def test_long_jsonl_line_is_refused_and_the_others_run(runs: Runs) -> None:
    outcome = runs.outcome("case", "run long-line.jsonl")
    assert_refused(outcome, runs.inputs["long-line.jsonl"], line=2)
    assert "NASTY-GOOD " in outcome.stdout and "NASTY-GOOD-2 " in outcome.stdout, outcome.stdout


def test_file_past_the_size_bound_is_refused(runs: Runs) -> None:
    outcome = runs.outcome("procedure", "validate big-file")
    assert_refused(outcome, runs.inputs["big-file"])


@pytest.mark.parametrize("setting", list(BAD_SETTINGS))
def test_limits_set_to_something_that_is_not_a_count(runs: Runs, setting: str) -> None:
    """CSC_RULES_MAX_...=banana (or -1, or 40 digits): the case is run or the setting refused,
    never a crash, and with --format json stdout is still one JSON document."""
    outcome = runs.outcome("command", f"run with {setting} limits")
    assert outcome.code in (0, 1), outcome.describe()
    json.loads(outcome.stdout)


def test_as_of_before_receipt_is_refused(runs: Runs) -> None:
    outcome = runs.outcome("case", "run as-of before receipt")
    error = assert_refused(outcome, EXAMPLE)
    assert "2024-12-01" in error, error


def test_as_of_before_receipt_does_not_stop_the_batch(runs: Runs) -> None:
    """The three cases of examples/cases.jsonl are received after the --as-of date, the fourth
    case is not: three errors, each located at its line of the .jsonl file, and one result."""
    outcome = runs.outcome("case", "run batch as-of before receipt")
    assert outcome.code == 1, outcome.describe()
    assert "SEF-2024-0917" in outcome.stdout, outcome.describe()
    errors = located_errors(outcome, BATCH)
    assert len(errors) == 3, f"expected each error at its line of {BATCH.name}\n{outcome.stderr}"


def test_as_of_before_receipt_in_the_api_is_a_case_error() -> None:
    from csc_rules import CaseError, evaluate_data, load_procedure

    data = {
        "case": "API-AS-OF",
        "procedure": "sefton/csc-statutory",
        "events": [{"date": "2024-12-20", "event": "complaint-received"}],
    }
    with pytest.raises(CaseError) as caught:
        evaluate_data(load_procedure("sefton/csc-statutory"), data, dt.date(2024, 12, 1))
    assert "2024-12-01" in str(caught.value)


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_look_alike_event_is_refused_the_same_way_everywhere(runs: Runs, name: str) -> None:
    """An event name with a Cyrillic letter in it: one located error quoting it, with the same
    code from run and eligibility, from YAML, JSON and JSONL."""
    data = yaml.load((NASTY / f"{name}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    word = next(e["event"] for e in data["events"] if not e["event"].isascii())
    codes = {}
    for way in LOOK_ALIKE_WAYS:
        outcome = runs.outcome("case", f"{way} {name}")
        error = assert_refused(outcome, runs.inputs[f"{name} {way.split()[1]}"])
        assert word in error, f"the error should quote `{word}`: {error}"
        codes[way] = re.findall(r"error\[([\w-]+)\]", error)[0]
    assert len(set(codes.values())) == 1, f"refused differently by path: {codes}"


def test_events_after_withdrawal_are_not_silently_accepted(runs: Runs) -> None:
    """Events after the end: refused with a located error, or run with `events-after-end`."""
    outcome = runs.outcome("case", "run events-after-withdrawal")
    if outcome.code == 1:
        assert_refused(outcome, runs.inputs["events-after-withdrawal"])
        return
    warnings = [w["code"] for w in json.loads(outcome.stdout)["warnings"]]
    assert "events-after-end" in warnings, outcome.describe()


def test_on_as_a_key_is_refused(runs: Runs) -> None:
    outcome = runs.outcome("case", "run on-key-case")
    assert outcome.code == 1, outcome.describe()
    errors = located_errors(outcome, runs.inputs["on-key-case"])
    assert any("error[non-string-key]" in line for line in errors), outcome.describe()


# -- compiled files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["show", "graph", "compile"])
@pytest.mark.parametrize("name", ["deep-compiled", "long-number-compiled"])
def test_nasty_compiled_file_is_refused(runs: Runs, name: str, command: str) -> None:
    outcome = runs.outcome("compiled", f"{command} {name}")
    one_line_naming(outcome, runs.inputs[name], line=3)  # both sit on the format_version line


@pytest.mark.parametrize("command", list(CACHED_COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGED_CACHE_ENTRY))
def test_a_damaged_cache_entry_is_rebuilt(runs: Runs, damage: str, command: str) -> None:
    """The cache is input too: a damaged entry is ignored and rebuilt, and the answer is the
    one given without it."""
    outcome = runs.outcome("cache", f"{command} with cache {damage}")
    fresh_cache = runs.outcome("cache", f"{command} with cache none")
    assert outcome.code == fresh_cache.code == 0, outcome.describe()
    assert outcome.stdout == fresh_cache.stdout


# -- commands ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_conformance_of_a_baseline(runs: Runs, fmt: str) -> None:
    """A baseline extends nothing: said in a line, not an internal error; exit 0 or 1."""
    outcome = runs.outcome("command", f"conformance {fmt}")
    assert outcome.code in (0, 1) and (outcome.stdout + outcome.stderr).strip(), outcome.describe()
    if fmt == "json":
        json.loads(outcome.stdout)  # issue 10 item 4


@pytest.mark.parametrize("council", COUNCILS, ids=lambda c: c[:20])
def test_workdays_for_a_council_that_does_not_exist(runs: Runs, council: str) -> None:
    outcome = runs.outcome("command", f"workdays {council}")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert outcome.code == 1 and len(lines) == 1, outcome.describe()


@pytest.mark.parametrize("key", OVERWRITES)
def test_compile_refuses_to_write_over_what_it_reads(runs: Runs, key: str) -> None:
    """`compile X -o X`, however X is spelt: refused in one line, X left byte for byte."""
    path = runs.inputs[f"overwrite {key}"]
    outcome = runs.outcome("command", f"overwrite {key}")
    assert outcome.code in (1, 2), outcome.describe()
    assert path.read_bytes() == runs.originals[f"overwrite {key}"], "compile changed its input"
    assert len([line for line in outcome.stderr.splitlines() if line.strip()]) == 1, (
        outcome.describe()
    )


@pytest.mark.json_contract
@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: " ".join(a)[:50])
def test_json_output_is_one_document(runs: Runs, args: list[str]) -> None:
    """Issue 10 item 4: one JSON document on stdout, whether the command succeeds or fails."""
    outcome = runs.outcome("command", " ".join(args))
    try:
        json.loads(outcome.stdout)
    except ValueError as exc:
        raise AssertionError(
            f"issue 10 item 4: not one JSON document ({exc})\n{outcome.describe()}"
        ) from None
