"""`site.diagram.svg`: the stage graph drawn to be read at page width, for the procedures page."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROCEDURE_IDS
from csc_rules.language.model import Transition
from csc_rules.procedures.compiler import CompiledProcedure
from csc_rules.procedures.library import load_procedure
from csc_rules.reports.diagrams import stage_label, words
from csc_rules.site.diagram import ANY, Layout, Rect, Text, escape, layout, svg, text_width, wrap

NS = "{http://www.w3.org/2000/svg}"
NESTED = "nested (library procedure with more moves)"
TANGLED = "tangled (with a move no layout can draw uncrossed)"


def _move(source: str, event: str, target: str) -> Transition:
    return Transition(source, event, target, None, False, None, ())


def nested() -> CompiledProcedure:
    """A procedure with more to route than the library's, all of it drawable without crossings:
    a move back across several states, one within them, early ends from two states, and an
    awkward description."""
    procedure = load_procedure("sefton/csc-statutory")
    states = dict(procedure.states)
    states["stage-1"] = dataclasses.replace(
        states["stage-1"], description='Fish & <chips> are "under way".'
    )
    extra = (
        _move("awaiting-stage-3-decision", "statement-reopened", "stage-2-requested"),
        _move("panel-arranged", "panel-cancelled", "awaiting-stage-3-decision"),
        _move("stage-1", "closed-early", "resolved"),
        _move("stage-2-requested", "closed-early", "resolved"),
    )
    return dataclasses.replace(procedure, states=states, transitions=procedure.transitions + extra)


def tangled() -> CompiledProcedure:
    """`nested` and a move whose span half overlaps another's: they must cross, but neither may
    run through a box or a label."""
    procedure = nested()
    extra = _move(
        "stage-2-investigation",
        "sent-to-the-ombudsman-before-the-investigation-had-finished",
        "referred-to-ombudsman",
    )
    return dataclasses.replace(procedure, transitions=procedure.transitions + (extra,))


def load(name: str) -> CompiledProcedure:
    return {NESTED: nested, TANGLED: tangled}.get(name, lambda: load_procedure(name))()


@pytest.fixture(params=[*PROCEDURE_IDS, NESTED, TANGLED])
def procedure(request: pytest.FixtureRequest) -> CompiledProcedure:
    return load(request.param)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def texts(root: ET.Element) -> list[str]:
    """Each <text> element's lines joined, as a reader reads it."""
    return [
        " ".join("".join(span.itertext()) for span in element.iter(f"{NS}tspan"))
        for element in root.iter(f"{NS}text")
    ]


def crosses(a: tuple[int, int], b: tuple[int, int], rect: Rect) -> bool:
    """Whether the straight segment a-b enters the inside of `rect` (running along or ending on
    its edge does not count). Every segment drawn is horizontal or vertical."""
    (x1, y1), (x2, y2) = a, b
    assert x1 == x2 or y1 == y2, f"a slanted segment {a}-{b}"
    return (
        min(x1, x2) < rect.right
        and max(x1, x2) > rect.x
        and min(y1, y2) < rect.bottom
        and max(y1, y2) > rect.y
    )


def on_edge(point: tuple[int, int], rect: Rect) -> bool:
    x, y = point
    inside = rect.x <= x <= rect.right and rect.y <= y <= rect.bottom
    return inside and (x in (rect.x, rect.right) or y in (rect.y, rect.bottom))


def test_the_svg_parses_and_fits_the_page(procedure: CompiledProcedure) -> None:
    root = parse(svg(procedure))
    assert root.tag == f"{NS}svg"
    x, y, width, height = (int(n) for n in root.attrib["viewBox"].split())
    assert (x, y) == (0, 0)
    assert width <= 900
    assert 300 < height < 2400
    assert root.attrib["width"] == "100%"
    assert root.attrib["role"] == "img"


