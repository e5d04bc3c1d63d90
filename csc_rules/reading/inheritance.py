"""Resolve `extends`: lay a procedure over its baseline, keeping where every part came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._shapes import as_map as _map
from .._shapes import plain as _copy
from .._suggest import did_you_mean
from ..diagnostics import ERROR, Diagnostic, Path_

if TYPE_CHECKING:
    from .loader import Document


# The mappings keyed by id that a procedure merges item by item with the one it extends, and the
# id-keyed mappings inside their items that merge the same way. Any other value is replaced whole.
COLLECTIONS: dict[str, tuple[str, ...]] = {
    "stages": ("steps",),
    "states": ("transitions",),
    "from_every_open_state": (),
    "events": ("fields",),
    "duties": ("extensions",),
    "windows": (),
    "targets": (),
    "rules": (),
    "notes": (),
    "routes": (),
}
# Collections whose order means something; a new item may say where it goes with after/before.
ORDERED = {("stages",), ("rules",), ("stages", "*", "steps")}


@dataclass
class Resolved:
    """A procedure with everything it inherits, and the file each part was written in."""

    id: str
    data: dict[str, Any]
    chain: tuple[Document, ...]  # the file itself last
    origin: dict[Path_, Document] = field(default_factory=dict)
    inherited: dict[Path_, list[str]] = field(default_factory=dict)  # ids each collection inherited
    # What the file itself removes, by where it was, with where the `remove` entry names it.
    removed: dict[Path_, Path_] = field(default_factory=dict)

    def hint(self, path: Path_) -> str:
        """For an item the last file added: does it look like a misspelt id of an inherited one?"""
        known = self.inherited.get(path[:-1], [])
        if not path or path[-1] in known:
            return ""
        guess = did_you_mean(str(path[-1]), known)
        return (
            f"; `{path[-1]}` is new here: if it is meant to change the inherited one, fix the id{guess}"
            if guess
            else ""
        )

    def statute(self) -> Document | None:
        """The statutory baseline this procedure extends: the last file before its own that
        says `kind: statutory`; None for the statute itself and a corporate procedure."""
        return next(
            (d for d in reversed(self.chain[:-1]) if d.data.get("kind") == "statutory"), None
        )

    def document_for(self, path: Path_) -> Document:
        while path:
            if path in self.origin:
                return self.origin[path]
            path = path[:-1]
        return self.origin.get((), self.chain[-1])

    def diagnostic(
        self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = ERROR
    ) -> Diagnostic:
        """Located where the value at `path` was written; for a key, in the last file naming it,
        so that a problem with a state a council overrides is shown in the council's file."""
        if key:
            for document in reversed(self.chain):
                if path in document.key_positions:
                    return document.diagnostic(path, code, message, key=True, severity=severity)
        return self.document_for(path).diagnostic(path, code, message, key=key, severity=severity)


def resolve(
    document: Document,
    find: Callable[[str], Document | None],
    _seen: tuple[str, ...] = (),
    *,
    known: Callable[[], list[str]] | None = None,
) -> tuple[Resolved | None, list[Diagnostic]]:
    """`document` with its `extends` chain applied; None when the chain is broken. `known`, if
    given, lists the procedure ids there are, for the message about one that is not."""
    data = document.data
    own_id = data.get("procedure", "?")
    parent_id = data.get("extends")
    if parent_id is None:
        base: Resolved | None = Resolved(own_id, {}, (), {})
        problems: list[Diagnostic] = []
    elif parent_id in _seen + (own_id,):
        cycle = " -> ".join((*_seen, own_id, parent_id))
        return None, [
            document.diagnostic(
                ("extends",), "extends-cycle", f"procedures extend each other in a circle: {cycle}"
            )
        ]
    else:
        parent = find(parent_id)
        if parent is None:
            return None, [
                document.diagnostic(
                    ("extends",),
                    "unknown-procedure",
                    f"`extends` names `{parent_id}`, which no procedure file defines"
                    + _procedures(str(parent_id), known() if known is not None else []),
                )
            ]
        base, problems = resolve(parent, find, _seen + (own_id,), known=known)
    if base is None:
        return None, problems
    merger = _Merger(base, document)
    merger.remove()
    merger.merge()
    return merger.result(), problems + merger.problems


