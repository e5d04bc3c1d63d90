"""Procedures: validate them, list them, summarise, compile and draw them, check a council's
against the statute, and compare two (or all) side by side."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import ERROR, Diagnostic, display_path, sort_unique
from ..errors import (
    ArgumentError,
    CommandError,
    CscRulesError,
    Failures,
    NothingToCompare,
)

if TYPE_CHECKING:
    from ..procedures.catalogue import Entry
    from ..procedures.compiler import CompiledProcedure
    from ..reports.conformance import Report as Conformance
    from ..validation.run import Report


# A file to write: (the procedure's id, its file, what makes the text).
Job = tuple[str, str, Callable[[], str]]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _procedure(reference: str | Path, on: dt.date | None = None) -> CompiledProcedure:
    """A procedure by id (the version in force on `on`, else the latest), YAML file or compiled
    file, from the library in use."""
    from ..procedures.library import load_procedure

    return load_procedure(reference, on)


def council_procedures() -> list[str]:
    """The ids of the councils' procedures (not the baselines), each once."""
    from ..procedures.library import library

    return library().catalogue.council_procedures()


# -- validate and list ------------------------------------------------------------------------


def validate(paths: Sequence[Path] = ()) -> Report:
    """Procedure files checked for YAML, schema and meaning, every problem located; the default
    is every file of the library."""
    from ..procedures.library import validate as check

    return check(list(paths) or None)


# A file name a text may be checked under: a plain name, as a file in one folder would have.
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.ya?ml")


def validate_text(text: bytes | str, name: str = "procedure.yaml") -> Report:
    """A procedure file's content, checked as `validate` checks the file: against the library
    in use (what it extends, the vocabulary), every problem located in `name`. The content is
    written to a private temporary folder under `name` and read from there, bytes as given (so
    that text that is not UTF-8 is reported as `validate` reports such a file)."""
    import tempfile

    from ..procedures.library import library

    if not _FILE_NAME.fullmatch(name):
        raise ArgumentError(
            f"`{name[:60]}` is not a file name to check under: give a plain name of letters, "
            "digits, dots, hyphens and underscores ending .yaml, such as procedure.yaml"
        )
    with tempfile.TemporaryDirectory(prefix="csc-rules-validate-") as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        lib = library()
        report = lib.checker.validate([path])
        names = {display_path(path): name}
        for diagnostic in report.diagnostics:
            try:
                inside = Path(diagnostic.path).resolve().relative_to(lib.root.resolve())
            except (ValueError, OSError):
                continue
            names[diagnostic.path] = inside.as_posix()
        return report.renamed(names)


def contract(name: str) -> str:
    """One of the published contracts in rules/: the OpenAPI document or a JSON Schema."""
    from ..errors import NotFoundError
    from ..reading.locations import data_root, link_problem, rules_dir

    found = {p.name: p for p in [*rules_dir().glob("*.schema.json"), rules_dir() / "openapi.json"]}
    if name not in found or not found[name].is_file():
        raise NotFoundError(f"no contract is called {name[:60]}; see /openapi.json")
    refused = link_problem(found[name], data_root())
    if refused:
        shown = f"rules/{name}"
        raise CommandError(f"{shown} {refused[1]}", code=refused[0], path=shown)
    return found[name].read_text(encoding="utf-8")


def validation_summary(report: Report) -> str:
    """One line: how many files were checked, from which library, and what was found."""
    from ..reading.locations import data_root

    return (
        f"checked {_plural(len(report.files), 'file')} (rules from {display_path(data_root())}): "
        f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
    )


def catalogue() -> tuple[list[Entry], list[Diagnostic]]:
    """Every procedure, baselines first, with versions; and the files that would not load."""
    from ..procedures.library import library

    return library().catalogue.entries()


def catalogue_text(entries: Sequence[Entry]) -> str:
    """The catalogue for people: each council (or the baselines), then its procedures."""
    width = max((len(e.id) for e in entries), default=0)
    lines: list[str] = []
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            named = f" ({entry.group})" if entry.group_name != entry.group else ""
            lines.append(f"{entry.group_name}{named}")
        based = f"  extends {entry.extends}" if entry.extends else ""
        version = f"version {entry.version}, in force from {entry.effective}"
        lines.append(f"  {entry.id:<{width}}  {entry.kind:<9}  {version}{based}")
        lines.append(f"  {'':<{width}}  {entry.title}")
    return "".join(line + "\n" for line in lines)


# -- show, compile, graph ---------------------------------------------------------------------


def summary_json(reference: str | Path, on: dt.date | None = None) -> dict[str, Any]:
    """A procedure's summary as JSON: stages, steps, who acts, limits, extensions, sources."""
    from ..reports.summary import as_json

    return as_json(_procedure(reference, on))


def summary(reference: str | Path, fmt: str = "text") -> str:
    """A procedure's summary as `text`, `markdown` or `json`."""
    from ..reports.summary import as_json, markdown, text

    procedure = _procedure(reference)
    if fmt == "json":
        return json.dumps(as_json(procedure), indent=2, ensure_ascii=False) + "\n"
    return markdown(procedure) if fmt == "markdown" else text(procedure)