def test_it_is_named_and_described_for_a_screen_reader(procedure: CompiledProcedure) -> None:
    root = parse(svg(procedure))
    named = {e.attrib["id"]: "".join(e.itertext()) for e in root if "id" in e.attrib}
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    assert procedure.title in named[title_id]
    assert root.find(f"{NS}title") is not None and root.find(f"{NS}desc") is not None
    description = named[desc_id]
    open_states = [s for s in procedure.states.values() if s.end is None]
    at = [description.find(s.description.rstrip(".")) for s in open_states]
    assert -1 not in at
    # stage by stage, in the order a case meets them: the first state comes first
    assert at[0] == min(at)


def test_every_open_state_and_every_stage_is_written(procedure: CompiledProcedure) -> None:
    written = texts(parse(svg(procedure)))
    for state in procedure.states.values():
        if state.end is None:
            assert state.description in written, state.id
    for stage in procedure.stages:
        assert stage_label(stage) in written, stage.id


def assert_every_move_is_labelled(procedure: CompiledProcedure) -> None:
    """On the arrow that draws it; or once, on the arrow from every open state; or, for a move
    out of an end state, as a "Then:" line in that state's box; or else in a note in words."""
    drawn = layout(procedure)
    written = " | ".join(texts(parse(svg(procedure))))
    boxes = {box.key: box for box in drawn.boxes}
    notes = [" ".join(note.lines) for note in drawn.notes]
    for t in procedure.transitions:
        if t.source == t.target:
            continue
        label = words(t.event)
        if t.when_overdue:
            label += f" if {words(t.guard_words())}"
        assert label in written, t
        if procedure.states[t.source].end is not None:
            lines = [" ".join(text.lines) for text in boxes[t.source].texts]
            assert any(line.startswith(f"Then: {label}") for line in lines), t
            continue
        on_arrows = [
            " ".join(a.label.lines)
            for a in drawn.arrows
            if a.source in (t.source, ANY) and a.target == t.target and a.label is not None
        ]
        assert any(label in text for text in on_arrows + notes), t


def assert_clear(drawn: Layout) -> None:
    """No box overlaps another, no line runs through a box or a label, no label overlaps a box
    or another label, and every arrow starts and ends on the edge of its boxes."""
    boxes = {box.key: box.rect for box in drawn.boxes}
    rects = list(boxes.values())
    for i, rect in enumerate(rects):
        assert not any(rect.overlaps(other) for other in rects[i + 1 :]), rect
    labels = [a.label for a in drawn.arrows if a.label is not None]
    labels += [band.label for band in drawn.bands] + list(drawn.notes)
    for arrow in drawn.arrows:
        for a, b in arrow.segments:
            for key, rect in boxes.items():
                assert not crosses(a, b, rect), (arrow.source, arrow.target, key)
            for label in labels:
                assert not crosses(a, b, label.rect), (arrow.source, arrow.target, label.lines)
        if arrow.source in boxes:
            assert on_edge(arrow.points[0], boxes[arrow.source]), arrow
        if arrow.head:
            assert on_edge(arrow.points[-1], boxes[arrow.target]), arrow
    for i, label in enumerate(labels):
        for rect in rects:
            assert not label.rect.overlaps(rect), label.lines
        for other in labels[i + 1 :]:
            assert not label.rect.overlaps(other.rect), (label.lines, other.lines)


def test_every_move_between_states_is_labelled(procedure: CompiledProcedure) -> None:
    assert_every_move_is_labelled(procedure)


