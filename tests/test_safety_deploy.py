"""The Content-Security-Policy has one source, pelicanconf.py: the pages carry
what a <meta> can, the server configurations in deploy/ send it whole. nginx
sends HSTS over HTTPS only and redirects plain HTTP there; only files whose
names carry a content hash are cached as immutable."""

from __future__ import annotations

import fnmatch
import http.client
import re
from pathlib import Path

import pytest

import pelicanconf

from . import servers
from .servers import DEPLOY

# Directives a <meta http-equiv="Content-Security-Policy"> cannot carry
HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")
CONFIGS = ["_headers", "security-headers.conf", ".htaccess"]


def directives(policy: str) -> dict[str, str]:
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    return {p.split()[0]: " ".join(p.split()[1:]) for p in parts}


def test_the_meta_policy_carries_no_header_only_directive():
    meta = directives(pelicanconf.SAFETY_CSP)
    assert not set(meta) & set(HEADER_ONLY)
    assert meta["script-src"].split()[0] == "'self'" and "unsafe-inline" not in meta["script-src"]
    assert meta["base-uri"] == "'none'" and meta["object-src"] == "'none'"


@pytest.mark.parametrize("name", CONFIGS)
def test_every_server_sends_the_pages_policy_and_the_header_only_directives(name):
    text = (DEPLOY / name).read_text(encoding="utf-8")
    sent = re.search(r"Content-Security-Policy:?\s+\"?([^\"\n]+)", text).group(1)
    expected = {
        **directives(pelicanconf.SAFETY_CSP),
        **directives(pelicanconf.SAFETY_CSP_HEADER_ONLY),
    }
    assert directives(sent) == expected


def test_every_page_carries_the_policy_in_a_meta_first_in_its_head(site):
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', head)
        assert meta, page
        policy = meta.group(1).replace("&#39;", "'")
        assert directives(policy) == directives(pelicanconf.SAFETY_CSP)
        # before anything the policy governs: no script, style or link comes first
        assert not re.search(r"<(script|link|style)\b", head[: meta.start()]), page


def test_only_files_with_a_content_hash_are_immutable(site):
    text = (DEPLOY / "_headers").read_text(encoding="utf-8")
    blocks = re.findall(r"^(/\S*)\n((?:  .*\n)+)", text, re.M)
    immutable = [path for path, lines in blocks if "immutable" in lines]
    assert immutable
    files = ["/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    matched = [f for f in files for pattern in immutable if fnmatch.fnmatch(f, pattern)]
    assert matched, "the immutable rules match no file of the site"
    for file in matched:
        assert re.search(r"\.[0-9a-f]{10}\.", file), f"{file} is immutable but has no hash"
    assert not [f for f in files if f.endswith("favicon.svg") and f in matched]


def test_nginx_redirects_http_to_https_without_hsts(site, tmp_path):
    https_port, http_port = servers.free_port(), servers.free_port()
    config = servers.nginx_config(site, tmp_path, https_port, http_port)
    command = [servers.NGINX, "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "e")]
    with servers.running(command, https_port, tmp_path / "e"):
        connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        connection.request("GET", "/en/contact/?x=1", headers={"Host": "www.kbtkompetanse.no"})
        response = connection.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == "https://www.kbtkompetanse.no/en/contact/?x=1"
        assert response.getheader("Strict-Transport-Security") is None
        status, headers, _body = servers.fetch(f"http://127.0.0.1:{https_port}/")
        assert status == 200 and "max-age=" in headers["Strict-Transport-Security"]


def test_nginx_conf_says_how_to_serve_under_a_sub_path():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "SITEURL=https://example.org/kbt" in text
    for location in re.findall(r"^\s*location (?:= |~ )?\"?\^?(/[\w/.]*)", text, re.M):
        assert f"/kbt{location}" in text or location.startswith("/theme"), location
    assert Path(DEPLOY / "_headers").read_text(encoding="utf-8").count("/kbt/") >= 1
