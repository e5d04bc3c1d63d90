"""An id the baseline defines, renamed in a council's file: one problem that says so, not a dozen.

A council changes a stage, step, state, event, duty, window or extension of its baseline by
writing the same id. Written under a new id, the item is new: it lacks what a new item needs,
and its steps or extensions clash with those of the one it was meant to change, so that every
key inside it is reported. Here such an item (new, and either repeating the steps or
extensions of an inherited item, or incomplete under a name close to an inherited one) gets
one problem saying that ids come from the baseline, which they are, and that `title` is what
changes the name people see; the problems inside it are counted in that one, as they go once
the id is put back. A new item that is merely incomplete keeps its own `missing-key`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._shapes import as_map as _map
from .._suggest import did_you_mean
from ..diagnostics import Diagnostic, Path_, yaml_path
from ..reading.inheritance import Resolved

# What each collection holds, the id-keyed mapping inside each item that a renamed copy repeats,
# and the field that holds the name people see.
_KINDS: dict[str, tuple[str, str, str]] = {
    "stages": ("stage", "steps", "title"),
    "steps": ("step", "", "title"),
    # A state's transitions are keyed by events, which many states share: no sign of which one.
    "states": ("state", "", "description"),
    "events": ("event", "fields", "plain"),
    "duties": ("duty", "extensions", "title"),
    "windows": ("window", "", "title"),
    "extensions": ("extension", "", "plain"),
}
# The code is the one these items were always reported under (what they lack), so that a
# program reading the codes sees no change; only the words say more.
_CODE = "missing-key"


@dataclass(frozen=True)
class _Renamed:
    path: Path_  # where the new item is
    kind: str  # the collection's name
    meant: str | None  # the inherited id it most likely stands for
    known: tuple[str, ...]  # the ids the collection inherits


def check(procedure: Resolved, found: list[Diagnostic]) -> list[Diagnostic]:
    """`found` with the problems inside each renamed item replaced by one for the item."""
    if len(procedure.chain) < 2:
        return found
    renamed = list(_renamed(procedure, found))
    if not renamed:
        return found
    kept = list(found)
    said: list[Diagnostic] = []
    for item in renamed:
        inside = [d for d in kept if _within(d, item, procedure)]
        kept = [d for d in kept if d not in inside]
        said.append(_problem(procedure, item, len(inside)))
    return said + kept


def _renamed(procedure: Resolved, found: list[Diagnostic]) -> Iterator[_Renamed]:
    own = procedure.chain[-1].data
    for path, known in procedure.inherited.items():
        kind = str(path[-1])
        if kind not in _KINDS or not known:
            continue
        written = _map(_at(own, path))
        merged = _map(_at(procedure.data, path))
        for item_id in written:
            if item_id in known or item_id not in merged:
                continue
            item_path = path + (item_id,)
            meant = _alike(merged, item_id, known, _KINDS[kind][1])
            incomplete = any(
                d.code == "missing-key" and _under(d.yaml_path, yaml_path(item_path)) for d in found
            )
            # Repeating an inherited item's steps or extensions, or lacking what a new item
            # needs under a name close to an inherited one: a renamed item, not a new one.
            if meant[1] or (incomplete and meant[0] is not None):
                yield _Renamed(item_path, kind, meant[0], tuple(known))


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        data = _map(data).get(part)
    return data


def _alike(
    merged: dict[str, Any], item_id: str, known: list[str], inner: str
) -> tuple[str | None, bool]:
    """The inherited id the new item most likely stands for, and whether it repeats its ids."""
    if inner:
        mine = set(_map(_map(merged[item_id]).get(inner)))
        shared = {
            other: len(mine & set(_map(_map(merged.get(other)).get(inner)))) for other in known
        }
        best = max(shared, key=lambda other: shared[other], default=None)
        if best is not None and shared[best]:
            return best, True
    guess = did_you_mean(item_id, known)
    return (guess.split("`")[1] if guess else None), False


def _under(path: str, item: str) -> bool:
    return path == item or path.startswith((item + ".", item + "["))


def _within(diagnostic: Diagnostic, item: _Renamed, procedure: Resolved) -> bool:
    """Whether a problem comes from the renamed item: inside it, or one of its steps clashing
    with the step of the same id in the stage it was meant to change."""
    if _under(diagnostic.yaml_path, yaml_path(item.path)):
        return True
    if item.kind != "stages" or diagnostic.code != "duplicate-id":
        return False
    steps = _map(_map(_at(procedure.data, item.path)).get("steps"))
    return any(diagnostic.yaml_path.endswith(f".steps.{step}") for step in steps)


def _problem(procedure: Resolved, item: _Renamed, inside: int) -> Diagnostic:
    what, _, shown = _KINDS[item.kind]
    item_id = str(item.path[-1])
    base = procedure.chain[-2].data.get("procedure", "the baseline")
    ids = ", ".join(f"`{known}`" for known in item.known)
    verb = "change the name people see" if shown == "title" else "change what people read"
    if item.meant is not None:
        rename = (
            f"to {verb}, keep `{item.meant}` and change its `{shown}`: write "
            f"`{item.meant}:` with `{shown}:` under it"
        )
    else:
        rename = f"to {verb}, write the id it stands for, one of these, with `{shown}:` under it"
    counted = ""
    if inside:
        many = f"{inside} problems inside it are" if inside > 1 else "1 problem inside it is"
        counted = f" ({many} left out until this is settled)"
    where = f" of {_owner(item.path)}" if item.kind in ("steps", "extensions") else ""
    message = (
        f"`{item_id}` is not {_a(what)}{where} in {base}, so it makes a new one: {what} ids "
        f"come from the baseline ({ids}) and are kept as they are; {rename}; to add a new "
        f"{what}, give it everything {_a(what)} needs{counted}"
    )
    return procedure.diagnostic(item.path, _CODE, message, key=True)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _owner(path: Path_) -> str:
    return f"`{path[-3]}`" if len(path) >= 3 else "its owner"
