"""Shared fixtures: one build of the real site per test session, and a tiny fixture site."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from build import build_site

from .browser import CHROMIUM, CHROMIUM_ARGS, csp_page  # noqa: F401  (csp_page is a fixture)
from .tooling import GIT_ENV, pytest_runtest_makereport, require  # noqa: F401  (a hook)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"

# Settings for the fixture site: the real theme and plugins (its menus are in its pages' headers).
FIXTURE_SETTINGS = {
    "TIMEZONE": "UTC",
}


def pytest_configure(config):
    """Tests depend on nothing of the user's: not the Git identity or configuration,
    the locale, the time zone or the home folder."""
    home = Path(tempfile.mkdtemp(prefix="kbt-tests-home-"))
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    os.environ.update(GIT_ENV, HOME=str(home), LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
    os.environ.pop("LANGUAGE", None)
    time.tzset()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session: Playwright's sync API allows
    only one running instance per thread, so every browser test shares it."""
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per test session (warnings are fatal)."""
    return build_site(ROOT / "pelicanconf.py", tmp_path_factory.mktemp("site") / "output")


@pytest.fixture
def fixture_content(tmp_path) -> Path:
    """A writable copy of the tiny fixture content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, target)
    return target


def build_fixture(content: Path, output: Path, **settings) -> Path:
    overrides = {**FIXTURE_SETTINGS, "PATH": str(content), **settings}
    return build_site(ROOT / "pelicanconf.py", output, overrides)


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def wait_for_old_sites_removed(folder: Path, timeout: float = 20) -> None:
    """Wait until the old sites a build removes in the background (the hidden
    folders beside its output) are gone from ``folder``."""
    deadline = time.monotonic() + timeout
    while [p for p in folder.iterdir() if p.name.startswith(".")]:
        assert time.monotonic() < deadline, sorted(folder.iterdir())
        time.sleep(0.05)


def html_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html"))
