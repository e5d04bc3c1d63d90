"""What `validate` says about a council's limits against the statute it extends, for policy
staff who run nothing else: a longer limit is a warning at its line, and a statutory duty
cannot be removed."""

from __future__ import annotations

from conftest import assert_no_crash, line_of, run


def test_a_council_limit_longer_than_the_statute_is_a_warning_at_its_line(council_copy) -> None:
    copy = council_copy(
        "councils/sefton/csc-statutory.yaml",
        "  panel-report:\n    sources:\n",
        "  panel-report:\n    limit: {amount: 7, unit: working-days}  # longer\n    sources:\n",
    )
    result = run("validate", str(copy))
    assert result.exit_code == 0, result.output  # a warning, not an error
    line = line_of(copy, "# longer")
    assert (
        f"{copy}:{line}:21: warning[longer-than-statute]: `panel-report` allows 7 working days, "
        "longer than the 5 working days the statute allows (SI 2006/1738: reg 20): run "
        "`csc-rules conformance` for the worst case"
    ) in result.stdout.splitlines()
    assert_no_crash(result)


def test_an_extension_beyond_the_statutory_maximum_and_a_shorter_window(council_copy) -> None:
    copy = council_copy(
        "councils/sefton/csc-statutory.yaml",
        "  stage-3-request:\n    sources:\n",
        "  stage-3-request:\n    limit: {amount: 15, unit: working-days}  # shorter\n    sources:\n",
    )
    text = copy.read_text(encoding="utf-8").replace(
        "  stage-2-response:\n    sources:\n",
        "  stage-2-response:\n    extensions:\n      extended:\n"
        "        maximum: {amount: 70, unit: working-days}  # beyond\n"
        '        sources: ["001_fa29f2577f0a0813.txt: \\"with maximum extension to 65 days\\""]\n'
        "    sources:\n",
    )
    copy.write_text(text, encoding="utf-8")
    out = run("validate", str(copy)).stdout
    assert (
        f"{copy}:{line_of(copy, '# shorter')}:21: warning[longer-than-statute]: `stage-3-request` "
        "gives the complainant 15 working days, shorter than the 20 working days the statute "
        "gives (SI 2006/1738: reg 18)"
    ) in out
    assert (
        f"{copy}:{line_of(copy, '# beyond')}:27: warning[longer-than-statute]: `stage-2-response` "
        "may be extended to 65 working days"
    ) not in out
    assert (
        f"{copy}:{line_of(copy, '# beyond')}:27: warning[longer-than-statute]: `stage-2-response` "
        "may be extended to 70 working days, beyond the 65 working days the statute allows "
        "(SI 2006/1738: reg 17)"
    ) in out


def test_the_real_library_warns_of_cheshire_wests_director_only() -> None:
    result = run("validate")
    assert result.exit_code == 0
    warned = [line for line in result.stdout.splitlines() if "longer-than-statute" in line]
    path = "councils/cheshire-west/csc-statutory.yaml"
    assert len(warned) == 1 and warned[0].startswith(f"{path}:")
    assert "`stage-3-response` allows 20 working days, longer than the 15 working days" in warned[0]
    assert "it counts from `panel-held`, not `panel-report-sent`" in warned[0]


def test_removing_a_statutory_duty_is_one_error_at_the_remove_line(council_copy) -> None:
    copy = council_copy(
        "councils/islington/csc-statutory.yaml",
        "\nnotes:\n",
        "\nremove:\n  - what: duty\n    id: stage-1-response  # removed\n"
        "    reason: The council would rather not.\n"
        '    sources: ["004_b2659dac51ae51b8.txt: \\"within 10 working days\\""]\n\nnotes:\n',
    )
    result = run("validate", str(copy))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert errors == [
        f"{copy}:{line_of(copy, '# removed')}:9: error[statutory-duty]: `stage-1-response` is a "
        "statutory duty (SI 2006/1738: reg 14) and cannot be removed: change its limit or anchor "
        "instead, with the council's source"
    ]
    assert "did you mean" not in result.stdout


