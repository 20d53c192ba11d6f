"""The design in Chromium (issue #20), on the real site in both languages:
focus and text contrast by keyboard in light and dark mode, the phone header
(menu button, H1 on the first screen), headings that never break a word
without a hyphen, heading anchors, and print."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from .browser import page_urls, serve


@contextmanager
def site_page(site, browser, **options) -> Iterator[tuple[object, str]]:
    """A page of a fresh browser context (``options``) and the served site's base URL."""
    with serve(site) as base:
        context = browser.new_context(**options)
        try:
            yield context.new_page(), base
        finally:
            context.close()


# Colour maths in the page: the effective background of an element (its own
# and its ancestors' backgrounds composited over white), WCAG contrast, and the
# focused element's text and focus indicator measured against them.
COLOUR_JS = """
const parse = (c) => {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
};
const background = (el) => {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c && c[3] > 0) layers.push(c);
    if (c && c[3] === 1) break;
  }
  return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
};
const luminance = (c) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
};
"""

FOCUS_STATE = (
    "() => {"
    + COLOUR_JS
    + """
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const behind = background(el.parentElement || el);
  const rings = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) {
    rings.push(parse(style.outlineColor));
  }
  for (const m of (style.boxShadow.match(/rgba?\\([^)]+\\)/g) || [])) rings.push(parse(m));
  const ring = Math.max(0, ...rings.filter(Boolean).map(c => contrast(over(c, behind), behind)));
  let text = Infinity;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType !== 3 || !node.textContent.trim()) continue;
    const holder = node.parentElement;
    if (!holder.getClientRects().length) continue;
    const colour = over(parse(getComputedStyle(holder).color), background(holder));
    text = Math.min(text, contrast(colour, background(holder)));
  }
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
    text = Math.min(text, contrast(over(parse(style.color), background(el)), background(el)));
  }
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth;
  const expandable = el.getAttribute('aria-expanded') === 'false';
  return {html: el.outerHTML.slice(0, 100), ring, text, onScreen, expandable};
}"""
)

MAX_TABS = 400

# What tells the page templates apart in the built HTML.
TEMPLATE_MARKS = (
    ".kbt-home, .kbt-hero",
    ".kbt-timeline",
    ".kbt-search, [data-module=search]",
    ".kbt-sitemap",
    ".kbt-article__kicker",
    ".kbt-cards",
    ".kbt-section-nav",
    ".kbt-contents",
    ".kbt-crisis--page",
)


def template_samples(site) -> list[str]:
    """One page per template (as told by TEMPLATE_MARKS) and language."""
    seen: dict[tuple, str] = {}
    for url in page_urls(site):
        path = site / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        kind = (soup.html.get("lang"), tuple(bool(soup.select(mark)) for mark in TEMPLATE_MARKS))
        seen.setdefault(kind, url)
    return sorted(seen.values())


@pytest.fixture(scope="module")
def samples(site) -> list[str]:
    found = template_samples(site)
    assert len(found) >= 8, found
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_focus_is_visible_and_keeps_its_contrast(site, browser, samples, scheme, width):
    problems = []
    rounds = []
    with site_page(
        site, browser, viewport={"width": width, "height": 800}, color_scheme=scheme
    ) as (page, base):
        for url in samples:
            page.goto(base + url)
            reached = []
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS_STATE)
                if state["html"] in reached[:1] or state["html"].startswith("<body"):
                    break  # round the page once
                reached.append(state["html"])
                if state["expandable"]:
                    page.keyboard.press("Enter")  # open a closed menu, as a reader would
                where = f"{url} {scheme} {width}px {state['html']}"
                if state["ring"] < 3:
                    problems.append(f"{where}: focus indicator {state['ring']:.2f}:1")
                if state["text"] < 4.5:
                    problems.append(f"{where}: text {state['text']:.2f}:1")
                if not state["onScreen"]:
                    problems.append(f"{where}: focused but not on screen")
            rounds.append(len(reached))
    assert min(rounds) > 3, rounds
    assert not problems, "\n".join(problems)


# The phone header -------------------------------------------------------------------

