"""Build the site safely: into a fresh folder, swapped into place only on success.

A thin layer over Pelican's public API: ``build_site`` reads the settings
(``pelican.settings.read_settings``), runs ``pelican.Pelican(settings).run()``
into a staging folder beside the output folder, and swaps that folder into
place only when the build succeeded. Every warning stops the build (``fatal``
set to "warnings", like ``pelican --fatal warnings``); the content checks of
the plugins name the file and line and say how to fix it. The site is the one
that plain ``pelican content -s pelicanconf.py`` builds (tests/test_engine.py
proves it byte for byte).

``invoke build``, ``invoke publish``, ``invoke livereload`` and the tests all
build through ``build_site``. Run it directly as ``python build.py [SETTINGS]
[OUTPUT]``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
from pelican import Pelican
from pelican import log as pelican_log
from pelican.settings import read_settings

logger = logging.getLogger("build")

KEEP_CONTENT_CACHES = 4
IN_USE_SECONDS = 15 * 60  # a content cache used this recently is never removed


class BuildError(Exception):
    """The build stopped; the message says why."""


class SettingsError(BuildError):
    """The settings, or a plugin they import, cannot be loaded: nothing can be built."""


class Recorder(logging.Handler):
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


def build_site(
    settings_file: str | os.PathLike = "pelicanconf.py",
    output: str | os.PathLike | None = None,
    overrides: dict | None = None,
    fatal: str = "warnings",
    check_settings: Callable[[dict], None] | None = None,
) -> Path:
    """Build into a staging folder beside ``output``, then swap it into place.

    Returns the output folder. Raises BuildError, leaving ``output`` untouched,
    when Pelican logs a warning or an error, a content check fails or the
    output folder cannot be written. ``check_settings(settings)``, if given,
    sees the settings before anything is built and may raise BuildError.
    """
    with recording(fatal) as recorder:
        overrides = dict(overrides or {})
        settings = load_settings(settings_file, overrides)
        if check_settings is not None:
            check_settings(settings)
        use_content_cache(settings, settings_file, overrides)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        staging: Path | None = None
        try:
            staging = make_staging(target)
            settings["OUTPUT_PATH"] = str(staging)
            Pelican(settings).run()
        except BaseException as error:
            stop_plugin_processes()
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            elif isinstance(error, KeyboardInterrupt):
                # Ctrl-C while the staging folder was being made: it may exist unnamed
                remove_own_staging(target)
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(error, RuntimeError) and recorder.messages:
                # Pelican's fatal logger stopped at a message it had just logged.
                raise BuildError("\n".join(recorder.messages)) from None
            raise BuildError(f"{error}") from error
    swap_into_place(staging, target)
    return target


def stop_plugin_processes() -> None:
    """Stop the process pools the plugins started for a build that failed
    (``sitelib.background``, on the path the settings gave): they would
    otherwise wait for the rest of the build, holding the process's files."""
    try:
        from sitelib import background
    except ImportError:  # settings without the project's plugins
        return
    background.stop_all()


def load_settings(settings_file: str | os.PathLike, overrides: dict) -> dict:
    """Pelican's settings; a settings file or plugin that cannot be loaded
    raises BuildError naming the file and line where it failed."""
    try:
        return read_settings(os.fspath(settings_file), override=overrides)
    except Exception as error:  # noqa: BLE001 - any error of the imported code, reported
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
        raise SettingsError(
            f"{where}{type(error).__name__}: {error}\n  How to fix: the settings "
            f"({settings_file}) or a plugin they import cannot be loaded; correct the "
            "line named here (a plugin's missing library: run `make build` to install them)."
        ) from None


@contextmanager
def recording(fatal: str = "warnings") -> Iterator[Recorder]:
    """Pelican's logging for one build: warnings fatal, and kept in the recorder.
    Afterwards warnings are no longer fatal: a long-lived preview's web server
    logs a warning for every missing page, which must not raise."""
    not_fatal = pelican_log.FatalLogger.fatal_lvl
    pelican_log.init(level=logging.WARNING, fatal=fatal)
    # Pelican's loggers drop a warning they logged once in this process; a new
    # build (livereload, tests) must see it again, or it would not stop it.
    for existing in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(existing, pelican_log.LimitLogger):
            existing.disable_filter()
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        yield recorder
    finally:
        logging.getLogger().removeHandler(recorder)
        pelican_log.FatalLogger.fatal_lvl = not_fatal


# The content cache --------------------------------------------------------------


