"""Whether an extension a case records is on a ground its procedure gives.

A procedure's recorded extension may list the grounds it is given on (`grounds:`, each with its
source; none listed: any ground); a case records an extension's ground in the event's `ground`
field. An extension on another ground, one that records no ground the procedure gives, or one
where the procedure gives no extension at all, is the irregularity `extension-ground`: it is
set aside, so the limit stays as it was and a late answer shows as late."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..language.model import GROUND
from .wording import units

if TYPE_CHECKING:
    from ..language.model import Deadline, Extension
    from ..procedures.compiler import CompiledProcedure
    from .clocks import Clock


def ground_of(event: Any, extension: Extension) -> str | None:
    """The ground `event` records: its `ground`; or, in a record kept before that field was
    added, its `reason` where that is itself the id of a ground the extension gives
    (`reason: complex`)."""
    fields = event.fields or {}
    ground = fields.get(GROUND)
    if isinstance(ground, str):
        return ground
    reason = fields.get("reason")
    if isinstance(reason, str) and extension.grounds is not None and extension.allows(reason):
        return reason
    return None


def on_ground(
    replay: Any, event: Any, deadline: Deadline, extension: Extension, clock: Clock
) -> bool:
    """Whether `event` extends `deadline` on a ground `extension` gives; if not, the
    extension is warned about and set aside."""
    if extension.grounds is None:
        return True
    ground = ground_of(event, extension)
    if ground is not None and extension.allows(ground):
        return True
    if ground is None:
        reason = (event.fields or {}).get("reason")
        said = f" (its reason: {reason})" if reason else ""
        what, field = f"records no ground for extending `{deadline.id}`{said}", "event"
    else:
        what, field = f"extends `{deadline.id}` on the ground `{ground}`", GROUND
    given = ", ".join(f"`{g.id}`" for g in extension.grounds)
    replay.warn(
        "extension-ground",
        f"`{event.event}` on {event.date.isoformat()} {what}; {replay.procedure.id} extends it "
        f"only for {given}: set aside, so `{deadline.id}` stays at {clock.amount} {units(deadline)}",
        event,
        field,
    )
    return False


def records_extension(procedure: CompiledProcedure, event: str) -> bool:
    """Whether events of this kind record an extension: they carry its ground."""
    declared = procedure.events.get(event)
    return declared is not None and declared.records_extension
