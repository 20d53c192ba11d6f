"""Build the site safely: into a fresh folder, swapped into place only on success.

``invoke build``, ``invoke publish``, ``invoke livereload`` and the tests all
build through ``build_site``. Every warning stops the build (``fatal`` set to
"warnings"), and whatever was in the output folder before stays as it was
until a build has succeeded.

Run it directly as ``python build.py [SETTINGS] [OUTPUT]``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from markdown import Markdown
from pelican import Pelican, signals
from pelican import log as pelican_log
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.readers import _filter_discardable_metadata as _filter_discardable
from pelican.settings import read_settings
from pelican.utils import clean_output_dir, file_suffix, pelican_open

# The plugins' folder, where Pelican looks for them too: this file shares the
# caches' library and the languages' folders with the plugins.
sys.path.insert(0, str(Path(__file__).resolve().parent / "plugins"))
from bilingual.bilingual import language_folders  # noqa: E402
from cachefiles import keep_newest, link_or_copy, make_entry, mark_used, prune  # noqa: E402

logger = logging.getLogger("build")

KEEP_CONTENT_CACHES = 4

# The build's own settings (pelicanconf.py explains them)
DEFAULTS = {
    "BUILD_PARALLEL_LANGUAGES": True,
    "BUILD_PAGE_CACHE": True,
    "BUILD_PAGE_CACHE_TEMPLATES": ["article", "page"],
}


class BuildError(Exception):
    """The build stopped; the message says why."""


class _Recorder(logging.Handler):
    """Keeps the warnings and errors logged during one build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Pelican logs "Could not process <file>" inside its `except` block and
        # leaves the reason out unless DEBUG is set: add it from there.
        reason = sys.exc_info()[1]
        if reason is not None and not record.exc_info:
            message = f"{message}\n{reason}"
        self.messages.append(message)


class PhaseClock:
    """Wall time of the phases of one build, for the log (INFO) and bench/."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._last = time.perf_counter()

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._last
        self._last = now

    def log(self) -> None:
        logger.info(
            "Phases: %s", "; ".join(f"{name} {sec:.2f} s" for name, sec in self.phases.items())
        )


def build_site(
    settings_file: str | os.PathLike = "pelicanconf.py",
    output: str | os.PathLike | None = None,
    overrides: dict | None = None,
    fatal: str = "warnings",
    check_settings: Callable[[dict], None] | None = None,
) -> Path:
    """Build into a temporary sibling of ``output``, then swap it into place.

    Returns the output folder. Raises BuildError, leaving ``output`` untouched,
    when Pelican logs a warning or an error or a content check fails.
    ``check_settings(settings)``, if given, sees the settings before anything
    is built and may raise BuildError.
    """
    clock = PhaseClock()
    with recording(fatal) as recorder:
        overrides = dict(overrides or {})
        settings = read_settings(os.fspath(settings_file), override=overrides)
        for name, value in DEFAULTS.items():
            settings.setdefault(name, value)
        if check_settings is not None:
            check_settings(settings)
        use_content_cache(settings, settings_file, overrides)
        settings["READERS"] = {
            **{extension: OneMarkdownReader for extension in MarkdownReader.file_extensions},
            **settings.get("READERS", {}),
        }
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        settings["OUTPUT_PATH"] = str(staging)
        try:
            ShardedPelican(settings, clock).run()
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(error, RuntimeError) and recorder.messages:
                # Pelican's fatal logger stopped at a message it had just logged.
                raise BuildError("\n".join(recorder.messages)) from None
            raise BuildError(f"{error}") from error
    swap_into_place(staging, target)
    clock.mark("swap")
    clock.log()
    return target


@contextmanager
def recording(fatal: str = "warnings") -> Iterator[_Recorder]:
    """Pelican's logging for one build: warnings fatal, and kept in the recorder."""
    pelican_log.init(level=logging.WARNING, fatal=fatal)
    # Pelican drops a warning it has logged once in this process; a new build
    # (livereload, tests) must see it again, or it would no longer be fatal.
    pelican_log.LimitFilter._raised_messages.clear()
    pelican_log.LimitFilter._group_count.clear()
    recorder = _Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        yield recorder
    finally:
        logging.getLogger().removeHandler(recorder)


