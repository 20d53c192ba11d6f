"""Bundle the theme's CSS and JavaScript into one file each, named by content hash.

CSS: ``ASSETS_CSS`` is an entry file under ``<THEME>/assets/``; its
``@import "file.css" layer(name);`` rules are inlined as ``@layer name {…}``
blocks, recursively, so the sources stay one file per component while readers
load one file. JavaScript: every ``*.js`` file in ``ASSETS_JS_DIR`` is joined
in name order; each is a self-contained enhancement module, loaded deferred.
``ASSETS_HEAD_JS`` names one small file for ``<head>``, loaded before the page
is drawn (``ASSETS.head_js``): it marks the page as enhanced, so that CSS may
hide what the deferred modules will show, without a jump.

The file names carry a hash of their content (``site.3f2a9c1b7e.css``), so a
server may cache them for ever. Templates find the URLs in ``ASSETS``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from pelican import signals

from sitelib.settings import add_defaults

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ASSETS_CSS": "css/index.css",
    "ASSETS_JS_DIR": "js",
    # One file under <THEME>/assets/ for <head> ("head/enhance.js"); None: none
    "ASSETS_HEAD_JS": None,
    "ASSETS_OUTPUT_DIR": None,  # default: THEME_STATIC_DIR
}

IMPORT = re.compile(r"""@import\s+(?:url\()?["']([^"']+)["']\)?\s*(?:layer\(([\w.-]+)\))?\s*;""")

_bundles: dict[str, tuple[str, str]] = {}  # kind -> (file name, text)


def inline_imports(path: Path, seen: frozenset[Path] = frozenset()) -> str:
    """The CSS of ``path`` with its local @import rules replaced by their files."""
    if path in seen:
        raise ValueError(f"{path}: @import loops back to itself.")
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        target = (path.parent / match.group(1)).resolve()
        if not target.is_file():
            raise FileNotFoundError(
                f"{path}: @import of {match.group(1)!r}, but {target} does not exist."
            )
        body = inline_imports(target, seen | {path})
        layer = match.group(2)
        return f"@layer {layer} {{\n{body}\n}}" if layer else body

    return IMPORT.sub(replace, text)


def hashed_name(stem: str, text: str, suffix: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{stem}.{digest}{suffix}"


def collect(settings: dict) -> dict[str, tuple[str, str]]:
    base = Path(settings["THEME"]) / "assets"
    bundles = {}
    css = inline_imports((base / settings["ASSETS_CSS"]).resolve())
    bundles["css"] = (hashed_name("site", css, ".css"), css)
    scripts = sorted((base / settings["ASSETS_JS_DIR"]).glob("*.js"))
    if scripts:
        js = "\n".join(p.read_text(encoding="utf-8") for p in scripts)
        bundles["js"] = (hashed_name("site", js, ".js"), js)
    if settings["ASSETS_HEAD_JS"]:
        path = base / settings["ASSETS_HEAD_JS"]
        if not path.is_file():
            raise FileNotFoundError(
                f"ASSETS_HEAD_JS names {settings['ASSETS_HEAD_JS']!r}, but {path} does not "
                "exist; give a file under the theme's assets/ folder, or None."
            )
        head = path.read_text(encoding="utf-8")
        bundles["head_js"] = (hashed_name("head", head, ".js"), head)
    return bundles


def prepare(generators) -> None:
    settings = generators[0].settings
    out_dir = settings["ASSETS_OUTPUT_DIR"] or settings["THEME_STATIC_DIR"]
    _bundles.clear()
    _bundles.update(collect(settings))
    generators[0].context["ASSETS"] = {
        kind: f"{settings['SITEURL']}/{out_dir}/{name}" for kind, (name, _t) in _bundles.items()
    }
    # Written now rather than in `finalized`, so that other plugins' `finalized`
    # handlers (link checks, precompression) find the files whatever their order.
    write(Path(settings["OUTPUT_PATH"]) / out_dir)


def write(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, text in _bundles.values():
        (target / name).write_text(text, encoding="utf-8")
        logger.debug("Wrote %s", target / name)
    _bundles.clear()


def reset(_pelican=None) -> None:
    _bundles.clear()


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(prepare)
    signals.finalized.connect(reset)
