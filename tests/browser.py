"""Shared helpers and fixtures for tests in headless Chromium (Playwright).

One browser per session (``quality_browser``); pages of a built site are served
from a thread on 127.0.0.1 (``serve``). Fixture names carry a ``quality_``
prefix so that they do not clash with other modules' browser fixtures.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_urls(output: Path) -> list[str]:
    """The URL path of every HTML page written into ``output``."""
    urls = []
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        urls.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


@pytest.fixture(scope="session")
def quality_browser(browser):
    """The session's one Chromium (``browser`` in conftest.py)."""
    return browser
