"""`csc-rules new`: a council's folder, or one more procedure for it, written from the baseline
it extends, never over a file that is there already."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._suggest import did_you_mean
from ..errors import CommandError, WriteError

if TYPE_CHECKING:
    from ..procedures.compiler import CompiledProcedure

_ID_FORM = (
    "lower-case letters, digits and hyphens, starting with a letter or digit, at most 64 characters"
)


@dataclass(frozen=True)
class Written:
    """What `new` wrote, and the commands to run next."""

    files: tuple[Path, ...]
    procedure: str
    council: str
    scenarios: Path | None

    def next_steps(self) -> list[str]:
        from ..diagnostics import display_path

        steps = [
            "fill in every <placeholder> and edit what the council's documents say differently; then:",
            f"csc-rules validate councils/{self.council}",
        ]
        if self.scenarios is not None:
            steps.append(f"csc-rules test {display_path(self.scenarios)}")
        steps.append(f"csc-rules conformance {self.procedure}")
        return steps


def _council_id(council: str) -> str:
    from ..reading.locations import is_council_name

    if not is_council_name(council):
        raise CommandError(
            f"`{council[:70]}` is not a council id: use {_ID_FORM}, like `bexley` or "
            "`west-berkshire`; it becomes the council's folder, councils/<id>/",
            code="invalid-id",
        )
    return council


def _base(extends: str | None, kind: str = "statutory") -> CompiledProcedure:
    """The procedure to extend: the one named, else the library's only baseline of `kind`."""
    from ..procedures.catalogue import BASELINES
    from ..procedures.library import library, load_procedure

    entries, _ = library().catalogue.entries()
    if extends is None:
        found = list(
            dict.fromkeys(e.id for e in entries if e.group == BASELINES and e.kind == kind)
        )
        if len(found) != 1:
            raise CommandError(
                f"give --extends: the library has {len(found)} {kind} baselines ({', '.join(found) or 'none'})",
                code="usage",
            )
        extends = found[0]
    known = list(dict.fromkeys(e.id for e in entries))
    if extends not in known:
        raise CommandError(
            f"--extends names `{extends}`, which no procedure file defines{did_you_mean(extends, known)}; "
            f"`csc-rules list` shows them",
            code="unknown-procedure",
        )
    return load_procedure(extends)


def _write(files: dict[Path, str], root: Path) -> None:
    """Write every file, or none if any is there already."""
    from ..diagnostics import display_path
    from ..procedures.library import forget
    from .output import write_files

    for path in files:
        if path.exists():
            raise WriteError(
                f"refusing to write {display_path(path)}: it is there already, and `new` never "
                "writes over a file; choose another id, or move the file away first",
                code="file-exists",
                path=path,
            )
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_files(files)
    forget(root)


def new_council(
    council: str,
    name: str,
    region: str = "ENG",
    extends: str | None = None,
    today: dt.date | None = None,
) -> Written:
    """councils/<council>/: its council file, a procedure extending the statutory baseline (or
    the one named), and an example scenario counted on its region's calendar."""
    from ..calendars.bank_holidays import REGIONS, region_calendar, region_code
    from ..procedures.library import library
    from ..reports import scaffold

    council = _council_id(council)
    name = " ".join(name.split())
    if not name:
        raise CommandError(
            "--name is empty: give the council's name, as it writes it", code="usage"
        )
    code = region_code(region)
    base = _base(extends)
    root = library().root
    folder = root / "councils" / council
    procedure_id = f"{council}/{base.id.split('/')[-1]}"
    scenarios = folder / "scenarios"
    calendar = region_calendar(code)
    files = {
        folder / "council.yaml": scaffold.council_text(council, name, code),
        folder / f"{procedure_id.split('/')[1]}.yaml": scaffold.procedure_text(
            base, procedure_id, name
        ),
        scenarios / "01-example.yaml": scaffold.scenario_text(
            base, procedure_id, calendar, REGIONS[code], today or dt.date.today()
        ),
    }
    _write(files, root)
    return Written(tuple(files), procedure_id, council, scenarios)


def new_procedure(procedure: str, extends: str) -> Written:
    """councils/<council>/<name>.yaml: one more procedure of a council the library holds."""
    from ..procedures.library import library
    from ..reading.loader import load
    from ..reading.locations import council_file, is_council_name
    from ..reports import scaffold

    council, _, name = procedure.partition("/")
    if not (is_council_name(council) and is_council_name(name)):
        raise CommandError(
            f"`{procedure[:70]}` is not a procedure id: write <council>/<name>, each part {_ID_FORM}, "
            "like `bexley/corporate`",
            code="invalid-id",
        )
    root = library().root
    found = council_file(council, root)
    if found is None:
        raise CommandError(
            f"the library has no council `{council}` (no councils/{council}/council.yaml): "
            f'run `csc-rules new council {council} --name "..."` first',
            code="unknown-council",
        )
    document, _ = load(found)
    data = document.data if document is not None and isinstance(document.data, dict) else {}
    council_name = str(data.get("name") or council)
    base = _base(extends)
    path = root / "councils" / council / f"{name}.yaml"
    _write({path: scaffold.procedure_text(base, procedure, council_name)}, root)
    return Written((path,), procedure, council, None)
