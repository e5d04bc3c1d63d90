"""Plain data written as YAML in the library's own style (short mappings and lists on one line,
long text folded), for files a person will read and edit."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

WIDTH = 96  # the library's files keep their lines within 100 columns, comment signs included


_UNREADABLE = object()
# Words that YAML 1.1 readers (many editors) take for booleans or null: always quoted.
_TRAPS = {"y", "yes", "n", "no", "on", "off", "~", "null", "true", "false"}


def _loads(text: str) -> Any:
    """The data csc-rules reads from `text` (dates stay text, as in every file of the library)."""
    from ..reading.loader import parse

    document, problems = parse(Path("written.yaml"), text)
    return _UNREADABLE if document is None or problems else document.data


def scalar(value: Any) -> str:
    """One value on one line: plain where YAML reads it back unchanged, else double-quoted."""
    if isinstance(value, str):
        if value.lower() not in _TRAPS and _loads(f"k: {value}") == {"k": value}:
            return value
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value) if value is not None else "null"


def _flow(value: Any) -> str | None:
    """A mapping or list of plain values on one line, if it reads back unchanged."""
    if isinstance(value, dict) and all(not isinstance(v, (dict, list)) for v in value.values()):
        text = "{" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        text = "[" + ", ".join(_flow_scalar(v) for v in value) + "]"
    else:
        return None
    return text if _loads(f"k: {text}") == {"k": value} else None


def _flow_scalar(value: Any) -> str:
    text = scalar(value)
    return text if not any(c in text for c in ",[]{}") else json.dumps(value, ensure_ascii=False)


def _folded(key: str, text: str, indent: int) -> list[str] | None:
    """`key: >-` and the text wrapped beneath it, if it reads back unchanged."""
    pad = " " * (indent + 2)
    lines = textwrap.wrap(text, WIDTH - len(pad), break_long_words=False, break_on_hyphens=False)
    block = [f"{' ' * indent}{key}: >-", *(pad + line for line in lines)]
    return block if _loads("\n".join(block)) == {key: text} else None


def lines(data: dict[str, Any], indent: int = 0) -> list[str]:
    """The lines of a mapping in block style, each `indent` spaces in."""
    out: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        key = scalar(key)
        if isinstance(value, (dict, list)) and not value:
            out.append(f"{pad}{key}: {'{}' if isinstance(value, dict) else '[]'}")
            continue
        flow = _flow(value) if isinstance(value, (dict, list)) else None
        if flow is not None and len(pad) + len(key) + len(flow) + 2 <= WIDTH:
            out.append(f"{pad}{key}: {flow}")
        elif isinstance(value, dict):
            out.append(f"{pad}{key}:")
            out.extend(lines(value, indent + 2))
        elif isinstance(value, list):
            out.append(f"{pad}{key}:")
            out.extend(_items(value, indent + 2))
        else:
            one = f"{pad}{key}: {scalar(value)}"
            folded = _folded(key, value, indent) if isinstance(value, str) else None
            out.extend(folded if len(one) > WIDTH and folded else [one])
    return out


def _items(values: list[Any], indent: int) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for value in values:
        flow = _flow(value) if isinstance(value, dict) else None
        if flow is not None and len(pad) + len(flow) + 2 <= WIDTH:
            out.append(f"{pad}- {flow}")
        elif isinstance(value, dict) and value:
            nested = lines(value, indent + 2)
            out.append(f"{pad}- {nested[0].lstrip()}")
            out.extend(nested[1:])
        elif isinstance(value, list) and value:
            flow = _flow(value)
            out.append(f"{pad}- {flow}" if flow else f"{pad}- {json.dumps(value)}")
        else:
            out.append(f"{pad}- {scalar(value)}")
    return out


def commented(text_lines: list[str]) -> list[str]:
    """Lines made comments that give back the YAML when `# ` is taken off each."""
    return [f"# {line}" if line else "#" for line in text_lines]
