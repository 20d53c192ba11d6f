"""`invoke publish`: build with publishconf.py, check every URL, then swap into place."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from build import BuildError, build_site
from tools.publish import publish, stray_urls

from .conftest import FIXTURE_SETTINGS, ROOT, html_files, soup_of

BASE = "https://example.org/kbt"


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<a href="https://example.org/kbt/om/">x</a>', []),
        ('<a href="https://example.org/kbt">x</a>', []),
        ('<a href="#top">x</a><a href="mailto:a@b.no">m</a>', []),
        ('<a href="https://other.example/">x</a>', []),  # a link to another site is fine
        ('<a href="om/">x</a>', []),
        ('<a href="/om/">x</a>', ["/om/ (starts at the server root"]),
        ('<a href="https://example.org/om/">x</a>', ["this site's host, but not under"]),
        ('<img src="https://cdn.example/x.png" alt="">', ["<img src> loads from another site"]),
        (
            '<img srcset="https://example.org/kbt/a.webp 1x, /b.webp 2x" alt="">',
            ["/b.webp (starts at the server root"],
        ),
        (
            '<meta property="og:url" content="https://www.kbtkompetanse.no/">',
            ["og:url> not under"],
        ),
    ],
)
def test_stray_urls(html, found):
    problems = stray_urls(html, BASE)
    assert len(problems) == len(found), problems
    for problem, fragment in zip(problems, found, strict=True):
        assert fragment in problem


def settings(content):
    return {**FIXTURE_SETTINGS, "PATH": str(content)}


def test_a_failed_publish_leaves_the_last_good_site(fixture_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", BASE)
    output = tmp_path / "output"
    publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    (output / "marker.txt").write_text("last good", encoding="utf-8")
    page = fixture_content / "pages/nb/om.md"
    page.write_text(page.read_text() + "\n[gammel](/gammel-side/)\n", encoding="utf-8")
    with pytest.raises(BuildError):
        publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_a_url_out_of_the_sub_path_stops_the_publish(fixture_content, tmp_path, monkeypatch):
    """A template that writes a root-relative URL: the build's link check accepts it
    (it resolves in the output folder), publish's own check does not."""
    import tools.publish

    def build_with_a_stray_url(*args, **kwargs):
        output = build_site(*args, **kwargs)
        page = output / "om/index.html"
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("</main>", '<a href="/om/">x</a></main>'), encoding="utf-8")
        return output

    monkeypatch.setattr(tools.publish, "build_site", build_with_a_stray_url)
    monkeypatch.setenv("SITEURL", BASE)
    output = tmp_path / "output"
    output.mkdir()
    (output / "marker.txt").write_text("last good", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        publish(ROOT / "publishconf.py", output, overrides=settings(fixture_content))
    assert "om/index.html: /om/ (starts at the server root" in str(caught.value)
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good"
    assert not (output / "index.html").exists()


def test_publish_under_a_sub_path(fixture_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", BASE + "/")
    output = publish(
        ROOT / "publishconf.py", tmp_path / "output", overrides=settings(fixture_content)
    )
    checked = 0
    for path in html_files(output):
        for tag in soup_of(path).select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("#", "mailto:", "tel:")):
                continue
            assert url.startswith(BASE + "/"), (path, url)
            assert urlsplit(url).path.startswith("/kbt/")
            checked += 1
    assert checked > 50
    assert f"<loc>{BASE}/" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_publish_wants_a_full_address(fixture_content, tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(BuildError, match="needs its full address"):
        publish(
            ROOT / "publishconf.py",
            tmp_path / "output",
            overrides={**settings(fixture_content), "SITEURL": ""},
        )
    assert not (tmp_path / "output").exists()
