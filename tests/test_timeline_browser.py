"""The timeline in headless Chromium: the overview to scale and the milestone being
read, both anchor formats, previous/next, show more by keyboard, the filter in
the URL, the language switch, the phone's first screen, no layout shift (as the
script starts, and while a slow network brings the page), print, reduced
motion, no JavaScript, and axe-core in both languages.

Needs Playwright for Python and Debian's /usr/bin/chromium (the ``browser`` fixture).
The site is the timeline fixture site with the real timeline pages when the
checkout has them (content/pages/nb/tidslinje.md), else the fixture's own.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python import sync_playwright as axe_module
from playwright import sync_api

from build import build_site

from .browser import CSP, serve
from .test_timeline_build import FIXTURE, SETTINGS

ROOT = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURE, content)
    for real in ("pages/nb/tidslinje.md", "pages/en/timeline.md"):
        if (ROOT / "content" / real).exists():
            # the real page's place in the real site's menus names pages the fixture lacks
            text = (ROOT / "content" / real).read_text(encoding="utf-8")
            text = re.sub(r"^(?:Menu|Section|Footer):.*\n", "", text, flags=re.M | re.I)
            (content / real).write_text(text, encoding="utf-8")
    output = tmp_path_factory.mktemp("site") / "output"
    return build_site(ROOT / "pelicanconf.py", output, {**SETTINGS, "PATH": str(content)})


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as base:
        yield base


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Only our own server: a request to any other host fails the test.
    other_hosts: list[str] = []

    def guard(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            other_hosts.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors
    assert not other_hosts, other_hosts


def item_ids(page) -> list[str]:
    """The milestones' anchors (their headings' ids), in the order of the page."""
    return page.eval_on_selector_all(
        ".kbt-timeline__item .kbt-timeline__heading", "els => els.map(e => e.id)"
    )


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def current_ids(page) -> list[str]:
    """The milestones the overview marks as the one being read."""
    return page.eval_on_selector_all(
        ".kbt-timeline__overview [aria-current]", "els => els.map(e => e.hash.slice(1))"
    )


def item(page, ident):
    return page.locator(f'.kbt-timeline__item[aria-labelledby="{ident}"]')


@contextmanager
def opened(browser, base_url, path="/tidslinje/", **options):
    """The timeline at ``path`` in a fresh browser context made with ``options``."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        open_timeline(page, base_url, path)
        yield page
    finally:
        context.close()


def open_timeline(page, base_url, path="/tidslinje/"):
    page.goto(base_url + path)
    page.wait_for_selector("[data-module-initialised]", state="attached")


MARKS = """() => {
  const axis = document.querySelector('.kbt-timeline__axis');
  const x = (el) => el.getBoundingClientRect().left + axis.scrollLeft;
  return [...axis.querySelectorAll('a')].map((a) => {
    const heading = document.getElementById(a.hash.slice(1));
    const times = [...heading.querySelectorAll('time')].map((t) => Number(t.dateTime));
    const box = a.getBoundingClientRect();
    return {start: times[0], end: times[1] || null, left: x(a), centre: x(a) + box.width / 2};
  });
}"""