def cache_fingerprint(settings: dict, settings_file: str | os.PathLike, overrides: dict) -> str:
    """A digest of what the content cache depends on besides the text files it
    checks itself: the settings files, the overrides, the plugins' code, the
    library versions, and the other files of the content (the images a page
    shows are made part of the page when it is read)."""
    import markdown
    import pelican

    digest = hashlib.sha256(Path(settings_file).name.encode())
    folder = Path(settings_file).resolve().parent
    for path in sorted(folder.glob("*conf.py")):
        digest.update(path.read_bytes())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    for plugins in settings["PLUGIN_PATHS"]:
        for path in sorted(Path(plugins).rglob("*.py")):
            digest.update(path.as_posix().encode() + path.read_bytes())
    digest.update(f"{pelican.__version__} {markdown.__version__}".encode())
    readable = {f".{ext}" for ext in ("md", "markdown", "mkd", "mdown", "html", "htm", "rst")}
    for path in sorted(Path(settings["PATH"]).rglob("*")):
        if path.suffix.lower() not in readable and path.is_file():
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def use_content_cache(settings: dict, settings_file, overrides: dict) -> None:
    """Keep Pelican's content cache in CACHE_PATH/content-<fingerprint>/, so that
    other settings or changed plugins never read a stale one; only the most
    recently used few are kept, with the compiled templates in jinja/. The
    images stay in CACHE_PATH/images, keyed by what they hold."""
    if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
        return
    base = Path(settings["CACHE_PATH"])
    if settings.get("IMAGES_CACHE_DIR") is None:
        settings["IMAGES_CACHE_DIR"] = str(base / "images")
    name = f"content-{cache_fingerprint(settings, settings_file, overrides)}"
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    os.utime(folder)  # used now
    # Keep the caches of the few most recently used settings (publish, tests)
    others = []
    for other in base.glob("content-*"):
        with contextlib.suppress(OSError):  # removed meanwhile by another build
            others.append((other.stat().st_mtime, other))
    others = sorted((pair for pair in others if pair[1] != folder), reverse=True)
    recent = time.time() - IN_USE_SECONDS  # another build may be reading it now
    for mtime, old in others[KEEP_CONTENT_CACHES - 1 :]:
        if mtime < recent:
            shutil.rmtree(old, ignore_errors=True)
    settings["CACHE_PATH"] = str(folder)
    # Compiled templates, reused by later builds (Jinja checks each template's
    # source against the one it compiled)
    (folder / "jinja").mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "bytecode_cache": jinja2.FileSystemBytecodeCache(str(folder / "jinja")),
    }


# The staging folder and the swap ----------------------------------------------------


def unwritable(target: Path, error: OSError) -> BuildError:
    """The one-line error for an output folder that cannot be written."""
    reason = os.strerror(error.errno) if error.errno else str(error)
    return BuildError(
        f"{target}: cannot write the site there ({reason.lower()}). How to fix: make "
        f"{target.parent} writable, close what holds {target.name}/, or build into "
        "another folder."
    )


@contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold a lock on the folder that holds the output folder: one build at a
    time removes left-overs and swaps its folder into place."""
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # and with it the lock


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(target: Path) -> None:
    """Remove the staging and old folders that builds no longer running left
    beside ``target`` (a killed build cannot clean up after itself)."""
    for pattern in (f".{target.name}.new-*", f".{target.name}.old-*"):
        for folder in target.parent.glob(pattern):
            owner = folder.name[len(pattern) - 1 :].split("-", 1)[0]
            if not owner.isdigit() or not alive(int(owner)):
                shutil.rmtree(folder, ignore_errors=True)


def staging_prefix(target: Path) -> str:
    """The start of the name of this process's staging folders beside ``target``."""
    return f".{target.name}.new-{os.getpid()}-"


def remove_own_staging(target: Path) -> None:
    """Remove this process's staging folders beside ``target``."""
    for folder in target.parent.glob(staging_prefix(target) + "*"):
        shutil.rmtree(folder, ignore_errors=True)


def make_staging(target: Path) -> Path:
    """A new, empty folder beside ``target``, named after this process."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with output_lock(target):
            remove_leftovers(target)
        return Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
    except OSError as error:
        raise unwritable(target, error) from None


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not
    available."""
    name = ctypes.util.find_library("c")
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_into_place(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target``: in one step where the system
    can exchange two folders, so that ``target`` is never missing; the old site
    is then removed. One build swaps at a time."""
    try:
        staging.chmod(0o755)  # mkdtemp made it private; a web server must read it
        with output_lock(target):
            if not target.exists():
                staging.rename(target)
                return
            if not exchange(staging, target):
                old = target.parent / f".{target.name}.old-{os.getpid()}"
                target.rename(old)
                staging.rename(target)
                staging = old
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise unwritable(target, error) from None
    remove_in_background(staging)  # the old site


def remove_in_background(folder: Path) -> None:
    """Delete ``folder`` (the old site) in a process that the build does not
    wait for; renamed first, so that a later build removes it if that process
    is stopped. A shell starts that process and ends at once: the build waits
    for the shell only, so it leaves no child of its own running or unreaped."""
    old = folder.with_name(folder.name.replace(".new-", ".old-", 1))
    try:
        folder.rename(old)
    except OSError:
        old = folder
    if not (shutil.which("sh") and shutil.which("rm")):
        shutil.rmtree(old, ignore_errors=True)
        return
    subprocess.run(
        ["sh", "-c", 'rm -rf -- "$1" &', "sh", str(old)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped by a Ctrl-C of the build
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
    except KeyboardInterrupt:
        print("\nStopped (Ctrl-C): the output folder was left as it was.", file=sys.stderr)
        return 130
    print(f"Built the site into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
