"""Reading YAML: safe, typed as written, and every value located."""

from __future__ import annotations

from pathlib import Path

from csc_rules.loader import parse

HERE = Path("example.yaml")


def test_words_that_yaml_1_1_reads_as_booleans_stay_text() -> None:
    document, problems = parse(HERE, "a: [on, off, yes, no, y, n, true, false, True]\n")
    assert problems == []
    assert document.data == {"a": ["on", "off", "yes", "no", "y", "n", True, False, True]}


def test_dates_and_times_stay_text_and_numbers_stay_numbers() -> None:
    document, _ = parse(
        HERE, "d: 2024-12-20\nt: 1:30\ni: 10\nf: 1.5\nnothing: ~\nq: '10'\ns: !!str 10\n"
    )
    assert document.data == {
        "d": "2024-12-20",
        "t": "1:30",
        "i": 10,
        "f": 1.5,
        "nothing": None,
        "q": "10",
        "s": "10",
    }


def test_positions_of_keys_and_values() -> None:
    document, _ = parse(HERE, "duties:\n  ack:\n    limit: {amount: 3, unit: days}\n")
    assert document.key_positions[("duties", "ack", "limit")] == (3, 5)
    assert document.positions[("duties", "ack", "limit", "amount")] == (3, 21)
    assert document.position(("duties", "ack", "limit", "missing")) == (3, 12)


def test_every_duplicate_and_trap_key_is_reported() -> None:
    _, problems = parse(HERE, "a: 1\na: 2\nyes: 3\nNo: 4\n10: 5\n'on': 6\n")
    assert [(p.code, p.line) for p in problems] == [
        ("duplicate-key", 2),
        ("non-string-key", 3),
        ("non-string-key", 4),
        ("non-string-key", 5),
    ]


def test_a_quoted_on_is_an_ordinary_key() -> None:
    document, problems = parse(HERE, "'on': 1\n")
    assert problems == [] and document.data == {"on": 1}


def test_an_alias_that_contains_itself_is_an_error_not_a_hang() -> None:
    document, problems = parse(HERE, "a: &x [1, *x]\n")
    assert [p.code for p in problems] == ["yaml-syntax"]


def test_python_tags_are_refused() -> None:
    _, problems = parse(HERE, "a: !!python/object/apply:os.system ['echo hi']\n")
    assert [p.code for p in problems] == ["unsupported-tag"]
    assert "!!python/object/apply:os.system" in problems[0].message


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    from csc_rules.loader import load

    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfprocedure: test/bom\n")
    document, problems = load(path)
    assert problems == [] and document.data == {"procedure": "test/bom"}


def test_tabs_get_a_hint() -> None:
    _, [problem] = parse(HERE, "a:\n\tb: 1\n")
    assert (problem.code, problem.line) == ("yaml-syntax", 2)
    assert "tabs" in problem.message


def test_absurd_nesting_is_an_error_not_a_crash() -> None:
    """libyaml itself crashes on nesting this deep, so it is refused before parsing."""
    _, [problem] = parse(HERE, "a: " + "[" * 100_000 + "]" * 100_000)
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 1, 204)
    _, [problem] = parse(HERE, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 400)))
    assert (problem.code, problem.line) == ("yaml-syntax", 202)


def test_brackets_in_quotes_and_comments_do_not_count() -> None:
    document, problems = parse(HERE, 'a: "' + "[" * 300 + '"  # ' + "{" * 300 + "\n")
    assert problems == [] and document.data == {"a": "[" * 300}
