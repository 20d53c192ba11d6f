"""Content images, share cards and favicons, all made with Pillow at build.

Content images: every ``<img>`` in a page or article whose source lies in
``content/images/`` (written ``![alt](images/x.jpg)``, ``{static}/images/x.jpg``
or a relative path) becomes a ``<picture>`` with AVIF (when Pillow has it) and
WebP sources, a JPEG (or PNG, for transparent images) fallback, ``srcset`` of
the widths in ``IMAGES_WIDTHS`` (never upscaled), ``sizes``, ``width`` and
``height``, ``decoding="async"`` and ``loading="lazy"`` for every image but the
first of a page. Alt text is required. EXIF orientation is applied and all
metadata stripped; the originals are not published (see ``STATIC_EXCLUDES`` in
pelicanconf.py). Variants are cached under ``IMAGES_CACHE_DIR`` by a hash of
the source bytes and the settings, so an unchanged image is encoded once.

Share cards (``cards.py``) and favicons are made from the mark in
``IMAGES_MARK`` (an SVG in the theme) and cached the same way.

Any bad image stops the build with a message naming the content file and line.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import time
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import pass_context
from pelican import signals
from pelican.contents import Article, Page

from bilingual.errors import ContentError, display_path
from cachefiles import link_or_copy

from . import cards
from .responsive import ImageProblem, Options, Result, variants

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "IMAGES_SOURCE_DIR": "images",  # inside PATH
    "IMAGES_OUTPUT_DIR": "images",  # inside OUTPUT_PATH
    "IMAGES_CACHE_DIR": None,  # default: <CACHE_PATH>/images
    "IMAGES_WIDTHS": (480, 960, 1440),
    "IMAGES_QUALITY": 80,
    "IMAGES_AVIF": True,  # used only where Pillow can encode AVIF
    "IMAGES_SIZES": "(min-width: 48rem) 42rem, 100vw",
    "IMAGES_MAX_MEGAPIXELS": 40,
    "IMAGES_MAX_IMAGE_PIXELS": 89_478_485,  # decompression bomb limit
    "IMAGES_MARK": "static/favicon.svg",  # inside THEME: the logo mark
    "IMAGES_CARDS": True,
    "IMAGES_CARD_FONT": None,  # default: Lato Bold from the font-lato package
    "IMAGES_FAVICONS": True,
}

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
LINK_PREFIX = re.compile(r"^\{(?:static|filename|attach)\}")

# State of one run (reset when a run starts: livereload reuses the process).
_results: dict[Path, Result] = {}  # source image -> its variants
_publish: dict[str, Path] = {}  # output path (relative) -> file in the cache
_page_cards: dict[str, Path] = {}  # the cards of the page being written (page_state)
STATS: dict[str, Any] = {"encoded": 0, "cached": 0, "cards_drawn": 0, "seconds": 0.0}
_run: dict[str, float] = {"started": 0.0}  # time.time() when the run started
LAST_RUN: dict[str, Any] = {}  # STATS of the last finished run, for tests and benchmarks


class _Attrs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs) -> None:
        self.attrs = dict(attrs)

    handle_startendtag = handle_starttag


def tag_attrs(tag: str) -> dict[str, str | None]:
    parser = _Attrs()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def source_line(path: str, needle: str) -> int | None:
    """The first line of the content file that mentions ``needle``."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if needle in line:
                    return number
    except OSError:
        return None
    return None


def resolve(src: str, content_file: str, root: Path, images_dir: str) -> Path | None:
    """The content image that ``src`` points at, or None when it is not one."""
    if EXTERNAL.match(src) or src.startswith("data:"):
        return None
    path = unquote(LINK_PREFIX.sub("", src).split("#")[0].split("?")[0])
    base = root / images_dir
    if path.startswith("/"):
        candidates = [root / path.lstrip("/")]
    else:
        candidates = [Path(content_file).parent / path, root / path]
        stripped = re.sub(r"^(?:\.\./)+", "", path)
        candidates.append(root / stripped)
    inside = []
    for candidate in candidates:
        candidate = Path(os.path.normpath(candidate))
        if candidate.is_relative_to(base):
            if candidate.is_file():
                return candidate
            inside.append(candidate)
    return inside[0] if inside else None


