"""Draw a compiled procedure's stage graph as inline SVG that can be read at page width."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from ..language.model import State, Transition
from ..procedures.compiler import CompiledProcedure
from ..reports.diagrams import deadline_text, stage_label, words

# The page is one column, top to bottom. Each stage is a band with its label in a strip on the
# left; its open states stand in a column in the order a case meets them, joined by straight
# arrows; every other move runs in a gutter on the right; the end states stand in a row at the
# bottom, with the moves open from every open state drawn once, beneath them.
WIDTH = 860
MARGIN = 8
STRIP = 150  # the left part of each band, which holds its label
COL_X = MARGIN + STRIP + 12
COL_W = 440
COL_RIGHT = COL_X + COL_W
CX = COL_X + COL_W // 2
LANE_RIGHT = WIDTH - MARGIN - 14  # the outermost lane of the gutter
LANE_GAP = 14
ROW_RIGHT = WIDTH - MARGIN - 8
PAD = 10
TEXT = 15
SMALL = 13
# Text width is estimated, not measured: the page's own font draws it.
EM = 0.56
BOLD_EM = 0.66

START = "(start)"  # the start event's pill: not a state id, which is a plain identifier
ANY = "(any open state)"

INK = "#1b1b1b"
LINE = "#3d3d3d"
BOX_STROKE = "#57606a"
BAND_STROKE = "#c3ccd6"
SHADES = ("#eef3f8", "#f5f2ea")
END_BAND = "#eef5ef"
DASHES = {"path": None, "other": "7 4", "any": "2 3"}
LEGEND = {
    "path": "the next step",
    "other": "another move: a skip or a step back",
    "any": "open from every open state",
}

Point = tuple[int, int]


def _lh(size: int) -> int:
    return round(size * 1.35)


def text_width(text: str, size: int, bold: bool = False) -> int:
    """The estimated width in pixels of one line of text."""
    return round(len(text) * size * (BOLD_EM if bold else EM))


def wrap(text: str, width: int, size: int, bold: bool = False) -> tuple[str, ...]:
    """`text` in lines that fit `width` pixels at the estimated width of its characters."""
    per_line = max(1, int(width / (size * (BOLD_EM if bold else EM))))
    return tuple(textwrap.wrap(text, per_line, break_on_hyphens=False)) or ("",)


def escape(text: str) -> str:
    """Text safe inside an XML element or a quoted attribute."""
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        """Whether the insides of the two rectangles meet (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True)
class Text:
    """Lines of text whose first line's top is at (x, y)."""

    x: int
    y: int
    lines: tuple[str, ...]
    size: int = SMALL
    bold: bool = False

    @property
    def rect(self) -> Rect:
        width = max(text_width(line, self.size, self.bold) for line in self.lines)
        return Rect(self.x, self.y, width, len(self.lines) * _lh(self.size))


@dataclass(frozen=True)
class Box:
    """A state (`kind` "open" or "end"), or the start event's pill (`key` START)."""

    key: str
    kind: str
    rect: Rect
    texts: tuple[Text, ...]


@dataclass(frozen=True)
class Arrow:
    """A polyline from `source` to `target`; `kind` is "path" (solid), "other" (dashed) or
    "any" (dotted, from every open state)."""

    source: str
    target: str
    kind: str
    points: tuple[Point, ...]
    label: Text | None = None
    head: bool = True

    @property
    def segments(self) -> tuple[tuple[Point, Point], ...]:
        return tuple((a, b) for a, b in zip(self.points, self.points[1:], strict=False))


@dataclass(frozen=True)
class Band:
    rect: Rect
    label: Text
    note: Text | None
    fill: str


