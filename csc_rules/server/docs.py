"""The API's human documentation: one page drawn from its OpenAPI document, served by the API
itself and fetching nothing from elsewhere."""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

# The page's one style sheet, inline; it runs no script and loads nothing.
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;"
    "line-height:1.5;color:#1b1b1b}table{border-collapse:collapse}td,th{border:1px solid #b1b4b6;"
    "padding:.25rem .5rem;text-align:left;vertical-align:top}code{font-size:.95em}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# The page may apply that style sheet, and do nothing else: no script, no other source, no
# frame around it, no form.
POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _parameters(operation: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{_esc(p['name'])}</code></td><td>{_esc(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else 'no'}</td><td>{_esc(p.get('description', ''))}</td></tr>"
        for p in operation.get("parameters", [])
    )
    if not rows:
        return ""
    return (
        "<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>What it is</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _responses(operation: dict[str, Any]) -> str:
    items = "".join(
        f"<li><strong>{_esc(status)}</strong>: {_esc(response.get('description', ''))}</li>"
        for status, response in operation.get("responses", {}).items()
    )
    return f"<p>Answers:</p><ul>{items}</ul>"


def page(document: dict[str, Any]) -> str:
    """The documentation page of an OpenAPI document."""
    info = document.get("info", {})
    sections = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in ("get", "post"):
                continue
            body = operation.get("requestBody", {}).get("description", "")
            sections.append(
                f"<section><h2><code>{_esc(method.upper())} {_esc(path)}</code></h2>"
                f"<p>{_esc(operation.get('summary', ''))}</p>"
                f"<p>{_esc(operation.get('description', ''))}</p>"
                + (f"<p>Body: {_esc(body)}</p>" if body else "")
                + _parameters(operation)
                + _responses(operation)
                + "</section>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(info.get('title', 'API'))}</title>"
        f"<style>{STYLE}</style>"
        f"</head><body><main><h1>{_esc(info.get('title', 'API'))} {_esc(info.get('version', ''))}</h1>"
        f"<p>{_esc(info.get('description', ''))}</p>"
        '<p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a>.</p>'
        f"{''.join(sections)}</main></body></html>\n"
    )
