"""Whatever a user writes, validation answers with diagnostics, never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from csc_rules import validate
from csc_rules.reading.loader import parse

SEFTON = (ROOT / "councils/sefton/csc-statutory.yaml").read_text(encoding="utf-8").splitlines()


@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!'\" \n\t#,?|>~01")), max_size=80))
def test_any_text_parses_or_gives_located_problems(text: str) -> None:
    document, problems = parse(Path("fuzz.yaml"), text)
    assert document is not None or problems
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


edits = st.lists(
    st.tuples(
        st.integers(0, len(SEFTON) - 1),
        st.sampled_from(["delete", "repeat", "indent", "dedent", "blank-value", "number"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits)
def test_mangled_council_files_never_raise(tmp_path: Path, changes: list[tuple[int, str]]) -> None:
    lines = list(SEFTON)
    for index, change in changes:
        index %= len(lines)
        line = lines[index]
        if change == "delete":
            del lines[index]
        elif change == "repeat":
            lines.insert(index, line)
        elif change == "indent":
            lines[index] = "  " + line
        elif change == "dedent":
            lines[index] = line[2:]
        elif change == "blank-value":
            lines[index] = line.split(":", 1)[0] + ":"
        else:
            lines[index] = line.split(":", 1)[0] + ": 7"
        if not lines:
            break
    path = tmp_path / "mangled.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate([path])
    assert all(d.line >= 1 for d in report.diagnostics)