@dataclass(frozen=True)
class Layout:
    """Everything the drawing holds, in pixels: what `svg` draws and what tests measure."""

    width: int
    height: int
    bands: tuple[Band, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    notes: tuple[Text, ...]
    legend: tuple[Arrow, ...]
    summary: str  # the states in order, in words


# -- what to draw ---------------------------------------------------------------------------------


def _plain(identifier_text: str) -> str:
    return words(identifier_text).replace("_", " ")


def _name(state_id: str) -> str:
    return _plain(state_id).capitalize()


def _label(t: Transition) -> str:
    guard = f" if {_plain(t.guard_words())}" if t.when_overdue else ""
    return f"{_plain(t.event)}{guard}"


def _order(procedure: CompiledProcedure) -> list[str]:
    """Every state, in the order a case meets them: a depth-first walk from the start state
    along the moves (plain moves before guarded ones), read in reverse finishing order."""
    moves: dict[str, list[str]] = {}
    for t in sorted(procedure.transitions, key=lambda t: t.when_overdue is not None):
        if t.source != t.target and not t.anytime:
            moves.setdefault(t.source, []).append(t.target)
    seen = {procedure.start_state}
    stack = [(procedure.start_state, iter(moves.get(procedure.start_state, [])))]
    finished: list[str] = []
    while stack:
        state, following = stack[-1]
        for target in following:
            if target not in seen:
                seen.add(target)
                stack.append((target, iter(moves.get(target, []))))
                break
        else:
            finished.append(state)
            stack.pop()
    return finished[::-1] + [s for s in procedure.states if s not in seen]


@dataclass
class _Edge:
    source: str
    target: str
    labels: list[str]
    lane: int = 0


@dataclass(frozen=True)
class _BandSpec:
    label: str
    description: str | None
    states: tuple[str, ...]


@dataclass
class _Plan:
    bands: list[_BandSpec]
    column: list[str]  # START and the open states, top to bottom
    band_of: list[int]
    ends: list[str]
    straight: dict[int, _Edge]  # from column[i] to column[i + 1]
    into_row: _Edge | None  # from the last in the column, straight down to ends[0]
    gutter: list[_Edge]
    bus: dict[str, list[str]]  # end state: the moves into it open from every open state
    notes: list[str]
    later: dict[str, list[str]]  # end state: the moves out of it


def _plan(procedure: CompiledProcedure) -> _Plan:
    states = procedure.states
    order = _order(procedure)
    rank = {state: i for i, state in enumerate(order)}
    open_ids = [s for s in order if states[s].end is None]
    end_ids = [s for s in order if states[s].end is not None]

    edges: dict[tuple[str, str], _Edge] = {}

    def add(source: str, target: str, label: str | None) -> None:
        edge = edges.setdefault((source, target), _Edge(source, target, []))
        if label is not None and label not in edge.labels:
            edge.labels.append(label)

    add(START, procedure.start_state, None)
    later: dict[str, list[str]] = {}
    grouped: dict[tuple[str, str], list[str]] = {}
    anytime: set[tuple[str, str]] = set()
    for t in procedure.transitions:
        if t.source == t.target:
            continue
        label = _label(t)
        if states[t.source].end is not None:
            then = (
                label
                if label.lower() == _name(t.target).lower()
                else f"{label} → {_name(t.target)}"
            )
            later.setdefault(t.source, []).append(f"Then: {then}")
        elif t.anytime or states[t.target].end is not None:
            grouped.setdefault((label, t.target), []).append(t.source)
            if t.anytime:
                anytime.add((label, t.target))
        else:
            add(t.source, t.target, label)

    bus: dict[str, list[str]] = {}
    notes: list[str] = []
    for (label, target), sources in grouped.items():
        everywhere = (label, target) in anytime or set(open_ids) <= set(sources)
        if everywhere and states[target].end is not None:
            bus.setdefault(target, []).append(label)
        elif everywhere:
            notes.append(f"From any open state: {label} → {_name(target)}")
        elif len(sources) > 2:  # more arrows than a reader can follow
            named = ", ".join(_name(s) for s in sources)
            notes.append(f"From {named}: {label} → {_name(target)}")
        else:
            for source in sources:
                add(source, target, label)

    bands = [
        _BandSpec(
            stage_label(stage),
            stage.description,
            tuple(s for s in open_ids if states[s].stage == stage.id),
        )
        for stage in procedure.stages
    ]
    placed = {s for band in bands for s in band.states}
    for stage_id in dict.fromkeys(states[s].stage or "" for s in open_ids if s not in placed):
        bands.append(
            _BandSpec(
                _name(stage_id) if stage_id else "Other open states",
                None,
                tuple(
                    s for s in open_ids if s not in placed and (states[s].stage or "") == stage_id
                ),
            )
        )
    if not bands:
        bands.append(_BandSpec("Open states", None, ()))
    column: list[str] = []
    band_of: list[int] = []
    for b, band in enumerate(bands):
        for state in band.states:
            if state == procedure.start_state:
                column.append(START)
                band_of.append(b)
            column.append(state)
            band_of.append(b)
    if START not in column:
        column.insert(0, START)
        band_of.insert(0, band_of[0] if band_of else 0)

    last = column[-1]
    first_end = next(
        (e.target for e in edges.values() if e.source == last and e.target in end_ids), None
    )
    ends = sorted(end_ids, key=lambda s: (s != first_end, rank[s]))
    index = {key: i for i, key in enumerate(column)}
    straight: dict[int, _Edge] = {}
    into_row = None
    gutter: list[_Edge] = []
    for edge in edges.values():
        if index.get(edge.target) == index[edge.source] + 1:
            straight[index[edge.source]] = edge
        elif into_row is None and edge.source == last and edge.target == first_end:
            into_row = edge
        else:
            gutter.append(edge)
    _assign_lanes(gutter, index, ends)
    return _Plan(bands, column, band_of, ends, straight, into_row, gutter, bus, notes, later)


def _span(edge: _Edge, index: dict[str, int]) -> tuple[int, int]:
    """The rows of the column a move spans; the end row is the one below the column."""
    low, high = sorted(index.get(key, len(index)) for key in (edge.source, edge.target))
    return low, high


def _assign_lanes(gutter: list[_Edge], index: dict[str, int], ends: list[str]) -> None:
    """Shorter moves take the lanes nearer the boxes, so that the longer ones pass around them,
    and moves whose spans do not meet share a lane. The moves into the end row come last, those
    to its leftmost boxes first: they leave the gutter along channels above the row, the inner
    lanes' channels higher, and so reach their boxes without crossing."""

    def order(edge: _Edge) -> tuple[int, int, int]:
        low, high = _span(edge, index)
        into_row = edge.target not in index
        return (into_row, ends.index(edge.target) if into_row else 0, high - low)

    lanes: list[list[tuple[int, int]]] = []
    for edge in sorted(gutter, key=order):
        low, high = _span(edge, index)
        for lane, taken in enumerate(lanes):
            if all(high < a or b < low for a, b in taken):
                taken.append((low, high))
                edge.lane = lane
                break
        else:
            lanes.append([(low, high)])
            edge.lane = len(lanes) - 1


# -- where to draw it -----------------------------------------------------------------------------


def _state_texts(
    procedure: CompiledProcedure, state: State, x: int, y: int, width: int, later: list[str]
) -> list[Text]:
    """The texts of a state's box, from its top left corner inside the padding."""
    texts: list[Text] = []
    if state.end is not None:
        texts.append(Text(x, y, wrap(_name(state.id), width, TEXT, True), TEXT, True))
        y = texts[-1].rect.bottom + 2
    size = TEXT if state.end is None else SMALL
    texts.append(Text(x, y, wrap(state.description, width, size), size))
    y = texts[-1].rect.bottom + 4
    small = [
        f"Time limit for {_plain(deadline_text(procedure.deadlines[d]))}" for d in state.starts
    ]
    staying = [
        _plain(t.event)
        for t in procedure.transitions
        if t.source == state.id == t.target and not t.anytime
    ]
    if staying:
        small.append("Also: " + ", ".join(dict.fromkeys(staying)))
    for line in small + later:
        texts.append(Text(x, y, wrap(line, width, SMALL)))
        y = texts[-1].rect.bottom
    return texts


def _legend(kinds: Iterable[str]) -> tuple[list[Arrow], int]:
    """A sample of each kind of line drawn, with what it means; and the y below them."""
    arrows: list[Arrow] = []
    x, y = MARGIN + 4, MARGIN
    for kind in kinds:
        text = LEGEND[kind]
        width = 44 + text_width(text, SMALL)
        if x + width > WIDTH - MARGIN and arrows:
            x, y = MARGIN + 4, y + 22
        arrows.append(
            Arrow("", "", kind, ((x, y + 10), (x + 34, y + 10)), Text(x + 42, y + 1, (text,)))
        )
        x += width + 24
    return arrows, y + 22 + 8


def _labelled(labels: list[str], x: int, y: int, width: int) -> Text:
    return Text(x, y, tuple(line for label in labels for line in wrap(label, width, SMALL)))


def layout(procedure: CompiledProcedure) -> Layout:
    """The drawing of `procedure`, placed: bands, boxes, arrows and their labels."""
    plan = _plan(procedure)
    states = procedure.states
    column, rows = plan.column, len(plan.column)
    index = {key: i for i, key in enumerate(column)}
    lanes = 1 + max((e.lane for e in plan.gutter), default=-1)

    def lane_x(edge: _Edge) -> int:
        return LANE_RIGHT - (lanes - 1 - edge.lane) * LANE_GAP

    def room(i: int) -> int:
        """How far right a label beside column[i] may reach: short of every lane passing it."""
        passing = [e for e in plan.gutter if _span(e, index)[0] <= i <= _span(e, index)[1]]
        return min((lane_x(e) for e in passing), default=LANE_RIGHT) - 10

    def other_end(edge: _Edge, outgoing: bool) -> int:
        return index.get(edge.target if outgoing else edge.source, rows)

    # The end row's boxes share the page's width, so where the arrows reach them is known now.
    count = max(1, len(plan.ends))
    end_w = (ROW_RIGHT - COL_X - 12 * (count - 1)) // count
    end_x = {s: COL_X + j * (end_w + 12) for j, s in enumerate(plan.ends)}
    down: dict[int, _Edge] = dict(plan.straight)  # the arrow straight down from column[i]
    down_x = dict.fromkeys(plan.straight, CX)
    if plan.into_row is not None:
        # left of the moves that reach the same box along channels
        beside = sum(1 for e in plan.gutter if e.target == plan.into_row.target)
        low = end_x[plan.into_row.target] + 16
        high = max(low, min(COL_RIGHT, end_x[plan.into_row.target] + end_w) - 16 - 14 * beside)
        down[rows - 1] = plan.into_row
        down_x[rows - 1] = min(max(CX, low), high)

    # Each box's right edge carries its gutter moves: those to and from boxes above first, then
    # those below, the farthest first, so that no two cross at the box.
    ports: dict[int, list[tuple[_Edge, bool]]] = {}
    for edge in plan.gutter:
        for key, outgoing in ((edge.source, True), (edge.target, False)):
            if key in index:
                ports.setdefault(index[key], []).append((edge, outgoing))
    for i, attached in ports.items():
        attached.sort(key=lambda p: (other_end(*p) > i, -other_end(*p)))

    kinds = ["path"] + (["other"] if plan.gutter else []) + (["any"] if plan.bus else [])
    legend, y = _legend(kinds)

    crossed = {b for i in plan.straight for b in range(plan.band_of[i] + 1, plan.band_of[i + 1])}
    boxes: list[Box] = []
    bands: list[Band] = []
    bottoms: dict[int, int] = {}  # where each box in the column ends
    tops: dict[str, int] = {}
    ports_at: dict[tuple[int, int], Point] = {}  # (id of the move, column index): where it meets
    labels: dict[int, Text] = {}  # id of the move: its label

    for b, spec in enumerate(plan.bands):
        top = y
        label = Text(MARGIN + 12, top + 12, wrap(spec.label, STRIP - 16, TEXT, True), TEXT, True)
        y = top + 12
        note = None
        members = [i for i in range(rows) if plan.band_of[i] == b]
        if not members and spec.description:
            x = CX + 14 if b in crossed else COL_X  # clear of an arrow passing through
            note = Text(x, y, wrap(spec.description, COL_RIGHT - x, SMALL))
            y = note.rect.bottom
        for i in members:
            key = column[i]
            if key == START:
                text = f"Start: {_plain(procedure.start_event)}"
                w = text_width(text, SMALL, True) + 32
                content = [Text(CX - w // 2 + 16, y + 7, (text,), SMALL, True)]
                rect = Rect(CX - w // 2, y, w, 32)
            else:
                content = _state_texts(
                    procedure, states[key], COL_X + PAD, y + PAD, COL_W - 2 * PAD, []
                )
                rect = Rect(COL_X, y, COL_W, max(t.rect.bottom for t in content) + PAD - y)
            slot = y + PAD
            for edge, outgoing in ports.get(i, []):
                if outgoing and edge.labels:
                    left = COL_RIGHT + 8
                    labels[id(edge)] = _labelled(edge.labels, left, slot, room(i) - left)
                    slot = labels[id(edge)].rect.bottom + 3
                else:
                    slot += 6
                ports_at[(id(edge), i)] = (rect.right, slot)
                slot += 8
            rect = Rect(rect.x, rect.y, rect.w, max(rect.h, slot + PAD // 2 - rect.y))
            boxes.append(Box(key, "start" if key == START else "open", rect, tuple(content)))
            tops[key] = rect.y
            y = bottoms[i] = rect.bottom
            below = down.get(i)
            if below is not None and below.labels:
                x = down_x[i]
                labels[id(below)] = _labelled(below.labels, x + 8, y + 6, COL_RIGHT - x - 18)
                y = labels[id(below)].rect.bottom + 6
            elif i + 1 < rows and plan.band_of[i + 1] == b:
                y += 26
        y = max(y, label.rect.bottom) + 12
        fill = SHADES[b % 2]
        bands.append(Band(Rect(MARGIN, top, WIDTH - 2 * MARGIN, y - top), label, note, fill))
        y += 6

    # The moves into the end row leave the gutter along channels above it, the inner lanes'
    # channels higher (see _assign_lanes).
    into_row = sorted((e for e in plan.gutter if e.target not in index), key=lambda e: e.lane)
    channel = {id(e): y + 4 + 12 * j for j, e in enumerate(into_row)}
    y += 12 * len(into_row) + (8 if into_row else 0)

    top = y
    ends_label = Text(
        MARGIN + 12, top + 12, wrap("How a case ends", STRIP - 16, TEXT, True), TEXT, True
    )
    y = top + 12
    contents = {
        s: _state_texts(
            procedure, states[s], end_x[s] + PAD, y + PAD, end_w - 2 * PAD, plan.later.get(s, [])
        )
        for s in plan.ends
    }
    h = max((max(t.rect.bottom for t in c) + PAD - y for c in contents.values()), default=40)
    row = {s: Rect(end_x[s], y, end_w, h) for s in plan.ends}
    boxes += [Box(s, "end", row[s], tuple(contents[s])) for s in plan.ends]
    tops.update((s, y) for s in plan.ends)
    y += h

    arrows = [
        Arrow(
            edge.source,
            edge.target,
            "path",
            ((down_x[i], bottoms[i]), (down_x[i], tops[edge.target])),
            labels.get(id(edge)),
        )
        for i, edge in sorted(down.items())
    ]
    entries: dict[str, int] = {}
    for edge in sorted(plan.gutter, key=lambda e: e.lane):
        x = lane_x(edge)
        start = ports_at[(id(edge), index[edge.source])]
        points: tuple[Point, ...]
        if edge.target in index:
            end = ports_at[(id(edge), index[edge.target])]
            points = (start, (x, start[1]), (x, end[1]), end)
        else:
            taken = entries[edge.target] = entries.get(edge.target, -1) + 1
            if plan.into_row is not None and edge.target == plan.into_row.target:
                entry = down_x[rows - 1] + 16 + 14 * taken
            else:
                entry = row[edge.target].x + 24 + 14 * taken
            c = channel[id(edge)]
            points = (start, (x, start[1]), (x, c), (entry, c), (entry, row[edge.target].y))
        arrows.append(Arrow(edge.source, edge.target, "other", points, labels.get(id(edge))))

    # Beneath the row, the moves open from every open state, drawn once.
    notes: list[Text] = []
    if plan.bus:
        ups = [
            (s, row[s].x + 18, _labelled(moves, row[s].x + 26, y + 6, row[s].w - 34))
            for s, moves in plan.bus.items()
        ]
        bus_y = max(label.rect.bottom for _, _, label in ups) + 8
        arrows += [
            Arrow(ANY, s, "any", ((x, bus_y), (x, row[s].bottom)), label) for s, x, label in ups
        ]
        last = max(x for _, x, _ in ups)
        arrows.append(Arrow(ANY, "", "any", ((MARGIN + 12, bus_y), (last, bus_y)), head=False))
        notes.append(Text(MARGIN + 12, bus_y + 6, ("From any open state",), SMALL, True))
        y = notes[-1].rect.bottom
    for text in plan.notes:
        notes.append(Text(MARGIN + 12, y + 6, wrap(text, WIDTH - 2 * MARGIN - 24, SMALL)))
        y = notes[-1].rect.bottom
    y = max(y, ends_label.rect.bottom) + 12
    bands.append(Band(Rect(MARGIN, top, WIDTH - 2 * MARGIN, y - top), ends_label, None, END_BAND))
    return Layout(
        WIDTH,
        y + MARGIN,
        tuple(bands),
        tuple(boxes),
        tuple(arrows),
        tuple(notes),
        tuple(legend),
        _summary(procedure, plan),
    )


def _summary(procedure: CompiledProcedure, plan: _Plan) -> str:
    """The states in order, stage by stage, in words: the drawing's description."""
    parts = []
    for band in plan.bands:
        if band.states:
            described = "; ".join(procedure.states[s].description.rstrip(".") for s in band.states)
            parts.append(f"{band.label}: {described}.")
        else:
            parts.append(f"{band.label}: no states of its own.")
    if plan.ends:
        parts.append("A case ends: " + ", ".join(_name(s) for s in plan.ends) + ".")
    return f"The states of a case, in order. {' '.join(parts)}"


# -- drawing --------------------------------------------------------------------------------------


def _ident(text: str) -> str:
    """`text` as the start of an XML id: letters, digits and hyphens, beginning with a letter."""
    plain = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return plain if plain[:1].isalpha() else f"d-{plain}"


def _text(t: Text) -> str:
    weight = ' font-weight="bold"' if t.bold else ""
    spans = "".join(
        f'<tspan x="{t.x}" y="{t.y + j * _lh(t.size) + t.size}">{escape(line)}</tspan>'
        for j, line in enumerate(t.lines)
    )
    return f'<text font-size="{t.size}"{weight}>{spans}</text>'


def _arrow(a: Arrow, marker: str) -> str:
    points = " ".join(f"{x},{y}" for x, y in a.points)
    dash = DASHES[a.kind]
    style = f' stroke-dasharray="{dash}"' if dash else ""
    head = f' marker-end="url(#{marker})"' if a.head else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.6"{style}{head}/>'
    )


def svg(procedure: CompiledProcedure, *, ident: str | None = None) -> str:
    """The stage graph of `procedure` as an inline SVG element, 860 pixels wide at full size.

    `ident` (kept to letters, digits and hyphens) prefixes every id in it: its marker, title and
    description. By default it is made from the procedure's id and version, so that several
    diagrams can share a page; give one when the same procedure is drawn twice on a page."""
    lay = layout(procedure)
    p = _ident(ident if ident is not None else f"stage graph {procedure.id} {procedure.version}")
    marker = f"{p}-arrow"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" '
        f'width="100%" role="img" aria-labelledby="{p}-title {p}-desc" '
        f'style="font-family: inherit" fill="{INK}">',
        f'<title id="{p}-title">{escape(f"Stages and states of {procedure.title}")}</title>',
        f'<desc id="{p}-desc">{escape(lay.summary)}</desc>',
        "<defs>",
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker>',
        "</defs>",
    ]
    for band in lay.bands:
        r = band.rect
        out.append(
            f'<rect x="{r.x}" y="{r.y}" width="{r.w}" height="{r.h}" rx="6" '
            f'fill="{band.fill}" stroke="{BAND_STROKE}"/>'
        )
        out.append(_text(band.label))
        if band.note is not None:
            out.append(_text(band.note))
    for arrow in lay.legend + lay.arrows:
        out.append(_arrow(arrow, marker))
    for box in lay.boxes:
        r = box.rect
        rounding = r.h // 2 if box.kind == "start" else 4
        stroke = ' stroke-width="2.5"' if box.kind == "end" else ' stroke-width="1.2"'
        out.append(
            f'<rect x="{r.x}" y="{r.y}" width="{r.w}" height="{r.h}" rx="{rounding}" '
            f'fill="#ffffff" stroke="{BOX_STROKE}"{stroke}/>'
        )
        out.extend(_text(t) for t in box.texts)
    for arrow in lay.legend + lay.arrows:
        if arrow.label is not None:
            out.append(_text(arrow.label))
    out.extend(_text(t) for t in lay.notes)
    out.append("</svg>")
    return "\n".join(out) + "\n"