def test_a_corporate_baseline_duty_may_still_be_removed() -> None:
    # Sefton's 2023 corporate procedure removes the Complaint Handling Code's acknowledgements
    result = run("validate", "councils/sefton/corporate.yaml")
    assert result.exit_code == 0, result.output
    assert "statutory-duty" not in result.output


def _procedure(folder, name: str, extends: str, body: str):
    """A small procedure file of its own, extending `extends`."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"procedure: test/{name}\nextends: {extends}\ntitle: A test procedure\n"
        f'version: "1"\neffective: 2024-01-01\nsources: ["SI 2006/1738: reg 14"]\n{body}',
        encoding="utf-8",
    )
    return path


def test_removing_a_statutory_window_is_one_error_naming_it_a_window(tmp_path) -> None:
    path = _procedure(
        tmp_path,
        "no-window",
        "baseline/csc-statutory",
        "remove:\n  - what: window\n    id: stage-2-request  # removed\n"
        '    reason: No time limit.\n    sources: ["SI 2006/1738: reg 17"]\n',
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert_no_crash(result)
    assert [line for line in result.stdout.splitlines() if ": error[" in line] == [
        f"{path}:{line_of(path, '# removed')}:9: error[statutory-duty]: `stage-2-request` is a "
        "statutory window (SI 2006/1738: reg 17(1)) and cannot be removed: change its limit or "
        "anchor instead, with the council's source"
    ]


def test_a_statutory_extension_may_be_removed(tmp_path) -> None:
    # answering every stage 1 complaint within 10 working days gives the complainant more
    path = _procedure(
        tmp_path,
        "no-complex-extension",
        "baseline/csc-statutory",
        "remove:\n  - what: extension\n    id: stage-1-response/complex\n"
        '    reason: Every answer within 10 working days.\n    sources: ["SI 2006/1738: reg 14"]\n',
    )
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "statutory-duty" not in result.output


def test_an_extension_where_the_statute_allows_none_is_compared_with_its_limit(tmp_path) -> None:
    path = _procedure(
        tmp_path,
        "late-report",
        "baseline/csc-statutory",
        "duties:\n  panel-report:\n    extensions:\n      late:\n"
        "        when: {fact: complex, equals: true}\n"
        "        maximum: {amount: 25, unit: working-days}  # beyond\n"
        '        sources: ["SI 2006/1738: reg 20"]\n    sources: ["SI 2006/1738: reg 20"]\n',
    )
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:{line_of(path, '# beyond')}:27: warning[longer-than-statute]: `panel-report` "
        "may be extended to 25 working days, beyond the 5 working days the statute allows "
        "(SI 2006/1738: reg 20): run `csc-rules conformance` for the worst case"
    ) in result.stdout.splitlines()


def test_a_procedure_extending_a_councils_is_compared_with_the_statute(tmp_path) -> None:
    # Cheshire West's Director has 20 working days; a file on top of it writing 18 is still
    # longer than the statute's 15, and a duty only the council added is not the statute's
    path = _procedure(
        tmp_path,
        "on-top",
        "cheshire-west/csc-statutory",
        "duties:\n  stage-3-response:\n    limit: {amount: 18, unit: working-days}  # longer\n"
        '    sources: ["SI 2006/1738: reg 20(3)"]\n',
    )
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:{line_of(path, '# longer')}:21: warning[longer-than-statute]: `stage-3-response` "
        "allows 18 working days, longer than the 15 working days the statute allows "
        "(SI 2006/1738: reg 20(3) or 21); it counts from `panel-held`, not `panel-report-sent`"
    ) in result.stdout
    own = _procedure(
        tmp_path,
        "without-arrangement",
        "sefton/csc-statutory",
        "remove:\n  - what: duty\n    id: panel-arrangement\n"
        '    reason: Not promised.\n    sources: ["SI 2006/1738: reg 19"]\n',
    )
    assert "statutory-duty" not in run("validate", str(own)).output
