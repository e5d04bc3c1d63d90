"""An item a file removes and then writes again, in part: one problem at both places.

`remove:` then the same id written again replaces the baseline's item whole (the documented way
to redefine one). Written again in part, as a change to the inherited item would be, the item
lacks what a new one needs, and each missing key is reported inside it, with no word of the
`remove` entry that took the rest away. Here those problems become one, at the `remove` entry,
naming the line that writes the item again and what to do."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Path_, yaml_path
from ..reading.inheritance import Resolved


def check(procedure: Resolved, found: list[Diagnostic]) -> list[Diagnostic]:
    """`found` with the problems inside each item removed and partly written again replaced by
    one for the pair."""
    own = procedure.chain[-1]
    kept = list(found)
    said: list[Diagnostic] = []
    for target, entry in procedure.removed.items():
        again = own.key_positions.get(target)
        if again is None:
            continue
        item = yaml_path(target)
        inside = [d for d in kept if d.is_error and _under(d.yaml_path, item)]
        if not inside:
            continue  # written again whole: a replacement, as intended
        kept = [d for d in kept if d not in inside]
        name = own.data["remove"][entry[1]]["id"]
        # Under the code these problems always had (what the item lacks), placed at the entry.
        said.append(own.diagnostic(entry, "missing-key", _message(name, target, again[0], inside)))
    return said + kept


def _under(path: str, item: str) -> bool:
    return path == item or path.startswith((item + ".", item + "["))


def _message(name: str, target: Path_, line: int, inside: list[Diagnostic]) -> str:
    under = ".".join(str(p) for p in target[:-1])
    count = f"{len(inside)} problems" if len(inside) > 1 else "1 problem"
    return (
        f"`{name}` is removed here, but line {line} (under `{under}`) writes part of it again, "
        f"which leaves it incomplete ({count} inside it, such as: {inside[0].message}); if the "
        f"council does not have it, delete line {line} and the lines indented under it; if it "
        f"changes the baseline's, delete this `remove` entry; to replace it whole, give it "
        f"everything it needs there"
    )
