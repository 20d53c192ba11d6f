"""Two builds into one output folder at the same time (issue #17): the folder is
never missing nor half swapped, and no staging folder is left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import FIXTURE_SETTINGS, ROOT, build_fixture, wait_for_old_sites_removed

BUILD = """
import json, sys
from build import build_site
build_site(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
"""


def test_two_builds_at_once_never_leave_the_output_missing_or_half_swapped(
    fixture_content, tmp_path
):
    output = tmp_path / "output"
    overrides = {
        **FIXTURE_SETTINGS,
        "PATH": str(fixture_content),
        "CACHE_PATH": str(tmp_path / "c"),
    }
    build_fixture(fixture_content, output, CACHE_PATH=str(tmp_path / "c"))
    expected = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", BUILD, str(ROOT / "pelicanconf.py"), str(output)]
    builds = [
        subprocess.Popen(
            [*command, json.dumps(overrides)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    looks = 0
    while any(build.poll() is None for build in builds):
        # Every look finds a whole site: the home pages of both languages
        assert (output / "index.html").is_file()
        assert (output / "en" / "index.html").is_file()
        looks += 1
    for build in builds:
        assert build.wait() == 0, build.stderr.read()
    assert looks > 10
    found = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert found == expected
    wait_for_old_sites_removed(tmp_path)
