"""What `validate` says about a council's limits against the statute it extends, for policy
staff who run nothing else: a longer limit is a warning at its line, and a statutory duty
cannot be removed."""

from __future__ import annotations

from conftest import line_of, run


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
    assert "Traceback" not in result.output


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