class _Merger:
    def __init__(self, base: Resolved, child: Document) -> None:
        self.child = child
        self.out = Resolved(base.id, _copy(base.data), (*base.chain, child), dict(base.origin))
        self.data = self.out.data
        self.origin = self.out.origin
        self.problems: list[Diagnostic] = []
        self.has_base = bool(base.chain)

    def result(self) -> Resolved:
        self.out.id = self.data.get("procedure", "?")
        return self.out

    def _take(self, path: Path_) -> None:
        """Record that the value at `path` now comes from the child file."""
        for known in [p for p in self.origin if p[: len(path)] == path]:
            del self.origin[known]
        self.origin[path] = self.child

    def merge(self) -> None:
        if not self.has_base:
            self.origin[()] = self.child
        for key, value in self.child.data.items():
            if key == "remove":
                continue
            path = (key,)
            if (
                key in COLLECTIONS
                and isinstance(value, dict)
                and isinstance(self.data.get(key), dict)
            ):
                self.data[key] = self._merge_collection(
                    self.data[key], value, path, COLLECTIONS[key]
                )
            else:
                self.data[key] = _copy(value)
                self._take(path)
            if key in COLLECTIONS and isinstance(self.data[key], dict):
                self._place(path)

    def _merge_collection(
        self, base: dict[str, Any], child: dict[str, Any], path: Path_, nested: tuple[str, ...]
    ) -> dict[str, Any]:
        self.out.inherited[path] = list(base)
        merged = dict(base)
        for item_id, item in child.items():
            item_path = path + (item_id,)
            old = merged.get(item_id)
            if isinstance(old, dict) and isinstance(item, dict):
                merged[item_id] = self._merge_item(old, item, item_path, nested)
            else:
                merged[item_id] = _copy(item)
                self._take(item_path)
        return merged

    def _merge_item(
        self, base: dict[str, Any], child: dict[str, Any], path: Path_, nested: tuple[str, ...]
    ) -> dict[str, Any]:
        merged = dict(base)
        for key, value in child.items():
            if key in nested and isinstance(value, dict) and isinstance(base.get(key), dict):
                merged[key] = self._merge_collection(base[key], value, path + (key,), ())
            else:
                merged[key] = _copy(value)
                self._take(path + (key,))
        return merged

    def _place(self, path: Path_) -> None:
        """Move items that say `after:` or `before:` in ordered collections, here and one level down."""
        collection = self.data[path[0]]
        if (path[0],) in ORDERED:
            self._reorder(collection, path)
        for item_id, item in collection.items():
            if not isinstance(item, dict):
                continue
            for sub, value in item.items():
                if (path[0], "*", sub) in ORDERED and isinstance(value, dict):
                    self._reorder(value, path + (item_id, sub))

    def _stage_of(self, step: str) -> str | None:
        """The stage whose steps include `step`, if any."""
        stages = self.data.get("stages")
        for stage_id, stage in stages.items() if isinstance(stages, dict) else []:
            steps = stage.get("steps") if isinstance(stage, dict) else None
            if isinstance(steps, dict) and step in steps:
                return str(stage_id)
        return None

    def _reorder(self, items: dict[str, Any], path: Path_) -> None:
        what = (
            {"stages": "stage", "rules": "rule"}.get(path[0], "stage") if len(path) == 1 else "step"
        )
        if what == "step":
            self._by_place(items, path)
        for item_id in list(items):
            item = items[item_id]
            if not isinstance(item, dict) or not ({"after", "before"} & item.keys()):
                continue
            item_path = path + (item_id,)
            if "after" in item and "before" in item:
                self.problems.append(
                    self.child.diagnostic(
                        item_path + ("before",),
                        "invalid-value",
                        f"{what} `{item_id}` gives both `after` and `before`: keep one",
                    )
                )
            relation = "after" if "after" in item else "before"
            target = item.pop(relation)
            item.pop("before", None)
            others = [k for k in items if k != item_id]
            if not isinstance(target, str):
                continue  # the schema has reported it
            if target not in others:
                elsewhere = self._stage_of(target) if what == "step" else None
                said = (
                    f"`{relation}: {target}` names a step of stage `{elsewhere}`, not of stage "
                    f"`{path[1]}`: a step is placed among the steps of its own stage; if "
                    f"`{path[1]}` is meant to be `{elsewhere}` under a new name, keep the id "
                    f"`{elsewhere}` and change its `title:`"
                    if elsewhere
                    else f"`{relation}: {target}` names no {what} here{did_you_mean(str(target), others)}"
                )
                self.problems.append(
                    self.out.diagnostic(
                        item_path + (relation,),
                        "unknown-id" if what == "rule" else f"unknown-{what}",
                        said,
                    )
                )
                continue
            value = items.pop(item_id)
            order = list(items)
            index = order.index(target) + (1 if relation == "after" else 0)
            order.insert(index, item_id)
            rebuilt = {k: (value if k == item_id else items[k]) for k in order}
            items.clear()
            items.update(rebuilt)

    def _by_place(self, items: dict[str, Any], path: Path_) -> None:
        """A new item that says neither `after:` nor `before:` goes where it is written: after
        the item written before it in this file, or before the one written after it, so that
        adding a step renumbers nothing. Inherited items keep the order they inherit."""
        inherited = self.out.inherited.get(path)
        written: Any = self.child.data
        for part in path:
            written = written.get(part) if isinstance(written, dict) else None
        if not inherited or not isinstance(written, dict):
            return
        order = list(written)
        for index, item_id in enumerate(order):
            item = items.get(item_id)
            if (
                item_id in inherited
                or not isinstance(item, dict)
                or {"after", "before"} & item.keys()
            ):
                continue
            if index > 0 and order[index - 1] in items:
                item["after"] = order[index - 1]
            elif index + 1 < len(order) and order[index + 1] in items:
                item["before"] = order[index + 1]

    def remove(self) -> None:
        removals = self.child.data.get("remove")
        if not isinstance(removals, list):
            return
        for index, entry in enumerate(removals):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            where = ("remove", index, "id")
            if not self.has_base:
                self.problems.append(
                    self.child.diagnostic(
                        where,
                        "remove-unknown",
                        "`remove` needs `extends`: there is no baseline to remove from",
                    )
                )
                continue
            what = entry.get("what")
            if what not in _WHAT:
                continue  # the schema says what `what` may be
            target, candidates = self._target(what, entry["id"])
            if target is None:
                self.problems.append(
                    self.child.diagnostic(
                        where, "remove-unknown", _unknown(what, entry["id"], candidates)
                    )
                )
                continue
            container = self.data
            for part in target[:-1]:
                container = container[part]
            statute = self.out.statute()
            law = (
                _map(_map(statute.data.get(target[0])).get(target[1]))
                if statute is not None and len(target) == 2 and target[0] in ("duties", "windows")
                else {}
            )
            if law:
                # The law's duties and windows bind every council: they may be changed, with
                # a source, and conformance measures the change, but not taken out.
                cited = "; ".join(str(s) for s in law.get("sources") or []) or "the statute"
                self.problems.append(
                    self.child.diagnostic(
                        where,
                        "statutory-duty",
                        f"`{entry['id']}` is a statutory {'duty' if target[0] == 'duties' else 'window'} ({cited}) and cannot be removed: change its limit or anchor instead, with the council's source",
                    )
                )
                continue
            del container[target[-1]]
            self.out.removed[target] = where
            for known in [p for p in self.origin if p[: len(target)] == target]:
                del self.origin[known]

    def _target(self, what: Any, item_id: str) -> tuple[Path_ | None, list[str]]:
        """The path of the item to remove, or None with the ids that could have been meant."""
        data = self.data
        if what in _SIMPLE:
            items = _map(data.get(_SIMPLE[what]))
            return ((_SIMPLE[what], item_id) if item_id in items else None), list(items)
        if what == "step":
            candidates: list[str] = []
            for stage_id, stage in _map(data.get("stages")).items():
                steps = _map(_map(stage).get("steps"))
                if item_id in steps:
                    return ("stages", stage_id, "steps", item_id), []
                candidates.extend(steps)
            return None, candidates
        nested = {"transition": ("states", "transitions"), "extension": ("duties", "extensions")}
        if what in nested:
            outer, inner = nested[what]
            owner, _, sub = item_id.partition("/")
            owners = _map(data.get(outer))
            candidates = [
                f"{o}/{s}" for o, item in owners.items() for s in _map(_map(item).get(inner))
            ]
            if sub in _map(_map(owners.get(owner)).get(inner)):
                return (outer, owner, inner, sub), []
            return None, candidates
        return None, []