def test_moves_open_from_every_open_state_are_drawn_once(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    for t in procedure.transitions:
        if t.anytime:
            into = [a for a in drawn.arrows if a.target == t.target and a.kind == "any"]
            assert [a.source for a in into] == [ANY], t.target
    assert "From any open state" in texts(parse(svg(procedure)))


def test_no_two_boxes_overlap(procedure: CompiledProcedure) -> None:
    boxes = layout(procedure).boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.rect.overlaps(b.rect), (a.key, b.key)


def test_no_arrow_passes_through_a_box(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    for arrow in drawn.arrows:
        for a, b in arrow.segments:
            for box in drawn.boxes:
                assert not crosses(a, b, box.rect), (arrow.source, arrow.target, box.key)


def test_every_arrow_joins_its_boxes_and_no_box_floats(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    boxes = {box.key: box.rect for box in drawn.boxes}
    for arrow in drawn.arrows:
        if arrow.source in boxes:
            assert on_edge(arrow.points[0], boxes[arrow.source]), arrow
        if arrow.head:
            assert on_edge(arrow.points[-1], boxes[arrow.target]), arrow
    touched = {a.target for a in drawn.arrows} | {a.source for a in drawn.arrows}
    assert set(boxes) <= touched


def cut(one: tuple[tuple[int, int], ...], other: tuple[tuple[int, int], ...]) -> bool:
    """Whether a horizontal segment and a vertical one cross (meeting at an end does not count)."""
    for (a, b), (c, d) in ((one, other), (other, one)):
        across = a[1] == b[1] and c[0] == d[0]
        if (
            across
            and min(a[0], b[0]) < c[0] < max(a[0], b[0])
            and min(c[1], d[1]) < a[1] < max(c[1], d[1])
        ):
            return True
    return False


@pytest.mark.parametrize("name", [*PROCEDURE_IDS, NESTED])
def test_no_two_arrows_cross(name: str) -> None:
    arrows = layout(load(name)).arrows
    for i, arrow in enumerate(arrows):
        for other in arrows[i + 1 :]:
            for one in arrow.segments:
                for two in other.segments:
                    assert not cut(one, two), (
                        arrow.source,
                        arrow.target,
                        other.source,
                        other.target,
                    )


def test_no_arrow_runs_through_a_label(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    labels = [a.label for a in drawn.arrows if a.label is not None]
    labels += [band.label for band in drawn.bands] + list(drawn.notes)
    for arrow in drawn.arrows:
        for a, b in arrow.segments:
            for label in labels:
                assert not crosses(a, b, label.rect), (arrow.source, arrow.target, label.lines)


def test_labels_overlap_neither_boxes_nor_each_other(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    labels = [a.label for a in drawn.arrows if a.label is not None]
    labels += [band.label for band in drawn.bands] + list(drawn.notes)
    for i, label in enumerate(labels):
        for box in drawn.boxes:
            assert not label.rect.overlaps(box.rect), (label.lines, box.key)
        for other in labels[i + 1 :]:
            assert not label.rect.overlaps(other.rect), (label.lines, other.lines)


def test_text_fits_inside_its_box_and_on_the_page(procedure: CompiledProcedure) -> None:
    drawn = layout(procedure)
    page = Rect(0, 0, drawn.width, drawn.height)
    for box in drawn.boxes:
        for text in box.texts:
            inner = text.rect
            assert box.rect.x < inner.x and inner.right < box.rect.right, (box.key, text.lines)
            assert box.rect.y < inner.y and inner.bottom < box.rect.bottom, (box.key, text.lines)
    for band in drawn.bands:
        assert band.label.rect.right < band.rect.x + 160, band.label.lines  # within its strip
    for label in [a.label for a in drawn.arrows if a.label is not None]:
        assert label.rect.right <= page.right and label.rect.bottom <= page.bottom


def test_text_is_at_least_13px(procedure: CompiledProcedure) -> None:
    sizes = [int(e.attrib["font-size"]) for e in parse(svg(procedure)).iter(f"{NS}text")]
    assert sizes and min(sizes) >= 13


def test_kinds_of_line_differ_by_dash_not_colour_alone() -> None:
    drawn = layout(tangled())
    root = parse(svg(tangled()))
    dashes = {
        e.attrib["points"]: e.attrib.get("stroke-dasharray") for e in root.iter(f"{NS}polyline")
    }
    seen = {}
    for arrow in drawn.arrows:
        points = " ".join(f"{x},{y}" for x, y in arrow.points)
        seen.setdefault(arrow.kind, set()).add(dashes[points])
    assert seen["path"] == {None}
    assert len(seen["other"]) == 1 and len(seen["any"]) == 1
    assert len({*seen["path"], *seen["other"], *seen["any"]}) == 3


def test_the_column_follows_the_main_path_stage_by_stage() -> None:
    drawn = layout(load_procedure("sefton/csc-statutory"))
    column = [box.key for box in sorted(drawn.boxes, key=lambda b: b.rect.y) if box.kind == "open"]
    assert column == [
        "stage-1",
        "awaiting-stage-2-decision",
        "stage-2-requested",
        "stage-2-investigation",
        "stage-2-adjudication",
        "awaiting-stage-3-decision",
        "stage-3-panel",
        "panel-arranged",
        "awaiting-panel-report",
        "awaiting-stage-3-response",
    ]
    skip = [a for a in drawn.arrows if a.kind == "other"]
    assert [(a.source, a.target) for a in skip] == [("stage-1", "stage-2-requested")]


def test_two_diagrams_on_one_page_share_no_id() -> None:
    first = svg(load_procedure("sefton/csc-statutory"))
    second = svg(load_procedure("islington/csc-statutory"))
    ids = [{e.attrib["id"] for e in parse(s).iter() if "id" in e.attrib} for s in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for text, own in zip((first, second), ids, strict=True):
        referred = set(re.findall(r'url\(#([^)]+)\)|aria-labelledby="([^"]+)"', text))
        for names in referred:
            for name in " ".join(names).split():
                assert name in own, name
    assert svg(load_procedure("sefton/csc-statutory"), ident="mine").count('id="mine-') == 3


def test_text_is_escaped() -> None:
    assert escape('Fish & <chips> "here"') == "Fish &amp; &lt;chips&gt; &quot;here&quot;"
    text = svg(tangled())
    assert "Fish &amp; &lt;chips&gt;" in text
    assert 'Fish & <chips> are "under way".' in texts(parse(text))


def test_the_same_procedure_gives_the_same_bytes() -> None:
    procedure = load_procedure("cheshire-west/csc-statutory")
    assert svg(procedure) == svg(dataclasses.replace(procedure))


def test_wrapping_keeps_lines_within_the_width() -> None:
    lines = wrap("The panel has a date; the complainant gets the papers before it meets.", 200, 15)
    assert len(lines) > 1
    assert all(text_width(line, 15) <= 200 for line in lines)
    assert (
        " ".join(lines) == "The panel has a date; the complainant gets the papers before it meets."
    )
    assert Text(0, 0, lines, 15).rect.h == len(lines) * 20


EVENTS = ["go-back", "closed-early", "sent-to-the-ombudsman-before-the-investigation-had-finished"]


@settings(deadline=None)
@given(st.data())
def test_any_moves_added_are_drawn_clear_and_labelled(data: st.DataObject) -> None:
    """Moves back, skips, early ends, moves out of end states, moves open from everywhere."""
    base = load_procedure(data.draw(st.sampled_from(["sefton/csc-statutory", "sefton/corporate"])))
    states = sorted(base.states)
    moves = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(states),
                st.sampled_from(EVENTS),
                st.sampled_from(states),
                st.booleans(),
            ),
            max_size=6,
        )
    )
    extra = tuple(
        Transition(source, f"{event}-{k}", target, None, anytime, None, ())
        for k, (source, event, target, anytime) in enumerate(moves)
    )
    procedure = dataclasses.replace(base, transitions=base.transitions + extra)
    drawn = layout(procedure)
    # Taller than a library procedure may be (see test_the_svg_parses_and_fits_the_page): with the
    # decisions outside the procedure a row holds six ends, and the long moves added out of them
    # wrap onto more lines in its narrower boxes.
    assert drawn.width <= 900 and drawn.height < 2600
    assert_clear(drawn)
    assert_every_move_is_labelled(procedure)