H1_TOP = "() => document.querySelector('h1').getBoundingClientRect().top + scrollY"


@pytest.mark.parametrize(("width", "height"), [(390, 844), (320, 640)])
def test_the_h1_starts_on_the_first_screen_of_every_page(site, browser, width, height):
    late = {}
    with site_page(site, browser, viewport={"width": width, "height": height}) as (page, base):
        for url in page_urls(site):
            if "/pagefind/" in url:
                continue
            page.goto(base + url)
            top = page.evaluate(H1_TOP)
            if top > 400:
                late[url] = round(top)
    assert not late, f"H1 starts below 400 px at {width}x{height}: {late}"


def test_the_main_menu_hides_behind_a_button_on_phones(site, browser):
    with site_page(site, browser, viewport={"width": 390, "height": 844}) as (page, base):
        page.goto(base + "/en/")
        menu = page.get_by_role("navigation", name="Main menu")
        button = menu.get_by_role("button", name="Menu")
        links = menu.get_by_role("link")
        assert button.get_attribute("aria-expanded") == "false"
        assert not links.first.is_visible()
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert links.first.is_visible()
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("() => document.activeElement.classList.contains('kbt-toggle')")
        page.set_viewport_size({"width": 1280, "height": 800})
        assert not button.is_visible()
        assert links.first.is_visible()


def test_without_javascript_the_menus_are_simply_shown(site, browser):
    with site_page(
        site, browser, viewport={"width": 320, "height": 640}, java_script_enabled=False
    ) as (page, base):
        page.goto(base + "/")
        menu = page.get_by_role("navigation", name="Hovedmeny")
        assert menu.get_by_role("button").count() == 0
        links = menu.get_by_role("link")
        assert links.count() >= 4
        assert all(links.nth(i).is_visible() for i in range(links.count()))


SITE_SCRIPT = "**/site.*.js"  # the deferred bundle of the modules (plugins/assets/)


@pytest.mark.parametrize("blocked", [SITE_SCRIPT, "**/*.js"], ids=["site-script", "every-script"])
def test_when_the_script_fails_to_load_the_menu_is_shown_and_works(site, browser, blocked):
    """JavaScript on, but the modules' file never arrives (a flaky network, a
    blocker): the menu must not stay closed behind a button that never comes."""
    with site_page(site, browser, viewport={"width": 390, "height": 844}) as (page, base):
        page.route(blocked, lambda route: route.abort())
        page.goto(base + "/en/")
        menu = page.get_by_role("navigation", name="Main menu")
        assert menu.get_by_role("button").count() == 0
        links = menu.get_by_role("link")
        assert links.count() >= 4
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        target = links.nth(1).get_attribute("href")
        links.nth(1).click()
        page.wait_for_url(f"**{target}")
        assert (
            page.get_by_role("navigation", name="Main menu").get_by_role("link").first.is_visible()
        )


def test_the_menu_is_closed_from_the_first_frame_when_the_script_runs(site, browser):
    """With the scripts loading slowly, the closed menu and its button's room are
    there before the menu script starts, so nothing moves when it does."""
    with site_page(site, browser, viewport={"width": 390, "height": 844}) as (page, base):
        held = []
        page.route(SITE_SCRIPT, lambda route: held.append(route))
        page.goto(base + "/en/", wait_until="commit")
        page.wait_for_selector("h1")
        page.wait_for_function("() => document.documentElement.classList.contains('kbt-enhanced')")
        menu = page.get_by_role("navigation", name="Main menu")
        before = page.evaluate(H1_TOP)
        assert not menu.get_by_role("link").first.is_visible()
        for _ in range(50):
            if held:
                break
            page.wait_for_timeout(100)
        held[0].continue_()
        menu.get_by_role("button", name="Menu").wait_for()
        assert page.evaluate(H1_TOP) == before


# Headings ---------------------------------------------------------------------

