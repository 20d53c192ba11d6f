"""The preview of `make serve` (preview.py): after an edit to the text of one
article only its page is written again, with the same plugins and checks;
anything else is a full build. (Times are measured in bench/, not here.)"""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from build import BuildError
from preview import Preview

from .conftest import FIXTURE_SETTINGS, ROOT


@pytest.fixture
def preview(fixture_content, tmp_path):
    overrides = {
        **FIXTURE_SETTINGS,
        "PATH": str(fixture_content),
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    session = Preview(ROOT / "pelicanconf.py", tmp_path / "output", overrides, [fixture_content])
    session.build()
    return session


def edit(path, old, new):
    """Change a file as an editor saves it: new text, and an mtime later than before."""
    before = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    later = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(later, later))


def page(preview, rel):
    return BeautifulSoup((preview.output / rel).read_text(encoding="utf-8"), "html.parser")


def test_an_edit_to_an_articles_text_rewrites_only_its_page(preview, fixture_content):
    other = preview.output / "nyheter" / "konferanse" / "index.html"
    before = other.stat().st_mtime_ns
    edit(
        fixture_content / "news" / "nb" / "stiftet.md",
        "Tekst.",
        "Ny tekst.\n\n## Mer\n\nSe [NAPHA](https://www.napha.no/).",
    )
    preview.rebuild()
    assert preview.last_fast
    soup = page(preview, "nyheter/stiftet/index.html")
    assert "Ny tekst." in soup.main.get_text()
    assert soup.find("h2", id="mer").find("a", class_="kbt-heading-anchor")
    assert "kbt-link--external" in soup.find("a", href="https://www.napha.no/")["class"]
    assert (preview.output / "nyheter" / "stiftet" / "index.html.br").is_file()
    assert other.stat().st_mtime_ns == before


def test_an_edit_to_a_header_line_builds_everything(preview, fixture_content):
    edit(fixture_content / "news" / "nb" / "stiftet.md", "Title: Stiftet", "Title: Grunnlagt")
    preview.rebuild()
    assert not preview.last_fast
    listing = (preview.output / "nyheter" / "index.html").read_text(encoding="utf-8")
    assert "Grunnlagt" in listing


def test_a_broken_link_in_an_edit_stops_the_preview_and_keeps_the_last_good_page(
    preview, fixture_content
):
    written = preview.output / "nyheter" / "stiftet"
    files = [written / name for name in ("index.html", "index.html.gz", "index.html.br")]
    before = [path.read_bytes() for path in files]
    source = fixture_content / "news" / "nb" / "stiftet.md"
    edit(source, "Tekst.", "Se [om](/om/#ingen-slik).")
    with pytest.raises(BuildError, match="ingen-slik"):
        preview.rebuild()
    assert [path.read_bytes() for path in files] == before

    edit(source, "/om/#ingen-slik", "/om/")
    preview.rebuild()
    assert preview.last_fast
    assert page(preview, "nyheter/stiftet/index.html").find("a", string="om")["href"] == "/om/"


def test_an_edit_in_the_preview_leaves_the_page_cache_as_it_was(preview, fixture_content):
    # The build's page and its copy in the page cache may be one file (a hard
    # link): the preview must write a new file, not into the shared one.
    source = fixture_content / "news" / "nb" / "stiftet.md"
    written = preview.output / "nyheter" / "stiftet" / "index.html"
    original = written.read_bytes()
    edit(source, "Tekst.", "Ny tekst.")
    preview.rebuild()
    assert preview.last_fast
    assert b"Ny tekst." in written.read_bytes()

    edit(source, "Ny tekst.", "Tekst.")
    preview.build()  # a full build: the page comes from the page cache
    assert written.read_bytes() == original
