"""Pelican is the engine (issue #18): the plain `pelican` command builds the same
site as `make build`, every written page sends Pelican's signals, and a plugin
that cannot be loaded stops every entry point."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pelican import signals

import pelicanconf
from build import BuildError, build_site

from .conftest import FIXTURE_SETTINGS, ROOT, html_files, soup_of
from .test_images import add_to_page, photo

PELICAN = Path(sys.executable).parent / "pelican"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_pelican(
    content: str | Path, output: Path, cache: Path, *settings: str
) -> subprocess.CompletedProcess:
    """The `pelican` command with the project's settings on ``content``, into
    ``output``, with its own ``cache`` and ``settings`` (NAME=value)."""
    return subprocess.run(
        [
            str(PELICAN),
            str(content),
            "-s",
            "pelicanconf.py",
            "-o",
            str(output),
            "-e",
            f'CACHE_PATH="{cache}"',
            *settings,
        ],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "500"},  # one message, one line
        capture_output=True,
        text=True,
        check=False,
    )


def pelican_command(tmp_path: Path, *settings: str) -> dict[str, bytes]:
    """The real site built by the `pelican` command into ``tmp_path/plain``, with
    its own, empty cache and ``settings`` (NAME=value); its files."""
    result = run_pelican("content", tmp_path / "plain", tmp_path / "cache", *settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Cannot load plugin" not in result.stdout + result.stderr
    return files_of(tmp_path / "plain")


def test_the_pelican_command_builds_the_site_of_make_build_byte_for_byte(site, tmp_path):
    # `make build` (build.build_site) made `site`; now the command every Pelican
    # user types first
    plain = pelican_command(tmp_path)
    ours = files_of(site)
    assert sorted(plain) == sorted(ours)
    assert len(ours) > 100  # pages, images, cards, search index, precompressed files
    different = [name for name in ours if plain[name] != ours[name]]
    assert different == []


COUNTER = '''"""Counts Pelican's content_written, as pelican-plugins' sitemap listens to it."""

from pelican import signals


def count(path, context):
    if "COUNT_WRITTEN_LOG" not in context:  # a later build in the same process
        return
    with open(context["COUNT_WRITTEN_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{path}\\n")


def register():
    signals.content_written.connect(count)
'''


def in_staging(path: str) -> str:
    """A path written into the staging folder (which became the output folder),
    relative to it."""
    parts = Path(path).parts
    start = next(i for i, part in enumerate(parts) if part.startswith(".output.new-"))
    return "/".join(parts[start + 1 :])


@contextmanager
def with_plugin(tmp_path: Path, name: str, code: str, receiver: str, **settings) -> Iterator[dict]:
    """The settings that add the plugin ``name`` (its ``code``) to the project's
    plugins, with ``settings`` and a cache of its own. Pelican's signals outlive
    a build: afterwards ``receiver`` is let go of ``content_written``."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / f"{name}.py").write_text(code, encoding="utf-8")
    try:
        yield {
            "PLUGIN_PATHS": [str(ROOT / "plugins"), str(plugins)],
            "PLUGINS": [*pelicanconf.PLUGINS, name],
            "CACHE_PATH": str(tmp_path / "cache"),
            **settings,
        }
    finally:
        module = sys.modules.get(name)
        if module is not None:
            signals.content_written.disconnect(getattr(module, receiver))


def test_a_plugin_counting_content_written_sees_every_page_cold_and_warm(tmp_path):
    log = tmp_path / "written.txt"
    counting = with_plugin(tmp_path, "count_written", COUNTER, "count", COUNT_WRITTEN_LOG=str(log))
    with counting as overrides:
        count_cold_and_warm(tmp_path, overrides, log)


def count_cold_and_warm(tmp_path: Path, overrides: dict, log: Path) -> None:
    for build in ("cold", "warm"):
        log.unlink(missing_ok=True)
        output = build_site(ROOT / "pelicanconf.py", tmp_path / "output", overrides)
        pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
        seen = [line for line in log.read_text(encoding="utf-8").splitlines() if line]
        assert len(seen) == len(set(seen)), build  # each page once
        assert {in_staging(line) for line in seen if line.endswith(".html")} == pages, build
        assert len(pages) >= 54, build  # 27 pages and articles a language at least


REWRITER = '''"""Reads each page Pelican has written, at content_written, and writes
it back changed, as pelican-plugins' image-process does."""

from pelican import signals

MARK = "<!-- rewritten by a plugin -->"
READ = {}  # page -> the text it read


def rewrite(path, context):
    if "REWRITE_WRITTEN" not in context or not str(path).endswith(".html"):
        return
    with open(path, encoding="utf-8") as page:
        text = READ[context["output_file"]] = page.read()
    with open(path, "w", encoding="utf-8") as page:
        page.write(text.replace("</body>", MARK + "</body>"))


def register():
    signals.content_written.connect(rewrite)
'''


