"""Browser fixtures: a static server with the site's strict CSP and one Chromium per session.

Import the fixtures into a test module (``from .browser_search import chromium,
serve``). Playwright drives Debian's Chromium (/usr/bin/chromium); tests that
need it are skipped when it is missing.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The policy the published site is served with (deploy/_headers, the same in
# every host's configuration): nothing inline, nothing from other hosts;
# Pagefind needs 'wasm-unsafe-eval' for its WebAssembly.
CSP = re.search(
    r"Content-Security-Policy:\s*(.+)",
    (Path(__file__).resolve().parent.parent / "deploy" / "_headers").read_text(encoding="utf-8"),
).group(1)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
    }

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@contextlib.contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 at a free port; yields the base URL (no slash)."""
    handler = functools.partial(_Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium(browser):
    """The session's one Chromium (``browser`` in conftest.py)."""
    return browser


@pytest.fixture
def csp_page(chromium):
    """A fresh page that records console errors (CSP violations among them) and failed
    requests in ``page.problems``."""
    context = chromium.new_context(java_script_enabled=True)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on(
        "response",
        lambda r: r.status >= 400 and page.problems.append(f"{r.status} {r.url}"),
    )
    yield page
    context.close()