# What `remove:` can take out: each kind by the collection that holds it.
_SIMPLE = {
    "stage": "stages",
    "state": "states",
    "event": "events",
    "duty": "duties",
    "window": "windows",
    "target": "targets",
    "rule": "rules",
    "note": "notes",
    "route": "routes",
}
_WHAT = {*_SIMPLE, "step", "transition", "extension"}
# The kinds named `<owner>/<id>`, and what their owner is.
_OWNED = {"transition": "state", "extension": "duty"}


def _unknown(what: str, item_id: str, candidates: list[str]) -> str:
    guess = did_you_mean(item_id, candidates)
    if not guess and what in _OWNED and "/" not in item_id:
        owned = [c for c in candidates if c.endswith(f"/{item_id}")]
        guess = f"; did you mean `{owned[0]}`?" if len(owned) == 1 else ""
    form = (
        f" ({'an' if what[0] in 'aeiou' else 'a'} {what} is named by its {_OWNED[what]} and its "
        f"own id: `<{_OWNED[what]}>/<{what}>`)"
        if what in _OWNED
        else ""
    )
    return f"cannot remove {what} `{item_id}`: the baseline has no such {what}{guess}{form}"


def _procedures(wanted: str, ids: list[str]) -> str:
    """`; did you mean ...?`, else the baselines to build on, for an `extends` that names nothing."""
    guess = did_you_mean(wanted, ids)
    if guess:
        return f"{guess} (`csc-rules list` lists them all)"
    baselines = [i for i in ids if i.startswith("baseline/")]
    listed = f" (the baselines: {', '.join(f'`{b}`' for b in baselines)})" if baselines else ""
    return f"; name the procedure this one builds on{listed}; `csc-rules list` lists them all"
