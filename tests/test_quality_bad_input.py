"""The quality plugin stops the build on broken links,
naming the file (and line), and leaves the output folder untouched."""

from __future__ import annotations

from .conftest import build_fixture, soup_of
from .test_bad_input import assert_untouched, fails_with, last_good  # noqa: F401


def append(page, text):
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_link_to_a_page_that_does_not_exist_stops_the_build(fixture_content, last_good):  # noqa: F811
    append(fixture_content / "pages/en/about.md", "\nSee [the plan](/en/plan/).\n")
    fails_with(fixture_content, last_good, "pages/en/about.md:", "/en/plan/", "en/about/index.html")
    assert_untouched(last_good)


def test_link_to_a_missing_fragment_stops_the_build(fixture_content, last_good):  # noqa: F811
    append(fixture_content / "pages/en/about.md", "\n## Goal\n\nSee [the news](/nyheter/#ingen).\n")
    fails_with(
        fixture_content,
        last_good,
        "pages/en/about.md:12:",
        "links to /nyheter/#ingen",
        "no element with id 'ingen'",
    )
    assert_untouched(last_good)


def test_link_to_a_missing_image_stops_the_build(fixture_content, last_good):  # noqa: F811
    append(fixture_content / "pages/nb/om.md", "\n![Logo](/images/borte.png)\n")
    fails_with(fixture_content, last_good, "pages/nb/om.md:8:", "/images/borte.png")
    assert_untouched(last_good)


def test_good_links_headings_and_external_links_build(fixture_content, tmp_path):
    append(
        fixture_content / "pages/nb/om.md",
        "\n## Mål og mening\n\nLes [målet](#mal-og-mening), [English](/en/about/) og "
        "[NAPHA](https://www.napha.no/).\n",
    )
    output = build_fixture(fixture_content, tmp_path / "output")
    soup = soup_of(output / "om/index.html")
    heading = soup.find("h2", id="mal-og-mening")
    anchor = heading.find_next_sibling("a", class_="kbt-heading-anchor")
    assert anchor["href"] == "#mal-og-mening"
    assert heading.get_text() == "Mål og mening"
    napha = soup.find("a", href="https://www.napha.no/")
    assert "kbt-link--external" in napha["class"]
    assert napha.find(class_="kbt-visually-hidden").get_text(strip=True) == "(annet nettsted)"
    assert (output / "om/index.html.gz").is_file()
    assert (output / "om/index.html.br").is_file()
    assert list(output.glob("theme/site.*.css.gz"))
