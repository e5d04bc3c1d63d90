"""Write the big nasty inputs of issue 10, too large to keep in git, into a folder.

    python tests/fuzz/nasty/make.py OUTDIR     # then try them: csc-rules validate OUTDIR/...

tests/fuzz/test_nasty.py calls these functions to write each input into its own temporary
folder; the small hand-written inputs sit beside this file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CASE_HEAD = "case: NASTY\nprocedure: sefton/csc-statutory\n"
RECEIPT = "  - {date: 2024-12-20, event: complaint-received}\n"
DEEP = 25_000


def deep_sequence_one_line(folder: Path) -> Path:
    """A procedure file that is one block sequence nested 25,000 deep: `- - - - ...`."""
    path = folder / "deep-sequence-one-line.yaml"
    path.write_text("- " * DEEP + "x\n", encoding="utf-8")
    return path


def deep_sequence_in_procedure(folder: Path) -> Path:
    """A procedure whose `stages` value is a block sequence nested 25,000 deep on one line."""
    path = folder / "deep-sequence-in-procedure.yaml"
    path.write_text("procedure: nasty/deep\nstages:\n  " + "- " * DEEP + "x\n", encoding="utf-8")
    return path


def deep_sequence_indented(folder: Path, depth: int = 2_500) -> Path:
    """`-\\n  -\\n    -` with the indentation growing two spaces a level; `depth` keeps the file
    to about 6 MB (it grows with the square of the depth)."""
    path = folder / "deep-sequence-indented.yaml"
    path.write_text("".join(" " * (2 * i) + "-\n" for i in range(depth)), encoding="utf-8")
    return path


def deep_mapping_indented(folder: Path, depth: int = 2_500) -> Path:
    """`a:\\n a:\\n  a:` with the indentation growing one space a level."""
    path = folder / "deep-mapping-indented.yaml"
    path.write_text("".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n")
    return path


def deep_flow_procedure(folder: Path) -> Path:
    """A procedure whose `sources` is a flow sequence nested 25,000 deep."""
    path = folder / "deep-flow-procedure.yaml"
    path.write_text(
        "procedure: nasty/deep-flow\nsources: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8"
    )
    return path


def deep_events(folder: Path) -> Path:
    """A case whose `events` hold a block sequence nested 25,000 deep."""
    path = folder / "deep-events.yaml"
    path.write_text(CASE_HEAD + "events:\n" + RECEIPT + "  - " + "- " * DEEP + "x\n")
    return path


def deep_facts(folder: Path) -> Path:
    """A case whose `facts` hold a block sequence nested 25,000 deep."""
    path = folder / "deep-facts.yaml"
    path.write_text(CASE_HEAD + "facts:\n  subject:\n    " + "- " * DEEP + "x\nevents:\n" + RECEIPT)
    return path


def deep_json_case(folder: Path) -> Path:
    """A JSON case file whose facts are an array nested 25,000 deep."""
    path = folder / "deep-case.json"
    path.write_text(
        '{"case": "NASTY", "procedure": "sefton/csc-statutory", "facts": {"subject": '
        + "[" * DEEP
        + "]" * DEEP
        + '}, "events": [{"date": "2024-12-20", "event": "complaint-received"}]}\n'
    )
    return path


def deep_jsonl(folder: Path, depth: int = 10_000) -> Path:
    """A .jsonl file whose second line is nested 10,000 deep; the first and third are sound."""
    good = json.dumps(
        {
            "case": "NASTY-GOOD",
            "procedure": "sefton/csc-statutory",
            "events": [{"date": "2025-02-03", "event": "complaint-received"}],
        }
    )
    deep = '{"case": "NASTY-DEEP", "facts": ' + "[" * depth + "]" * depth + "}"
    path = folder / "deep.jsonl"
    path.write_text(f"{good}\n{deep}\n{good.replace('GOOD', 'GOOD-2')}\n", encoding="utf-8")
    return path


def many_keys(folder: Path, count: int = 200_000) -> Path:
    """A procedure file with 200,000 keys."""
    path = folder / "many-keys.yaml"
    path.write_text(
        "procedure: nasty/many-keys\n" + "".join(f"k{n:06d}: {n}\n" for n in range(count))
    )
    return path


def many_events(folder: Path, count: int = 100_000) -> Path:
    """A case with 100,000 events: a receipt, then acknowledgements on the days after."""
    import datetime as dt

    start = dt.date(2024, 1, 2)
    lines = [CASE_HEAD, "events:\n", "  - {date: 2024-01-02, event: complaint-received}\n"]
    lines += [
        f"  - {{date: {(start + dt.timedelta(days=min(n // 1000, 20))).isoformat()}, event: acknowledged}}\n"
        for n in range(1, count)
    ]
    path = folder / "many-events.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def long_number_case(folder: Path, digits: int = 5_000) -> Path:
    """A YAML case with a 5,000-digit number where a number of days goes."""
    path = folder / "long-number-case.yaml"
    path.write_text(
        CASE_HEAD
        + "events:\n"
        + RECEIPT
        + f"  - {{date: 2024-12-23, event: stage-1-extended, limit: {'9' * digits}}}\n"
    )
    return path


def long_number_json_case(folder: Path, digits: int = 5_000) -> Path:
    """A JSON case with a 5,000-digit number: Python's json refuses to convert it."""
    path = folder / "long-number-case.json"
    path.write_text(
        '{"case": "NASTY", "procedure": "sefton/csc-statutory", "events": ['
        '{"date": "2024-12-20", "event": "complaint-received"}, '
        f'{{"date": "2024-12-23", "event": "stage-1-extended", "limit": {"9" * digits}}}]}}\n'
    )
    return path