def options_from(settings: dict) -> Options:
    return Options(
        widths=tuple(settings["IMAGES_WIDTHS"]),
        quality=settings["IMAGES_QUALITY"],
        avif=settings["IMAGES_AVIF"],
        max_megapixels=settings["IMAGES_MAX_MEGAPIXELS"],
        bomb_pixels=settings["IMAGES_MAX_IMAGE_PIXELS"],
    )


def cache_dir(settings: dict) -> Path:
    return Path(settings["IMAGES_CACHE_DIR"] or Path(settings["CACHE_PATH"]) / "images")


def _process(image_path: Path, settings: dict) -> Result:
    if image_path not in _results:
        started = time.perf_counter()
        result = variants(image_path, cache_dir(settings), options_from(settings))
        STATS["seconds"] += time.perf_counter() - started
        # Encoded by this run: just now, or by a reading process (encode_ahead)
        made_now = result.encoded or result.folder.stat().st_mtime >= _run["started"]
        STATS["encoded" if made_now else "cached"] += 1
        if result.encoded:
            logger.info("Encoded %s (%d files)", display_path(image_path), len(result.variants))
        _results[image_path] = result
    return _results[image_path]


def _public_name(image_path: Path, root: Path, images_dir: str, result: Result, file: str) -> str:
    """Output path of one variant: images/<sub/stem>-<width>.<hash>.<ext>."""
    rel = image_path.relative_to(root / images_dir).with_suffix("")
    variant = Path(file)  # image-<width>.<ext>
    width = variant.stem.rsplit("-", 1)[1]
    return f"{rel.as_posix()}-{width}.{result.key[:10]}{variant.suffix}"


