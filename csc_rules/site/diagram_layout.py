"""Where the site's stage diagram puts each thing its plan shows, in pixels, from the top down."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..language.model import State
from ..procedures.compiler import CompiledProcedure
from ..reports.diagrams import deadline_text
from .diagram_plan import ANY, START, Edge, Plan, plain, plan_of, state_name, summary

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

LEGEND = {
    "path": "the next step",
    "other": "another move: a skip or a step back",
    "any": "open from every open state",
}

Point = tuple[int, int]


def line_height(size: int) -> int:
    return round(size * 1.35)


def text_width(text: str, size: int, bold: bool = False) -> int:
    """The estimated width in pixels of one line of text."""
    return round(len(text) * size * (BOLD_EM if bold else EM))


def wrap(text: str, width: int, size: int, bold: bool = False) -> tuple[str, ...]:
    """`text` in lines that fit `width` pixels at the estimated width of its characters."""
    per_line = max(1, int(width / (size * (BOLD_EM if bold else EM))))
    return tuple(textwrap.wrap(text, per_line, break_on_hyphens=False)) or ("",)


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
        return Rect(self.x, self.y, width, len(self.lines) * line_height(self.size))


@dataclass(frozen=True)
class Box:
    """A state (`kind` "open" or "end"), or the start event's pill (`kind` "start", `key` START)."""

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
    """A stage's band (`kind` "stage"), or the end row's (`kind` "end")."""

    rect: Rect
    label: Text
    note: Text | None
    kind: str


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


# -- pieces ---------------------------------------------------------------------------------------


