"""Every public page of every version of every council procedure, read back and checked against
the procedure it was made from: each time limit the page states equals the rule's, when it
starts and what stops it are the rule's events, each extension names the extension's own
grounds (and agreement only where the extension needs it), each "straight away" or early
request follows the move's own trigger, and each withdrawal statement follows the withdrawal
rule and its sources. The procedures and their versions are found in the library, never listed.

The pages mark each statement of time and rights with what it states (`data-claim`) and of what
(`data-of`); the checks below read the text of those statements, not the code that made them,
and look for times and rights stated anywhere else on the page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from conftest import COUNCILS, PROCEDURE_FILES, ROOT, run
from csc_rules.language.model import Deadline, Limit, Transition
from csc_rules.procedures.compiler import CompiledProcedure
from csc_rules.procedures.library import load_procedure

CLAIM = re.compile(r'<span data-claim="([^"]+)" data-of="([^"]*)">([^<]*)</span>')
# A length of time as the pages write one: `10 working days`, `1 working day`, `2 days`.
TIME = re.compile(r"\b(\d+) (working days?|days?|months?)\b")
# Words that state a right about time, allowed only inside the statements that carry it.
OWNED = {"straight away": "opens", "at any time": "anytime"}
SIDE_WORDS = {
    "council": "the council's own documents",
    "statute": "the law",
    "national-guide": "a national guide for children and young people",
    "code": "Complaint Handling Code",
}


@dataclass(frozen=True)
class Page:
    procedure: CompiledProcedure
    name: str  # index.html or children.html
    html: str

    @property
    def claims(self) -> list[tuple[str, str, str]]:
        return [(c, html.unescape(o), html.unescape(t)) for c, o, t in CLAIM.findall(self.html)]

    def of(self, claim: str) -> Iterator[tuple[str, str]]:
        yield from ((o, t) for c, o, t in self.claims if c == claim)

    @property
    def unclaimed_text(self) -> str:
        """The visible text outside the marked statements, the sources and the script."""
        text = re.sub(r"<script.*?</script>", " ", self.html, flags=re.S)
        text = CLAIM.sub(" ", text)
        text = re.sub(r'<div class="sources">.*?</div>', " ", text, flags=re.S)
        text = re.sub(r'<p class="source-line">.*?</p>', " ", text, flags=re.S)
        text = re.sub(r'<p class="generated">.*?</p>', " ", text, flags=re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _versions() -> list[tuple[Path, str]]:
    """Every council procedure file, with the day its version takes effect."""
    found = []
    for file in PROCEDURE_FILES:
        if file.council:
            procedure = load_procedure(file.path)
            found.append((file.path, procedure.effective.isoformat()))
    return found


VERSIONS = _versions()


@cache
def _site(on: str, folder: Path) -> Path:
    out = folder / on
    result = run("site", "-o", str(out), "--on", on)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sites")


def pages_of(path: Path, on: str, sites: Path) -> list[Page]:
    procedure = load_procedure(path)
    folder = _site(on, sites) / procedure.id
    found = []
    for name in ("index.html", "children.html"):
        if (folder / name).is_file():
            text = (folder / name).read_text(encoding="utf-8")
            # the page is of this version: it names it where it says what it was made from
            assert f"version {procedure.version}," in text, (path, name)
            found.append(Page(procedure, name, text))
    assert found and found[0].name == "index.html", path
    return found


def amounts(text: str) -> list[tuple[int, str]]:
    return [(int(n), unit) for n, unit in TIME.findall(text)]


def limit_words(deadline: Deadline, amount: int) -> tuple[int, str]:
    return as_amount(deadline.limit.with_amount(amount))


def as_amount(limit: Limit) -> tuple[int, str]:
    """`10 working days` as (10, "working days"), as `amounts` reads it from a page."""
    number, unit = str(limit).split(" ", 1)
    return int(number), unit


def absence(source: str) -> bool:
    """A source that records that a document says nothing on the point."""
    return re.match(r"[^:]+:\s*no provision\b", source) is not None


def phrase(procedure: CompiledProcedure, event: str) -> str | None:
    found = procedure.events.get(event)
    return found.plain.text.strip() if found is not None and found.plain else None


def transition(procedure: CompiledProcedure, of: str) -> Transition:
    source, _, event = of.partition("/")
    [found] = [t for t in procedure.transitions if t.source == source and t.event == event]
    return found


IDS = [f"{p.relative_to(ROOT)}@{on}" for p, on in VERSIONS]


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_every_time_limit_stated_is_the_rule_s(path: Path, on: str, sites: Path) -> None:
    for page in pages_of(path, on, sites):
        procedure = page.procedure
        for of, text in page.of("limit"):
            deadline = procedure.deadlines[of]
            expected = [as_amount(deadline.limit)] if deadline.limit.stated else []
            assert amounts(text) == expected, (page.name, text)
        for of, text in page.of("staff"):
            deadline = procedure.deadlines[of]
            assert deadline.plain is None
            assert str(deadline.limit) in text or f"{deadline.limit.amount} (up to" in text
        # on the map, every time limit of the procedure is stated, and none twice in a list
        if page.name == "index.html":
            shown = {of for c in ("limit", "staff") for of, _ in page.of(c)}
            assert shown == set(procedure.deadlines), (page.name, shown ^ set(procedure.deadlines))


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_every_start_and_stop_stated_is_the_rule_s(path: Path, on: str, sites: Path) -> None:
    for page in pages_of(path, on, sites):
        procedure = page.procedure
        for of, text in page.of("start"):
            deadline = procedure.deadlines[of]
            assert not deadline.before
            assert text == f"The time starts from {phrase(procedure, deadline.anchor)}.", text
        for of, text in page.of("stop"):
            deadline = procedure.deadlines[of]
            assert deadline.kind == "duty", text
            meeting = [p for e in deadline.met_by if (p := phrase(procedure, e))]
            assert meeting and all(p in text for p in meeting), text
            rest = text
            for p in meeting:
                rest = rest.replace(p, "")
            assert not [p for e in procedure.events if (p := phrase(procedure, e)) and p in rest]
        # every duty counted forward with plain words says what stops it
        stated = {of for of, _ in page.of("stop")}
        for of, _ in page.of("limit"):
            deadline = procedure.deadlines[of]
            if deadline.kind == "duty" and not deadline.before and deadline.limit.stated:
                assert of in stated, (page.name, of)


def grounds(deadline: Deadline, amount: int) -> tuple[list[str], list[str]]:
    """The plain words of the extensions that are grounds for `amount`, and of those that are
    not: an extension tested on the case's facts is a ground; one only recorded by an event is a
    ground where none tested on facts lengthens the limit as far."""
    reaching = [e for e in deadline.extensions if e.maximum.amount == amount]
    tested = [e for e in reaching if e.when is not None]
    chosen = tested or reaching
    words = [e.plain.text.strip() for e in chosen if e.plain]
    others = [
        e.plain.text.strip()
        for e in deadline.extensions
        if e.plain and e not in chosen and e.plain.text.strip() not in words
    ]
    return words, others


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_the_grounds_a_page_names_are_those_a_recorded_extension_is_accepted_on(
    path: Path, on: str
) -> None:
    # The page names the grounds of the extensions tested on the case's facts; the engine
    # accepts a recorded extension only on the grounds it lists (`extension-ground` otherwise).
    # Both must be the same grounds, or a page promises an extension the engine sets aside.
    procedure = load_procedure(path)
    for deadline in procedure.deadlines.values():
        for recorded in deadline.extensions:
            if recorded.event is None or recorded.grounds is None:
                continue
            tested = {
                e.id
                for e in deadline.extensions
                if e.when is not None and e.maximum.amount == recorded.maximum.amount
            }
            if tested:
                assert tested == {g.id for g in recorded.grounds}, (
                    f"{path.relative_to(ROOT)}: `{deadline.id}` extensions tested on facts "
                    f"({sorted(tested)}) are not the grounds `{recorded.id}` accepts "
                    f"({sorted(g.id for g in recorded.grounds)})"
                )


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_every_extension_names_its_own_grounds(path: Path, on: str, sites: Path) -> None:
    for page in pages_of(path, on, sites):
        procedure = page.procedure
        seen: dict[str, set[int]] = {}
        for of, text in page.of("extension"):
            deadline = procedure.deadlines[of]
            found = re.fullmatch(r"It can take up to (\d+) ([a-z ]+?) if (.+)\.", text)
            assert found, text
            amount = int(found[1])
            seen.setdefault(of, set()).add(amount)
            assert limit_words(deadline, amount) == (amount, found[2]), text
            words, others = grounds(deadline, amount)
            assert words and all(w in found[3] for w in words), (text, words)
            assert not [w for w in others if w in found[3]], (text, others)
            # agreement is said where the extension needs it, and only there
            agreed = any(
                "agree" in (e.description or "").lower()
                for e in deadline.extensions
                if e.maximum.amount == amount
            )
            assert ("agree" in found[3]) == agreed, text
        # no extension is left unsaid
        for of, _ in page.of("limit"):
            deadline = procedure.deadlines[of]
            longer = {
                e.maximum.amount or 0
                for e in deadline.extensions
                if (e.maximum.amount or 0) > (deadline.limit.amount or 0)
            }
            assert seen.get(of, set()) == longer, (page.name, of)


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_asking_for_the_next_stage_follows_the_move_s_own_trigger(
    path: Path, on: str, sites: Path
) -> None:
    for page in pages_of(path, on, sites):
        procedure = page.procedure
        opened = {of for of, _ in page.of("opens")}
        early = {of for of, _ in page.of("early")}
        for of, text in page.of("opens"):
            move = transition(procedure, of)
            guard = procedure.deadlines[move.when_overdue or ""]
            if move.overdue_after is None:  # the duty's own due date: at once
                assert "straight away" in text and not amounts(text), text
            else:  # the procedure's own trigger, counted from the duty's start
                assert "straight away" not in text, text
                after = move.overdue_after
                assert amounts(text) == [limit_words(guard, after.amount or 0)], text
                assert after.unit == guard.limit.unit
                assert phrase(procedure, guard.anchor) in text, text
        # asking before the trigger is said to be the council's choice, where there is one
        assert early == {of for of in opened if transition(procedure, of).overdue_after}
        for _, text in page.of("early"):
            assert "up to the council" in text and not amounts(text), text
        # every move open once a duty is late, in plain words, is on the map
        if page.name == "index.html":
            moves = {
                t.event
                for t in procedure.transitions
                if t.when_overdue and t.plain and _in_a_stage(procedure, t)
            }
            assert moves == {transition(procedure, of).event for of in opened}


def _in_a_stage(procedure: CompiledProcedure, move: Transition) -> bool:
    state = procedure.states.get(move.source)
    return state is not None and state.stage is not None


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_withdrawal_and_what_is_open_at_any_time_follow_the_rule(
    path: Path, on: str, sites: Path
) -> None:
    for page in pages_of(path, on, sites):
        procedure = page.procedure
        for of, text in page.of("anytime"):
            move = transition(procedure, of)
            assert move.anytime, text
            assert "at any time" in text, text
            assert move.plain is not None
            sources = move.plain.sources
            quoted = " ".join(re.findall(r'"([^"]+)"', " ".join(sources))).lower()
            if re.search(r"in writing|talking|verbally|by phone", text):
                assert "in writing" in quoted, (text, sources)
            if procedure.states[move.target].end == "withdrawn":
                assert text.startswith("Yes. You can stop your complaint"), text
                # where no document says it, the page says that the law does not either
                if all(absence(s) for s in sources):
                    notes = [o for o, _ in page.of("note")]
                    assert any(
                        n.id in notes and move.event in n.concerns for n in procedure.notes
                    ), text
        # the links to what may be done at any time are to moves open from every open state
        anytime_moves = {t.event for t in procedure.transitions if t.anytime}
        for of, text in page.of("anytime-list"):
            assert text == "At any time:" and set(of.split()) == anytime_moves, of
        # each is said wherever the procedure allows it and its plain words say when
        if page.name == "index.html":
            anytime = {
                t.event
                for t in procedure.transitions
                if t.anytime and t.plain and "{when}" in t.plain.text
            }
            assert {transition(procedure, of).event for of, _ in page.of("anytime")} == anytime


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_notes_say_what_disagrees(path: Path, on: str, sites: Path) -> None:
    for page in pages_of(path, on, sites):
        notes = {n.id: n for n in page.procedure.notes}
        for of, text in page.of("note"):
            note = notes[of]
            if note.kind == "conflict":
                named = {
                    side for side, words in SIDE_WORDS.items() if words.lower() in text.lower()
                }
                assert named == set(note.between), text
                if len(note.between) > 1:
                    assert f"This page follows {SIDE_WORDS[note.follows or '']}" in text, text
            else:
                assert note.plain is not None
                assert text == " ".join(note.plain.text.split()), text


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_steps_say_how_long_they_usually_take_and_who_makes_them_happen(
    path: Path, on: str, sites: Path
) -> None:
    for page in pages_of(path, on, sites):
        steps = {f"{s.stage}/{s.id}": s for stage in page.procedure.stages for s in stage.steps}
        for of, text in page.of("usual"):
            step = steps[of]
            assert step.expected_within is not None
            assert amounts(text) == [as_amount(step.expected_within)], text
        for of, text in page.of("optional"):
            step = steps[of]
            assert step.optional
            assert ("if you ask" in text) == (step.actor == "complainant"), text


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_no_time_or_right_is_stated_outside_what_is_checked(
    path: Path, on: str, sites: Path
) -> None:
    for page in pages_of(path, on, sites):
        text = page.unclaimed_text
        assert not TIME.findall(text), (page.name, TIME.findall(text))
        for words, claim in OWNED.items():
            assert words not in text.lower(), (page.name, words, claim)


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_a_page_cites_only_documents_that_can_support_it(path: Path, on: str, sites: Path) -> None:
    council = path.parent.name
    others = [name for folder, name in COUNCILS.items() if folder != council]
    for page in pages_of(path, on, sites):
        cited = " ".join(
            re.findall(r'<div class="sources">(.*?)</div>', page.html, flags=re.S)
            + re.findall(r'<p class="source-line">(.*?)</p>', page.html, flags=re.S)
        )
        cited = html.unescape(cited)
        # a source that records that a document says nothing is never cited as support
        assert "no provision" not in cited, (council, page.name)
        # nor is another council's document
        assert not [name for name in others if name in cited], (council, page.name)


@pytest.mark.parametrize(("path", "on"), VERSIONS, ids=IDS)
def test_the_calculator_counts_the_rule_s_limits_and_grounds(
    path: Path, on: str, sites: Path
) -> None:
    [page] = [p for p in pages_of(path, on, sites) if p.name == "index.html"]
    procedure = page.procedure
    found = re.search(r'id="calculator-data">(.*?)</script>', page.html, flags=re.S)
    assert found
    data = json.loads(found[1])
    for start in data["starts"]:
        for counted in start["deadlines"]:
            deadline = procedure.deadlines[counted["id"]]
            assert (counted["amount"], counted["unit"]) == (
                deadline.limit.amount,
                deadline.limit.unit,
            )
            assert start["event"] == deadline.anchor
            assert start["phrase"] == phrase(procedure, deadline.anchor)
            for extended in counted["extended"]:
                words, others = grounds(deadline, extended["amount"])
                assert all(w in extended["if"] for w in words), extended
                assert not [w for w in others if w in extended["if"]], extended