def test_a_plugin_reads_the_page_as_published_at_content_written_and_its_change_stays(
    tmp_path,
):
    rewriting = with_plugin(tmp_path, "rewrite_written", REWRITER, "rewrite", REWRITE_WRITTEN=True)
    with rewriting as overrides:
        output = build_site(ROOT / "pelicanconf.py", tmp_path / "output", overrides)
    rewriter = sys.modules["rewrite_written"]
    pages = {page.relative_to(output).as_posix(): page for page in html_files(output)}
    assert len(pages) >= 54
    assert sorted(rewriter.READ) == sorted(pages)
    for name, page in pages.items():
        text = page.read_text(encoding="utf-8")
        # what it read was the page as published, but for its own change
        assert rewriter.READ[name] == text.replace(rewriter.MARK, ""), name
        assert text.count(rewriter.MARK) == 1, name  # which is there, once


def broken_project(tmp_path: Path) -> Path:
    """The project's settings and plugins, with one plugin needing a missing library."""
    shutil.copy(ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    shutil.copytree(
        ROOT / "plugins", tmp_path / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    seo = tmp_path / "plugins" / "seo" / "seo.py"
    text = seo.read_text(encoding="utf-8")
    seo.write_text(
        text.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nimport no_such_library\n",
            1,
        ),
        encoding="utf-8",
    )
    return tmp_path / "pelicanconf.py"


SERVE = """
import sys
from invoke import Context
import tasks
tasks.CONFIG["settings_base"], tasks.CONFIG["deploy_path"] = sys.argv[1], sys.argv[2]
tasks.livereload(Context())
"""


def test_a_plugin_that_cannot_be_loaded_stops_every_entry_point(tmp_path):
    settings = broken_project(tmp_path)
    plain = subprocess.run(
        [str(PELICAN), "content", "-s", str(settings), "-o", str(tmp_path / "plain")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    said = " ".join((plain.stdout + plain.stderr).split())
    assert plain.returncode != 0
    assert "No module named 'no_such_library'" in said
    assert not (tmp_path / "plain").exists()

    ours = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), str(settings), str(tmp_path / "ours")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ours.returncode == 1
    assert "Traceback" not in ours.stderr
    assert "seo.py:" in ours.stderr and "no_such_library" in ours.stderr
    assert "How to fix" in ours.stderr
    assert not (tmp_path / "ours").exists()

    served = subprocess.run(  # make serve: stops too, rather than serve an old site
        [sys.executable, "-c", SERVE, str(settings), str(tmp_path / "served")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert served.returncode == 1
    assert "Traceback" not in served.stderr
    assert "seo.py:" in served.stderr and "no_such_library" in served.stderr


def test_a_plugin_named_in_the_settings_that_is_missing_stops_the_build(tmp_path):
    with pytest.raises(BuildError, match="no_such_plugin"):
        build_site(
            ROOT / "pelicanconf.py",
            tmp_path / "output",
            {
                "PLUGINS": [*pelicanconf.PLUGINS, "no_such_plugin"],
                "CACHE_PATH": str(tmp_path / "c"),
            },
        )
    assert not (tmp_path / "output").exists()


SYS_PATH_EDIT = re.compile(r"^[^#]*\bsys\.path(?:\.\w+\(|\[|\s*[+]?=)", re.MULTILINE)


def test_only_pelicanconf_touches_sys_path_in_one_commented_line():
    code = [ROOT / name for name in ("build.py", "preview.py", "tasks.py", "publishconf.py")]
    code += sorted((ROOT / "plugins").rglob("*.py")) + sorted((ROOT / "tools").rglob("*.py"))
    code += sorted((ROOT / "bench").rglob("*.py"))
    assert [path for path in code if SYS_PATH_EDIT.search(path.read_text(encoding="utf-8"))] == []
    lines = (ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines()
    edits = [number for number, line in enumerate(lines) if SYS_PATH_EDIT.search(line)]
    assert len(edits) == 1
    assert lines[edits[0] - 1].lstrip().startswith("#")  # says why


def test_the_pelican_command_keeps_the_published_sites_cache_apart(fixture_content, tmp_path):
    """Pages in Pelican's content cache carry their images' full addresses: the
    plain `pelican` command with publishconf.py after pelicanconf.py (and back,
    and to another address) must never show a page made for another SITEURL."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("plugins", "theme"):
        (project / name).symlink_to(ROOT / name)
    content = project / "content"
    shutil.copytree(fixture_content, content)
    photo(content)
    add_to_page(content, "![Et bilde av huset](images/photo.jpg)")
    # the fixture's settings, in one -e (a second -e replaces the first)
    extra = ["-e", *(f"{name}={json.dumps(value)}" for name, value in FIXTURE_SETTINGS.items())]
    runs = [
        ("pelicanconf.py", ""),
        ("publishconf.py", "https://example.org/kbt"),
        ("pelicanconf.py", ""),
        ("publishconf.py", "https://example.net"),
    ]
    for number, (settings, siteurl) in enumerate(runs):
        output = tmp_path / f"output-{number}"
        result = subprocess.run(
            [
                str(PELICAN),
                "content",
                "-s",
                settings,
                "-o",
                str(output),
                "--fatal",
                "warnings",
                *extra,
            ],
            cwd=project,
            env={**os.environ, "SITEURL": siteurl},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        sources = [img["src"] for path in html_files(output) for img in soup_of(path)("img")]
        assert sources, settings
        assert all(src.startswith(f"{siteurl}/images/") for src in sources), (settings, sources)
