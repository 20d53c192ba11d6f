"""deploy/.htaccess in a real Apache 2.4 (Debian's), serving a copy of the
built site: the same headers, caching and precompressed files as nginx."""

from __future__ import annotations

import gzip

import brotli
import pytest

from . import servers
from .servers import assert_security_headers, fetch


@pytest.fixture(scope="module")
def apache(site):
    with servers.apache(site) as url:
        yield url


@pytest.mark.parametrize("url", ["/", "/en/", "/en/timeline/"])
def test_apache_serves_html_revalidated_with_the_headers(apache, site, url):
    status, headers, body = fetch(apache + url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-cache"
    assert_security_headers(headers)
    assert body == (site / url.lstrip("/") / "index.html").read_bytes()


@pytest.mark.parametrize(
    ("encoding", "suffix", "decompress"),
    [("br", ".br", brotli.decompress), ("gzip", ".gz", gzip.decompress)],
)
@pytest.mark.parametrize("path", ["index.html", "en/index.html", "sitemap.xml"])
def test_apache_sends_the_precompressed_files(apache, site, path, encoding, suffix, decompress):
    status, headers, body = fetch(f"{apache}/{path}", **{"Accept-Encoding": encoding})
    assert status == 200
    assert headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in headers["Vary"]
    expected_type = "application/xml" if path.endswith(".xml") else "text/html"
    assert headers["Content-Type"].startswith(expected_type)
    assert body == (site / (path + suffix)).read_bytes()
    assert decompress(body) == (site / path).read_bytes()
    assert_security_headers(headers)


def test_apache_sends_plain_files_to_clients_that_ask_for_no_compression(apache, site):
    status, headers, body = fetch(f"{apache}/index.html", **{"Accept-Encoding": "identity"})
    assert status == 200
    assert "Content-Encoding" not in headers
    assert body == (site / "index.html").read_bytes()


@pytest.mark.parametrize("kind", ["css", "js"])
@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_apache_caches_hashed_assets_for_ever(apache, site, kind, encoding):
    asset = next(site.glob(f"theme/site.*.{kind}"))
    status, headers, _body = fetch(f"{apache}/theme/{asset.name}", **{"Accept-Encoding": encoding})
    assert status == 200
    assert headers["Content-Type"].startswith({"css": "text/css", "js": "text/javascript"}[kind])
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert_security_headers(headers)


@pytest.mark.parametrize(("url", "lang"), [("/finnes-ikke/", "nb"), ("/en/does-not-exist/", "en")])
def test_apache_answers_unknown_addresses_with_the_404_page_of_the_language(apache, url, lang):
    status, headers, body = fetch(apache + url, **{"Accept-Encoding": "identity"})
    assert status == 404
    assert f'<html lang="{lang}">'.encode() in body
    assert_security_headers(headers)
