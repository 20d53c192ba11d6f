"""Parts of build.py without a full build: the swap, left-overs, unwritable folders."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from build import BuildError, load_settings, make_staging, remove_leftovers, swap_into_place

from .conftest import ROOT, wait_for_old_sites_removed


def staged(tmp_path, text: str):
    staging = make_staging(tmp_path / "output")
    (staging / "en").mkdir()
    (staging / "index.html").write_text(text, encoding="utf-8")
    return staging


def test_the_swap_puts_the_new_site_in_place_and_removes_the_old_one(tmp_path):
    target = tmp_path / "output"
    for text in ("first", "second", "third"):
        swap_into_place(staged(tmp_path, text), target)
        assert (target / "index.html").read_text(encoding="utf-8") == text
        assert oct(target.stat().st_mode & 0o777) == "0o755"
    # The old sites go in the background: soon, not at once
    wait_for_old_sites_removed(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_removing_the_old_site_leaves_no_process_for_python_to_warn_of(tmp_path):
    """In Python's development mode an unfinished child process is a ResourceWarning."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from build import make_staging, swap_into_place\n"
        f"target = Path({str(tmp_path / 'output')!r})\n"
        "for text in ('first', 'second', 'third'):\n"
        "    staging = make_staging(target)\n"
        "    (staging / 'index.html').write_text(text * 100_000)\n"
        "    swap_into_place(staging, target)\n"
    )
    run = subprocess.run(
        [sys.executable, "-X", "dev", "-c", code], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Warning" not in run.stderr, run.stderr
    assert (tmp_path / "output" / "index.html").read_text(encoding="utf-8").startswith("third")
    wait_for_old_sites_removed(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_new_build_removes_what_a_killed_build_left_and_keeps_a_running_ones(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(dead.stdout)  # a process that has ended
    for name in (f".output.new-{pid}-abc", f".output.old-{pid}", ".output.new-x"):
        (tmp_path / name / "en").mkdir(parents=True)
    running = tmp_path / f".output.new-{os.getpid()}-def"  # this process: still building
    running.mkdir()
    remove_leftovers(tmp_path / "output")
    assert [p.name for p in tmp_path.iterdir()] == [running.name]


def assert_one_line(error: BuildError, target) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    assert str(target) in message and "How to fix" in message


def test_an_output_folder_that_cannot_be_made_is_one_line_with_how_to_fix(tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    target = tmp_path / "a-file" / "output"
    with pytest.raises(BuildError) as caught:
        make_staging(target)
    assert_one_line(caught.value, target)


def test_a_read_only_output_folder_is_one_line_with_how_to_fix(tmp_path, monkeypatch):
    # (The tests may run as root, whom file modes do not stop: the refusal is simulated.)
    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("build.tempfile.mkdtemp", refuse)
    with pytest.raises(BuildError, match="permission denied") as caught:
        make_staging(tmp_path / "output")
    assert_one_line(caught.value, tmp_path / "output")


def test_the_swap_of_a_busy_folder_is_one_line_and_leaves_the_old_site(tmp_path, monkeypatch):
    target = tmp_path / "output"
    swap_into_place(staged(tmp_path, "old"), target)
    staging = staged(tmp_path, "new")

    def busy(*_args):
        raise OSError(16, "Device or resource busy", str(target))

    monkeypatch.setattr("build.exchange", busy)
    with pytest.raises(BuildError, match="resource busy") as caught:
        swap_into_place(staging, target)
    assert "\n" not in str(caught.value)
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert not staging.exists()


def test_a_settings_file_that_cannot_be_loaded_names_its_line(tmp_path):
    settings = tmp_path / "brokenconf.py"
    settings.write_text(f'SITENAME = "x"\nimport no_such_library\nPATH = "{ROOT}"\n', "utf-8")
    with pytest.raises(BuildError) as caught:
        load_settings(settings, {})
    assert f"{settings}:2: ModuleNotFoundError" in str(caught.value)
    assert "How to fix" in str(caught.value)