# Each word of a heading that runs over more than one line, unless the line
# ends at a hyphen or a soft hyphen the text holds.
BROKEN_WORDS = r"""() => {
  const broken = [];
  for (const heading of document.querySelectorAll('h1, h2, h3, h4')) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        const lines = new Set();
        for (let i = match.index; i < match.index + match[0].length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const box = range.getBoundingClientRect();
          if (box.width === 0) continue;
          // a character's line is the one its box ends on (the box of the
          // first character after a soft hyphen reaches back to the break)
          if (lines.size && ![...lines].includes(Math.round(box.bottom))) {
            if (!/[-\u00ad\u2010]/.test(text[i - 1])) broken.push(match[0]);
          }
          lines.add(Math.round(box.bottom));
        }
      }
    }
  }
  return broken;
}"""


def test_no_heading_breaks_a_word_without_a_hyphen_at_320_px(site, browser):
    found = {}
    with site_page(site, browser, viewport={"width": 320, "height": 640}) as (page, base):
        for url in page_urls(site):
            if "/pagefind/" in url:
                continue
            page.goto(base + url)
            broken = page.evaluate(BROKEN_WORDS)
            if broken:
                found[url] = broken
    assert not found, found


@pytest.mark.parametrize(
    ("word", "broken"),
    [
        ("Tilgjengelighetserklæring", True),
        ("Til\u00adgjen\u00adge\u00adlig\u00adhets\u00aderklæring", False),
    ],
)
def test_the_word_break_measurement_tells_a_hyphen_from_a_cut(browser, word, broken):
    page = browser.new_page(viewport={"width": 200, "height": 400})
    page.set_content(f'<h1 lang="nb" style="overflow-wrap: anywhere">Om {word}</h1>')
    found = page.evaluate(BROKEN_WORDS)
    page.close()
    assert bool(found) is broken, found


def test_headings_hyphenate_in_the_page_language(site, browser):
    with site_page(site, browser, viewport={"width": 390, "height": 800}) as (page, base):
        for url, lang in (("/", "nb"), ("/en/", "en")):
            page.goto(base + url)
            style = page.evaluate(
                "() => { const h = getComputedStyle(document.querySelector('h1'));"
                " const lang = document.querySelector('h1').closest('[lang]').lang;"
                " return [h.hyphens, h.overflowWrap, lang]; }"
            )
            assert style == ["auto", "break-word", lang]


def test_heading_anchors_show_on_hover_and_focus_only(site, browser):
    with site_page(site, browser, viewport={"width": 1280, "height": 800}) as (page, base):
        page.goto(base + "/en/")
        page.goto(base + page.locator(".kbt-menu__link").nth(1).get_attribute("href"))
        anchor = page.locator(".kbt-heading-anchor").first
        heading = anchor.locator("xpath=..")
        size = "el => { const b = el.getBoundingClientRect(); return b.width * b.height; }"
        assert anchor.evaluate(size) <= 1
        heading.hover()
        assert anchor.evaluate(size) > 4
        page.mouse.move(0, 0)
        assert anchor.evaluate(size) <= 1
        anchor.focus()
        assert anchor.evaluate(size) > 4
        assert anchor.evaluate("el => el.textContent").strip().startswith("Link to this section")


# Each heading's self-link as drawn: its box, whether it lies inside the
# viewport, and whether it overlaps a line of the heading's own text.
ANCHOR_BOXES = """() => [...document.querySelectorAll('.kbt-heading-anchor')].map(a => {
  const box = a.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(a.parentElement.querySelector(':is(h2, h3, h4, h5, h6)'));
  const overlaps = [...range.getClientRects()].some(r => r.width > 0 &&
    r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom);
  return {href: a.getAttribute('href'), width: box.width, height: box.height,
          inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
          overlaps};
})"""


# What a shown "#" must pass: its colour on the page, and its size as a target
TOUCH_AXE = {"runOnly": {"type": "rule", "values": ["color-contrast", "target-size"]}}


