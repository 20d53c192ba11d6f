"""The timeline in headless Chromium: keyboard, year links, filter, deep links,
the language switch, no JavaScript, and axe-core in both languages.

Needs Playwright for Python and Debian's /usr/bin/chromium (the ``browser`` fixture).
The site is the timeline fixture site with the real timeline pages when the
checkout has them (content/pages/nb/tidslinje.md), else the fixture's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python import sync_playwright as axe_module
from playwright import sync_api

from build import build_site

from .browser import serve
from .test_timeline_build import FIXTURE, SETTINGS

ROOT = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURE, content)
    for real in ("pages/nb/tidslinje.md", "pages/en/timeline.md"):
        if (ROOT / "content" / real).exists():
            shutil.copy(ROOT / "content" / real, content / real)
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
    return page.eval_on_selector_all(".kbt-timeline__item", "els => els.map(e => e.id)")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def open_timeline(page, base_url, path="/tidslinje/"):
    page.goto(base_url + path)
    page.wait_for_selector("[data-module-initialised]", state="attached")


def test_keyboard_moves_between_milestones(page, base_url):
    open_timeline(page, base_url)
    ids = item_ids(page)
    page.focus(".kbt-timeline__item")
    assert focused_id(page) == ids[0]
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == ids[1]
    page.keyboard.press("ArrowRight")
    assert focused_id(page) == ids[2]
    page.keyboard.press("ArrowUp")
    assert focused_id(page) == ids[1]
    page.keyboard.press("End")
    assert focused_id(page) == ids[-1]
    page.keyboard.press("Home")
    assert focused_id(page) == ids[0]
    # One milestone in the tab order: the one last focused.
    page.keyboard.press("End")
    tab_stops = page.eval_on_selector_all(
        ".kbt-timeline__item", "els => els.filter(e => e.tabIndex === 0).map(e => e.id)"
    )
    assert tab_stops == [ids[-1]]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_year_link_moves_highlights_and_updates_url(page, base_url):
    open_timeline(page, base_url)
    target = item_ids(page)[-2]
    page.click(f'.kbt-timeline__year-link[href="#{target}"]')
    assert page.url.endswith(f"/tidslinje/#{target}")
    assert focused_id(page) == target
    item = page.locator(f'[id="{target}"]')
    assert "kbt-timeline__item--current" in item.get_attribute("class")
    assert page.get_attribute(f'.kbt-timeline__year-link[href="#{target}"]', "aria-current")
    assert item.is_visible()
    sync_api.expect(item).to_be_in_viewport()


def test_filter_by_theme_announces_the_count(page, base_url):
    open_timeline(page, base_url)
    total = len(item_ids(page))
    status = page.locator(".kbt-timeline__status")
    assert status.get_attribute("aria-live") == "polite"
    options = page.eval_on_selector_all(
        ".kbt-timeline__filter option", "els => els.map(e => e.value).filter(Boolean)"
    )
    theme = "bsb" if "bsb" in options else options[0]
    page.select_option(".kbt-timeline__filter", theme)
    shown = page.eval_on_selector_all(
        ".kbt-timeline__item:not([hidden])", "els => els.map(e => e.dataset.themes)"
    )
    assert 0 < len(shown) < total
    assert all(theme in themes.split() for themes in shown)
    assert status.inner_text() == f"Viser {len(shown)} av {total} milepæler"
    page.select_option(".kbt-timeline__filter", "")
    assert status.inner_text() == f"Viser {total} av {total} milepæler"


def test_show_more_expands_a_long_text(page, base_url):
    open_timeline(page, base_url)
    toggle = page.locator(".kbt-timeline__toggle").first
    assert toggle.get_attribute("aria-expanded") == "false"
    body = page.locator(f'[id="{toggle.get_attribute("aria-controls")}"]')
    assert not body.locator(":scope > :nth-child(2)").is_visible()
    assert toggle.inner_text() == "Vis mer"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert body.locator(":scope > :nth-child(2)").is_visible()
    assert toggle.inner_text() == "Vis mindre"


def deep_id(page, base_url) -> str:
    page.goto(base_url + "/tidslinje/")
    ids = item_ids(page)
    return "2013" if "2013" in ids else ids[-1]


def test_deep_link_opens_at_its_milestone(page, base_url):
    target = deep_id(page, base_url)
    page.goto(f"{base_url}/tidslinje/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    item = page.locator(f'[id="{target}"]')
    assert "kbt-timeline__item--current" in item.get_attribute("class")
    assert focused_id(page) == target
    sync_api.expect(item).to_be_in_viewport()


def test_language_switch_keeps_the_milestone(page, base_url):
    target = deep_id(page, base_url)
    page.goto(f"{base_url}/tidslinje/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    page.click(".kbt-lang__link")
    page.wait_for_url(f"**/en/timeline/#{target}")
    page.wait_for_selector("[data-module-initialised]", state="attached")
    assert focused_id(page) == target
    # and back again, after moving with a year link
    other = item_ids(page)[0]
    page.click(f'.kbt-timeline__year-link[href="#{other}"]')
    assert page.get_attribute(".kbt-lang__link", "href").endswith(f"/tidslinje/#{other}")


def test_reduced_motion_moves_at_once(browser, base_url):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    open_timeline(page, base_url)
    target = item_ids(page)[-1]
    page.click(f'.kbt-timeline__year-link[href="#{target}"]')
    box = page.locator(f'[id="{target}"]').bounding_box()
    assert 0 <= box["y"] < 720
    context.close()


@pytest.mark.parametrize("width", [320, 390, 768, 1600])
def test_no_sideways_scrolling(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    open_timeline(page, base_url)
    page.select_option(".kbt-timeline__filter", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_without_javascript_everything_is_there(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/tidslinje/")
    items = page.locator(".kbt-timeline__item")
    assert items.count() >= 4
    for index in range(items.count()):
        assert items.nth(index).is_visible()
    assert page.locator(".kbt-timeline__controls").is_hidden()
    assert page.locator(".kbt-timeline__toggle").count() == 0
    assert page.locator(".kbt-timeline__body p").last.is_visible()
    # The year links still work as plain anchors.
    target = item_ids(page)[-1]
    page.click(f'.kbt-timeline__year-link[href="#{target}"]')
    assert page.url.endswith(f"#{target}")
    page.emulate_media(media="print")
    assert page.locator(".kbt-timeline__item").last.is_visible()
    context.close()


@pytest.mark.parametrize("path", ["/tidslinje/", "/en/timeline/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations(browser, base_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_timeline(page, base_url, path)
    # Check the enhanced state too: a filter applied, a text expanded.
    page.locator(".kbt-timeline__toggle").first.click()
    results = axe_module.Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    context.close()
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
