"""What the browser tests share: how Chromium starts, a static server that sends
the site's strict Content-Security-Policy, and the list of pages of a build.

The session's one Chromium is the ``browser`` fixture (conftest.py); Playwright's
sync API allows one running instance per thread, so every browser test uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tools import localsite
from tools.localsite import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (the tests import them from here)

# The policy the published site is served with (deploy/_headers, the same in
# every host's configuration): nothing inline, nothing from other hosts;
# Pagefind needs 'wasm-unsafe-eval' for its WebAssembly.
CSP = re.search(
    r"Content-Security-Policy:\s*(.+)",
    (Path(__file__).resolve().parent.parent / "deploy" / "_headers").read_text(encoding="utf-8"),
).group(1)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` with the site's CSP on a free port of 127.0.0.1;
    yields the base URL (no trailing slash)."""
    with localsite.serve(directory, {"Content-Security-Policy": CSP}) as base:
        yield base


def page_urls(output: Path) -> list[str]:
    """The URL path of every HTML page written into ``output``."""
    urls = []
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        urls.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


@pytest.fixture
def csp_page(browser):
    """A fresh page that records console errors (CSP violations among them) and failed
    requests in ``page.problems``."""
    context = browser.new_context(java_script_enabled=True)
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