def cache_fingerprint(settings_file: str | os.PathLike, overrides: dict, plugin_paths) -> str:
    """A digest of what the content cache depends on besides the content itself:
    the settings files, the overrides, the plugins' code and the library versions."""
    import markdown
    import pelican

    digest = hashlib.sha256(Path(settings_file).name.encode())
    folder = Path(settings_file).resolve().parent
    for path in sorted(folder.glob("*conf.py")):
        digest.update(path.read_bytes())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    for plugins in plugin_paths:
        for path in sorted(Path(plugins).rglob("*.py")):
            digest.update(path.as_posix().encode() + path.read_bytes())
    digest.update(f"{pelican.__version__} {markdown.__version__}".encode())
    return digest.hexdigest()[:16]


def use_content_cache(settings: dict, settings_file, overrides: dict) -> None:
    """Keep Pelican's content cache in CACHE_PATH/content-<fingerprint>/, so that
    other settings or changed plugins never read a stale one; only the most
    recently used few are kept, with the compiled templates in jinja/. Images
    keep CACHE_PATH/images/."""
    if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
        return
    base = Path(settings["CACHE_PATH"])
    settings.setdefault("IMAGES_CACHE_DIR", None)
    if settings["IMAGES_CACHE_DIR"] is None:
        settings["IMAGES_CACHE_DIR"] = str(base / "images")
    name = f"content-{cache_fingerprint(settings_file, overrides, settings['PLUGIN_PATHS'])}"
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    mark_used(folder)
    # Keep the caches of the few most recently used settings (publish, tests)
    keep_newest(base.glob("content-*"), KEEP_CONTENT_CACHES)
    settings["CACHE_PATH"] = str(folder)
    # Compiled templates, reused by every process of later builds (Jinja checks
    # each template's source against the one it compiled)
    (folder / "jinja").mkdir(exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "bytecode_cache": jinja2.FileSystemBytecodeCache(str(folder / "jinja")),
    }


# Reading ----------------------------------------------------------------------

META_PRIORITY = 27  # where markdown.extensions.meta registers its preprocessor


class OneMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with one Markdown instance for every file,
    reset between files, instead of a new one (which loads every extension
    again) per file. The HTML and header lines are the same."""

    _shared = None

    def read(self, source_path: str):
        md = self._shared
        if md is None:
            md = self._shared = Markdown(**self.settings["MARKDOWN"])
            self._meta = md.preprocessors["meta"]
        md.reset()
        if "meta" not in md.preprocessors:  # Pelican's _parse_metadata removes it
            md.preprocessors.register(self._meta, "meta", META_PRIORITY)
        self._source_path = source_path
        self._md = md
        with pelican_open(source_path) as text:
            content = md.convert(text)
        return content, self._parse_metadata(md.Meta)


# Reusing the pages an earlier build wrote ---------------------------------------

CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def folder_digest(*folders) -> str:
    """A digest of every file (name and bytes) under the folders."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder or not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def site_digest(generators: list) -> str:
    """A digest of what any page may show of the other contents: each one's
    file, URL, language, status, template and header lines (not its text)."""
    digest = hashlib.sha256()
    for generator in generators:
        for attr in CONTENT_LISTS:
            for content in getattr(generator, attr, None) or ():
                fields = (
                    content.source_path,
                    content.save_as,
                    content.url,
                    content.lang,
                    content.status,
                    content.template,
                    sorted(content.metadata.items()),
                )
                digest.update(repr(fields).encode() + b"\0")
    return digest.hexdigest()


