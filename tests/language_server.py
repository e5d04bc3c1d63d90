"""The YAML language server VS Code's YAML extension runs, started over stdio and spoken to in
LSP's JSON-RPC, as an editor would: open a file, ask for completion, wait for its diagnostics.
Every wait is bounded, so a server that hangs fails the test instead of holding up the run."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest

EDITOR = Path(__file__).resolve().parent / "editor"
SERVER = EDITOR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
INSTALL = "npm ci --prefix tests/editor"
TIMEOUT = 30.0  # seconds for one answer; the first completion reads and compiles the schema


def server_command() -> list[str]:
    """The command that starts the server, or a failure saying how to install it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "the editor tests need Node.js (node and npm): install Debian's `nodejs` and `npm` "
            f"packages, then run `{INSTALL}` (.ci/run does this)",
            pytrace=False,
        )
    if not SERVER.is_file():
        pytest.fail(
            f"the YAML language server is not installed: run `{INSTALL}` from the top of the "
            "checkout (.ci/run does this), which installs the version tests/editor/package-lock.json pins",
            pytrace=False,
        )
    return [node, str(SERVER), "--stdio"]


class LanguageServer:
    """One running server, and the messages it has sent that no request was waiting for."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            server_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self._next = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "completion": {
                            "completionItem": {
                                "documentationFormat": ["markdown", "plaintext"],
                                "snippetSupport": True,
                            }
                        },
                        "publishDiagnostics": {},
                    },
                    "workspace": {"configuration": True},
                },
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": _SETTINGS}})

    def __enter__(self) -> LanguageServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except (OSError, TimeoutError, subprocess.TimeoutExpired, AssertionError):
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()

    # -- what an editor does ---------------------------------------------------------------

    def open(self, path: Path, text: str) -> str:
        uri = path.resolve().as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        return uri

    def complete(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        """The completion items offered at a place (both counted from 0)."""
        found = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        items = found.get("items", []) if isinstance(found, dict) else found or []
        return list(items)

    def diagnostics_for(self, uri: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for a file, once it has published any."""
        deadline = time.monotonic() + timeout
        while uri not in self.diagnostics:
            self._handle(self._take(deadline))
        return self.diagnostics[uri]

    # -- JSON-RPC ----------------------------------------------------------------------------

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        self._next += 1
        ident = self._next
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._take(deadline, f"the answer to {method}")
            if message.get("id") == ident and "method" not in message:
                if "error" in message:
                    raise AssertionError(f"{method} failed: {message['error']}")
                return message.get("result")
            self._handle(message)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, message: dict[str, Any]) -> None:
        """A message the server sent of its own accord: diagnostics kept, requests answered."""
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
        elif method is not None and "id" in message:  # it asks: configuration, registrations
            items = (message.get("params") or {}).get("items", [])
            result = [_SETTINGS for _ in items] if method == "workspace/configuration" else None
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _take(self, deadline: float, what: str = "diagnostics") -> dict[str, Any]:
        left = deadline - time.monotonic()
        try:
            message = self.messages.get(timeout=max(left, 0.01))
        except queue.Empty:
            raise AssertionError(f"the YAML language server sent no {what} in time") from None
        if message is None:
            raise AssertionError(f"the YAML language server stopped before sending {what}")
        return message

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while True:
                length = 0
                while (line := stream.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if not line or not length:
                    break
                self.messages.put(json.loads(stream.read(length)))
        finally:
            self.messages.put(None)


# What VS Code's YAML extension sends by default, with validation and completion on.
_SETTINGS = {
    "validate": True,
    "completion": True,
    "hover": True,
    "format": {"enable": False},
    "schemaStore": {"enable": False},
    "schemas": {},
}