@pytest.mark.parametrize("home", ["/", "/en/"])
def test_heading_anchors_show_where_the_reader_cannot_hover(site, browser, home):
    """On a touch screen there is no hover: each heading's "#" is there to tap,
    beside the heading's text, and tapping it leads to that heading."""
    with site_page(site, browser, viewport={"width": 390, "height": 800}, has_touch=True) as (
        page,
        base,
    ):
        page.goto(base + home)
        page.goto(base + page.locator(".kbt-menu__link").nth(1).get_attribute("href"))
        boxes = page.evaluate(ANCHOR_BOXES)
        assert boxes
        for box in boxes:
            assert box["width"] > 4 and box["height"] > 4, box
            assert box["inside"] and not box["overlaps"], box
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            page.reload()
            found = Axe().run(page, options=TOUCH_AXE).response["violations"]
            assert not found, (scheme, [(v["id"], v["nodes"][0]["target"]) for v in found])
        last = page.locator(".kbt-heading-anchor").last
        last.scroll_into_view_if_needed()
        last.tap()
        page.wait_for_function("h => location.hash === h", arg=boxes[-1]["href"])


# The text of each heading that has a self-link (a link to its own id), and of
# that link: read from the DOM, as a sighted reader sees them.
LINKED_HEADINGS = """() => [...document.querySelectorAll('main :is(h2, h3, h4)[id]')]
  .map(h => [h, [...document.querySelectorAll('a[href="#' + CSS.escape(h.id) + '"]')]
    .find(a => a.closest('.kbt-heading') === h.parentElement)])
  .filter(([h, a]) => a)
  .map(([h, a]) => [h.id, h.textContent.replace(/\\u00ad/g, '').replace(/\\s+/g, ' ').trim(),
                    a.textContent.trim()])"""


@pytest.mark.parametrize(
    ("home", "label"), [("/", "Lenke til denne delen"), ("/en/", "Link to this section")]
)
def test_a_heading_is_named_by_its_text_alone_and_its_link_by_the_label(site, browser, home, label):
    """The accessible name a screen reader announces, from Chromium's accessibility
    tree: the heading's own text, without the self-link's label; the link is
    still there, named by the label, and leads to the heading."""
    with site_page(site, browser, viewport={"width": 1280, "height": 800}) as (page, base):
        page.goto(base + home)
        paths = [home] + [
            page.locator(".kbt-menu__link").nth(i).get_attribute("href")
            for i in range(page.locator(".kbt-menu__link").count())
        ]
        checked = 0
        for path in paths:
            page.goto(base + path)
            for ident, text, link_text in page.evaluate(LINKED_HEADINGS):
                assert link_text.startswith(label), (path, ident)
                heading = page.get_by_role("heading", name=text, exact=True)
                assert heading.count() >= 1, (path, text)
                assert ident in [heading.nth(i).get_attribute("id") for i in range(heading.count())]
                checked += 1
            tree = page.locator("main").aria_snapshot()
            named = [line for line in tree.splitlines() if "- heading " in line]
            assert named and not [line for line in named if label in line], (path, named)
            links = page.get_by_role("link", name=label, exact=True)
            assert links.count() == len(page.evaluate(LINKED_HEADINGS)), path
        assert checked >= 5


# Print ------------------------------------------------------------------------


def test_print_shows_the_text_and_its_address_without_menus_or_controls(site, browser):
    with site_page(site, browser, viewport={"width": 800, "height": 1000}) as (page, base):
        page.goto(base + "/")
        path = page.locator(".kbt-menu__link").last.get_attribute("href")
        page.goto(base + path)
        page.emulate_media(media="print")
        hidden = (
            ".kbt-menu, .kbt-header__tools, .kbt-breadcrumbs, .kbt-heading-anchor,"
            " .kbt-skip-link, .kbt-footer__nav"
        )
        shown = page.evaluate(
            "(sel) => [...document.querySelectorAll(sel)]"
            ".filter(el => el.getClientRects().length).map(el => el.className)",
            hidden,
        )
        assert shown == []
        footer = page.evaluate(
            "() => { const s = getComputedStyle(document.querySelector('footer'));"
            " return [s.color, s.backgroundColor]; }"
        )
        assert footer == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
        address = page.evaluate(
            "() => getComputedStyle("
            "document.querySelector('.kbt-article__header'), '::after').content"
        )
        assert address.strip('"').endswith(path)


# Controls and the home page --------------------------------------------------------

