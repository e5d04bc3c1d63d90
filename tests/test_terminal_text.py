"""What the CLI prints never carries a character that changes how a terminal shows the text around
it: a case id holding a right-to-left override or an escape sequence is printed with escapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT

CASE = ROOT / "councils/sefton/scenarios/01-late-acknowledgement.yaml"
# The id as the case file writes it, in YAML's escapes: an override, an isolate, an escape
# sequence that would set the terminal's title, a carriage return that would overwrite the line.
WRITTEN = r'"SCN-\u202eLIVE\u2066-01\e]0;X\a\rY"'
ID = "SCN-\u202eLIVE\u2066-01\x1b]0;X\a\rY"
SHOWN = "SCN-\\u202eLIVE\\u2066-01\\u001b]0;X\\u0007\\u000dY"
UNSAFE = ("\u202e", "\u2066", "\x1b", "\a", "\r")


def csc_rules(*args: str) -> tuple[int, str, str]:
    """Exit code, standard output and error, decoded as written (a carriage return kept)."""
    done = subprocess.run(
        [sys.executable, "-m", "csc_rules", *args], cwd=ROOT, capture_output=True, timeout=120
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.fixture
def case(tmp_path: Path) -> Path:
    text = CASE.read_text(encoding="utf-8").replace("case: SCN-SEF-01", f"case: {WRITTEN}")
    assert WRITTEN in text
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_case_id_is_printed_with_its_controls_escaped(case: Path) -> None:
    code, out, err = csc_rules("run", str(case))
    assert code == 0, err
    assert out.startswith(SHOWN + "  sefton/csc-statutory")
    for character in UNSAFE:
        assert character not in out


def test_json_carries_the_id_as_sent_in_escapes(case: Path) -> None:
    code, out, err = csc_rules("run", str(case), "--format", "json")
    assert code == 0, err
    assert not any(character in out for character in UNSAFE)
    assert json.loads(out)["case"] == ID


def test_a_problem_naming_the_id_is_escaped_too(case: Path, tmp_path: Path) -> None:
    """Standard error as well: here the id is refused as a batch's repeated id."""
    (tmp_path / "again.yaml").write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    _, out, err = csc_rules("run", str(tmp_path))
    for character in UNSAFE:
        assert character not in out + err
    assert SHOWN in out + err


# Every character on either side of an edge of the unsafe set, and ordinary ones.
EDGES = "\x00\x08\t\n\x0b\x0c\r\x0e\x1f \x7e\x7f\x80\x9f\xa0é\u061c\u200d\u200e\u2028\u202e\u202f\u2066\u2069\u206a\ud800"


@given(st.text(alphabet=st.sampled_from(EDGES) | st.characters(), max_size=40))
def test_text_is_escaped_as_the_pattern_says_whatever_path_it_takes(text: str) -> None:
    """ASCII text with nothing to escape skips the pattern: what comes out is the same."""
    from csc_rules.cli._terminal import UNSAFE, escaped

    assert escaped(text) == UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('{"case": "A-1"}', '{"case": "A-1"}'),
        ("row,1\r\nrow,2\r\n", "row,1\r\nrow,2\r\n"),  # a CSV row's line ending is kept
        ("A\r\r\nB\r", "A\\u000d\r\nB\\u000d"),
        ("A\rB", "A\\u000dB"),
        ("\tA\x7f", "\tA\\u007f"),
        ("Ré\u202eA", "Ré\\u202eA"),
    ],
    ids=["json", "csv-rows", "returns", "lone-return", "delete", "override"],
)
def test_text_is_escaped_only_where_a_terminal_would_act_on_it(text: str, shown: str) -> None:
    from csc_rules.cli._terminal import escaped

    assert escaped(text) == shown
