"""Links to a page that exists only in the other language say its language."""

from __future__ import annotations

from .conftest import build_fixture, soup_of


def test_links_that_fall_back_to_the_other_language_say_so(fixture_content, tmp_path):
    """A page only in nb, linked from the English section menu and footer, is
    marked lang="nb" hreflang="nb" there (as in the main menu); same-language
    links are not."""
    output = build_fixture(
        fixture_content,
        tmp_path / "output",
        BILINGUAL_SECTIONS={"about": ["about", "only-nb"]},
        BILINGUAL_FOOTER=["about", "only-nb"],
    )
    soup = soup_of(output / "en/about/index.html")
    for selector in (".kbt-section-nav__link", ".kbt-footer__link"):
        links = {a.get_text(strip=True): a for a in soup.select(selector)}
        fallback = [a for a in links.values() if not a["href"].startswith("/en/")]
        same = [a for a in links.values() if a["href"].startswith("/en/")]
        assert fallback and same, (selector, links)
        assert all(a.get("lang") == a.get("hreflang") == "nb" for a in fallback)
        assert not any(a.has_attr("lang") or a.has_attr("hreflang") for a in same)
