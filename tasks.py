"""Tasks for building, serving, translating and publishing the KBT website.

Shaped like the tasks.py that pelican-quickstart writes: one CONFIG dict and
small tasks. Run ``invoke --list`` to see them.
"""

import os
import shutil
import sys
from pathlib import Path

from invoke import task

from build import BuildError, build_site

ROOT = Path(__file__).parent
BIN = Path(sys.executable).parent  # the tools of the virtual environment
THEME = ROOT / "theme"

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "host": "127.0.0.1",
    "port": 8000,
    # Gettext catalogues of the theme
    "babel_config": THEME / "babel.cfg",
    "translations": THEME / "translations",
    "messages_pot": THEME / "translations" / "messages.pot",
    "languages": ("nb", "en"),
    # Programs the tests need from the system: binary -> Debian package
    "system_deps": {"chromium": "chromium"},
}


def _build(settings_file, output=None):
    try:
        return build_site(settings_file, output or CONFIG["deploy_path"])
    except BuildError as error:
        sys.exit(f"\nBuild failed:\n{error}\n\nThe output folder was left as it was.")


@task
def clean(c):
    """Remove the generated files."""
    if os.path.isdir(CONFIG["deploy_path"]):
        shutil.rmtree(CONFIG["deploy_path"])


@task
def build(c):
    """Build the site (both languages) into output/."""
    path = _build(CONFIG["settings_base"])
    print(f"Built the site into {path}")


@task
def rebuild(c):
    """Remove the generated files, then build."""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Build again whenever a file changes (no server)."""
    _watch(c, serve_site=False)


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000 without rebuilding."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    class Handler(ComplexHTTPRequestHandler):
        base_path = CONFIG["deploy_path"]

    server = RootedHTTPServer(CONFIG["deploy_path"], (CONFIG["host"], CONFIG["port"]), Handler)
    print(f"Serving the site at http://{CONFIG['host']}:{CONFIG['port']}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def reserve(c):
    """Build, then serve."""
    build(c)
    serve(c)


@task
def preview(c):
    """Build the site as it will be published, into output/."""
    path = _build(CONFIG["settings_publish"])
    print(f"Built the published site into {path}")


@task
def livereload(c):
    """Build, serve at http://127.0.0.1:8000 and rebuild and reload on every change."""
    _watch(c, serve_site=True)


WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


def _rebuild_and_report():
    try:
        build_site(CONFIG["settings_base"], CONFIG["deploy_path"])
        print("Rebuilt the site.")
    except BuildError as error:
        print(f"\nBuild failed:\n{error}\n\nThe last good site is still in output/.")


def _watch(c, serve_site):
    _rebuild_and_report()
    if not serve_site:
        from watchfiles import watch

        for _changes in watch(*WATCHED):
            _rebuild_and_report()
        return
    from livereload import Server

    server = Server()
    for path in WATCHED:
        server.watch(path, _rebuild_and_report)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])


@task
def publish(c):
    """Build the published site (publishconf.py) into output/, safely."""
    path = _build(CONFIG["settings_publish"])
    print(f"Built the published site into {path}")


# Translations of the theme (Babel) -------------------------------------------


@task
def translations_extract(c):
    """Collect the theme's messages into theme/translations/messages.pot."""
    c.run(
        f"{BIN}/pybabel extract --no-location --sort-output -F {CONFIG['babel_config']} "
        f"-o {CONFIG['messages_pot']} {THEME}"
    )


@task(pre=[translations_extract])
def translations_update(c):
    """Merge new messages from the .pot file into every language's .po file."""
    for lang in CONFIG["languages"]:
        c.run(
            f"{BIN}/pybabel update --no-fuzzy-matching -i {CONFIG['messages_pot']} "
            f"-d {CONFIG['translations']} -l {lang}"
        )


@task
def translations_init(c, lang):
    """Start the .po file of a new language."""
    c.run(f"{BIN}/pybabel init -i {CONFIG['messages_pot']} -d {CONFIG['translations']} -l {lang}")


@task
def translations_compile(c):
    """Compile every .po file into a .mo file (the build reads .po files itself)."""
    c.run(f"{BIN}/pybabel compile --statistics -d {CONFIG['translations']}")


# Checks -------------------------------------------------------------------------


@task
def lint(c):
    """Check the Python code with ruff (lint and format)."""
    c.run(f"{BIN}/ruff check .")
    c.run(f"{BIN}/ruff format --check .")


@task
def lighthouse(c, runs=1):
    """Measure pages with Lighthouse (mobile); writes docs/lighthouse.md. Needs `npm install`."""
    c.run(f"{sys.executable} {ROOT / 'bench' / 'lighthouse.py'} --runs {runs}")


@task
def system_deps(c):
    """Install the system programs the tests need (Debian packages), or say how."""
    missing = sorted(
        {pkg for binary, pkg in CONFIG["system_deps"].items() if not shutil.which(binary)}
    )
    if not missing:
        return
    command = f"apt-get update && apt-get install -y {' '.join(missing)}"
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        c.run(command)
    else:
        sys.exit(f"The tests need {', '.join(missing)}. Install it with:\n  sudo {command}")


@task(pre=[lint, system_deps])
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)