class PageCache:
    """Articles and pages as an earlier build wrote them (with their ``.gz`` and
    ``.br``), reused when nothing they show has changed.

    Only pages whose template shows no more of the other contents than their
    URLs and header lines (``BUILD_PAGE_CACHE_TEMPLATES``: articles and plain
    pages, not the news list or the home page) are kept. A page's key digests
    its own text and header lines, the header lines and URLs of every other
    content (``site_digest``), every file of the theme and the translations,
    and, through the cache folder's name, the settings and the plugins' code.
    Plugins that gather something while a page is written offer
    ``page_state()`` (what the page written last gave them) and
    ``restore_page_state(state, context)``; ``restorable_page_state(state)``
    may refuse a state whose files are gone.

    A page and its cached copy are one file with two names (a hard link), which
    costs next to nothing to make. So nothing may write into a page of the
    output folder in place: whatever writes a page again (``preview.py``)
    removes the old one first (``unlink_pages``).
    """

    SUFFIXES = ("", ".gz", ".br")

    def __init__(self, settings: dict, generators: list, plugins: list) -> None:
        self.folder = Path(settings["CACHE_PATH"]) / "pages"
        self.templates = frozenset(settings.get("BUILD_PAGE_CACHE_TEMPLATES") or ())
        self.plugins = [p for p in plugins if hasattr(p, "page_state")]
        self.output = Path(settings["OUTPUT_PATH"])
        self.base = hashlib.sha256(
            "\0".join(
                (
                    folder_digest(settings["THEME"], settings.get("BILINGUAL_TRANSLATIONS_DIR")),
                    site_digest(generators),
                )
            ).encode()
        ).hexdigest()
        self.reused = 0

    def key(self, name: str, content, kwargs: dict) -> str:
        own = (
            name,
            content.template,
            content._content,
            sorted(content.metadata.items()),
            sorted((k, v) for k, v in kwargs.items() if k not in ("article", "page")),
        )
        return hashlib.sha256(self.base.encode() + repr(own).encode()).hexdigest()

    def write_file(self, writer, name, template, context, *args, **kwargs):
        content = kwargs.get("article") or kwargs.get("page")
        if not name or content is None or content.template not in self.templates or args:
            # nothing to keep: no page (a draft's empty save_as writes none) or not one page
            return writer.write_file(name, template, context, *args, **kwargs)
        key = self.key(name, content, kwargs)
        entry = self.folder / key[:2] / key
        if self._reuse(entry, name, context):
            return None
        for plugin in self.plugins:
            plugin.page_state()  # forget what came before this page
        result = writer.write_file(name, template, context, **kwargs)
        self._keep(entry, name)
        return result

    def _reuse(self, entry: Path, name: str, context: dict) -> bool:
        try:
            with open(entry / "state.pickle", "rb") as file:
                states = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError):
            return False
        plugins = [p for p in self.plugins if p.__name__ in states]
        for plugin in plugins:
            check = getattr(plugin, "restorable_page_state", None)
            if check is not None and not check(states[plugin.__name__]):
                return False
        target = self.output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            for suffix in self.SUFFIXES:
                cached = entry / f"page{suffix}"
                if cached.exists():
                    link_or_copy(cached, f"{target}{suffix}")
        except OSError:  # pruned meanwhile by another build: write the page
            return False
        for plugin in plugins:
            plugin.restore_page_state(states[plugin.__name__], context)
        mark_used(entry)
        self.reused += 1
        return True

    def _keep(self, entry: Path, name: str) -> None:
        states = {p.__name__: p.page_state() for p in self.plugins}
        written = self.output / name

        def fill(folder: Path) -> None:
            for suffix in self.SUFFIXES:
                if Path(f"{written}{suffix}").exists():
                    link_or_copy(f"{written}{suffix}", folder / f"page{suffix}")
            with open(folder / "state.pickle", "wb") as file:
                pickle.dump(states, file)

        make_entry(entry, fill)

    def prune(self, older_than: float) -> None:
        """Forget the pages no build has used since ``older_than``."""
        prune(self.folder, older_than)


