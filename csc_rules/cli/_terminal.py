"""What the CLI writes as text, standard output and error alike: each character that would change
how a terminal shows the text around it written as an escape (`\\u202e`), so that a case id or any
other text a user sent cannot hide, reorder or overwrite what is printed."""

from __future__ import annotations

import io
import re
import sys

# The C0 controls but tab and newline (a carriage return only where it does not end a line, as a
# CSV row's does), DEL and the C1 controls; the bidirectional marks, embeddings, overrides and
# isolates; the line and paragraph separators. In JSON the escape is the same string, so a
# program reading it gets the text as sent.
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|\r(?!\n)"
)


# The ASCII characters that are always safe: tab, newline and the printable ones. Deleted from
# the text's UTF-8 (by bytes.translate, a dozen times faster than the pattern), they leave only
# the other characters, whole, since every byte of a longer character is above 0x7f: few, and
# none to escape unless the pattern finds one among them, or a carriage return that does not end
# a line (a CSV row's are taken out first). The output of a batch of a million cases passes
# through here.
_PLAIN = bytes([0x09, 0x0A, *range(0x20, 0x7F)])


def escaped(text: str) -> str:
    """`text` with each unsafe character as `\\uXXXX`."""
    rest = text.encode("utf-8", "surrogatepass").replace(b"\r\n", b"").translate(None, _PLAIN)
    if not rest or (b"\r" not in rest and not UNSAFE.search(rest.decode("utf-8", "surrogatepass"))):
        return text
    return UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class EscapingWriter(io.TextIOWrapper):
    """A text stream over a binary one that escapes what it is given; what is written to its
    binary buffer (a workbook, a calendar) is left as it is."""

    def write(self, text: str) -> int:
        super().write(escaped(text))
        return len(text)


# The streams replaced, kept so that they are not collected: collecting one closes its buffer,
# which the new stream shares.
_REPLACED: list[io.TextIOBase] = []


def escape_output() -> None:
    """Make `sys.stdout` and `sys.stderr` escape the text written to them, for the rest of the
    process (a stream with no binary buffer, such as a test's capture, is left alone)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        buffer = getattr(stream, "buffer", None)
        if buffer is None or isinstance(stream, EscapingWriter):
            continue
        stream.flush()
        _REPLACED.append(stream)
        setattr(
            sys,
            name,
            EscapingWriter(
                buffer,
                encoding=stream.encoding,
                errors=stream.errors,
                line_buffering=stream.line_buffering,
                write_through=getattr(stream, "write_through", False),
            ),
        )
