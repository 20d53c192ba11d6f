"""Tasks for building, serving, translating and publishing the KBT website.

Shaped like the tasks.py that pelican-quickstart writes: one CONFIG dict and
small tasks. Run ``invoke --list`` to see them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

from build import BuildError, SettingsError, build_site

ROOT = Path(__file__).parent
BIN = Path(sys.executable).parent  # the tools of the virtual environment
THEME = ROOT / "theme"
NGINX_BROTLI = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

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
    # Gettext catalogue of the staff commands (tools/, tasks.py): English in the code
    "tools_translations": ROOT / "tools" / "translations",
    "tools_languages": ("nb",),
    # The Debian (and Ubuntu) packages the tests need -> the program or file that shows
    # each is there (installed some other way counts too), or None: ask dpkg
    "system_packages": {
        "default-jre-headless": "java",  # runs the Nu HTML Checker (vnu.jar)
        "nginx": "nginx",
        "libnginx-mod-http-brotli-static": NGINX_BROTLI,
        "apache2": "apache2",
        "chromium": os.environ.get("KBT_CHROMIUM", "/usr/bin/chromium"),
        "libatomic1": None,  # Playwright's driver (its Node.js) needs libatomic.so.1
        "npm": "npm",
        "rsync": "rsync",
        "git": "git",
    },
}


def _build(settings_file, output=None):
    try:
        return build_site(settings_file, output or CONFIG["deploy_path"])
    except BuildError as error:
        sys.exit(f"\nBuild failed:\n{error}\n\nThe output folder was left as it was.")
    except KeyboardInterrupt:
        sys.exit(
            "\nStopped (Ctrl-C) before the build finished: the output folder was left as it was."
        )


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
    from preview import PreviewHTTPServer, PreviewRequestHandler

    class Handler(PreviewRequestHandler):
        base_path = CONFIG["deploy_path"]

    server = PreviewHTTPServer(CONFIG["deploy_path"], (CONFIG["host"], CONFIG["port"]), Handler)
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
# The plugins' code: a change to it restarts the preview, whose process has
# the old code loaded
CODE = ("plugins",)


def _watch(c, serve_site):
    """One long-lived preview (preview.py): a whole build after every change,
    fast with Pelican's content cache; a failed build keeps the last good site;
    a change to a plugin's code starts the preview again."""
    import time

    from preview import Preview, changed_code, code_stamp, live_file_handler, restart

    session = Preview(CONFIG["settings_base"], Path(CONFIG["deploy_path"]), watched=WATCHED)
    code = code_stamp(CODE)

    def rebuild():
        changed = changed_code(code, CODE)
        if changed:
            print(f"\n{changed[0]}: a plugin's code changed; starting the preview again.")
            restart()
        started = time.perf_counter()
        try:
            session.rebuild()
        except BuildError as error:
            print(f"\nBuild failed:\n{error}\n\nThe last good site is still in output/.")
            return
        except Exception as error:  # noqa: BLE001 - one line, not a traceback, and serve on
            print(
                f"\nBuild failed: {type(error).__name__}: {error}\n(run `invoke build` to see more)"
            )
            return
        print(f"Rebuilt the site in {time.perf_counter() - started:.2f} s.")

    try:
        session.build()
    except SettingsError as error:  # a plugin or the settings cannot be loaded: stop
        sys.exit(f"\nBuild failed:\n{error}")
    except BuildError as error:  # serves the last good site until an edit fixes it
        print(f"\nBuild failed:\n{error}\n\nThe last good site is still in output/.")
    except KeyboardInterrupt:
        sys.exit("\nStopped (Ctrl-C) during the first build: output/ was left as it was.")
    if not serve_site:
        from watchfiles import watch

        for _changes in watch(*WATCHED):
            rebuild()
        return
    from livereload import Server

    server = Server()
    server.SFH = live_file_handler(session)
    for path in WATCHED:
        server.watch(path, rebuild)
    try:
        server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])
    except KeyboardInterrupt:
        print("\nStopped the preview.")


