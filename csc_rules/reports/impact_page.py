"""`impact --format html`: one self-contained page (no script, nothing fetched from elsewhere)
with, for each deadline, a chart of the cases by status before and after the change, and the
same figures in a table beside it for those who cannot see the chart."""

from __future__ import annotations

from html import escape
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .impact import Impact

_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #767676;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}.before{fill:#1d4f91}.after{fill:#b35900}
figure{margin:1rem 0}pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem}"""
# The chart's geometry, in pixels: the label column, the longest bar, one bar's height.
_LABEL, _WIDTH, _BAR = 130, 360, 14


def write(impact: Impact, out: IO[str]) -> None:
    """The page, written to `out`."""
    from .comparison import as_text

    tally = impact.tally
    out.write(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>The impact of the proposed change</title>"
        f'<meta name="viewport" content="width=device-width"><style>{_STYLE}</style></head><body>'
        "<h1>The impact of the proposed change</h1><h2>The change</h2>"
    )
    for item in impact.procedures:
        out.write(f"<h3>{escape(item['id'])}, version {escape(item['version'])}</h3>")
        if "diff" in item:
            out.write(f"<pre>{escape(as_text(item['diff']))}</pre>")
    out.write(f"<h2>Deadlines of the {tally.compared} cases replayed both ways</h2>")
    for key in tally.before:
        before, after = tally.before[key], tally.after[key]
        statuses = sorted(set(before) | set(after))
        out.write(f"<h3>{escape(key)}</h3>")
        out.write(_chart(key, [(s, before[s], after[s]) for s in statuses]))
        out.write("<table><tr><th>status</th><th>before</th><th>after</th></tr>")
        for status in statuses:
            out.write(
                f"<tr><td>{escape(status)}</td><td>{before[status]}</td>"
                f"<td>{after[status]}</td></tr>"
            )
        out.write("</table>")
    if impact.report is not None:
        out.write(_report(impact.report))
    out.write(
        f"<h2>Deadlines that moved</h2><p>{tally.changes} deadlines moved, in "
        f"{tally.changed_cases} cases: the CSV format lists them.</p></body></html>\n"
    )


def _chart(key: str, rows: list[tuple[str, int, int]]) -> str:
    """Two bars a status, before and after, scaled to the largest count."""
    most = max([1, *(max(a, b) for _, a, b in rows)])
    height = len(rows) * (2 * _BAR + 10) + 24
    parts = [
        f'<figure><svg role="img" width="{_LABEL + _WIDTH + 60}" height="{height}" '
        f'aria-labelledby="chart-{escape(key)}"><title id="chart-{escape(key)}">{escape(key)}: '
        "cases by status before (blue) and after (orange) the change</title>"
    ]
    for index, (status, a, b) in enumerate(rows):
        y = index * (2 * _BAR + 10)
        parts.append(f'<text x="0" y="{y + _BAR + 4}">{escape(status)}</text>')
        for offset, (count, side) in enumerate(((a, "before"), (b, "after"))):
            width = round(_WIDTH * count / most)
            top = y + offset * _BAR
            parts.append(
                f'<rect class="{side}" x="{_LABEL}" y="{top}" width="{width}" height="{_BAR - 2}"/>'
                f'<text x="{_LABEL + width + 4}" y="{top + _BAR - 3}" font-size="12">{count}</text>'
            )
    legend = len(rows) * (2 * _BAR + 10) + 16
    parts.append(
        f'<rect class="before" x="{_LABEL}" y="{legend - 10}" width="12" height="12"/>'
        f'<text x="{_LABEL + 16}" y="{legend}">before</text>'
        f'<rect class="after" x="{_LABEL + 80}" y="{legend - 10}" width="12" height="12"/>'
        f'<text x="{_LABEL + 96}" y="{legend}">after</text></svg></figure>'
    )
    return "".join(parts)


def _report(report: dict[str, Any]) -> str:
    """The annual report's response times, a stage a row."""
    rows = "".join(
        f"<tr><td>{escape(stage)}</td><td>{report['within'][stage]}</td>"
        f"<td>{sides['before']['in_time']} of {sides['before']['judged']}</td>"
        f"<td>{sides['after']['in_time']} of {sides['after']['judged']}</td></tr>"
        for stage, sides in report["stages"].items()
    )
    return (
        f"<h2>The annual report for {escape(report['year'])}</h2><table><tr><th>stage</th>"
        "<th>statutory working days</th><th>in time before</th><th>in time after</th></tr>"
        f"{rows}</table>"
    )