def unlink_pages(paths) -> None:
    """Remove written pages before they are written again: the page cache may
    share their bytes (``link_or_copy``), which writing in place would change."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


# Writing each language in its own process -------------------------------------


class ShardWriter:
    """A Pelican writer that writes only the files ``keep(name)`` accepts,
    reusing pages from ``cache`` (a PageCache) when it has them."""

    def __init__(self, writer, keep, cache: PageCache | None = None) -> None:
        self._writer = writer
        self._keep = keep
        self._cache = cache

    def write_file(self, name, *args, **kwargs):
        if not self._keep(name):
            return None
        if self._cache is not None:
            return self._cache.write_file(self._writer, name, *args, **kwargs)
        return self._writer.write_file(name, *args, **kwargs)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path is None or self._keep(path):
            return self._writer.write_feed(elements, context, path, *args, **kwargs)
        return None

    def __getattr__(self, name: str):
        return getattr(self._writer, name)


def shard_prefixes(settings: dict) -> list[str]:
    """The output folder of each language but the default one ("en/"): one
    process each writes its pages, while this process writes the rest."""
    if not settings.get("BUILD_PARALLEL_LANGUAGES", True) or not hasattr(os, "fork"):
        return []
    folders = language_folders(settings)
    folders.pop(settings.get("DEFAULT_LANG"), None)
    return [f"{folder}/" for folder in folders.values() if folder]


PREREAD_MIN_FILES = 40  # below this, two more processes cost more than they save


def path_metadata_reader(generator, path: str):
    """The reader Pelican would use for ``path``, or None."""
    return generator.readers.readers.get(file_suffix(path))


class ShardedPelican(Pelican):
    """Pelican's ``run`` with its output phase split by language over processes.

    Reading and every signal up to the writers happen once, in this process;
    then a forked child writes the articles and pages of each other language
    while this process writes the default language's and everything else. The
    children send back what plugins gathered while writing (each plugin module
    may offer ``shard_state()`` and ``merge_shard_state(state)``), and
    ``finalized`` runs here once, over the whole site.
    """

    def __init__(self, settings: dict, clock: PhaseClock | None = None) -> None:
        self.clock = clock or PhaseClock()
        super().__init__(settings)

    def run(self) -> None:
        started = time.time()
        context = self.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = self.settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=self.settings,
                path=self.path,
                theme=self.theme,
                output_path=self.output_path,
            )
            for cls in self._get_generator_classes()
        ]
        if self.delete_outputdir and os.path.commonpath(
            [os.path.realpath(self.output_path)]
        ) != os.path.commonpath([os.path.realpath(self.output_path), os.path.realpath(self.path)]):
            clean_output_dir(self.output_path, self.output_retention)
        clock = self.clock
        clock.mark("start")
        self._preread(generators)
        clock.mark("read Markdown")
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
            if hasattr(generator, "check_disabled_readers"):
                generator.check_disabled_readers()
        signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        writer = self._get_writer()
        cache = None
        if self.settings.get("BUILD_PAGE_CACHE") and (
            self.settings.get("CACHE_CONTENT") or self.settings.get("LOAD_CONTENT_CACHE")
        ):
            cache = PageCache(self.settings, generators, self.plugins)
        prefixes = shard_prefixes(self.settings)
        clock.mark("contents")
        children = [self._fork(prefix, generators, writer, cache) for prefix in prefixes]
        try:
            own = ShardWriter(writer, lambda name: not name.startswith(tuple(prefixes)), cache)
            for generator in generators:
                if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
                    generator.generate_output(own)
                elif hasattr(generator, "generate_output"):
                    generator.generate_output(writer)
        finally:
            states = [self._join(child) for child in children]
        reused = cache.reused if cache else 0
        for state in states:
            reused += state.pop(PageCache.__name__, 0)
            for plugin in self.plugins:
                merge = getattr(plugin, "merge_shard_state", None)
                name = getattr(plugin, "__name__", "")
                if merge is not None and name in state:
                    merge(state[name])
        clock.mark("write pages")
        signals.finalized.send(self)
        if cache is not None:
            cache.prune(older_than=started)
        clock.mark("finish")
        articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
        pages = next(g for g in generators if isinstance(g, PagesGenerator))
        logger.info(
            "Done: %d articles, %d pages in %.2f seconds (%d processes, %d pages reused).",
            len(articles.articles) + len(articles.translations),
            len(pages.pages) + len(pages.translations),
            time.time() - started,
            len(children) + 1,
            reused,
        )

    def _preread(self, generators: list) -> None:
        """Fill the content cache for the files it lacks, in two processes.

        What the readers make of a file (Markdown to HTML, the header lines)
        does not depend on the other files, so two children take the files one
        by one (the plugins may do more per file: the images plugin encodes the
        file's images) and send them back into the readers' caches; Pelican then
        reads from there.
        A file that fails or warns is left out and read again by Pelican itself,
        which reports it as usual.
        """
        if not (self.settings.get("CACHE_CONTENT") and shard_prefixes(self.settings)):
            return
        jobs = []
        for number, generator in enumerate(generators):
            kind = {ArticlesGenerator: "ARTICLE", PagesGenerator: "PAGE"}.get(type(generator))
            if kind is None:
                continue
            files = generator.get_files(
                self.settings[f"{kind}_PATHS"], exclude=self.settings[f"{kind}_EXCLUDES"]
            )
            for name in sorted(files):
                path = os.path.abspath(os.path.join(generator.path, name))
                if path_metadata_reader(generator, path) is None:
                    continue
                if generator.readers.get_cached_data(path, (None, None))[0] is None:
                    jobs.append((number, path))
        if len(jobs) < PREREAD_MIN_FILES:
            return
        # Each process takes the next file when it is done with one: a file
        # that takes long (one with images to encode) holds up only its own
        next_job = multiprocessing.Value("q", 0)
        children = [self._fork_reader(generators, jobs, next_job) for _part in (0, 1)]
        for child in children:
            for number, path, data in self._join(child):
                generators[number].readers.cache_data(path, data)

    def _fork_reader(self, generators: list, jobs: list, next_job) -> tuple[int, int]:
        def read() -> list:
            results = []
            while True:
                with next_job.get_lock():
                    index = next_job.value
                    next_job.value += 1
                if index >= len(jobs):
                    return results
                number, path = jobs[index]
                generator = generators[number]
                try:
                    content, metadata = path_metadata_reader(generator, path).read(path)
                except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
                    continue
                results.append((number, path, (content, _filter_discardable(metadata))))

        return fork_child(read)

    def _fork(self, prefix: str, generators: list, writer, cache=None) -> tuple[int, int]:
        def write() -> dict:
            """Write this language's pages; return what the plugins collected."""
            mine = ShardWriter(writer, lambda name: name.startswith(prefix), cache)
            for generator in generators:
                if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
                    generator.generate_output(mine)
            state = {PageCache.__name__: cache.reused if cache else 0}
            for plugin in self.plugins:
                if hasattr(plugin, "shard_state"):
                    state[plugin.__name__] = plugin.shard_state()
            return state

        return fork_child(write, describe=_recorded_messages)

    @staticmethod
    def _join(child: tuple[int, int]) -> dict:
        pid, read_end = child
        try:
            with os.fdopen(read_end, "rb") as pipe:
                kind, value = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError) as error:
            kind, value = "error", f"a build process stopped without a report ({error})"
        finally:
            os.waitpid(pid, 0)
        if kind != "ok":
            raise BuildError(value)
        return value


