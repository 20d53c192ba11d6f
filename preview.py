"""The preview of ``make serve`` and ``invoke serve``: builds, and serves the site.

``Preview`` builds the whole site like ``make build`` (``build.build_site``:
into a staging folder, swapped in only on success), again after every edit.
Pelican's content cache makes a build after an edit fast; a build that fails
leaves the last good site in place, so no page that was there goes missing.

Both servers answer a page that does not exist with the site's own 404 page
of the right language (``/en/...`` gets the English one), never an empty
reply, and log one line per request.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

from build import build_site

logger = logging.getLogger("preview")

NOT_FOUND = "404.html"


class Preview:
    """One long-lived preview: ``build()`` and, after edits, ``rebuild()``."""

    def __init__(
        self,
        settings_file: str | os.PathLike,
        output: Path,
        overrides: dict | None = None,
        watched: Iterable[str | os.PathLike] = (),
    ) -> None:
        self.settings_file = settings_file
        self.output = Path(output).resolve()
        self.overrides = dict(overrides or {})
        self.watched = [Path(p) for p in watched]

    error: Exception | None = None  # why the last build failed, until one succeeds

    def build(self) -> Path:
        """A whole build; raises BuildError and keeps the last good site when it
        fails. Until a build succeeds, ``error`` says why (the error page)."""
        try:
            path = build_site(self.settings_file, self.output, self.overrides)
        except Exception as error:
            self.error = error
            raise
        self.error = None
        return path

    def rebuild(self, changed: Iterable[Path] | None = None) -> Path:
        """Build again after an edit (``changed`` is for the log only)."""
        if changed:
            logger.info("Changed: %s", ", ".join(str(path) for path in changed))
        return self.build()


def code_stamp(folders: Iterable[str | os.PathLike]) -> dict[Path, int]:
    """The time of the last change of every Python file under ``folders``
    (the plugins): a running process does not load changed code again."""
    return {
        path: path.stat().st_mtime_ns
        for folder in folders
        for path in sorted(Path(folder).rglob("*.py"))
    }


def changed_code(stamp: dict[Path, int], folders: Iterable[str | os.PathLike]) -> list[Path]:
    """The Python files under ``folders`` added, changed or removed since ``stamp``."""
    now = code_stamp(folders)
    return sorted(path for path in stamp.keys() | now.keys() if stamp.get(path) != now.get(path))


def restart() -> NoReturn:
    """Run this program again from the start, in this process, with the same
    command line (``make serve``'s ``invoke livereload``)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def not_found_page(root: Path, url_path: str) -> Path | None:
    """The 404 page for a missing ``url_path``: the one of the deepest folder
    on the way to it that has one (``/en/x`` gets ``en/404.html``), else the
    site's own."""
    parts = [part for part in url_path.split("?", 1)[0].split("/") if part]
    folders = [root]
    for part in parts[:-1]:
        if part in (".", "..") or os.sep in part:
            break
        folders.append(folders[-1] / part)
    for folder in reversed(folders):
        page = folder / NOT_FOUND
        if page.is_file():
            return page
    return None


class PreviewRequestHandler(ComplexHTTPRequestHandler):
    """Pelican's request handler, answering a missing page with the site's 404 page."""

    def send_not_found(self, head_only: bool = False) -> None:
        page = not_found_page(Path(self.base_path), self.path)
        body = page.read_bytes() if page else b"<!doctype html><title>404</title>Not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def found(self) -> bool:
        """Whether the request names a file (Pelican's suffix rules), else the 404 page is sent."""
        path = self.path.split("?", 1)[0]
        for suffix in self.SUFFIXES:
            if suffix == "/" and not path.endswith("/"):
                continue
            if os.path.exists(self.translate_path(path.rstrip("/") + suffix)):
                return True
        return False

    def do_GET(self) -> None:
        if not self.found():
            self.send_not_found()
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if not self.found():
            self.send_not_found(head_only=True)
            return
        super().do_HEAD()


class PreviewHTTPServer(RootedHTTPServer):
    """Pelican's server for ``invoke serve``: a request that fails (a browser
    that went away mid-answer) is one line in the terminal, not a traceback."""

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        host, port = client_address[:2]
        print(f"{host}:{port}: {type(error).__name__}: {error}", file=sys.stderr)


# The error page ---------------------------------------------------------------

# What the error page says, in the language of the file with the error.
ERROR_TEXTS = {
    "nb": {
        "title": "Siden kan ikke vises ennå: det er en feil i innholdet",
        "intro": "Forhåndsvisningen viser siden igjen så snart feilen er rettet og filen er "
        "lagret. Til da er ingenting endret på nettstedet.",
        "where": "Fil {path}, linje {line}",
        "file": "Fil {path}",
        "fix": "Slik retter du: ",
        "other": "Feil",
    },
    "en": {
        "title": "The page cannot be shown yet: there is a mistake in the content",
        "intro": "The preview shows the page again as soon as the mistake is fixed and the "
        "file saved. Until then nothing on the site has changed.",
        "where": "File {path}, line {line}",
        "file": "File {path}",
        "fix": "How to fix: ",
        "other": "Error",
    },
}
FIX_LABELS = tuple(texts["fix"] for texts in ERROR_TEXTS.values())
DEFAULT_LANG = "nb"


def language_of(path: str) -> str:
    """The language a content file's folder gives (``content/pages/en/x.md``: en)."""
    parts = Path(path).parts
    return next((part for part in reversed(parts[:-1]) if part in ERROR_TEXTS), DEFAULT_LANG)


def error_page(error: Exception) -> tuple[str, bytes]:
    """The language and HTML of the page that says what is wrong and where."""
    from tools.github import located_problems

    problems = located_problems(str(error)) or []
    lang = next((language_of(p.path) for p in problems if p.path), DEFAULT_LANG)
    texts = ERROR_TEXTS[lang]
    items = []
    for problem in problems:
        if problem.path and problem.line:
            heading = texts["where"].format(path=problem.path, line=problem.line)
        elif problem.path:
            heading = texts["file"].format(path=problem.path)
        else:
            heading = texts["other"]
        paragraphs = []
        for line in problem.message.splitlines():
            fix = next((label for label in FIX_LABELS if line.startswith(label)), None)
            if fix:
                line = texts["fix"] + line.removeprefix(fix)
            paragraphs.append(f"<p>{html.escape(line)}</p>")
        items.append(
            f'<section class="kbt-preview-error__problem"><h2>{html.escape(heading)}</h2>'
            + "".join(paragraphs)
            + "</section>"
        )
    body = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(texts['title'])}</title>\n</head>\n"
        f'<body>\n<main class="kbt-preview-error">\n<h1>{html.escape(texts["title"])}</h1>\n'
        f"<p>{html.escape(texts['intro'])}</p>\n"
        + "\n".join(items)
        + "\n</main>\n</body>\n</html>\n"
    )
    return lang, body.encode("utf-8")


