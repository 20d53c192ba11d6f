"""How the project looks at a built site on this machine: Debian's Chromium,
started the one way that works here, and a static server on 127.0.0.1.

Used by the browser tests (tests/browser.py) and `invoke screenshots`.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Debian's; Playwright's own download does not work here. KBT_CHROMIUM names another
# build (the Ubuntu job of the GitHub workflow, where apt has no real Chromium).
CHROMIUM = os.environ.get("KBT_CHROMIUM", "/usr/bin/chromium")
# Headless as root, and no connections of Chromium's own to other hosts
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
    }
    headers_to_send: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass


@contextmanager
def serve(directory: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1, sending ``headers`` with
    every response (none: like a host that sends no security headers); yields
    the base URL, without a trailing slash."""
    handler = type("Handler", (_Handler,), {"headers_to_send": dict(headers or {})})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
