"""The pinned dependencies install on every Python the README promises.

The Makefile checks the oldest Python it accepts before it makes .venv/; every
pin in requirements*.txt must accept that Python (its ``Requires-Python``), or a
new user with exactly that version stops at ``pip install``.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def oldest_python() -> str:
    """The oldest Python the Makefile accepts, as "3.X.0"."""
    check = re.search(r"sys\.version_info >= \((\d+), (\d+)\)", (ROOT / "Makefile").read_text())
    assert check, "the Makefile no longer checks the Python version"
    return f"{check[1]}.{check[2]}.0"


def pins() -> list[tuple[str, str]]:
    found = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                package, _, version = line.partition("==")
                assert version, f"{name}: {line!r} is not pinned with =="
                found.append((package.strip(), version.strip()))
    return found


def test_the_readme_promises_the_python_the_makefile_checks():
    major_minor = oldest_python().rsplit(".", 1)[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {major_minor} or newer" in readme


@pytest.mark.parametrize(("package", "version"), pins())
def test_every_pin_installs_on_the_oldest_python_promised(package, version):
    meta = importlib.metadata.metadata(package)
    assert canonicalize_name(meta["Name"]) == canonicalize_name(package)
    assert meta["Version"] == version, f"{package}: {meta['Version']} installed, {version} pinned"
    requires = SpecifierSet(meta.get("Requires-Python") or "")
    oldest = oldest_python()
    assert requires.contains(oldest), (
        f"{package}=={version} requires Python {requires}, but the README promises {oldest}: "
        "pin an older release (pip download --python-version X.Y.0 --only-binary=:all: finds one)"
    )