@task
def publish(c):
    """Build with publishconf.py (SITEURL from the environment), check every URL, swap in."""
    from tools.publish import publish as publish_site

    try:
        path = publish_site(ROOT / CONFIG["settings_publish"], ROOT / CONFIG["deploy_path"])
    except BuildError as error:
        sys.exit(f"\nPublishing failed:\n{error}\n\nThe output folder was left as it was.")
    print(f"Published the site into {path}")


@task(
    positional=["path"],
    help={
        "to": "rsync, gh-pages or folder",
        "path": "the folder to copy into (with --to folder)",
        "dry_run": "rsync: show what would change; gh-pages: commit without pushing",
        "branch": "gh-pages: the branch (default gh-pages, or $DEPLOY_GH_PAGES_BRANCH)",
    },
)
def deploy(c, to="", path="", dry_run=False, branch=""):
    """Copy the published output/ to a server (rsync), a branch (gh-pages) or a folder."""
    from tools import deploy as deploying

    site = ROOT / CONFIG["deploy_path"]
    try:
        if to == "rsync":
            deploying.rsync(site, dry_run=dry_run)
        elif to == "gh-pages":
            used = deploying.gh_pages(site, ROOT, branch or None, push=not dry_run)
            print(
                f"Committed the site to the branch {used}" + ("" if dry_run else " and pushed it")
            )
        elif to == "folder" and path:
            print(f"Copied the site into {deploying.to_folder(site, Path(path))}")
        else:
            sys.exit("Use --to rsync, --to gh-pages or --to folder PATH.")
    except deploying.DeployError as error:
        sys.exit(str(error))


# Translations of the theme (Babel) -------------------------------------------


@task
def translations_extract(c):
    """Collect the messages of the theme, staff commands and content checks into .pot files."""
    c.run(
        f"{BIN}/pybabel extract --no-location --sort-output -F {CONFIG['babel_config']} "
        f"-o {CONFIG['messages_pot']} {THEME}"
    )
    tools_pot = CONFIG["tools_translations"] / "messages.pot"
    c.run(
        f"{BIN}/pybabel extract --no-location --sort-output -o {tools_pot} "
        f"{ROOT / 'tools'} {ROOT / 'tasks.py'} {ROOT / 'plugins'}"
    )


@task(pre=[translations_extract])
def translations_update(c):
    """Merge new messages from the .pot files into every language's .po files."""
    for lang in CONFIG["languages"]:
        c.run(
            f"{BIN}/pybabel update --no-fuzzy-matching -i {CONFIG['messages_pot']} "
            f"-d {CONFIG['translations']} -l {lang}"
        )
    for lang in CONFIG["tools_languages"]:
        tools = CONFIG["tools_translations"]
        c.run(
            f"{BIN}/pybabel update --no-fuzzy-matching -i {tools / 'messages.pot'} "
            f"-d {tools} -l {lang}"
        )


@task
def translations_init(c, lang):
    """Start the .po file of a new language."""
    c.run(f"{BIN}/pybabel init -i {CONFIG['messages_pot']} -d {CONFIG['translations']} -l {lang}")


@task
def translations_compile(c):
    """Compile every .po file into a .mo file (the build reads .po files itself)."""
    c.run(f"{BIN}/pybabel compile --statistics -d {CONFIG['translations']}")


# Staff tasks (tools/staff.py) -----------------------------------------------------
# Each has an English name and a Norwegian one (ny-side, ny-nyhet, ny-milepael,
# sjekk, oversettelser) with Norwegian options; they speak the language of the
# file they make, or of their name. A wrong answer at a prompt is asked again.


def _new(*args):
    from tools import staff

    staff.new_file(ROOT, list(CONFIG["languages"]), *args)


def _new_milestone(*args):
    from pelicanconf import TIMELINE_THEMES
    from tools import staff

    staff.new_milestone(ROOT, list(CONFIG["languages"]), TIMELINE_THEMES, *args)


def _translation_report(*args):
    from pelicanconf import DEFAULT_LANG, TIMELINE_THEMES
    from tools import staff

    languages = list(CONFIG["languages"])
    staff.translation_report(ROOT, THEME, languages, DEFAULT_LANG, TIMELINE_THEMES, *args)