def summaries(folder: Path, fmt: str = "text") -> dict[Path, str]:
    """The summary of every council procedure, by the file in `folder` it belongs in
    (`<council>-<procedure>.txt`, `.md` or `.json`); Failures if any cannot be made."""
    suffix = {"text": "txt", "markdown": "md", "json": "json"}[fmt]
    jobs = {
        folder / f"{procedure_id.replace('/', '-')}.{suffix}": (
            procedure_id,
            procedure_id,
            partial(summary, procedure_id, fmt),
        )
        for procedure_id in council_procedures()
    }
    return _all_or_nothing(jobs, folder, "shown")


def compiled(reference: str | Path, on: dt.date | None = None) -> str:
    """A procedure as the compiled JSON other systems load; the same procedure, the same bytes."""
    from ..procedures.compiler import dumps

    return dumps(_procedure(reference, on))


def compile_all(folder: Path) -> dict[Path, str]:
    """Every procedure, baselines too, compiled, by the file in `folder` it belongs in
    (`<council>-<procedure>.json`, with the version when the library holds several);
    Failures if any procedure does not compile."""
    entries = catalogue()[0]
    ids = [entry.id for entry in entries]
    jobs: dict[Path, Job] = {}
    for entry in entries:
        name = entry.id.replace("/", "-") + (f"-{entry.version}" if ids.count(entry.id) > 1 else "")
        jobs[folder / f"{name}.json"] = (
            entry.id,
            entry.path,
            partial(compiled, Path(entry.path)),
        )
    return _all_or_nothing(jobs, folder, "compiled")


def inputs(*references: str) -> list[Path]:
    """What a command that compiles procedures reads, so that nothing is written over it: the
    files named, the library and its schemas."""
    from ..reading.locations import is_file, library_files, rules_dir

    files = [Path(reference) for reference in references if is_file(Path(reference))]
    return [*files, *library_files(), *sorted(rules_dir().glob("*.json"))]


def graph(reference: str | Path, fmt: str = "mermaid", on: dt.date | None = None) -> str:
    """A procedure's stage graph as `mermaid`, `dot` or `json` (networkx node-link data)."""
    from ..reports.diagrams import render

    return render(_procedure(reference, on), fmt)


def _all_or_nothing(jobs: Mapping[Path, Job], folder: Path, done: str) -> dict[Path, str]:
    """Each file's text, made by its job; if any job fails, Failures with every problem, so that
    nothing is written."""
    texts: dict[Path, str] = {}
    failed: list[str] = []
    problems: list[Diagnostic] = []
    for target, (procedure_id, source, make) in jobs.items():
        try:
            texts[target] = make()
        except CscRulesError as exc:
            failed.append(procedure_id)
            found = getattr(exc, "diagnostics", None)
            if found:
                problems.extend(d for d in found if isinstance(d, Diagnostic))
            else:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                problems.append(Diagnostic(source, 1, 1, ERROR, "not-" + done, message))
    if failed:
        raise Failures(
            f"{len(failed)} of {len(jobs)} procedures could not be {done} ({', '.join(failed)}), "
            f"so nothing was written to {display_path(folder)}: fix them first (see `csc-rules validate`)",
            sort_unique(problems),
            code="not-" + done,
        )
    return texts


# The one command that makes every generated page of docs/, which the pages and tests name.
DOCS_COMMAND = "csc-rules docs -o docs"


def generated_docs(folder: Path) -> dict[Path, str]:
    """Every page of docs/ made from the library, by the file in `folder` it belongs in: a page
    per council procedure (`procedures/<council>-<procedure>.md`), every deadline side by side
    (`comparison.md`) and every id a council's file may use (`catalogue.md`); Failures if any
    procedure cannot be shown, so that nothing is written."""
    pages = summaries(folder / "procedures", "markdown")
    pages[folder / "comparison.md"] = side_by_side_page()
    pages[folder / "catalogue.md"] = ids_catalogue("markdown")
    return pages


def write_generated_docs(folder: Path) -> list[Path]:
    """`generated_docs`, written whole or not at all, never over a file the library reads."""
    from .output import prepare_folder, write_files

    pages = generated_docs(folder)
    refuse_everything = inputs()
    prepare_folder(folder)  # a file of that name is said to be one, before its subfolder
    prepare_folder(folder / "procedures")
    write_files(pages, refuse_everything, folder=folder)
    return list(pages)


