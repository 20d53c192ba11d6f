"""The real site works when served under a sub-path, e.g. https://example.org/kbt/.

One extra build of the real site, with publishconf.py and through `tools.publish`
(its own URL check included), as GitHub Pages of a project repository serves it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools.publish import publish

from .conftest import ROOT, html_files, soup_of

BASE = "https://example.org/kbt"
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("SITEURL", BASE)
    try:
        return publish(ROOT / "publishconf.py", tmp_path_factory.mktemp("kbt") / "output")
    finally:
        mp.undo()


def target_of(url: str, output: Path) -> Path:
    path = unquote(urlsplit(url).path).removeprefix("/kbt/")
    file = output / path
    return file / "index.html" if path.endswith("/") or not path else file


def test_every_link_of_the_real_site_stays_under_the_sub_path(published):
    checked = 0
    for path in html_files(published):
        for tag in soup_of(path).select("[href], [src], [srcset]"):
            urls = [tag.get("href"), tag.get("src")]
            urls += [part.split()[0] for part in tag.get("srcset", "").split(",") if part.strip()]
            for url in filter(None, urls):
                if url.startswith(("#", "mailto:", "tel:")):
                    continue
                if tag.name == "a" and not url.startswith(BASE):
                    assert urlsplit(url).netloc not in ("example.org", ""), (path, url)
                    continue  # a link to another site
                assert url.startswith(BASE + "/"), (path, url)
                assert target_of(url, published).exists(), (path, url)
                checked += 1
    assert checked > 1000, checked


@pytest.mark.parametrize("page", ["sok/index.html", "en/search/index.html"])
def test_the_search_pages_load_the_bundle_under_the_sub_path(published, page):
    url = soup_of(published / page).select_one('[data-module="search"]')["data-pagefind"]
    assert url == f"{BASE}/pagefind/pagefind.js"
    assert target_of(url, published).is_file()


def test_feeds_and_sitemap_are_under_the_sub_path(published):
    sitemap = (published / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(url.startswith(BASE + "/") for url in locs)
    assert all(target_of(url, published).exists() for url in locs)
    assert f"Sitemap: {BASE}/sitemap.xml" in (published / "robots.txt").read_text()


@pytest.mark.parametrize(
    "step",
    [
        "actions/checkout@v5",
        "actions/setup-python@v6",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v4",
        "actions/deploy-pages@v4",
        "run: sudo --preserve-env=PATH,KBT_CHROMIUM make test",
        "container: debian:12",
        "run: .venv/bin/invoke publish",
        "SITEURL: ${{ vars.SITEURL || steps.pages.outputs.base_url }}",
    ],
)
def test_the_workflow_tests_and_publishes_to_github_pages(step):
    assert step in WORKFLOW.read_text(encoding="utf-8")


def test_nginx_serves_the_site_under_the_sub_path_as_its_comment_says(published, tmp_path):
    """deploy/nginx.conf changed exactly as its comment says for /kbt/."""
    from . import servers

    served = tmp_path / "srv"
    shutil.copytree(published, served / "kbt")
    text = (servers.DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "root /srv/kbt;" in text
    text = text.replace("root /srv/kbt;", f"root {served};")
    text = re.sub(r'^(\s*location (?:= |~ )?"?\^?)/', r"\1/kbt/", text, flags=re.M)
    text = re.sub(r"^(\s*error_page 404 )/", r"\1/kbt/", text, flags=re.M)
    port = servers.free_port()
    config = servers.nginx_config(served, tmp_path, port, server=text)
    command = [servers.NGINX, "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "e")]
    with servers.running(command, port, tmp_path / "e") as url:
        status, headers, body = servers.fetch(f"{url}/kbt/en/")
        assert status == 200 and b'<html lang="en">' in body
        css = next(published.glob("theme/site.*.css")).name
        status, headers, _ = servers.fetch(f"{url}/kbt/theme/{css}")
        assert status == 200 and "immutable" in headers["Cache-Control"]
        for missing, lang in (("/kbt/finnes-ikke/", "nb"), ("/kbt/en/missing/", "en")):
            status, headers, body = servers.fetch(url + missing)
            assert status == 404 and f'<html lang="{lang}">'.encode() in body
            servers.assert_security_headers(headers)
