"""The shipped server configuration (deploy/): the same strict headers for
every host, and a real nginx serving the built site with them."""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .browser import page_urls

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin") or "/usr/sbin/nginx"
HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Strict-Transport-Security",
)


@pytest.mark.parametrize(
    "names", [("security-headers.conf", "nginx.conf"), ("_headers",), (".htaccess",)]
)
def test_every_host_config_sets_the_strict_headers(names):
    text = "\n".join((DEPLOY / name).read_text(encoding="utf-8") for name in names)
    name = names[0]
    for header in HEADERS:
        assert header in text, f"{name} lacks {header}"
    csp = re.search(r"Content-Security-Policy:?\s+\"?([^\"\n]+)", text).group(1)
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # Pagefind (the site search) compiles WebAssembly, nothing else
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "immutable" in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(site: Path, tmp: Path, port: int) -> Path:
    """A whole nginx.conf around deploy/nginx.conf, for an unprivileged test run."""
    server = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("listen [::]:80;", "")
    server = server.replace("root /srv/kbt;", f"root {site};")
    server = server.replace(
        "/etc/nginx/snippets/kbt-security-headers.conf", str(DEPLOY / "security-headers.conf")
    )
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    temp += f"\n    uwsgi_temp_path {tmp / 'uwsgi'};\n    scgi_temp_path {tmp / 'scgi'};"
    config = tmp / "nginx.conf"
    config.write_text(
        f"""daemon off;
master_process off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
{server}
}}
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run `invoke test` (it installs nginx-light).")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = nginx_config(site, tmp, port)
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(config), "-e", str(tmp / "error.log")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                pytest.fail(f"nginx did not start: {process.stdout.read()!r} {log}")
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_security_headers(headers) -> None:
    for header in HEADERS:
        assert headers.get(header), f"no {header}"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


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
    # The theme has no favicon yet; Chromium asks for /favicon.ico anyway.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
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
