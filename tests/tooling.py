"""What a test does when a tool it needs is missing.

Under ``make test`` (and in CI) a missing browser, Java, nginx, Apache or rsync
is a failure, never a skip: ``invoke test`` installs them all. Only a quick run
that a developer asks for (``invoke test --quick``, which sets
``KBT_QUICK_TESTS=1``) skips such tests instead, and pytest's summary counts them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

QUICK = os.environ.get("KBT_QUICK_TESTS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Outside a quick run a skipped test counts as failed, whatever skipped it."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not QUICK and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped outside a quick run (`invoke test --quick`): {reason}"


def require(present: object, missing: str) -> None:
    """Fail (skip in a quick run) unless ``present`` is true; ``missing`` says
    what is missing and how to get it."""
    if present:
        return
    if QUICK:
        pytest.skip(f"{missing} (quick run)")
    pytest.fail(
        f"{missing}. `invoke test` installs it; `invoke test --quick` skips such tests instead.",
        pytrace=False,
    )


VNU = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def nu_errors(folder: Path, timeout: int = 300) -> list[str]:
    """The Nu HTML Checker's errors in every HTML file under ``folder``, each as
    "path:line: message" (path relative to ``folder``)."""
    require(VNU.is_file(), f"the Nu HTML Checker is missing ({VNU})")
    require(shutil.which("java"), "Java is missing")
    files = [str(p) for p in sorted(folder.rglob("*.html"))]
    assert len(files) > 1
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [
        f"{m.get('url', '').split(str(folder))[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") != "info"
    ]


# Git as the tests use it: an identity of their own and none of the user's
# configuration, so a fresh machine without `git config user.name` passes too.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "KBT tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "KBT tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(folder: os.PathLike, *args: str, date: str = "") -> str:
    """Run git in ``folder`` (commits dated ``date`` when given); return its output."""
    env = {**os.environ, **GIT_ENV}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=folder,
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.stdout