def _state_texts(
    procedure: CompiledProcedure,
    state: State,
    x: int,
    y: int,
    width: int,
    later: list[str],
    named_only: bool = False,
) -> list[Text]:
    """The texts of a state's box, from its top left corner inside the padding; an end box
    `named_only` leaves its description to the drawing's summary (a crowded end row)."""
    texts: list[Text] = []
    if state.end is not None:
        texts.append(Text(x, y, wrap(state_name(state.id), width, TEXT, True), TEXT, True))
        y = texts[-1].rect.bottom + 2
    if not named_only:
        size = TEXT if state.end is None else SMALL
        texts.append(Text(x, y, wrap(state.description, width, size), size))
        y = texts[-1].rect.bottom + 4
    starts = state.starts
    if state.end is not None:  # a limit an open state also starts is shown in that box
        shown = {d for s in procedure.states.values() if s.end is None for d in s.starts}
        starts = tuple(d for d in starts if d not in shown)
    small = [f"Time limit for {plain(deadline_text(procedure.deadlines[d]))}" for d in starts]
    staying = [
        plain(t.event)
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


def _strip_label(text: str, top: int) -> Text:
    """A band's label, in the strip on its left."""
    return Text(MARGIN + 12, top + 12, wrap(text, STRIP - 16, TEXT, True), TEXT, True)


def _band(top: int, bottom: int, label: Text, note: Text | None, kind: str) -> Band:
    return Band(Rect(MARGIN, top, WIDTH - 2 * MARGIN, bottom - top), label, note, kind)


# -- what is known before anything is placed ------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """The plan, with where its lanes run, where its end boxes stand across the page, and
    where the arrows straight down run: all known before the first box is placed."""

    plan: Plan
    lanes: int
    end_w: int
    end_x: dict[str, int]
    down: dict[int, Edge]  # the arrow straight down from column[i]
    down_x: dict[int, int]
    ports: dict[int, list[tuple[Edge, bool]]]  # column[i]'s gutter moves, top to bottom

    @property
    def rows(self) -> int:
        return len(self.plan.column)

    def lane_x(self, edge: Edge) -> int:
        return LANE_RIGHT - (self.lanes - 1 - edge.lane) * LANE_GAP

    def room(self, i: int) -> int:
        """How far right a label beside column[i] may reach: short of every lane passing it."""
        passing = [e for e in self.plan.gutter if self.plan.span(e)[0] <= i <= self.plan.span(e)[1]]
        return min((self.lane_x(e) for e in passing), default=LANE_RIGHT) - 10


def _frame(plan: Plan) -> _Frame:
    # The end row's boxes share the page's width, so where the arrows reach them is known now.
    count = max(1, len(plan.ends))
    left = MARGIN + 12 if plan.wide_row else COL_X
    end_w = (ROW_RIGHT - left - 12 * (count - 1)) // count
    end_x = {s: left + j * (end_w + 12) for j, s in enumerate(plan.ends)}
    down: dict[int, Edge] = dict(plan.straight)
    down_x = dict.fromkeys(plan.straight, CX)
    if plan.into_row is not None:
        # left of the moves that reach the same box along channels
        beside = sum(1 for e in plan.gutter if e.target == plan.into_row.target)
        low = end_x[plan.into_row.target] + 16
        high = max(low, min(COL_RIGHT, end_x[plan.into_row.target] + end_w) - 16 - 14 * beside)
        down[len(plan.column) - 1] = plan.into_row
        down_x[len(plan.column) - 1] = min(max(CX, low), high)
    lanes = 1 + max((e.lane for e in plan.gutter), default=-1)
    return _Frame(plan, lanes, end_w, end_x, down, down_x, _ports(plan))


def _ports(plan: Plan) -> dict[int, list[tuple[Edge, bool]]]:
    """Each box's right edge carries its gutter moves: those to and from boxes above first, then
    those below, the farthest first, so that no two cross at the box."""

    def other_end(edge: Edge, outgoing: bool) -> int:
        return plan.index.get(edge.target if outgoing else edge.source, len(plan.column))

    ports: dict[int, list[tuple[Edge, bool]]] = {}
    for edge in plan.gutter:
        for key, outgoing in ((edge.source, True), (edge.target, False)):
            if key in plan.index:
                ports.setdefault(plan.index[key], []).append((edge, outgoing))
    for i, attached in ports.items():
        attached.sort(key=lambda p: (other_end(*p) > i, -other_end(*p)))
    return ports


# -- placing, from the top down -------------------------------------------------------------------


@dataclass
class _Placed:
    """What has been placed so far."""

    bands: list[Band] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    rects: dict[str, Rect] = field(default_factory=dict)  # each box's, by its key
    # (id of the move, column index): where the move meets that box's edge
    ports_at: dict[tuple[int, int], Point] = field(default_factory=dict)
    labels: dict[int, Text] = field(default_factory=dict)  # id of the move: its label

    def box(self, box: Box) -> None:
        self.boxes.append(box)
        self.rects[box.key] = box.rect


def _place_column(procedure: CompiledProcedure, frame: _Frame, y: int, placed: _Placed) -> int:
    """Each stage's band with its boxes, from `y` down; the y below them."""
    plan = frame.plan
    crossed = {b for i in plan.straight for b in range(plan.band_of[i] + 1, plan.band_of[i + 1])}
    for b, spec in enumerate(plan.bands):
        top = y
        label = _strip_label(spec.label, top)
        y = top + 12
        note = None
        members = [i for i in range(frame.rows) if plan.band_of[i] == b]
        if not members and spec.description:
            x = CX + 14 if b in crossed else COL_X  # clear of an arrow passing through
            note = Text(x, y, wrap(spec.description, COL_RIGHT - x, SMALL))
            y = note.rect.bottom
        for i in members:
            y = _place_box(procedure, frame, i, y, placed)
        y = max(y, label.rect.bottom) + 12
        placed.bands.append(_band(top, y, label, note, "stage"))
        y += 6
    return y


def _place_box(procedure: CompiledProcedure, frame: _Frame, i: int, y: int, placed: _Placed) -> int:
    """The box of column[i] at `y`, its gutter moves' ports and labels, and the label of the
    arrow straight down from it; the y where the next box may stand."""
    key = frame.plan.column[i]
    if key == START:
        text = f"Start: {plain(procedure.start_event)}"
        w = text_width(text, SMALL, True) + 32
        content = [Text(CX - w // 2 + 16, y + 7, (text,), SMALL, True)]
        rect = Rect(CX - w // 2, y, w, 32)
    else:
        state = procedure.states[key]
        content = _state_texts(procedure, state, COL_X + PAD, y + PAD, COL_W - 2 * PAD, [])
        rect = Rect(COL_X, y, COL_W, max(t.rect.bottom for t in content) + PAD - y)
    slot = _place_ports(frame, i, rect, placed)
    rect = Rect(rect.x, rect.y, rect.w, max(rect.h, slot + PAD // 2 - rect.y))
    placed.box(Box(key, "start" if key == START else "open", rect, tuple(content)))
    y = rect.bottom
    below = frame.down.get(i)
    if below is not None and below.labels:
        x = frame.down_x[i]
        placed.labels[id(below)] = _labelled(below.labels, x + 8, y + 6, COL_RIGHT - x - 18)
        return placed.labels[id(below)].rect.bottom + 6
    if i + 1 < frame.rows and frame.plan.band_of[i + 1] == frame.plan.band_of[i]:
        return y + 26
    return y


def _place_ports(frame: _Frame, i: int, rect: Rect, placed: _Placed) -> int:
    """Where column[i]'s gutter moves meet its right edge, top to bottom, each outgoing one's
    label above it; the y below the last."""
    slot = rect.y + PAD
    for edge, outgoing in frame.ports.get(i, []):
        if outgoing and edge.labels:
            left = COL_RIGHT + 8
            placed.labels[id(edge)] = _labelled(edge.labels, left, slot, frame.room(i) - left)
            slot = placed.labels[id(edge)].rect.bottom + 3
        else:
            slot += 6
        placed.ports_at[(id(edge), i)] = (rect.right, slot)
        slot += 8
    return slot


def _channels(plan: Plan, y: int) -> tuple[dict[int, int], int]:
    """The moves into the end row leave the gutter along channels above it, the inner lanes'
    channels higher (see `diagram_plan`'s lanes): the y of each, by the id of its move; and the
    y below them."""
    into_row = sorted((e for e in plan.gutter if e.target not in plan.index), key=lambda e: e.lane)
    channel = {id(e): y + 4 + 12 * j for j, e in enumerate(into_row)}
    return channel, y + 12 * len(into_row) + (8 if into_row else 0)


def _place_end_row(procedure: CompiledProcedure, frame: _Frame, y: int, placed: _Placed) -> int:
    """The end states' boxes side by side at `y`, all as tall as the tallest; the y below."""
    plan = frame.plan
    contents = {
        s: _state_texts(
            procedure,
            procedure.states[s],
            frame.end_x[s] + PAD,
            y + PAD,
            frame.end_w - 2 * PAD,
            plan.later.get(s, []),
            plan.wide_row,
        )
        for s in plan.ends
    }
    h = max((max(t.rect.bottom for t in c) + PAD - y for c in contents.values()), default=40)
    for s in plan.ends:
        placed.box(Box(s, "end", Rect(frame.end_x[s], y, frame.end_w, h), tuple(contents[s])))
    return y + h


def _down_arrows(frame: _Frame, placed: _Placed) -> list[Arrow]:
    """The arrows straight down the column, and from its last box down into the end row."""
    return [
        Arrow(
            edge.source,
            edge.target,
            "path",
            (
                (frame.down_x[i], placed.rects[frame.plan.column[i]].bottom),
                (frame.down_x[i], placed.rects[edge.target].y),
            ),
            placed.labels.get(id(edge)),
        )
        for i, edge in sorted(frame.down.items())
    ]


def _gutter_arrows(frame: _Frame, channel: dict[int, int], placed: _Placed) -> list[Arrow]:
    """The other moves: out along the gutter and back to a box in the column, or down a
    channel and into the end row, side by side where several reach the same box."""
    plan = frame.plan
    arrows: list[Arrow] = []
    entries: dict[str, int] = {}
    for edge in sorted(plan.gutter, key=lambda e: e.lane):
        x = frame.lane_x(edge)
        start = placed.ports_at[(id(edge), plan.index[edge.source])]
        points: tuple[Point, ...]
        if edge.target in plan.index:
            end = placed.ports_at[(id(edge), plan.index[edge.target])]
            points = (start, (x, start[1]), (x, end[1]), end)
        else:
            taken = entries[edge.target] = entries.get(edge.target, -1) + 1
            target = placed.rects[edge.target]
            if plan.into_row is not None and edge.target == plan.into_row.target:
                entry = frame.down_x[frame.rows - 1] + 16 + 14 * taken
            else:
                entry = target.x + 24 + 14 * taken
            c = channel[id(edge)]
            points = (start, (x, start[1]), (x, c), (entry, c), (entry, target.y))
        arrows.append(Arrow(edge.source, edge.target, "other", points, placed.labels.get(id(edge))))
    return arrows


def _beneath_row(plan: Plan, placed: _Placed, y: int) -> tuple[list[Arrow], list[Text], int]:
    """Beneath the end row: the moves open from every open state, drawn once, and the notes in
    words; the y below them."""
    arrows: list[Arrow] = []
    notes: list[Text] = []
    if plan.bus:
        row = placed.rects
        ups = [
            (s, row[s].x + 18, _labelled(moves, row[s].x + 24, y + 6, row[s].w - 30))
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
    return arrows, notes, y


def layout(procedure: CompiledProcedure) -> Layout:
    """The drawing of `procedure`, placed: bands, boxes, arrows and their labels."""
    plan = plan_of(procedure)
    frame = _frame(plan)
    placed = _Placed()
    kinds = ["path"] + (["other"] if plan.gutter else []) + (["any"] if plan.bus else [])
    legend, y = _legend(kinds)
    y = _place_column(procedure, frame, y, placed)
    channel, top = _channels(plan, y)
    y = _place_end_row(procedure, frame, top + 12, placed)
    arrows = _down_arrows(frame, placed) + _gutter_arrows(frame, channel, placed)
    bus, notes, y = _beneath_row(plan, placed, y)
    # in the strip beside the row; beneath it when the row takes the strip too
    ends_label = _strip_label("How a case ends", y if plan.wide_row else top)
    y = max(y, ends_label.rect.bottom) + 12
    placed.bands.append(_band(top, y, ends_label, None, "end"))
    return Layout(
        WIDTH,
        y + MARGIN,
        tuple(placed.bands),
        tuple(placed.boxes),
        tuple(arrows + bus),
        tuple(notes),
        tuple(legend),
        summary(procedure, plan),
    )
