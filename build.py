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
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pelican import Pelican
from pelican import log as pelican_log
from pelican.settings import read_settings

logger = logging.getLogger("build")

KEEP_CONTENT_CACHES = 4


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


def build_site(
    settings_file: str | os.PathLike = "pelicanconf.py",
    output: str | os.PathLike | None = None,
    overrides: dict | None = None,
    fatal: str = "warnings",
) -> Path:
    """Build into a temporary sibling of ``output``, then swap it into place.

    Returns the output folder. Raises BuildError, leaving ``output`` untouched,
    when Pelican logs a warning or an error or a content check fails.
    """
    with recording(fatal) as recorder:
        overrides = dict(overrides or {})
        settings = read_settings(os.fspath(settings_file), override=overrides)
        use_content_cache(settings, settings_file, overrides)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        settings["OUTPUT_PATH"] = str(staging)
        try:
            Pelican(settings).run()
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            if isinstance(error, RuntimeError) and recorder.messages:
                # Pelican's fatal logger stopped at a message it had just logged.
                raise BuildError("\n".join(recorder.messages)) from None
            raise BuildError(f"{error}") from error
    swap_into_place(staging, target)
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

    digest = hashlib.sha256()
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
    recently used few are kept. Images keep CACHE_PATH/images/."""
    if not (settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")):
        return
    base = Path(settings["CACHE_PATH"])
    settings.setdefault("IMAGES_CACHE_DIR", None)
    if settings["IMAGES_CACHE_DIR"] is None:
        settings["IMAGES_CACHE_DIR"] = str(base / "images")
    name = f"content-{cache_fingerprint(settings_file, overrides, settings['PLUGIN_PATHS'])}"
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    os.utime(folder)  # most recently used
    # Keep the caches of the few most recently used settings (publish, tests)
    others = sorted(base.glob("content-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_CONTENT_CACHES:]:
        shutil.rmtree(old, ignore_errors=True)
    settings["CACHE_PATH"] = str(folder)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    staging.rename(target)
    target.chmod(0o755)  # mkdtemp made it private; a web server must read it
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
