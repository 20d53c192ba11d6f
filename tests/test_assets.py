"""The assets plugin: one CSS and one JS file, named by a hash of their content.

Browsers keep the hashed files for a year (deploy/), so a name must change
exactly when the content changes, and stay the same from build to build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from plugins.assets.assets import hashed_name, inline_imports

from .conftest import ROOT, build_fixture, soup_of

HASHED = re.compile(r"^site\.[0-9a-f]{10}\.(css|js)$")


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("a { color: red }", "a { color: blue }"),
        ("", " "),
        ("æøå", "aeoa"),
    ],
)
def test_the_name_follows_the_content(text, other):
    assert hashed_name("site", text, ".css") == hashed_name("site", text, ".css")
    assert hashed_name("site", text, ".css") != hashed_name("site", other, ".css")
    assert HASHED.match(hashed_name("site", text, ".css"))


def test_imports_are_inlined_in_their_layer(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.css").write_text("a { color: red }", encoding="utf-8")
    (tmp_path / "b.css").write_text('@import url("parts/a.css");\nb { margin: 0 }')
    (tmp_path / "index.css").write_text(
        '@layer base, components;\n@import "b.css" layer(components);\n'
    )
    css = inline_imports(tmp_path / "index.css")
    assert "@import" not in css
    assert css.startswith("@layer base, components;")
    assert "@layer components {\na { color: red }\nb { margin: 0 }\n}" in css


def test_an_import_loop_and_a_missing_file_are_named(tmp_path):
    (tmp_path / "a.css").write_text('@import "b.css";')
    (tmp_path / "b.css").write_text('@import "a.css";')
    with pytest.raises(ValueError, match=r"a\.css: @import loops back"):
        inline_imports(tmp_path / "a.css")
    (tmp_path / "c.css").write_text('@import "gone.css";')
    with pytest.raises(FileNotFoundError, match=r"c\.css: @import of 'gone\.css'"):
        inline_imports(tmp_path / "c.css")


def asset_names(output: Path) -> dict[str, str]:
    """The CSS and JS file names the home page refers to."""
    soup = soup_of(output / "index.html")
    css = soup.find("link", rel="stylesheet")["href"].rsplit("/", 1)[-1]
    js = soup.find("script", src=re.compile(r"/site\.[^/]*\.js$"))["src"].rsplit("/", 1)[-1]
    return {"css": css, "js": js}


def test_names_are_stable_across_builds_and_change_with_the_theme(fixture_content, tmp_path):
    first = asset_names(build_fixture(fixture_content, tmp_path / "one"))
    again = asset_names(build_fixture(fixture_content, tmp_path / "two"))
    assert first == again
    assert all(HASHED.match(name) for name in first.values())
    for name in first.values():
        assert (tmp_path / "one" / "theme" / name).is_file()

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with (theme / "assets" / "css" / "tokens.css").open("a", encoding="utf-8") as css:
        css.write("\n:root { --kbt-test-token: 1px; }\n")
    changed = asset_names(build_fixture(fixture_content, tmp_path / "three", THEME=str(theme)))
    assert changed["css"] != first["css"]
    assert changed["js"] == first["js"]
    built = (tmp_path / "three" / "theme" / changed["css"]).read_text(encoding="utf-8")
    assert "--kbt-test-token" in built
    assert not (tmp_path / "three" / "theme" / first["css"]).exists()
