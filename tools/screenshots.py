"""Screenshots of a built site for review: a few pages at a phone and a desktop
width, in light and dark mode, written as PNG files (``invoke screenshots``)."""

from __future__ import annotations

from pathlib import Path

from tools.localsite import CHROMIUM, CHROMIUM_ARGS, serve

# name -> URL path: the home page, the timeline and a content page with a section menu
PAGES = {"home": "/", "timeline": "/tidslinje/", "content": "/barn-og-unge/"}
WIDTHS = {390: 844, 1280: 900}
SCHEMES = ("light", "dark")
MAX_HEIGHT = 1800  # px: the top of a long page is enough to review, and keeps files small


def shot_name(page: str, width: int, scheme: str) -> str:
    return f"{page}-{width}-{scheme}.png"


def take(site: Path, target: Path, browser=None) -> list[Path]:
    """Write one screenshot per page, width and colour scheme into ``target``
    (with ``browser``, a running Playwright Chromium, or one started here)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                return take(site, target, own)
            finally:
                own.close()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as base:
        for scheme in SCHEMES:
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path, wait_until="load")
                    out = target / shot_name(name, width, scheme)
                    shown = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    clip = {"x": 0, "y": 0, "width": width, "height": shown}
                    page.screenshot(path=str(out), full_page=True, clip=clip)
                    written.append(out)
                context.close()
    return written