def _check(*args):
    from tools import staff

    staff.check(CONFIG["settings_base"], *args)


NEW_HELP = {
    "title": "the title",
    "lang": "nb or en",
    "key": "the Key (default: from the title)",
    "translation_title": "the translation's title (default: the same, to translate later)",
    "translation_name": "the translation's file name (default: from its title)",
}
NY_HELP = {
    "tittel": "tittelen",
    "sprak": "nb eller en",
    "nokkel": "Key (standard: fra tittelen)",
    "oversatt_tittel": "oversettelsens tittel (standard: den samme, oversettes senere)",
    "oversatt_filnavn": "oversettelsens filnavn (standard: fra tittelen dens)",
}


@task(help=NEW_HELP)
def new_page(c, title="", lang="", key=None, translation_title="", translation_name=""):
    """Create a page and its untranslated draft in the other language."""
    _new("page", title, lang, key, translation_title, translation_name, "en")


@task(help=NY_HELP)
def ny_side(c, tittel="", sprak="", nokkel=None, oversatt_tittel="", oversatt_filnavn=""):
    """Lag en side og et uoversatt utkast på det andre språket."""
    _new("page", tittel, sprak, nokkel, oversatt_tittel, oversatt_filnavn, "nb")


@task(help=NEW_HELP)
def new_article(c, title="", lang="", key=None, translation_title="", translation_name=""):
    """Create a news article dated today and its untranslated draft in the other language."""
    _new("article", title, lang, key, translation_title, translation_name, "en")


@task(help=NY_HELP)
def ny_nyhet(c, tittel="", sprak="", nokkel=None, oversatt_tittel="", oversatt_filnavn=""):
    """Lag en nyhet med dagens dato og et uoversatt utkast på det andre språket."""
    _new("article", tittel, sprak, nokkel, oversatt_tittel, oversatt_filnavn, "nb")


@task(
    help={
        "title": "the milestone's title",
        "date": "its year (2024), date (2024-03-05) or range (2006–2010)",
        "lang": "nb or en: the language you write it in",
        "themes": "themes separated by commas, by id or name in either language",
    }
)
def new_milestone(c, title="", date="", lang="", themes=None):
    """Add a milestone to the timeline and its untranslated stub in the other language."""
    _new_milestone(title, date, lang, themes, "en")


@task(
    help={
        "tittel": "milepælens tittel",
        "dato": "året (2024), datoen (2024-03-05) eller perioden (2006–2010)",
        "sprak": "nb eller en: språket du skriver på",
        "temaer": "temaer skilt med komma, med navn (Forskning, Barn og unge) eller id",
    }
)
def ny_milepael(c, tittel="", dato="", sprak="", temaer=None):
    """Legg en milepæl inn i tidslinjen, og et uoversatt utkast på det andre språket."""
    _new_milestone(tittel, dato, sprak, temaer, "nb")


REPORT_HELP = {
    "strict": "exit with status 1 when anything lacks its translation",
    "checked": "record that a changed source (FILE or FILE:LINE) needs no translation",
    "github": "print each problem as a GitHub Actions annotation, with a summary",
}


@task(help=REPORT_HELP)
def translations(c, strict=False, checked="", github=False):
    """Report pages, articles, milestones and interface strings lacking their translation."""
    _translation_report("en", strict, checked, github)


@task(
    help={
        "streng": "avslutt med status 1 når noe mangler oversettelse",
        "sjekket": "noter at en endret original (FIL eller FIL:LINJE) ikke trenger oversettelse",
        "github": "skriv hvert problem som en merknad i GitHub Actions, med et sammendrag",
    }
)
def oversettelser(c, streng=False, sjekket="", github=False):
    """Vis sider, nyheter, milepæler og tekster som mangler oversettelse (norsk)."""
    _translation_report("nb", streng, sjekket, github)


@task(help={"github": "print each problem as a GitHub Actions annotation, with a summary"})
def check(c, github=False):
    """Build strictly into a temporary folder and run the content checks, without a browser."""
    _check("en", github)