def fork_child(work: Callable[[], Any], describe: Callable[[BaseException], str] = str):
    """Run ``work()`` in a forked child process; returns (pid, pipe) for ``_join``.

    The child sends ("ok", what work returned) or ("error", describe(error))
    through the pipe, pickled, and leaves at once without running any cleanup
    of the parent's.
    """
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    status = 0
    try:
        payload = ("ok", work())
    except BaseException as error:  # reported to the parent, which stops the build
        payload = ("error", describe(error))
        status = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(payload, pipe)
    finally:
        os._exit(status)


def _recorded_messages(error: BaseException) -> str:
    """The warnings and errors this process logged, else the error itself."""
    recorded = [
        message
        for handler in logging.getLogger().handlers
        if isinstance(handler, _Recorder)
        for message in handler.messages
    ]
    return "\n".join(recorded) or f"{error}"


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames. The old folder, no
    longer served, is deleted in the background, with any that an interrupted
    build left behind."""
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old)  # onto the empty folder, which it replaces
    staging.rename(target)
    target.chmod(0o755)  # mkdtemp made it private; a web server must read it
    remove_in_background(sorted(target.parent.glob(f".{target.name}.old-*")))


def remove_in_background(folders: list[Path]) -> None:
    """Delete ``folders`` in a process that outlives this one and is not waited
    for (nor are its output and CPU time counted as the build's)."""
    if not folders:
        return
    if not shutil.which("sh"):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return
    # sh starts rm in the background and ends at once; rm holds none of this
    # process's files open, so whoever reads this build's output is not kept waiting
    command = 'rm -rf -- "$@" </dev/null >/dev/null 2>&1 &'
    subprocess.run(
        ["sh", "-c", command, "sh", *map(str, folders)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def main(argv: list[str]) -> int:
    settings_file = argv[0] if argv else "pelicanconf.py"
    output = argv[1] if len(argv) > 1 else None
    try:
        path = build_site(settings_file, output)
    except BuildError as error:
        print(f"\nBuild failed:\n{error}\n\nThe output folder was left as it was.", file=sys.stderr)
        return 1
    print(f"Built the site into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
