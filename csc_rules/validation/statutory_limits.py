"""A council's own limits that give the complainant less than the statute: warned about where
they are written, so that policy staff who run only `validate` see them. (`conformance` then
works out the worst case over the whole procedure.)"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._shapes import as_map as _map
from ..diagnostics import WARNING, Diagnostic
from ..language.model import Limit
from ..reading.inheritance import Resolved

CODE = "longer-than-statute"


def check(procedure: Resolved, baseline: Mapping[str, Any]) -> list[Diagnostic]:
    """A warning for each limit or extension maximum the procedure's own file writes that is
    longer than its statutory baseline's (for a window, the complainant's time: shorter)."""
    if baseline.get("kind") != "statutory" or len(procedure.chain) < 2:
        return []
    return list(_limits(procedure, baseline))


def _limits(procedure: Resolved, baseline: Mapping[str, Any]) -> Iterator[Diagnostic]:
    own = procedure.chain[-1].data
    for section, kind in (("duties", "duty"), ("windows", "window")):
        laws = _map(baseline.get(section))
        for deadline_id, written in _map(own.get(section)).items():
            law = _map(laws.get(deadline_id))
            here = _map(_map(procedure.data.get(section)).get(deadline_id))
            if not law:
                continue  # the council's own: nothing in the statute to compare with
            sources = "; ".join(str(s) for s in law.get("sources") or []) or "the statute"
            counted = (
                f"; it counts from `{here.get('anchor')}`, not `{law.get('anchor')}`"
                if here.get("anchor") != law.get("anchor")
                else ""
            )
            path = (section, deadline_id)
            if "amount" in _map(_map(written).get("limit")):
                found = _longer(kind, _map(here.get("limit")), _map(law.get("limit")))
                if found:
                    yield procedure.diagnostic(
                        path + ("limit", "amount"),
                        CODE,
                        f"`{deadline_id}` {found} ({sources}){counted}: run `csc-rules conformance` for the worst case",
                        severity=WARNING,
                    )
            if kind != "duty":
                continue
            # the statute's longest extension, or its limit where it allows none
            most_law = _longest(law) or _map(law.get("limit"))
            for extension_id, extension in _map(_map(written).get("extensions")).items():
                if "maximum" not in _map(extension):
                    continue
                maximum = _map(_map(_map(here.get("extensions")).get(extension_id)).get("maximum"))
                if not _amount(most_law) or maximum.get("unit") != most_law.get("unit"):
                    continue
                if _amount(maximum) > _amount(most_law):
                    yield procedure.diagnostic(
                        path + ("extensions", extension_id, "maximum", "amount"),
                        CODE,
                        f"`{deadline_id}` may be extended to {_words(maximum)}, beyond the {_words(most_law)} the statute allows ({sources}): run `csc-rules conformance` for the worst case",
                        severity=WARNING,
                    )


def _longer(kind: str, here: Mapping[str, Any], law: Mapping[str, Any]) -> str:
    """How `here` gives the complainant less than `law`, in words; '' if it does not."""
    if here.get("unit") != law.get("unit") or not _amount(here) or not _amount(law):
        return ""
    if kind == "duty" and _amount(here) > _amount(law):
        return f"allows {_words(here)}, longer than the {_words(law)} the statute allows"
    if kind == "window" and _amount(here) < _amount(law):
        return f"gives the complainant {_words(here)}, shorter than the {_words(law)} the statute gives"
    return ""


def _longest(deadline: Mapping[str, Any]) -> Mapping[str, Any] | None:
    maxima = [_map(_map(e).get("maximum")) for e in _map(deadline.get("extensions")).values()]
    maxima = [m for m in maxima if _amount(m)]
    return max(maxima, key=_amount) if maxima else None


def _amount(limit: Mapping[str, Any]) -> int:
    amount = limit.get("amount")
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else 0


def _words(limit: Mapping[str, Any]) -> str:
    """`15 working days`, worded as everywhere else."""
    return str(Limit.of(limit))