@pytest.mark.parametrize("path", ["/tidslinje/", "/en/timeline/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_overview_marks_sit_in_proportion_to_their_years(browser, base_url, path, width):
    with opened(browser, base_url, path, viewport={"width": width, "height": 844}) as page:
        marks = page.evaluate(MARKS)
        assert len(marks) == len(item_ids(page))
        points = [m for m in marks if m["end"] is None]
        first, last = min(points, key=lambda m: m["start"]), max(points, key=lambda m: m["start"])
        per_year = (last["centre"] - first["centre"]) / (last["start"] - first["start"])
        assert per_year >= 24  # room for a 24 px target per year
        for mark in points:
            expected = first["centre"] + (mark["start"] - first["start"]) * per_year
            assert abs(mark["centre"] - expected) <= 1, mark
        for mark in (m for m in marks if m["end"]):
            # a range starts at the left edge of its first year
            expected = first["centre"] - per_year / 2 + (mark["start"] - first["start"]) * per_year
            assert abs(mark["left"] - expected) <= 1.5, mark


def test_the_overview_follows_the_reader_and_marks_the_milestone_read(page, base_url):
    open_timeline(page, base_url)
    ids = item_ids(page)
    assert current_ids(page) == [ids[0]]
    for ident in (ids[len(ids) // 2], ids[-2]):
        page.evaluate(
            """(id) => {
              const bar = document.querySelector('.kbt-timeline__bar').offsetHeight;
              const top = document.getElementById(id).getBoundingClientRect().top;
              window.scrollBy(0, top - bar - 16);
            }""",
            ident,
        )
        page.wait_for_function(
            "(id) => document.querySelector(`.kbt-timeline__overview a[href='#${id}']`)"
            ".hasAttribute('aria-current')",
            arg=ident,
        )
        assert current_ids(page) == [ident]
        bar = page.locator(".kbt-timeline__bar").bounding_box()
        assert bar["y"] == 0  # sticky at the top of the window
    assert "#" not in page.url  # reading is not navigating


@pytest.mark.parametrize("suffix", ["", "-title"])
def test_both_anchor_formats_land_on_the_milestone_and_open_it(page, base_url, suffix):
    open_timeline(page, base_url)
    ids = item_ids(page)
    long_items = page.eval_on_selector_all(
        ".kbt-timeline__toggle", "els => els.map(b => b.getAttribute('aria-describedby'))"
    )
    target = long_items[-1]
    page.goto(f"{base_url}/tidslinje/#{target}{suffix}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    assert page.url.endswith(f"/tidslinje/#{target}")  # the old form becomes the one anchor
    assert focused_id(page) == target
    assert "kbt-timeline__item--current" in item(page, target).get_attribute("class")
    assert (
        item(page, target).locator(".kbt-timeline__toggle").get_attribute("aria-expanded") == "true"
    )
    sync_api.expect(page.locator(f'[id="{target}"]')).to_be_in_viewport()
    # not hidden under the sticky bar, once the page has stopped scrolling to it
    page.wait_for_function(
        """(id) => {
            const top = document.getElementById(id).getBoundingClientRect().top;
            const bar = document.querySelector(".kbt-timeline__bar").getBoundingClientRect();
            return top >= bar.bottom - 1;
        }""",
        arg=target,
        timeout=5000,
    )
    assert current_ids(page) == [target]
    # the back button returns to the previous milestone the same way
    page.goto(f"{base_url}/tidslinje/#{ids[0]}")
    page.go_back()
    page.wait_for_function("(id) => document.activeElement.id === id", arg=target)


def wait_for_hash(page, ident: str) -> None:
    page.wait_for_function("(h) => location.hash === h", arg=f"#{ident}")


# Resolves once the page has not scrolled for ten frames in a row
SCROLL_SETTLED = """() => new Promise((done) => {
  let y = scrollY, still = 0;
  const frame = () => {
    still = scrollY === y ? still + 1 : 0;
    y = scrollY;
    if (still >= 10) done(true); else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})"""


def wait_until_still(page) -> None:
    """Wait for a smooth scroll to end. Until the bar sticks at the top, it
    moves with the page, and a click on its controls can miss, as a reader's could."""
    page.evaluate(SCROLL_SETTLED)


def test_previous_and_next_move_through_time(page, base_url):
    open_timeline(page, base_url)
    ids = item_ids(page)
    steps = page.locator(".kbt-timeline__step")
    assert steps.nth(0).is_disabled()  # at the first milestone
    steps.nth(1).click()
    wait_for_hash(page, ids[1])
    assert current_ids(page) == [ids[1]]
    assert page.get_attribute(".kbt-lang__link", "href").endswith(f"/en/timeline/#{ids[1]}")
    steps.nth(1).focus()
    page.keyboard.press("Enter")
    wait_for_hash(page, ids[2])
    page.keyboard.press("Space")
    wait_for_hash(page, ids[3])
    length = page.evaluate("history.length")
    wait_until_still(page)
    steps.nth(0).click()
    wait_for_hash(page, ids[2])
    assert page.evaluate("history.length") == length  # replaceState: no history per step
    assert page.get_attribute(".kbt-lang__link", "href").endswith(f"/en/timeline/#{ids[2]}")


def test_enter_and_space_open_and_close_show_more(page, base_url):
    open_timeline(page, base_url)
    toggle = page.locator(".kbt-timeline__toggle").first
    body = page.locator(f'[id="{toggle.get_attribute("aria-controls")}"]')
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not body.locator(":scope > :nth-child(2)").is_visible()
    assert toggle.inner_text() == "Vis mer"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert body.locator(":scope > :nth-child(2)").is_visible()
    assert toggle.inner_text() == "Vis mindre"
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "false"


def themes_of_shown(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        ".kbt-timeline__item:not([hidden])", "els => els.map(e => e.dataset.themes.split(' '))"
    )


def test_the_filter_is_kept_in_the_url_and_names_its_theme(page, base_url):
    open_timeline(page, base_url)
    total = len(item_ids(page))
    option = page.locator(".kbt-timeline__filter option:nth-child(2)")
    theme, name = option.get_attribute("value"), option.get_attribute("data-name")
    page.select_option(".kbt-timeline__filter", theme)
    shown = themes_of_shown(page)
    assert 0 < len(shown) < total and all(theme in themes for themes in shown)
    assert f"({len(shown)})" in option.inner_text()
    status = page.locator(".kbt-timeline__status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == f"Viser {len(shown)} av {total} milepæler om {name}"
    assert page.url.endswith(f"/tidslinje/?theme={theme}")
    # matching milestones are open
    toggles = page.locator(".kbt-timeline__item:not([hidden]) .kbt-timeline__toggle")
    assert all(
        toggles.nth(i).get_attribute("aria-expanded") == "true" for i in range(toggles.count())
    )
    # the marks of the others stay on the scale, muted
    assert page.locator(".kbt-timeline__overview a.kbt-timeline__muted").count() == total - len(
        shown
    )
    # a shared address opens filtered; back and forward follow the filter
    page.reload()
    page.wait_for_selector("[data-module-initialised]", state="attached")
    assert page.input_value(".kbt-timeline__filter") == theme
    assert len(themes_of_shown(page)) == len(shown)
    page.go_back()
    page.wait_for_function("() => document.querySelector('.kbt-timeline__filter').value === ''")
    assert len(themes_of_shown(page)) == total
    page.go_forward()
    page.wait_for_function(
        "(t) => document.querySelector('.kbt-timeline__filter').value === t", arg=theme
    )
    assert len(themes_of_shown(page)) == len(shown)
    # the reset shows everything again and says so
    page.click(".kbt-timeline__reset")
    assert len(themes_of_shown(page)) == total
    assert status.inner_text() == f"Viser alle {total} milepæler"
    assert "theme=" not in page.url
    assert page.locator(".kbt-timeline__reset").is_hidden()


def test_a_theme_tag_applies_the_filter(page, base_url):
    open_timeline(page, base_url, "/en/timeline/")
    tag = page.locator(".kbt-timeline__theme-button").last
    theme = tag.evaluate("b => b.parentElement.dataset.theme")
    name = tag.inner_text()
    tag.click()
    assert page.url.endswith(f"/en/timeline/?theme={theme}")
    shown = themes_of_shown(page)
    assert all(theme in themes for themes in shown)
    assert page.locator(".kbt-timeline__status").inner_text().endswith(f"milestones about {name}")
    sync_api.expect(tag).to_be_in_viewport()


def test_language_switch_keeps_the_milestone(page, base_url):
    open_timeline(page, base_url)
    target = item_ids(page)[-1]
    page.goto(f"{base_url}/tidslinje/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    page.click(".kbt-lang__link")
    page.wait_for_url(f"**/en/timeline/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    assert focused_id(page) == target
    other = item_ids(page)[0]
    page.click(f'.kbt-timeline__overview a[href="#{other}"]')
    assert page.get_attribute(".kbt-lang__link", "href").endswith(f"/tidslinje/#{other}")


def test_the_first_milestone_is_on_a_phones_first_screen(browser, base_url):
    for path in ("/tidslinje/", "/en/timeline/"):
        with opened(browser, base_url, path, viewport={"width": 390, "height": 844}) as page:
            top = page.locator(".kbt-timeline__item").first.bounding_box()["y"]
            bar = page.locator(".kbt-timeline__bar").bounding_box()
        assert top < 844 - 48, f"{path}: the first milestone starts at {top} px"
        assert bar["height"] <= 120, "the overview is one compact row"


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_layout_shift_when_the_script_starts(browser, base_url, width):
    with opened(browser, base_url, viewport={"width": width, "height": 844}) as page:
        shift = page.evaluate(LAYOUT_SHIFT)
    assert shift == 0


class _ArrivingSlowly(SimpleHTTPRequestHandler):
    """Serves the site, but sends the timeline page in two parts with a pause
    between them, cut in the middle of its overview: as a slow network does."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path != "/tidslinje/":
            super().do_GET()
            return
        body = (Path(self.directory) / "tidslinje" / "index.html").read_bytes()
        years = [m.start() for m in re.finditer(rb"<li class=\"kbt-timeline__year", body)]
        cut = years[len(years) // 2]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:cut])
        self.wfile.flush()
        time.sleep(0.6)  # long enough for Chromium to draw what has come
        self.wfile.write(body[cut:])


@pytest.mark.parametrize("width", [390, 1280])
def test_no_layout_shift_while_the_page_arrives(browser, site, width):
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_ArrivingSlowly, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with opened(browser, base, viewport={"width": width, "height": 844}) as page:
            shift = page.evaluate(LAYOUT_SHIFT)
    finally:
        server.shutdown()
        server.server_close()
    assert shift == 0


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("path", ["/tidslinje/", "/en/timeline/"])
def test_the_printed_timeline_fits_three_a4_pages(browser, base_url, path):
    with opened(browser, base_url, path) as page:
        page.select_option(".kbt-timeline__filter", index=1)  # a filtered view prints whole
        page.emulate_media(media="print")
        for hidden in (
            ".kbt-timeline__bar",
            ".kbt-timeline__controls",
            ".kbt-timeline__export",
            ".kbt-timeline__toggle",
            ".kbt-timeline .kbt-heading-anchor",
        ):
            locator = page.locator(hidden)
            assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden
        assert all(page.locator(".kbt-timeline__item").nth(i).is_visible() for i in range(3))
        # the page's address under its title, as on every other page (print.css)
        address = page.evaluate(
            "() => getComputedStyle("
            "document.querySelector('.kbt-article__header'), '::after').content"
        )
        assert address.strip('"').endswith(path)
        pages = pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 3


def test_reduced_motion_moves_at_once(browser, base_url):
    with opened(browser, base_url, reduced_motion="reduce") as page:
        target = item_ids(page)[-1]
        page.click(f'.kbt-timeline__overview a[href="#{target}"]')
        # no smooth scrolling: the milestone is in place at once
        box = page.locator(f'[id="{target}"]').bounding_box()
        assert 0 <= box["y"] < 720
        duration = page.evaluate(
            "getComputedStyle(document.querySelector('.kbt-timeline__item')).transitionDuration"
        )
        assert float(duration.rstrip("s") or 0) < 0.01


@pytest.mark.parametrize("width", [320, 390, 768, 1600])
def test_no_sideways_scrolling(browser, base_url, width):
    with opened(browser, base_url, viewport={"width": width, "height": 800}) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_without_javascript_everything_is_there(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/tidslinje/")
    items = page.locator(".kbt-timeline__item")
    assert items.count() >= 4
    for index in range(items.count()):
        assert items.nth(index).is_visible()
    assert page.locator(".kbt-timeline__controls").is_hidden()
    assert page.locator(".kbt-timeline__step").first.is_hidden()
    assert page.locator(".kbt-timeline__toggle").count() == 0
    assert page.locator(".kbt-timeline__body p").last.is_visible()
    # the overview is a list of working links
    target = item_ids(page)[-1]
    page.click(f'.kbt-timeline__overview a[href="#{target}"]')
    assert page.url.endswith(f"#{target}")
    sync_api.expect(page.locator(f'[id="{target}"]')).to_be_in_viewport()
    # an old link lands on its milestone too
    page.goto(f"{base_url}/tidslinje/#{item_ids(page)[1]}-title")
    sync_api.expect(page.locator(f'[id="{item_ids(page)[1]}"]')).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("path", ["/tidslinje/", "/en/timeline/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations(browser, base_url, path, width):
    with opened(browser, base_url, path, viewport={"width": width, "height": 900}) as page:
        # Check the enhanced state too: a filter applied, a text expanded.
        page.select_option(".kbt-timeline__filter", index=1)
        page.locator(".kbt-timeline__item:not([hidden]) .kbt-timeline__toggle").first.click()
        results = axe_module.Axe().run(
            page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}
        )
    assert results.violations_count == 0, results.generate_report()


def test_home_teaser_links_into_the_timeline(page, base_url):
    page.goto(base_url + "/")
    link = page.locator(".kbt-timeline-teaser__link").first
    href = link.get_attribute("href")
    target = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/tidslinje/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    assert focused_id(page) == target