def picture_html(
    attrs: dict[str, str | None],
    result: Result,
    urls: dict[str, str],
    sizes: str,
    first: bool,
) -> str:
    """The <picture> element for one image; ``urls`` maps variant file -> URL."""

    def srcset(fmt: str) -> str:
        return ", ".join(f"{urls[v.file]} {v.width}w" for v in result.variants if v.format == fmt)

    formats = list(dict.fromkeys(v.format for v in result.variants))
    fallback = formats[-1]
    largest = [v for v in result.variants if v.format == fallback][-1]
    middle = [v for v in result.variants if v.format == fallback]
    default = middle[len(middle) // 2] if len(middle) > 1 else largest
    parts = ['<picture class="kbt-picture">']
    for fmt in formats[:-1]:
        mime = next(v.mime for v in result.variants if v.format == fmt)
        parts.append(
            f'<source type="{mime}" srcset="{escape(srcset(fmt))}" sizes="{escape(sizes)}">'
        )
    img = {
        "src": urls[default.file],
        "srcset": srcset(fallback),
        "sizes": sizes,
        "width": str(result.width),
        "height": str(result.height),
        "alt": attrs.get("alt") or "",
    }
    if attrs.get("title"):
        img["title"] = attrs["title"]
    if attrs.get("class"):
        img["class"] = attrs["class"]
    if not first:
        img["loading"] = "lazy"
    img["decoding"] = "async"
    parts.append("<img " + " ".join(f'{k}="{escape(v)}"' for k, v in img.items()) + ">")
    parts.append("</picture>")
    return "".join(parts)


def _line_of(content_file: str, src: str) -> int | None:
    return source_line(content_file, src) or source_line(content_file, LINK_PREFIX.sub("", src))


def require_alt(attrs: dict, src: str, content_file: str, line: int | None) -> None:
    if not (attrs.get("alt") or "").strip():
        raise ContentError(
            content_file,
            line,
            f"the image {src} has no alt text.",
            "describe what the image shows between the brackets, for example "
            f"`![Two people talking at a table]({src})`.",
        )


def image_of(tag: str, content_file: str, settings: dict) -> tuple[dict, str, Path | None]:
    """The attributes and ``src`` of an ``<img>`` tag, and the file in the
    content images folder it points to (None if elsewhere; it may not exist)."""
    attrs = tag_attrs(tag)
    src = attrs.get("src") or ""
    root = Path(settings["PATH"])
    return attrs, src, resolve(src, content_file, root, settings["IMAGES_SOURCE_DIR"])


def content_images(html: str, content_file: str, settings: dict):
    """``(attrs, src, path)`` of each ``<img>`` in ``html`` that points into the
    content images folder (``path`` may not exist)."""
    for match in IMG_TAG.finditer(html):
        attrs, src, image_path = image_of(match.group(0), content_file, settings)
        if image_path is not None:
            yield attrs, src, image_path


def check_alt_texts(html: str, content_file: str, settings: dict) -> None:
    """Raise ContentError for a content image without alt text."""
    for attrs, src, _path in content_images(html, content_file, settings):
        require_alt(attrs, src, content_file, _line_of(content_file, src))


class _AltCheckingReader:
    """Wraps a reader: checks alt texts before Pelican's own, vaguer warning."""

    def __init__(self, reader, settings: dict) -> None:
        self._reader = reader
        self._settings = settings

    def __getattr__(self, name: str):
        return getattr(self._reader, name)

    def read(self, source_path: str):
        content, metadata = self._reader.read(source_path)
        if content:
            check_alt_texts(content, source_path, self._settings)
            encode_ahead(content, source_path, self._settings)
        return content, metadata


def encode_ahead(html: str, content_file: str, settings: dict) -> None:
    """Encode the content images of a file being read into the cache.

    build.py reads the files in two processes, so their images are encoded in
    parallel; the ``<picture>`` elements are made later, in the main process
    (``rewrite_images``), from the cache. An image that the other process is
    encoding (it holds the image's lock) is left to it; a bad image is left to
    ``rewrite_images``, which reports it with its line.
    """
    for _attrs, _src, image_path in content_images(html, content_file, settings):
        if image_path in _results or not image_path.is_file():
            continue
        lock_file = encoding_lock(image_path, settings)
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_file, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # the other reading process is encoding it
            with contextlib.suppress(ImageProblem):
                _process(image_path, settings)


def encoding_lock(image_path: Path, settings: dict) -> Path:
    """The file whose lock a process holds while it encodes ``image_path``."""
    return cache_dir(settings) / "locks" / hashlib.sha256(os.fsencode(image_path)).hexdigest()


def rewrite_images(html: str, content_file: str, settings: dict) -> str:
    """Replace the content images in ``html`` by <picture> elements."""
    root = Path(settings["PATH"])
    images_dir = settings["IMAGES_SOURCE_DIR"]
    out_dir = settings["IMAGES_OUTPUT_DIR"]
    seen_first = False

    def replace(match: re.Match) -> str:
        nonlocal seen_first
        attrs, src, image_path = image_of(match.group(0), content_file, settings)
        if image_path is None:
            return match.group(0)
        line = _line_of(content_file, src)
        require_alt(attrs, src, content_file, line)
        if not image_path.is_file():
            raise ContentError(
                content_file,
                line,
                f"the image {src} does not exist (looked for {display_path(image_path)}).",
                f"check the file name, or put the image into {display_path(root / images_dir)}/.",
            )
        try:
            result = _process(image_path, settings)
        except ImageProblem as problem:
            raise ContentError(
                content_file,
                line,
                f"the image {display_path(image_path)} cannot be used: {problem}.",
                "save it again as a JPEG or PNG of at most "
                f"{settings['IMAGES_MAX_MEGAPIXELS']} megapixels "
                f"(for example {max(settings['IMAGES_WIDTHS'])} pixels wide is plenty).",
            ) from None
        urls = {}
        for variant in result.variants:
            name = _public_name(image_path, root, images_dir, result, variant.file)
            _publish[f"{out_dir}/{name}"] = result.folder / variant.file
            urls[variant.file] = f"{settings['SITEURL']}/{out_dir}/{name}"
        html_out = picture_html(attrs, result, urls, settings["IMAGES_SIZES"], not seen_first)
        seen_first = True
        return html_out

    return IMG_TAG.sub(replace, html)


# Template helpers -------------------------------------------------------------


@pass_context
def share_card(ctx, title: str, subtitle: str = "") -> dict[str, Any] | None:
    """Draw (or reuse) the share card for ``title``; its URL, size and alt text."""
    settings = _settings
    if not settings.get("IMAGES_CARDS"):
        return None
    lang = ctx.get("lang") or settings["DEFAULT_LANG"]
    card = cards.share_card(
        title=title,
        site_name=settings["SITENAME"],
        subtitle=subtitle,
        mark=cards.read_mark(_mark_path(settings)),
        font=cards.font_path(settings["IMAGES_CARD_FONT"]),
        cache_dir=cache_dir(settings) / "cards",
    )
    if card.drawn:
        STATS["cards_drawn"] += 1
    name = f"{settings['IMAGES_OUTPUT_DIR']}/cards/{card.key[:16]}.png"
    _publish[name] = card.path
    _page_cards[name] = card.path
    siteurl = settings["SITEURL"]
    return {
        "url": f"{siteurl}/{name}",
        "width": cards.CARD_SIZE[0],
        "height": cards.CARD_SIZE[1],
        "alt": f"{title} – {settings['SITENAME']}" + (f", {subtitle}" if subtitle else ""),
        "lang": lang,
    }


def _mark_path(settings: dict) -> Path:
    return Path(settings["THEME"]) / settings["IMAGES_MARK"]


# Signal handlers ----------------------------------------------------------------

_settings: dict[str, Any] = {}


def initialize(pelican) -> None:
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    _settings.clear()
    _settings.update(settings)
    _results.clear()
    _publish.clear()
    _page_cards.clear()
    STATS.update(encoded=0, cached=0, cards_drawn=0, seconds=0.0)
    _run["started"] = time.time()


def install_template_helpers(generator) -> None:
    generator.env.globals["share_card"] = share_card
    generator.env.globals["favicons"] = {
        "ico": f"{generator.settings['SITEURL']}/favicon.ico",
        "touch": f"{generator.settings['SITEURL']}/apple-touch-icon.png",
        "svg": f"{generator.settings['SITEURL']}/{generator.settings['THEME_STATIC_DIR']}/"
        + Path(generator.settings["IMAGES_MARK"]).name,
    }


def _checking(reader_class):
    def make(settings):
        return _AltCheckingReader(reader_class(settings), settings)

    return make


def wrap_readers(readers) -> None:
    """Readers are made right after this signal: wrap each reader class."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class:
            readers.reader_classes[extension] = _checking(reader_class)


def process_content(content) -> None:
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    content._content = rewrite_images(content._content, content.source_path, content.settings)


def shard_state() -> dict:
    """What this process gathered while writing (build.py's language processes)."""
    return {"publish": dict(_publish), "stats": dict(STATS)}


def page_state() -> dict:
    """The cards the page written last uses (build.py keeps them with the page)."""
    state = dict(_page_cards)
    _page_cards.clear()
    return state


def restorable_page_state(state: dict) -> bool:
    return all(Path(path).is_file() for path in state.values())


def restore_page_state(state: dict, context: dict) -> None:
    """A page build.py took from its cache uses these cards: publish them."""
    _publish.update(state)


def merge_shard_state(state: dict) -> None:
    _publish.update(state["publish"])
    # Content images are made while reading, before the processes part; cards
    # are drawn while writing, so only their count grew in the other process.
    STATS["cards_drawn"] += state["stats"]["cards_drawn"]


def publish_images(output: Path) -> None:
    """Copy the variants and cards used since the last call into ``output``
    (the preview calls it after writing single pages)."""
    for name, cached in sorted(_publish.items()):
        target = output / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # The cache and the output share a disk: no copy, if all may read it
            if os.stat(cached).st_mode & 0o044 == 0o044:
                link_or_copy(cached, target)
            else:
                shutil.copyfile(cached, target)
    _publish.clear()
    _page_cards.clear()


def publish(pelican) -> None:
    """Copy the variants and cards into the output; write the favicons."""
    output = Path(pelican.output_path)
    published = len(_publish)
    publish_images(output)
    if pelican.settings.get("IMAGES_FAVICONS"):
        mark = cards.read_mark(_mark_path(pelican.settings))
        cards.write_favicons(mark, output)
    LAST_RUN.clear()
    LAST_RUN.update(STATS, published=published)
    logger.info(
        "Images: %d encoded, %d from the cache, %d share cards drawn, %.2f s",
        STATS["encoded"],
        STATS["cached"],
        STATS["cards_drawn"],
        STATS["seconds"],
    )
    _results.clear()
    _publish.clear()
    _page_cards.clear()


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_template_helpers)
    signals.readers_init.connect(wrap_readers)
    signals.content_object_init.connect(process_content)
    signals.finalized.connect(publish)
