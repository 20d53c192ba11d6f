"""The preview of `make serve` and `invoke serve` (preview.py, tasks.py): a whole
build after each edit that keeps the last good site when it fails, the site's
404 page for a missing page in both servers, and a clean stop on Ctrl-C.
(Times are measured in bench/, not here.)"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from build import BuildError
from preview import (
    Preview,
    PreviewHTTPServer,
    PreviewRequestHandler,
    live_file_handler,
    not_found_page,
)

from .conftest import FIXTURE_SETTINGS, ROOT
from .servers import free_port


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
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = max(path.stat().st_mtime_ns, before + 1_000_000_000)
    os.utime(path, ns=(later, later))


def page(preview, rel):
    return BeautifulSoup((preview.output / rel).read_text(encoding="utf-8"), "html.parser")


def test_an_edit_is_in_the_next_build_with_every_plugin(preview, fixture_content):
    edit(
        fixture_content / "news" / "nb" / "stiftet.md",
        "Tekst.",
        "Ny tekst.\n\n## Mer\n\nSe [NAPHA](https://www.napha.no/).",
    )
    preview.rebuild()
    soup = page(preview, "nyheter/stiftet/index.html")
    assert "Ny tekst." in soup.main.get_text()
    assert soup.find("h2", id="mer").find_next_sibling("a", class_="kbt-heading-anchor")
    assert "kbt-link--external" in soup.find("a", href="https://www.napha.no/")["class"]
    assert (preview.output / "nyheter" / "stiftet" / "index.html.br").is_file()


def test_an_edit_to_a_header_line_is_in_the_listings(preview, fixture_content):
    edit(fixture_content / "news" / "nb" / "stiftet.md", "Title: Stiftet", "Title: Grunnlagt")
    preview.rebuild()
    listing = (preview.output / "nyheter" / "index.html").read_text(encoding="utf-8")
    assert "Grunnlagt" in listing


def test_a_failed_rebuild_keeps_the_last_good_site(preview, fixture_content):
    before = {
        p.relative_to(preview.output): p.read_bytes()
        for p in preview.output.rglob("*")
        if p.is_file()
    }
    source = fixture_content / "news" / "nb" / "stiftet.md"
    edit(source, "Tekst.", "Se [om](/om/#ingen-slik).")
    with pytest.raises(BuildError, match="ingen-slik"):
        preview.rebuild()
    after = {
        p.relative_to(preview.output): p.read_bytes()
        for p in preview.output.rglob("*")
        if p.is_file()
    }
    assert after == before  # no page gone, none changed

    edit(source, "/om/#ingen-slik", "/om/")
    preview.rebuild()
    assert page(preview, "nyheter/stiftet/index.html").find("a", string="om")["href"] == "/om/"


# The servers ------------------------------------------------------------------


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_404_page_is_the_one_of_the_missing_pages_language(site):
    assert not_found_page(site, "/en/no-such-page/") == site / "en" / "404.html"
    assert not_found_page(site, "/en/news/no-such/") == site / "en" / "404.html"
    assert not_found_page(site, "/ingen-slik/") == site / "404.html"
    assert not_found_page(site, "/../../etc/passwd") == site / "404.html"


@pytest.fixture
def invoke_serve(site):
    """The server of `invoke serve`, on the built site."""

    class Handler(PreviewRequestHandler):
        base_path = str(site)

        def log_message(self, *args):  # quiet in the test's output
            pass

    server = PreviewHTTPServer(str(site), ("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_serve(site):
    """The file handler of `make serve` (livereload's server on tornado), on the built site."""
    from tornado import web

    port = free_port()
    started = threading.Event()
    state = {}

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = web.Application(
            [(r"/(.*)", live_file_handler(), {"path": str(site), "default_filename": "index.html"})]
        )
        state["server"] = app.listen(port, address="127.0.0.1")
        state["loop"] = loop
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{port}"
    state["loop"].call_soon_threadsafe(state["loop"].stop)
    thread.join(10)


@pytest.mark.parametrize("server", ["invoke_serve", "make_serve"])
def test_both_servers_answer_a_missing_page_with_the_sites_404_page(site, server, request):
    base = request.getfixturevalue(server)
    status, body = get(f"{base}/en/no-such-page/")
    assert status == 404
    assert body == (site / "en" / "404.html").read_bytes()
    status, body = get(f"{base}/ingen-slik-side/")
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    status, body = get(f"{base}/en/")
    assert status == 200
    assert body.startswith(b"<!DOCTYPE html>") or body.lower().startswith(b"<!doctype html>")


def test_a_request_that_fails_is_one_line_in_the_terminal(site, capfd):
    class Handler(PreviewRequestHandler):
        base_path = str(site)

    server = PreviewHTTPServer(str(site), ("127.0.0.1", free_port()), Handler)
    try:
        try:  # a browser that went away while the page was sent
            raise BrokenPipeError(32, "Broken pipe")
        except BrokenPipeError:
            server.handle_error(None, ("127.0.0.1", 50000))
    finally:
        server.server_close()
    said = capfd.readouterr().err
    assert "Traceback" not in said
    assert said.count("\n") == 1 and "BrokenPipeError" in said


CTRL_C_DURING_BUILD = """
import sys
from pathlib import Path
from invoke import Context
import tasks
tasks.CONFIG["deploy_path"] = sys.argv[1]
tasks.livereload(Context())
"""


def test_ctrl_c_during_the_first_build_stops_cleanly_with_a_reason(tmp_path):
    output = tmp_path / "output"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_DURING_BUILD, str(output)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".output.new-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    assert list(tmp_path.glob(".output.new-*")), "the build never started"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode not in (0, None)
    assert "Stopped (Ctrl-C) during the first build" in stderr
    assert "Traceback" not in stdout + stderr
    assert not output.exists()
    assert not list(tmp_path.glob(".output.new-*"))


RESTART = """
import sys
from invoke import Context
import tasks
tasks.CONFIG["deploy_path"], tasks.CONFIG["port"] = sys.argv[1], int(sys.argv[2])
tasks.CODE = (sys.argv[3],)  # a plugin's code, for this test
tasks.WATCHED = (*tasks.WATCHED, sys.argv[3])
print("preview started", flush=True)
tasks.livereload(Context())
"""


def test_a_change_to_a_plugins_code_starts_the_preview_again(tmp_path):
    """A running preview has the plugins' old code loaded: a change to it makes
    `make serve` start again (the same command, in the same process)."""
    code = tmp_path / "plugin"
    code.mkdir()
    (code / "extra.py").write_text("LEVEL = 1\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", RESTART, str(tmp_path / "output"), str(port), str(code)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(process.stdout), daemon=True)
    reader.start()

    def wait_for(condition, what: str) -> None:
        deadline = time.monotonic() + 180
        while not condition():
            assert process.poll() is None, "".join(said)
            assert time.monotonic() < deadline, f"{what}:\n{''.join(said)}"
            time.sleep(0.2)

    def serving() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                return answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    try:
        wait_for(serving, "the preview never served the site")
        pid = process.pid
        edit(code / "extra.py", "LEVEL = 1", "LEVEL = 2")
        wait_for(lambda: said.count("preview started\n") == 2, "the preview did not start again")
        assert any("extra.py: a plugin's code changed" in line for line in said), said
        wait_for(serving, "the preview did not serve the site again")
        assert process.pid == pid  # the same process: `make serve` goes on waiting for it
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# `make serve` as staff use it: edit a file, look at the page ----------------------

LIVE_PREVIEW = """
import sys
from invoke import Context
import tasks
settings, output, port, content = sys.argv[1:]
tasks.CONFIG.update(settings_base=settings, deploy_path=output, port=int(port))
tasks.WATCHED = (content,)
tasks.livereload(Context())
"""


class LivePreview:
    """`invoke livereload` (what `make serve` runs) in its own process, on a copy
    of the fixture site."""

    def __init__(self, tmp_path, content):
        self.content = content
        settings = tmp_path / "settings.py"
        settings.write_text(
            "import sys\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from pelicanconf import *  # noqa: F403\n"
            f"PATH = {str(content)!r}\n"
            f"THEME = {str(ROOT / 'theme')!r}\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
            f"BILINGUAL_TRANSLATIONS_DIR = {str(ROOT / 'theme' / 'translations')!r}\n"
            f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
            + "".join(f"{name} = {value!r}\n" for name, value in FIXTURE_SETTINGS.items()),
            encoding="utf-8",
        )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "preview.log"
        self.output = tmp_path / "output"
        args = [str(settings), str(self.output), str(self.port), str(content)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", LIVE_PREVIEW, *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
        )
        self.wait_for("/om/", 200)
        self.wait_to_say("Start detecting changes", 1)
        time.sleep(2)  # livereload's first look at the files, which no edit may precede

    def get(self, path):
        try:
            return get(self.base + path)
        except OSError:  # not listening yet
            return None, b""

    def wait_for(self, path, status, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.said()
            found, body = self.get(path)
            if found == status:
                return BeautifulSoup(body, "html.parser")
            time.sleep(0.2)
        raise AssertionError(f"{path} never answered {status}:\n{self.said()}")

    def wait_to_say(self, text: str, times: int, timeout: float = 30) -> None:
        """Until the server's log (tornado's own lines) says ``text`` ``times`` times."""
        deadline = time.monotonic() + timeout
        while sum(ln.startswith("[I ") and text in ln for ln in self.said().splitlines()) < times:
            assert time.monotonic() < deadline, self.said()
            time.sleep(0.1)

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def __repr__(self) -> str:  # what the preview said, in a failed test's report
        return f"<LivePreview {self.base}>\n{self.said()}"

    def stop(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(30)


@pytest.fixture
def live_preview(tmp_path, fixture_content):
    preview = LivePreview(tmp_path, fixture_content)
    yield preview
    if preview.process.poll() is None:
        preview.stop()


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("file", "mistake", "lang", "where", "fix"),
    [
        ("pages/nb/om.md", "Menu: tre", "nb", "Fil {path}, linje {line}", "Slik retter du: "),
        ("pages/en/about.md", "Section: about", "en", "File {path}, line {line}", "How to fix: "),
    ],
)
def test_a_mistake_shows_in_the_browser_in_its_files_language_until_fixed(
    live_preview, file, mistake, lang, where, fix
):
    source = live_preview.content / file
    good = live_preview.wait_for("/en/about/", 200)
    assert good.h1.get_text(strip=True) == "About us"
    edit(source, "Summary: ", f"{mistake}\nSummary: ")
    for url in ("/om/", "/en/about/", "/nyheter/"):  # every page says it
        page = live_preview.wait_for(url, 500)
        assert page.html["lang"] == lang
        problem = page.select_one("main section")
        shown = where.format(path=source, line=line_of(source, mistake))
        assert problem.h2.get_text(strip=True).endswith(shown.split("/", 1)[1]), problem
        texts = [p.get_text() for p in problem.find_all("p")]
        assert any(f"`{mistake}`" in t for t in texts) and any(t.startswith(fix) for t in texts)
    stylesheet = good.select_one('link[rel="stylesheet"]')["href"]
    assert live_preview.get(stylesheet)[0] == 200  # files other than pages are served as ever
    edit(source, f"{mistake}\n", "")
    fixed = live_preview.wait_for("/en/about/", 200)
    assert fixed.h1.get_text(strip=True) == "About us"
    assert "Traceback" not in live_preview.said()


def reloaded(page, condition: str, source) -> None:
    """Until the browser, reloaded by the preview, shows ``condition``. Like an
    editor who sees nothing happen, save once more if it takes long: livereload
    misses a save made before its watcher first looked at the files."""
    for _ in range(3):
        try:
            page.wait_for_function(condition, timeout=15000)
            return
        except PlaywrightTimeoutError:
            edit(source, "", "")  # saved again: the same text, a later time
    page.wait_for_function(condition, timeout=15000)


def test_the_live_preview_reloads_the_browser_to_the_mistake_and_back(live_preview, browser):
    """The page in the browser changes by itself: to the error page after a bad
    save, back to the page after the good one (the site's CSP allows the
    live-reload script the preview adds)."""
    source = live_preview.content / "pages/nb/om.md"
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    try:
        page.goto(live_preview.base + "/om/")
        page.wait_for_load_state("load")
        assert console == []  # no script of livereload's that the site's CSP blocks
        title = page.title()
        live_preview.wait_to_say("Browser Connected", 1)
        edit(source, "Summary: ", "Menu: tre\nSummary: ")
        reloaded(page, "() => document.title.includes('feil i innholdet')", source)
        assert "om.md" in page.locator("main h2").inner_text()
        live_preview.wait_to_say("Browser Connected", 2)  # the error page's own connection
        time.sleep(3.5)  # livereload reloads a browser at most once in 3 s (no one fixes faster)
        edit(source, "Menu: tre\n", "")
        reloaded(page, f"() => document.title === {title!r}", source)
    finally:
        page.close()


def test_a_missing_page_in_the_live_preview_is_the_404_page_and_one_line(live_preview):
    for lang, title in (("nb", "Fant ikke siden"), ("en", "Page not found")):  # added meanwhile
        home = "" if lang == "nb" else "en/"
        (live_preview.content / "pages" / lang / "404.md").write_text(
            f"Title: {title}\nKey: not-found\nSave_as: {home}404.html\nURL: {home}404.html\n"
            f"Status: hidden\nSummary: {title}, dessverre.\n\n{title}.\n",
            encoding="utf-8",
        )
    live_preview.wait_for("/en/404.html", 200)
    status, body = live_preview.get("/en/no-such-page/")
    assert status == 404
    page = BeautifulSoup(body, "html.parser")
    assert page.html["lang"] == "en" and page.h1.get_text(strip=True) == "Page not found"

    def logged() -> int:
        """Lines in tornado's own log (livereload's console prints it again, its way)."""
        lines = live_preview.said().splitlines()
        return sum(ln.startswith("[W ") and "/en/no-such-page/" in ln for ln in lines)

    deadline = time.monotonic() + 30  # the log reaches its file a moment after the answer
    while not logged() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # and a second line, if there were one, right after it
    said = live_preview.said()
    assert "Traceback" not in said and "RuntimeError" not in said
    assert logged() == 1


def test_ctrl_c_stops_the_live_preview_cleanly(live_preview):
    assert live_preview.stop() == 0
    said = live_preview.said()
    assert "Traceback" not in said
    with pytest.raises(OSError):
        urllib.request.urlopen(live_preview.base + "/om/", timeout=5)