SMALL_TARGETS = """() => [...document.querySelectorAll(
  '.kbt-menu a, .kbt-menu button, .kbt-section-nav a, .kbt-section-nav button,'
  + ' .kbt-header__tools a, .kbt-footer a')]
  .filter(el => el.getClientRects().length)
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => el.outerHTML.slice(0, 80))"""

# For each card list: the rows of cards that leave room at their end.
ROWS_NOT_FILLED = """() => [...document.querySelectorAll('.kbt-cards')].flatMap(list => {
  const box = list.getBoundingClientRect();
  const rows = new Map();
  for (const card of list.children) {
    const b = card.getBoundingClientRect();
    rows.set(Math.round(b.top), Math.max(rows.get(Math.round(b.top)) || 0, b.right));
  }
  return [...rows.values()].filter(right => box.right - right > 2).map(r => Math.round(r));
})"""


@pytest.mark.parametrize("width", [320, 390, 768, 1280, 1920])
def test_touch_targets_and_card_rows_at_every_width(site, browser, samples, width):
    small, gaps = {}, {}
    with site_page(site, browser, viewport={"width": width, "height": 800}) as (page, base):
        for url in samples:
            page.goto(base + url)
            for toggle in page.locator(".kbt-toggle").all():
                if toggle.is_visible():
                    toggle.click()  # the links behind menu buttons too
            if found := page.evaluate(SMALL_TARGETS):
                small[url] = found
            if found := page.evaluate(ROWS_NOT_FILLED):
                gaps[url] = found
    assert not small, f"targets under 44 px at {width} px: {small}"
    assert not gaps, f"card rows not filled at {width} px: {gaps}"


def test_search_and_language_switch_are_the_same_kind_of_control(site, browser):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "/")
        looks = page.evaluate(
            "() => [...document.querySelectorAll('.kbt-header__tools a')].map(a => {"
            " const s = getComputedStyle(a);"
            " return [s.borderTopStyle, s.borderTopColor, s.color, s.fontWeight,"
            " s.textDecorationLine, a.getBoundingClientRect().height]; })"
        )
        page.close()
    assert len(looks) == 2
    assert looks[0] == looks[1]


def test_the_home_page_leads_with_tasks_and_the_four_coloured_focus_areas(site, browser):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for url in ("/", "/en/"):
            page.goto(base + url)
            h1 = page.locator("h1").inner_text().replace("\u00ad", "")
            brand = page.locator(".kbt-header__brand").inner_text()
            assert h1.strip() not in brand and "KBT" not in h1
            tasks = page.locator(".kbt-tasks a")
            assert 3 <= tasks.count() <= 4
            hrefs = tasks.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
            assert len(set(hrefs)) == tasks.count()
            assert page.locator(".kbt-tasks").evaluate("el => el.getBoundingClientRect().top") < 844
            colours = page.locator(
                ".kbt-card--mark-1, .kbt-card--mark-2, .kbt-card--mark-3, .kbt-card--mark-4"
            ).evaluate_all(
                "cards => cards.map(c => [getComputedStyle(c).borderTopColor,"
                " getComputedStyle(c.querySelector('svg path')).fill])"
            )
            logo = page.locator(".kbt-header__logo path").evaluate_all(
                "paths => paths.map(p => getComputedStyle(p).fill)"
            )
            assert colours  # one card per focus area, in the logo's colours in turn
            assert [border for border, _fill in colours] == logo[: len(colours)]
            assert [fill for _border, fill in colours] == logo[: len(colours)]
            assert not page.locator("main img").count()  # shapes, not photos
        page.close()


def test_the_screenshots_task_shows_each_page_at_both_widths_in_both_schemes(
    site, browser, tmp_path
):
    from PIL import Image

    from tools.screenshots import take

    written = take(site, tmp_path / "shots", browser)
    assert len(written) == 12
    sizes = {path.name: Image.open(path).size for path in written}
    assert {width for width, _height in sizes.values()} == {390, 1280}
    for path in written:
        if "-light" in path.name:
            dark = path.with_name(path.name.replace("-light", "-dark"))
            assert path.read_bytes() != dark.read_bytes(), path.name