def ids_catalogue(fmt: str = "text") -> str:
    """`show --catalogue`: every id each baseline of the library defines, and the shared
    vocabulary's, each with what it is and its source."""
    from ..procedures.catalogue import BASELINES
    from ..procedures.library import library
    from ..reports import id_catalogue

    entries, _ = library().catalogue.entries()
    statutory_first = sorted(
        (e for e in entries if e.group == BASELINES), key=lambda e: e.kind != "statutory"
    )
    baselines = list(dict.fromkeys(e.id for e in statutory_first))
    parts: id_catalogue.Catalogue = []
    for baseline_id in baselines:
        procedure = _procedure(baseline_id)
        parts.append((baseline_id, procedure.title, id_catalogue.of_procedure(procedure)))
    vocabulary = library().vocabulary
    library().checker.sound(vocabulary.path)
    document, _ = library().files.load(vocabulary.path)
    data = document.data if document is not None else {}
    shared = {d.id: d.name for d in vocabulary.documents() if d.council is None}
    parts.append(
        (
            id_catalogue.VOCABULARY,
            "The shared vocabulary",
            id_catalogue.of_vocabulary(data, shared),
        )
    )
    if fmt == "json":
        return id_catalogue.dumps(parts)
    if fmt == "markdown":
        return id_catalogue.to_markdown(parts, DOCS_COMMAND)
    return id_catalogue.to_text(parts)


# -- conformance ------------------------------------------------------------------------------


def conformance(reference: str) -> Conformance:
    """A council procedure (by id, or its YAML file) checked against the baseline it extends,
    deadline by deadline; DefinitionError if either is broken."""
    from ..language.model import build
    from ..procedures.library import library
    from ..reports.conformance import check, locations

    lib = library()
    path = (
        Path(reference) if reference.endswith((".yaml", ".yml")) else lib.versions.choose(reference)
    )
    resolved = lib.checker.procedure_in(path)
    if resolved is None:
        raise CommandError(
            f"{display_path(path)} is not a procedure file (it has no `procedure:` key); give a "
            "council procedure, by id or file (see `csc-rules list`)",
            code="not-a-procedure",
            path=path,
        )
    if len(resolved.chain) < 2:
        raise NothingToCompare(
            f"{resolved.id} extends nothing, so there is nothing to check it against; give a "
            "council procedure that extends a baseline (see `csc-rules list`)",
            code="nothing-to-compare",
            path=path,
        )
    baseline = lib.checker.validate([resolved.chain[-2].path]).procedures[0]
    # values from the model, locations from the YAML they were read from
    return check(build(resolved.data), build(baseline.data), locations(resolved))


def conformance_of_all() -> Iterator[Conformance | str]:
    """Every version of every council procedure checked, in turn: its report, or, for one that
    extends nothing, a note saying so."""
    from ..procedures.library import library

    for entry in library().catalogue.entries()[0]:
        if entry.id not in council_procedures():
            continue
        try:
            yield conformance(entry.path)
        except NothingToCompare as exc:
            yield str(exc)


def conformance_text(report: Conformance) -> str:
    """A conformance report for people: the verdict, each finding, the recorded conflicts."""
    verdict = "conformant" if report.conformant else "NOT CONFORMANT"
    lines = [f"{report.procedure} version {report.version} against {report.baseline}: {verdict}"]
    for finding in report.findings:
        flagged = finding.kind in ("error", "warning")
        where = (
            f"  [{finding.where.path}:{finding.where.line}]"
            if finding.where is not None and flagged
            else ""
        )
        kind = finding.kind.upper() if flagged else finding.kind
        lines.append(f"  {kind:<14} {finding.deadline:<24} {finding.message}{where}")
        if finding.kind in ("error", "warning", "stricter", "more generous"):
            lines.append(f"  {'':<14} {'':<24}   council: {finding.council}")
            lines.append(f"  {'':<14} {'':<24}   baseline: {finding.statute}")
            if finding.sources:
                lines.append(f"  {'':<14} {'':<24}   sources: {'; '.join(finding.sources)}")
    for concerns, description, binding in report.conflicts:
        lines.append(f"  {'conflict':<14} {concerns:<24} {description} Binding: {binding}")
    return "".join(line + "\n" for line in lines) + "\n"


# -- comparison -------------------------------------------------------------------------------


def _document_names() -> dict[str, str]:
    """The names of the documents sources cite, from the library in use."""
    from ..procedures.library import library

    return library().vocabulary.document_names()


def diff(a: str | Path, b: str | Path) -> dict[str, Any]:
    """Two procedures side by side, deadline by deadline (where each starts and ends) and rule
    by rule, the timescales their steps are expected to take, and the steps one has and the
    other does not."""
    from ..reports.comparison import diff as compare

    return compare(_procedure(a), _procedure(b), _document_names())


def diff_text(result: dict[str, Any], fmt: str = "text") -> str:
    """A comparison as text or markdown."""
    from ..reports.comparison import as_markdown, as_text

    return as_markdown(result) if fmt == "markdown" else as_text(result)


def _every_procedure() -> list[CompiledProcedure]:
    """The latest version of every procedure: baselines first, then the councils'."""
    ids = dict.fromkeys(entry.id for entry in catalogue()[0])
    return [_procedure(procedure_id) for procedure_id in ids]


def side_by_side() -> dict[str, Any]:
    """Every procedure and the statute, deadline by deadline, as JSON."""
    from ..reports.comparison import side_by_side as table

    return table(_every_procedure(), _document_names())


def side_by_side_page() -> str:
    """Every procedure and the statute in one markdown page (docs/comparison.md)."""
    from ..reports.comparison import page

    return page(_every_procedure(), _document_names())
