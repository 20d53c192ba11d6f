"""The shipped server configuration (deploy/): the same strict headers for
every host, and a real nginx serving the built site with them."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from . import servers
from .browser import page_urls
from .servers import DEPLOY, SECURITY_HEADERS, assert_security_headers, fetch


@pytest.mark.parametrize(
    "names", [("security-headers.conf", "nginx.conf"), ("_headers",), (".htaccess",)]
)
def test_every_host_config_sets_the_strict_headers(names):
    text = "\n".join((DEPLOY / name).read_text(encoding="utf-8") for name in names)
    name = names[0]
    for header in SECURITY_HEADERS:
        assert header in text, f"{name} lacks {header}"
    csp = re.search(r"Content-Security-Policy:?\s+\"?([^\"\n]+)", text).group(1)
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # Pagefind (the site search) compiles WebAssembly, nothing else
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "immutable" in text


HEADER_LINES = {
    "security-headers.conf": re.compile(r'^add_header ([\w-]+) "(.*)" always;$', re.M),
    "_headers": re.compile(r"^  ([\w-]+): (.*)$", re.M),
    ".htaccess": re.compile(r'^    Header always set ([\w-]+) "(.*)"$', re.M),
}


def test_every_host_config_sends_the_same_security_headers():
    sent = {
        name: dict(pattern.findall((DEPLOY / name).read_text(encoding="utf-8")))
        for name, pattern in HEADER_LINES.items()
    }
    sent["_headers"].pop("Cache-Control")  # the one caching line of /theme/*
    nginx = sent.pop("security-headers.conf")
    assert set(SECURITY_HEADERS) <= set(nginx)
    for name, headers in sent.items():
        assert headers == nginx, f"{name} differs from security-headers.conf"


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    with servers.nginx(site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.mark.parametrize("url", ["/", "/en/"])
def test_nginx_serves_html_revalidated_with_the_headers(nginx, url):
    status, headers, body = fetch(nginx + url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-cache"
    assert_security_headers(headers)
    assert b"<!doctype html>" in body.lower()[:100]


def test_nginx_sends_the_precompressed_gzip_file(nginx, site):
    status, headers, body = fetch(nginx + "/en/", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert body == (site / "en/index.html.gz").read_bytes()
    assert gzip.decompress(body) == (site / "en/index.html").read_bytes()
    assert_security_headers(headers)


def test_nginx_sends_the_precompressed_brotli_file(nginx, site):
    status, headers, body = fetch(nginx + "/", **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert headers["Content-Type"].startswith("text/html")
    assert body == (site / "index.html.br").read_bytes()
    assert brotli.decompress(body) == (site / "index.html").read_bytes()
    assert_security_headers(headers)


def test_nginx_caches_hashed_assets_for_ever(nginx, site):
    css = next(site.glob("theme/site.*.css"))
    status, headers, body = fetch(f"{nginx}/theme/{css.name}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=31536000" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    assert_security_headers(headers)


@pytest.mark.parametrize(("url", "lang"), [("/finnes-ikke/", "nb"), ("/en/does-not-exist/", "en")])
def test_nginx_answers_unknown_addresses_with_the_404_page_of_the_language(nginx, url, lang):
    status, headers, body = fetch(nginx + url)
    assert status == 404
    assert f'<html lang="{lang}">'.encode() in body
    assert_security_headers(headers)


MISSING = ["/finnes-ikke/", "/en/does-not-exist/"]
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e => {
  (window.__cspViolations = window.__cspViolations || []).push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});"""


def test_every_page_through_nginx_has_no_csp_violation_or_console_error(
    nginx,
    site,
    browser,
):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems: list[str] = []
    current = {"url": ""}

    def on_console(message) -> None:
        if message.type not in ("error", "warning"):
            return
        if current["url"] in MISSING and "status of 404" in message.text:
            return  # the page itself answers 404 on purpose
        problems.append(f"{current['url']}: console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"{current['url']}: {e}"))
    urls = [u for u in page_urls(site) if not u.endswith("404.html")]
    urls += MISSING
    for url in urls:
        current["url"] = url
        page.goto(nginx + url, wait_until="load")
        for violation in page.evaluate("() => window.__cspViolations || []"):
            problems.append(f"{url}: CSP violation: {violation}")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("url", "query"), [("/sok/", "erfaringskonsulent"), ("/en/search/", "peer support")]
)
def test_search_works_through_nginx_under_its_csp(
    nginx,
    browser,
    url,
    query,
):
    """Pagefind compiles WebAssembly: the shipped CSP must let it (and nothing inline)."""
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{nginx}{url}?q={query}")
    page.wait_for_function(
        "q => document.querySelector('.kbt-search__status').textContent.includes(q)",
        arg=query,
    )
    assert page.locator(".kbt-search__results li").count() > 0
    errors += page.evaluate("() => window.__cspViolations || []")
    context.close()
    assert not errors