def is_page(url_path: str) -> bool:
    """Whether a request asks for a page (not a stylesheet, image or script)."""
    last = url_path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return url_path.split("?", 1)[0].endswith("/") or last.endswith(".html") or "." not in last


def live_file_handler(preview: Preview | None = None):
    """livereload's static file handler (``make serve``), answering a missing
    page with the site's 404 page and, while the last build failed, every page
    with the error page. Pages load the live-reload script from the server
    itself (the site's Content-Security-Policy blocks livereload's inline one),
    so the browser shows the error page, and the fixed page, on its own."""
    from livereload.handlers import StaticFileHandler

    class PreviewFileHandler(StaticFileHandler):
        async def get(self, path: str, include_body: bool = True) -> None:
            if preview is not None and preview.error is not None and is_page(self.request.path):
                lang, body = error_page(preview.error)
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Content-Language", lang)
                self.finish(body if include_body else b"")  # no CSP: livereload's own script runs
                return
            root = Path(self.root).resolve()
            target = (root / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            inside = root in target.parents
            if inside and target.suffix == ".html" and target.is_file() and include_body:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                body = self.with_live_script(target.read_bytes())
                # livereload adds its own script, inline, which the site's CSP
                # blocks (an error in the browser's console on every page); it
                # looks only at a response's first part, so the page goes out in
                # two: up to </head>, then the rest
                cut = body.find(b"</head>")
                if cut > 0:
                    self.write(body[:cut])
                    await self.flush()
                    body = body[cut:]
                self.finish(body)
                return
            await super().get(path, include_body)

        def compute_etag(self) -> None:  # pages change with every build; never answer 304
            return None

        def with_live_script(self, body: bytes) -> bytes:
            port = self.request.host.rpartition(":")[2] or "80"
            script = f'<script src="/livereload.js?port={port}"></script>'.encode()
            return body.replace(b"</head>", script + b"</head>", 1)

        def write_error(self, status_code: int, **kwargs) -> None:
            page = not_found_page(Path(self.root), self.request.path)
            if status_code != 404 or page is None:
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())

    return PreviewFileHandler
