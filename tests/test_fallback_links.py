"""Links to a page that exists only in the other language say its language."""

from __future__ import annotations

from .conftest import build_fixture, soup_of


def add_header_lines(path, *lines: str) -> None:
    """Add header fields after a page's first line, as staff add them."""
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text("\n".join([first, *lines, rest]), encoding="utf-8")


def test_links_that_fall_back_to_the_other_language_say_so(fixture_content, tmp_path):
    """A page only in nb, put in a section menu and the footer by its header, is
    linked from the English pages in nb, marked lang="nb" hreflang="nb" there (as
    in the main menu); same-language links are not."""
    add_header_lines(fixture_content / "pages/nb/om.md", "Section: about 1")
    add_header_lines(fixture_content / "pages/nb/bare-norsk.md", "Section: about 2", "Footer: 2")
    output = build_fixture(fixture_content, tmp_path / "output")
    soup = soup_of(output / "en/about/index.html")
    for selector in (".kbt-section-nav__link", ".kbt-footer__link"):
        links = {a.get_text(strip=True): a for a in soup.select(selector)}
        fallback = [a for a in links.values() if not a["href"].startswith("/en/")]
        same = [a for a in links.values() if a["href"].startswith("/en/")]
        assert fallback and same, (selector, links)
        assert all(a.get("lang") == a.get("hreflang") == "nb" for a in fallback)
        assert not any(a.has_attr("lang") or a.has_attr("hreflang") for a in same)
