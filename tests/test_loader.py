"""Reading YAML: safe, typed as written, and every value located."""

from __future__ import annotations

from pathlib import Path

from csc_rules.reading.loader import parse

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
    from csc_rules.reading.loader import load

    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfprocedure: test/bom\n")
    document, problems = load(path)
    assert problems == [] and document.data == {"procedure": "test/bom"}


def test_tabs_get_a_hint() -> None:
    _, [problem] = parse(HERE, "a:\n\tb: 1\n")
    assert (problem.code, problem.line) == ("yaml-syntax", 2)
    assert "tabs" in problem.message


def test_absurd_nesting_is_an_error_not_a_crash() -> None:
    """64 levels are read; the 65th is refused where it opens, whatever the nesting is made of."""
    # The top-level mapping is level 1, so the 64th bracket (column 3 + 64) opens level 65.
    _, [problem] = parse(HERE, "a: " + "[" * 100_000 + "]" * 100_000)
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 67)
    assert "more than 64 levels deep" in problem.message
    # Block mappings: line k opens level k.
    _, [problem] = parse(HERE, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 400)))
    assert (problem.code, problem.line) == ("too-deep", 65)
    # Compact block sequences on one line, which crashed libyaml's own composer: level n+1 is
    # the n-th dash, at column 2n - 1.
    _, [problem] = parse(HERE, "- " * 25_000 + "x\n")
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 129)
    document, problems = parse(HERE, "- " * 63 + "x\n")
    assert problems == [] and document is not None


def test_alias_bombs_are_refused_quickly() -> None:
    """Nine levels of nine aliases each would expand to 387 million values."""
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    _, [problem] = parse(HERE, text)
    assert problem.code == "too-large" and "aliases expanded" in problem.message
    assert "CSC_RULES_MAX_VALUES" in problem.message


def test_aliases_within_bounds_are_copies() -> None:
    document, problems = parse(HERE, "a: &x {b: [1, 2]}\nc: *x\n")
    assert problems == [] and document is not None
    assert document.data == {"a": {"b": [1, 2]}, "c": {"b": [1, 2]}}
    assert document.data["a"] is not document.data["c"]


def test_an_alias_to_its_own_anchor_is_an_error() -> None:
    _, problems = parse(HERE, "a: &x [1, *x]\n")
    assert [p.code for p in problems] == ["yaml-syntax"]


def test_too_many_keys_in_one_mapping() -> None:
    _, [problem] = parse(HERE, "".join(f"k{i}: 1\n" for i in range(200_000)))
    assert (problem.code, problem.line) == ("too-large", 5_001)


def test_numbers_are_bounded_and_finite() -> None:
    _, [problem] = parse(HERE, "a: " + "9" * 5_000 + "\n")
    assert problem.code == "invalid-value" and "5,000 digits" in problem.message
    _, [problem] = parse(HERE, "a: .inf\n")
    assert problem.code == "invalid-value" and "finite" in problem.message


def test_brackets_in_quotes_and_comments_do_not_count() -> None:
    document, problems = parse(HERE, 'a: "' + "[" * 300 + '"  # ' + "{" * 300 + "\n")
    assert problems == [] and document.data == {"a": "[" * 300}
