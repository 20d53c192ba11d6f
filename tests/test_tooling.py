"""A missing tool fails the run under `make test`; only a quick run skips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .tooling import git

ROOT = Path(__file__).resolve().parent.parent

TESTS = """
import pytest
from tests.tooling import require

def test_skipped_by_pytest():
    pytest.skip("no tool")

def test_needs_a_missing_tool():
    require(False, "the frobnicator is missing")

def test_needs_a_tool_that_is_there():
    require(True, "never said")
"""


def run_suite(folder: Path, quick: bool) -> subprocess.CompletedProcess:
    (folder / "conftest.py").write_text(
        "from tests.tooling import pytest_runtest_makereport  # noqa: F401\n", encoding="utf-8"
    )
    (folder / "test_tools.py").write_text(TESTS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KBT_QUICK_TESTS": "1" if quick else "0"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", str(folder)]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)


def test_a_missing_tool_or_any_skip_fails_a_full_run(tmp_path):
    done = run_suite(tmp_path, quick=False)
    assert done.returncode == 1, done.stdout
    assert "2 failed, 1 passed" in done.stdout
    assert "the frobnicator is missing. `invoke test` installs it" in done.stdout
    assert "skipped outside a quick run" in done.stdout


def test_a_quick_run_skips_and_counts_the_skips(tmp_path):
    done = run_suite(tmp_path, quick=True)
    assert done.returncode == 0, done.stdout
    assert "1 passed, 2 skipped" in done.stdout
    assert "the frobnicator is missing (quick run)" in done.stdout


def test_tests_commit_without_the_users_git_identity(tmp_path):
    """A fresh machine has no `git config user.name`; the tests bring their own."""
    git(tmp_path, "init", "-q")
    (tmp_path / "page.md").write_text("Title: T\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", date="2024-01-01T10:00:00")
    assert git(tmp_path, "log", "--format=%an %ad", "--date=short").strip() == (
        "KBT tests 2024-01-01"
    )
