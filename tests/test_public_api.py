"""The public API: what `from csc_rules import ...` offers, written out so that a removal fails."""

from __future__ import annotations

import re

import pytest

import csc_rules
from conftest import ROOT

# Every name `csc_rules.__all__` offers. Removing or renaming one breaks the programs of the
# people who use the package: change this list only with a note in the changelog of a release.
PUBLIC = [
    "CalendarError",
    "Case",
    "CaseError",
    "CaseWarning",
    "CompiledFileError",
    "CompiledProcedure",
    "CscRulesError",
    "DeadlineResult",
    "DefinitionError",
    "Diagnostic",
    "Eligibility",
    "NotFoundError",
    "Report",
    "Result",
    "WorkingCalendar",
    "__version__",
    "case_from_data",
    "decide_case",
    "evaluate",
    "evaluate_data",
    "load_compiled",
    "load_procedure",
    "read_case",
    "region_calendar",
    "validate",
]
ERRORS = ["CalendarError", "CaseError", "CompiledFileError", "DefinitionError", "NotFoundError"]


def test_the_public_names_are_the_documented_list() -> None:
    assert sorted(csc_rules.__all__) == PUBLIC
    assert len(set(csc_rules.__all__)) == len(csc_rules.__all__), "a name offered twice"


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_name_imports(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from csc_rules import {name}", namespace)  # noqa: S102 - the import a user writes
    assert namespace[name] is not None


def test_a_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from csc_rules import *", namespace)  # noqa: S102 - the import a user writes
    assert sorted(k for k in namespace if k != "__builtins__") == PUBLIC


def test_every_error_is_the_projects_own() -> None:
    for name in ERRORS:
        assert issubclass(getattr(csc_rules, name), csc_rules.CscRulesError), name


def test_a_name_not_offered_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        csc_rules.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_every_import_the_documentation_shows_is_public() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    shown = {
        name.strip()
        for page in pages
        for names in re.findall(
            r"^from csc_rules import \(?([\w, \n]+?)\)?$", page.read_text(encoding="utf-8"), re.M
        )
        for name in names.split(",")
        if name.strip()
    }
    assert shown, "no `from csc_rules import` in README.md or docs/: this would prove nothing"
    assert shown <= set(PUBLIC), sorted(shown - set(PUBLIC))
