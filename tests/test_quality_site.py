"""Every built page of the real site, in both languages: valid HTML (Nu HTML
Checker), no axe-core violations at two widths (in dark mode too, where only
the colours change), no sideways scrolling at 320 px or 200 % zoom, no request
to another host; and the home page by keyboard."""

from __future__ import annotations

import pytest

from .browser import page_urls, serve
from .tooling import nu_errors

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_WIDTHS = (390, 1280)
# Dark mode changes the colour tokens only: axe's colour rules are run again in it.
AXE_DARK_RULES = ["color-contrast", "link-in-text-block"]
# 320 CSS px, and 1280 px shown at 200 % zoom (a 640 CSS px layout viewport)
REFLOW_WIDTHS = (320, 640)
NOT_SCROLLING_SIDEWAYS = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def test_every_page_is_valid_html(site):
    errors = nu_errors(site, timeout=180)
    assert not errors, "\n".join(errors)


@pytest.fixture(scope="module")
def site_pass(site, browser):
    """Load every page once; run axe at each width and measure the layout."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    results = {"axe": {}, "overflow": {}, "foreign": {}, "console": {}, "checked": []}
    with serve(site) as base:
        host = base.split("//", 1)[1]
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        current = {"url": None}

        def route(route_, request):
            url = request.url
            if url.split("//", 1)[-1].startswith(host + "/") or url.startswith("data:"):
                route_.continue_()
            else:
                results["foreign"].setdefault(current["url"], []).append(url)
                route_.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and results["console"].setdefault(current["url"], []).append(m.text)
            ),
        )
        options = {
            "light": {"runOnly": {"type": "tag", "values": AXE_TAGS}},
            "dark": {"runOnly": {"type": "rule", "values": AXE_DARK_RULES}},
        }
        for url in page_urls(site):
            current["url"] = url
            page.emulate_media(color_scheme="light")
            page.set_viewport_size({"width": 1280, "height": 800})
            response = page.goto(base + url, wait_until="load")
            assert response is not None and response.ok, f"{url}: {response and response.status}"
            results["checked"].append(url)
            for scheme in ("light", "dark"):
                # (no transitions: the colours must not be caught half-way to the scheme;
                # and the dark page is loaded anew in its scheme, as a reader gets it,
                # not switched under axe's feet)
                page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
                if scheme == "dark":
                    page.set_viewport_size({"width": 1280, "height": 800})
                    page.reload(wait_until="load")
                widths = (*AXE_WIDTHS, *REFLOW_WIDTHS) if scheme == "light" else AXE_WIDTHS
                for width in widths:
                    page.set_viewport_size({"width": width, "height": 800})
                    if width in REFLOW_WIDTHS and not page.evaluate(NOT_SCROLLING_SIDEWAYS):
                        results["overflow"].setdefault(url, []).append(width)
                    if width in AXE_WIDTHS:
                        found = axe.run(page, options=options[scheme]).response["violations"]
                        for violation in found:
                            nodes = [n["target"] for n in violation["nodes"]][:3]
                            results["axe"].setdefault(url, []).append(
                                f"{width}px {scheme} {violation['id']}: {violation['help']} {nodes}"
                            )
        context.close()
    return results


def test_every_page_was_checked_in_both_languages(site, site_pass):
    written = page_urls(site)
    assert site_pass["checked"] == written
    english = [url for url in written if url.startswith("/en/")]
    assert english and len(english) < len(written)


def test_no_axe_violations_at_390_and_1280_px_in_light_and_dark_mode(site_pass):
    report = [f"{url}: {v}" for url, found in site_pass["axe"].items() for v in found]
    assert not report, "\n".join(report)


def test_no_page_scrolls_sideways_at_320_px_or_200_percent_zoom(site_pass):
    assert not site_pass["overflow"], site_pass["overflow"]


def test_no_request_to_another_host(site_pass):
    assert not site_pass["foreign"], site_pass["foreign"]


def test_no_console_errors(site_pass):
    assert not site_pass["console"], site_pass["console"]


FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]),'
  + ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.getClientRects().length > 0 || el.classList.contains('kbt-skip-link'))
  .map(el => el.outerHTML.slice(0, 120))"""

ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth;
  return {html: el.outerHTML.slice(0, 120), visible, onScreen};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_keyboard_reaches_every_control_of_home_and_timeline_in_order(site, browser, width):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for url in ("/", "/en/", "/tidslinje/", "/en/timeline/"):
            page.goto(base + url)
            expected = page.evaluate(FOCUSABLE)
            reached = []
            for _ in expected:
                page.keyboard.press("Tab")
                state = page.evaluate(ACTIVE)
                assert state["visible"], f"{url}: no visible focus on {state['html']}"
                assert state["onScreen"], f"{url}: focused element off screen: {state['html']}"
                reached.append(state["html"])
            assert reached == expected
        page.close()


def test_skip_link_moves_focus_to_the_main_content(site, browser):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        for url in ("/", "/en/"):
            page.goto(base + url)
            page.keyboard.press("Tab")
            first = page.evaluate("() => document.activeElement.className")
            assert "kbt-skip-link" in first
            assert page.evaluate(ACTIVE)["onScreen"], "the skip link is not shown when focused"
            page.keyboard.press("Enter")
            assert page.evaluate("() => document.activeElement.id") == "main"
            assert page.url.endswith("#main")
        page.close()