def long_number_jsonl(folder: Path, digits: int = 5_000) -> Path:
    path = folder / "long-number.jsonl"
    path.write_text('{"case": "NASTY", "n": ' + "9" * digits + "}\n")
    return path


def long_number_procedure(folder: Path, digits: int = 5_000) -> Path:
    """A council procedure whose stage 1 limit is a 5,000-digit number of working days."""
    root = Path(__file__).resolve().parents[3]
    text = (root / "councils/sefton/csc-statutory.yaml").read_text(encoding="utf-8")
    marker = "amount: 3"
    assert marker in text, f"councils/sefton/csc-statutory.yaml no longer holds `{marker}`"
    path = folder / "long-number-procedure.yaml"
    path.write_text(text.replace(marker, "amount: " + "9" * digits, 1), encoding="utf-8")
    return path


def big_file(folder: Path, size: int = 11_000_000) -> Path:
    """A procedure file of 11 MB: one description that goes on and on."""
    path = folder / "big-file.yaml"
    path.write_text("procedure: nasty/big\ndescription: " + "a" * size + "\n", encoding="utf-8")
    return path


def long_jsonl_line(folder: Path, size: int = 2_000_000) -> Path:
    """A .jsonl file whose second line is 2 MB long; the first and third are sound."""
    good = json.dumps(
        {
            "case": "NASTY-GOOD",
            "procedure": "sefton/csc-statutory",
            "events": [{"date": "2025-02-03", "event": "complaint-received"}],
        }
    )
    long = json.dumps({"case": "NASTY-LONG", "facts": {"subject": "a" * size}})
    path = folder / "long-line.jsonl"
    path.write_text(f"{good}\n{long}\n{good.replace('GOOD', 'GOOD-2')}\n", encoding="utf-8")
    return path


def deep_compiled(folder: Path, compiled: str, depth: int = 25_000) -> Path:
    """A compiled file (the text of a real one, `compiled`) with a value nested 25,000 deep."""
    path = folder / "deep-compiled.json"
    path.write_text(
        compiled.replace(
            '"format_version": 3,',
            '"format_version": 3, "junk": ' + "[" * depth + "]" * depth + ",",
            1,
        ),
        encoding="utf-8",
    )
    return path


def long_number_compiled(folder: Path, compiled: str, digits: int = 5_000) -> Path:
    """A compiled file with a 5,000-digit number in place of its format_version."""
    path = folder / "long-number-compiled.json"
    path.write_text(
        compiled.replace('"format_version": 3,', f'"format_version": 3{"0" * digits},', 1),
        encoding="utf-8",
    )
    return path


GENERATORS = [
    deep_sequence_one_line,
    deep_sequence_in_procedure,
    deep_sequence_indented,
    deep_mapping_indented,
    deep_flow_procedure,
    deep_events,
    deep_facts,
    deep_json_case,
    deep_jsonl,
    many_keys,
    many_events,
    long_number_case,
    long_number_json_case,
    long_number_jsonl,
    long_number_procedure,
    big_file,
    long_jsonl_line,
]


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for make in GENERATORS:
        print(make(out))
    from csc_rules.procedures.compiler import dumps
    from csc_rules.procedures.library import load_procedure

    compiled = dumps(load_procedure("sefton/csc-statutory"))
    print(deep_compiled(out, compiled))
    print(long_number_compiled(out, compiled))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "nasty-inputs")