@task(help={"github": "skriv hvert problem som en merknad i GitHub Actions, med et sammendrag"})
def sjekk(c, github=False):
    """Bygg nettstedet strengt i en midlertidig mappe og kjør alle innholdssjekkene."""
    _check("nb", github)


@task
def readability(c):
    """Print the LIX of every page and news item and the sentences over 30 words."""
    from pelican.settings import read_settings

    import readability as lix

    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    results = [lix.measure_file(p, lang, settings) for p, lang in lix.content_files(settings)]
    print(lix.table(results, settings))
    if any(m.over_limit for m in results):
        sys.exit("Some texts are over their LIX limit (⚠): see docs/redigering.md.")


# Checks -------------------------------------------------------------------------


@task
def lint(c):
    """Check the Python code with ruff (lint and format)."""
    c.run(f"{BIN}/ruff check .")
    c.run(f"{BIN}/ruff format --check .")


def _missing_packages(packages: dict[str, str | None]) -> list[str]:
    """The packages whose program or file is not found and that dpkg does not list."""
    paths = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    absent = [
        package
        for package, probe in packages.items()
        if not probe
        or not (Path(probe).exists() if "/" in probe else shutil.which(probe, path=paths))
    ]
    if not absent or not shutil.which("dpkg-query"):
        return absent
    query = ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *absent]
    listed = subprocess.run(query, capture_output=True, text=True).stdout.splitlines()
    installed = {line.split()[0] for line in listed if line.endswith(" installed")}
    return [package for package in absent if package not in installed]


@task
def system_deps(c):
    """Install the system packages the tests need (Java, nginx, Apache, Chromium) if missing."""
    missing = _missing_packages(CONFIG["system_packages"])
    if not missing:
        return
    command = f"apt-get update && apt-get install -y --no-install-recommends {' '.join(missing)}"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"The tests need {', '.join(missing)}. Install them, for example: sudo {command}")
    c.run(command, env={"DEBIAN_FRONTEND": "noninteractive"})


@task(pre=[system_deps])
def npm_deps(c):
    """Install the pinned npm test tools (package-lock.json) into node_modules/."""
    stamp = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    with c.cd(str(ROOT)):
        c.run("npm ci --no-audit --no-fund")


@task(help={"quick": "install nothing; skip (not fail) the tests whose tools are missing"})
def test(c, quick=False):
    """Install what the tests need, lint, and run the whole test suite."""
    lint(c)
    if quick:
        c.run(f"{sys.executable} -m pytest", env={"KBT_QUICK_TESTS": "1"}, pty=False)
        return
    system_deps(c)
    npm_deps(c)
    c.run(f"{sys.executable} -m pytest", env={"KBT_QUICK_TESTS": "0"}, pty=False)


@task(
    help={
        "n": "articles per language in the synthetic corpus",
        "rounds": "how often to run every build; the medians are reported",
    }
)
def bench(c, n=1000, rounds=1):
    """Measure our build against plain Pelican on a synthetic corpus into docs/performance.md."""
    with c.cd(str(ROOT)):
        c.run(f"{sys.executable} -m bench.build_bench -n {n} --rounds {rounds}")


@task
def screenshots(c):
    """Write screenshots (390 and 1280 px, light and dark) into docs/screenshots/."""
    import tempfile

    from tools.screenshots import take

    with tempfile.TemporaryDirectory() as tmp:
        site = _build(CONFIG["settings_base"], Path(tmp) / "output")
        for path in take(Path(site), ROOT / "docs" / "screenshots"):
            print(path.relative_to(ROOT))


@task(help={"runs": "runs per page; the median is reported"})
def lighthouse(c, runs=1):
    """Measure pages with Lighthouse (mobile) into docs/lighthouse.md (installs it on demand)."""
    with c.cd(str(ROOT)):
        c.run("npm install --no-save --no-audit --no-fund lighthouse@12.8.2")
        c.run(f"{sys.executable} -m bench.lighthouse --runs {runs}")
