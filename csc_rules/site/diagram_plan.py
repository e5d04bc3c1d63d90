"""What the site's stage diagram shows: its bands, its column of boxes, its end row, which move
runs where, and the lanes of the gutter, decided from a compiled procedure before any pixel."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..language.model import Transition
from ..procedures.compiler import CompiledProcedure
from ..reports.diagrams import stage_label, words

START = "(start)"  # the start event's pill: not a state id, which is a plain identifier
ANY = "(any open state)"
# More end boxes than this do not fit beside the bands' strip without breaking their words: the
# end row then takes the page's whole width (see `Plan.wide_row`).
BESIDE_THE_STRIP = 4


def plain(identifier_text: str) -> str:
    """An identifier, or text made of them, in words."""
    return words(identifier_text).replace("_", " ")


def state_name(state_id: str) -> str:
    return plain(state_id).capitalize()


def _label(t: Transition) -> str:
    guard = f" if {plain(t.guard_words())}" if t.when_overdue else ""
    return f"{plain(t.event)}{guard}"


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
class Edge:
    """A move drawn as one arrow, with every label it carries; `lane` is its lane of the gutter."""

    source: str
    target: str
    labels: list[str]
    lane: int = 0


@dataclass(frozen=True)
class BandSpec:
    label: str
    description: str | None
    states: tuple[str, ...]


@dataclass
class Plan:
    bands: list[BandSpec]
    column: list[str]  # START and the open states, top to bottom
    band_of: list[int]
    ends: list[str]
    straight: dict[int, Edge]  # from column[i] to column[i + 1]
    into_row: Edge | None  # from the last in the column, straight down to ends[0]
    gutter: list[Edge]
    bus: dict[str, list[str]]  # end state: the moves into it open from every open state
    notes: list[str]
    later: dict[str, list[str]]  # end state: the moves out of it
    # The end row spans the page, under the strip too; its first box is then one only the moves
    # from every open state reach, so that the move down from the column lands on the second.
    wide_row: bool = False
    index: dict[str, int] = field(init=False)  # the row of each in the column

    def __post_init__(self) -> None:
        self.index = {key: i for i, key in enumerate(self.column)}

    def span(self, edge: Edge) -> tuple[int, int]:
        """The rows of the column a move spans; the end row is the one below the column."""
        low, high = sorted(
            self.index.get(key, len(self.index)) for key in (edge.source, edge.target)
        )
        return low, high


@dataclass
class _Moves:
    """The moves between states, sorted by how they are drawn."""

    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)  # an arrow each
    later: dict[str, list[str]] = field(default_factory=dict)  # "Then:" lines of an end state
    bus: dict[str, list[str]] = field(default_factory=dict)  # into an end, from everywhere
    notes: list[str] = field(default_factory=list)  # in words beneath the drawing

    def add(self, source: str, target: str, label: str | None) -> None:
        edge = self.edges.setdefault((source, target), Edge(source, target, []))
        if label is not None and label not in edge.labels:
            edge.labels.append(label)


def _moves(procedure: CompiledProcedure, open_ids: list[str]) -> _Moves:
    """An arrow for each move between open states; a "Then:" line for a move out of an end
    state; and the moves into an end state or open from everywhere, gathered by label: drawn
    once beneath the end row, said in a note, or drawn as arrows when there are few of them."""
    states = procedure.states
    moves = _Moves()
    moves.add(START, procedure.start_state, None)
    grouped: dict[tuple[str, str], list[str]] = {}
    anytime: set[tuple[str, str]] = set()
    for t in procedure.transitions:
        if t.source == t.target:
            continue
        label = _label(t)
        if states[t.source].end is not None:
            then = (
                label
                if label.lower() == state_name(t.target).lower()
                else f"{label} → {state_name(t.target)}"
            )
            moves.later.setdefault(t.source, []).append(f"Then: {then}")
        elif t.anytime or states[t.target].end is not None:
            grouped.setdefault((label, t.target), []).append(t.source)
            if t.anytime:
                anytime.add((label, t.target))
        else:
            moves.add(t.source, t.target, label)

    for (label, target), sources in grouped.items():
        everywhere = (label, target) in anytime or set(open_ids) <= set(sources)
        if everywhere and states[target].end is not None:
            moves.bus.setdefault(target, []).append(label)
        elif everywhere:
            moves.notes.append(f"From any open state: {label} → {state_name(target)}")
        elif len(sources) > 2:  # more arrows than a reader can follow
            named = ", ".join(state_name(s) for s in sources)
            moves.notes.append(f"From {named}: {label} → {state_name(target)}")
        else:
            for source in sources:
                moves.add(source, target, label)
    return moves


def _bands(procedure: CompiledProcedure, open_ids: list[str]) -> list[BandSpec]:
    """A band for each stage, in order, with its open states; then one for each stage named
    only by states; at least one."""
    states = procedure.states
    bands = [
        BandSpec(
            stage_label(stage),
            stage.description,
            tuple(s for s in open_ids if states[s].stage == stage.id),
        )
        for stage in procedure.stages
    ]
    placed = {s for band in bands for s in band.states}
    for stage_id in dict.fromkeys(states[s].stage or "" for s in open_ids if s not in placed):
        bands.append(
            BandSpec(
                state_name(stage_id) if stage_id else "Other open states",
                None,
                tuple(
                    s for s in open_ids if s not in placed and (states[s].stage or "") == stage_id
                ),
            )
        )
    if not bands:
        bands.append(BandSpec("Open states", None, ()))
    return bands


def _column(bands: list[BandSpec], start_state: str) -> tuple[list[str], list[int]]:
    """The column, top to bottom, with the start pill just above the start state (or at the
    top), and the band of each in it."""
    column: list[str] = []
    band_of: list[int] = []
    for b, band in enumerate(bands):
        for state in band.states:
            if state == start_state:
                column.append(START)
                band_of.append(b)
            column.append(state)
            band_of.append(b)
    if START not in column:
        column.insert(0, START)
        band_of.insert(0, band_of[0] if band_of else 0)
    return column, band_of


def plan_of(procedure: CompiledProcedure) -> Plan:
    """What the diagram of `procedure` shows, and where each move runs: straight down the
    column, down into the end row, or in a lane of the gutter."""
    states = procedure.states
    order = _order(procedure)
    rank = {state: i for i, state in enumerate(order)}
    open_ids = [s for s in order if states[s].end is None]
    # An end state entered only from another, and left for no other (the Ombudsman's decision
    # after a referral), has no box of its own: the "Then:" line of the end it follows says it.
    moved = [t for t in procedure.transitions if t.source != t.target]
    only_after_an_end = (
        {t.target for t in moved if states[t.source].end is not None}
        - {t.target for t in moved if states[t.source].end is None}
        - {t.source for t in moved}
    )
    end_ids = [s for s in order if states[s].end is not None and s not in only_after_an_end]
    moves = _moves(procedure, open_ids)
    bands = _bands(procedure, open_ids)
    column, band_of = _column(bands, procedure.start_state)

    last = column[-1]
    first_end = next(
        (e.target for e in moves.edges.values() if e.source == last and e.target in end_ids), None
    )
    ends = sorted(end_ids, key=lambda s: (s != first_end, rank[s]))
    arrowed = {target for _, target in moves.edges}
    aside = next((s for s in ends if s not in arrowed and s != first_end), None)
    wide = len(ends) > BESIDE_THE_STRIP and (first_end is None or aside is not None)
    if wide and first_end is not None and aside is not None:
        ends = [aside, *(s for s in ends if s != aside)]
    plan = Plan(
        bands, column, band_of, ends, {}, None, [], moves.bus, moves.notes, moves.later, wide
    )
    for edge in moves.edges.values():
        if plan.index.get(edge.target) == plan.index[edge.source] + 1:
            plan.straight[plan.index[edge.source]] = edge
        elif plan.into_row is None and edge.source == last and edge.target == first_end:
            plan.into_row = edge
        else:
            plan.gutter.append(edge)
    _assign_lanes(plan)
    return plan


def _assign_lanes(plan: Plan) -> None:
    """Shorter moves take the lanes nearer the boxes, so that the longer ones pass around them,
    and moves whose spans do not meet share a lane. The moves into the end row come last, those
    to its leftmost boxes first: they leave the gutter along channels above the row, the inner
    lanes' channels higher, and so reach their boxes without crossing."""

    def order(edge: Edge) -> tuple[int, int, int]:
        low, high = plan.span(edge)
        into_row = edge.target not in plan.index
        return (into_row, plan.ends.index(edge.target) if into_row else 0, high - low)

    lanes: list[list[tuple[int, int]]] = []
    for edge in sorted(plan.gutter, key=order):
        low, high = plan.span(edge)
        for lane, taken in enumerate(lanes):
            if all(high < a or b < low for a, b in taken):
                taken.append((low, high))
                edge.lane = lane
                break
        else:
            lanes.append([(low, high)])
            edge.lane = len(lanes) - 1


def summary(procedure: CompiledProcedure, plan: Plan) -> str:
    """The states in order, stage by stage, in words: the drawing's description."""
    parts = []
    for band in plan.bands:
        if band.states:
            described = "; ".join(procedure.states[s].description.rstrip(".") for s in band.states)
            parts.append(f"{band.label}: {described}.")
        else:
            parts.append(f"{band.label}: no states of its own.")
    if plan.ends:
        parts.append("A case ends: " + ", ".join(state_name(s) for s in plan.ends) + ".")
        if plan.wide_row:  # the boxes are too narrow for them: said here
            ended = procedure.states
            parts += [f"{state_name(s)}: {ended[s].description.rstrip('.')}." for s in plan.ends]
    return f"The states of a case, in order. {' '.join(parts)}"
