"""The site works when served under a sub-path, e.g. https://example.org/kbt/."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import build_fixture, html_files, soup_of

BASE = "https://example.org/kbt"


def test_every_link_stays_under_the_sub_path(fixture_content, tmp_path):
    output = build_fixture(fixture_content, tmp_path / "output", SITEURL=BASE)
    checked = 0
    for path in html_files(output):
        for tag in soup_of(path).select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("#", "mailto:", "tel:")):
                continue
            assert url.startswith(BASE + "/"), (path, url)
            target = urlsplit(url).path.removeprefix("/kbt/")
            file = output / target
            assert (file / "index.html" if target.endswith("/") or not target else file).exists(), (
                path,
                url,
            )
            checked += 1
    assert checked > 50
