"""The assets plugin: one CSS and one JS file, named by a hash of their content.

Browsers keep the hashed files for a year (deploy/), so a name must change
exactly when the content changes, and stay the same from build to build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from plugins.assets.assets import collect, hashed_name, inline_imports

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


def test_the_head_script_is_its_own_file_loaded_before_the_page_is_drawn(site):
    """It must run before the first frame (not deferred, before the stylesheet,
    which a script would otherwise wait for) and stay apart from the modules."""
    soup = soup_of(site / "index.html")
    tags = soup.head.find_all(["script", "link"])
    first, *rest = soup.head.find_all("script", src=True)
    assert not first.has_attr("defer") and not first.has_attr("async")
    assert rest and all(s.has_attr("defer") for s in rest)
    assert tags.index(first) < tags.index(soup.head.find("link", rel="stylesheet"))
    name = first["src"].rsplit("/", 1)[-1]
    assert re.match(r"^head\.[0-9a-f]{10}\.js$", name)
    assert (site / "theme" / name).stat().st_size < 1024


def test_a_missing_head_script_is_named(tmp_path):
    (tmp_path / "assets" / "css").mkdir(parents=True)
    (tmp_path / "assets" / "css" / "index.css").write_text("", encoding="utf-8")
    settings = {
        "THEME": str(tmp_path),
        "ASSETS_CSS": "css/index.css",
        "ASSETS_JS_DIR": "js",
        "ASSETS_HEAD_JS": "head/gone.js",
    }
    with pytest.raises(FileNotFoundError, match=r"ASSETS_HEAD_JS names 'head/gone\.js'"):
        collect(settings)
    assert "head_js" not in collect({**settings, "ASSETS_HEAD_JS": None})
