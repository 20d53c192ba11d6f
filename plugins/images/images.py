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

import difflib
import functools
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

from sitelib import background
from sitelib.cache import link_or_copy
from sitelib.errors import ContentError, display_path
from sitelib.i18n import Message, _
from sitelib.settings import add_defaults
from sitelib.source import line_of

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
    "IMAGES_MARK": "assets/mark.svg",  # inside THEME: the logo mark
    # inside THEME: the CSS whose custom properties hold the site's colours
    "IMAGES_COLOURS": "assets/css/tokens.css",
    "IMAGES_CARDS": True,
    "IMAGES_CARD_FONT": None,  # default: Lato Bold from the font-lato package
    "IMAGES_FAVICONS": True,
}

FAVICON_SVG = "favicon.svg"  # written into THEME_STATIC_DIR
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
LINK_PREFIX = re.compile(r"^\{(?:static|filename|attach)\}")

# State of one run (reset when a run starts: livereload reuses the process).
_results: dict[Path, Result] = {}  # source image -> its variants
_publish: dict[str, Path] = {}  # output path (relative) -> file in the cache, not yet copied
# output path (relative) -> (what draws the card, its cache key)
_cards: dict[str, tuple[tuple, str]] = {}
STATS: dict[str, Any] = {"encoded": 0, "cached": 0, "cards_drawn": 0, "seconds": 0.0}
LAST_RUN: dict[str, Any] = {}  # STATS of the last finished run, for tests and benchmarks
# Metadata a content file's reader leaves: the content images its page shows
USED_IMAGES = "responsive_images"


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
        STATS["encoded" if result.encoded else "cached"] += 1
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
    # Whatever else the tag carried stays on it, for the other checks to judge
    # (the safety plugin's allowlist), whichever plugin reads first
    for name, value in attrs.items():
        if name not in img and name not in ("srcset", "sizes") and value is not None:
            img[name] = value
    parts.append("<img " + " ".join(f'{k}="{escape(v)}"' for k, v in img.items()) + ">")
    parts.append("</picture>")
    return "".join(parts)


def _line_of(content_file: str, src: str) -> int | None:
    return line_of(content_file, src, LINK_PREFIX.sub("", src))


def require_alt(attrs: dict, src: str, content_file: str, line: int | None) -> None:
    if not (attrs.get("alt") or "").strip():
        raise ContentError(
            content_file,
            line,
            _("the image {src} has no alt text."),
            _(
                "describe what the image shows between the brackets, for example "
                "`![Two people talking at a table]({src})`."
            ),
            src=src,
        )


def closest_image_fix(image_path: Path, folder: Path) -> Message:
    """How to mend a link to a missing image: the image in ``folder`` with the
    closest name, if one is close."""
    names = (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if folder.is_dir()
        else []
    )
    try:
        wanted = image_path.relative_to(folder).as_posix()
    except ValueError:
        wanted = image_path.name
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    if close:
        return Message(_("did you mean `images/{name}`?"), name=close[0])
    return Message(
        _("check the file name, or put the image into {folder}/."), folder=display_path(folder)
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


def responsive(reader_class: type) -> type:
    """``reader_class`` with the content images of what it reads checked (alt
    text, before Pelican's own, vaguer warning) and made responsive; the
    images a file shows are noted in its metadata (``USED_IMAGES``), which
    Pelican's content cache keeps, so that a build that reads the file from
    the cache publishes them too."""

    class ResponsiveReader(reader_class):
        def read(self, source_path: str):
            content, metadata = super().read(source_path)
            if content:
                check_alt_texts(content, source_path, self.settings)
                used: list[str] = []
                content = rewrite_images(content, source_path, self.settings, used)
                if used:
                    metadata[USED_IMAGES] = used
            return content, metadata

    ResponsiveReader.__name__ = f"Responsive{reader_class.__name__}"
    return ResponsiveReader


def variant_urls(image_path: Path, settings: dict) -> tuple[Result, dict[str, str]]:
    """The variants of a content image (encoded now or taken from the cache),
    queued for publishing; returns them with each variant file's URL."""
    root = Path(settings["PATH"])
    images_dir = settings["IMAGES_SOURCE_DIR"]
    out_dir = settings["IMAGES_OUTPUT_DIR"]
    result = _process(image_path, settings)
    urls = {}
    for variant in result.variants:
        name = _public_name(image_path, root, images_dir, result, variant.file)
        _publish[f"{out_dir}/{name}"] = result.folder / variant.file
        urls[variant.file] = f"{settings['SITEURL']}/{out_dir}/{name}"
    return result, urls


def rewrite_images(
    html: str, content_file: str, settings: dict, used: list[str] | None = None
) -> str:
    """Replace the content images in ``html`` by <picture> elements; the
    images' paths are added to ``used``."""
    root = Path(settings["PATH"])
    images_dir = settings["IMAGES_SOURCE_DIR"]
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
                _("the image {src} does not exist (looked for {looked})."),
                closest_image_fix(image_path, root / images_dir),
                src=src,
                looked=display_path(image_path),
            )
        try:
            result, urls = variant_urls(image_path, settings)
        except ImageProblem as problem:
            raise ContentError(
                content_file,
                line,
                _("the image {image} cannot be used: {problem}."),
                _(
                    "save it again as a JPEG or PNG of at most {megapixels} megapixels (for "
                    "example {width} pixels wide is plenty)."
                ),
                image=display_path(image_path),
                problem=problem,
                megapixels=settings["IMAGES_MAX_MEGAPIXELS"],
                width=max(settings["IMAGES_WIDTHS"]),
            ) from None
        if used is not None:
            used.append(str(image_path))
        html_out = picture_html(attrs, result, urls, settings["IMAGES_SIZES"], not seen_first)
        seen_first = True
        return html_out

    return IMG_TAG.sub(replace, html)


def responsive_image(tag: str, content_file: str, settings: dict) -> str:
    """One ``<img>`` tag as the site's <picture> (other plugins find this in
    Pelican's context as ``responsive_image(tag, content_file)``)."""
    return rewrite_images(tag, content_file, settings)


# Template helpers -------------------------------------------------------------


@pass_context
def share_card(ctx, title: str, subtitle: str = "") -> dict[str, Any] | None:
    """The share card for ``title``: its URL, size and alt text. The card is
    drawn (or taken from the cache) when the site is written (``finalized``).
    The settings are those in the template's context."""
    settings = ctx
    if not settings.get("IMAGES_CARDS"):
        return None
    lang = ctx.get("lang") or settings["DEFAULT_LANG"]
    recipe = (
        title,
        settings["SITENAME"],
        subtitle,
        str(_mark_path(settings)),
        cards.font_path(settings["IMAGES_CARD_FONT"]),
        str(_colours_path(settings)),
    )
    key = cards.card_key(*recipe)
    name = f"{settings['IMAGES_OUTPUT_DIR']}/cards/{key[:16]}.png"
    _cards[name] = (recipe, key)
    return {
        "url": f"{settings['SITEURL']}/{name}",
        "width": cards.CARD_SIZE[0],
        "height": cards.CARD_SIZE[1],
        "alt": f"{title} – {settings['SITENAME']}" + (f", {subtitle}" if subtitle else ""),
        "lang": lang,
    }


def _mark_path(settings: dict) -> Path:
    return Path(settings["THEME"]) / settings["IMAGES_MARK"]


def _colours_path(settings: dict) -> Path:
    return Path(settings["THEME"]) / settings["IMAGES_COLOURS"]


# Signal handlers ----------------------------------------------------------------


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)
    reset()


def install_template_helpers(generator) -> None:
    siteurl = generator.settings["SITEURL"]
    generator.env.globals["share_card"] = share_card
    generator.env.globals["favicons"] = {
        "ico": f"{siteurl}/favicon.ico",
        "touch": f"{siteurl}/apple-touch-icon.png",
        "svg": f"{siteurl}/{generator.settings['THEME_STATIC_DIR']}/{FAVICON_SVG}",
    }
    generator.context["responsive_image"] = functools.partial(
        responsive_image, settings=generator.settings
    )


def read_images(readers) -> None:
    """Readers are made right after this signal: give each class the content images."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class:
            readers.reader_classes[extension] = responsive(reader_class)


def queue_used_images(content) -> None:
    """A page read from Pelican's content cache shows these images: publish them."""
    for path in content.metadata.get(USED_IMAGES, ()):
        try:
            variant_urls(Path(path), content.settings)
        except ImageProblem:  # its file changed: Pelican reads the page again
            continue


def publish_images(output: Path) -> None:
    """Copy the variants queued since the last call into ``output``."""
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


def write_icons(generators) -> None:
    """The favicons, written before any plugin's ``finalized`` looks at the site."""
    settings = generators[0].settings
    if not settings["IMAGES_FAVICONS"]:
        return
    output = Path(settings["OUTPUT_PATH"])
    colours = cards.read_colours(_colours_path(settings))
    mark = cards.read_mark(_mark_path(settings), colours)
    static = output / settings["THEME_STATIC_DIR"]
    static.mkdir(parents=True, exist_ok=True)
    cards.write_favicons(mark, output, static / FAVICON_SVG)


def on_content_written(path: str, context: dict) -> None:
    """The page's content images go into the output with the page."""
    if _publish:
        publish_images(Path(context["OUTPUT_PATH"]))


def _draw_card(job: tuple[Path, tuple]) -> Path:
    card, recipe = job
    return cards.draw_card_file(card, *recipe)


def draw_cards(output: Path, settings: dict) -> int:
    """Draw the cards the pages use that the cache lacks, in a process pool,
    and link every card into ``output``; returns how many were drawn."""
    cache = cache_dir(settings) / "cards"
    missing = {}
    for name, (recipe, key) in _cards.items():
        card = _publish[name] = cache / f"{key}.png"
        if not card.is_file():
            missing[card] = recipe
    with background.process_pool() as run_all:
        run_all(_draw_card, list(missing.items()))
    publish_images(output)
    return len(missing)


def finish(pelican) -> None:
    """Draw and publish the share cards; log what was done."""
    try:
        started = time.perf_counter()
        output = Path(pelican.output_path)
        publish_images(output)
        STATS["cards_drawn"] = draw_cards(output, pelican.settings)
        STATS["seconds"] += time.perf_counter() - started
        LAST_RUN.clear()
        LAST_RUN.update(STATS, published=len(_results))
        logger.info(
            "Images: %d encoded, %d from the cache, %d share cards drawn, %.2f s",
            STATS["encoded"],
            STATS["cached"],
            STATS["cards_drawn"],
            STATS["seconds"],
        )
    finally:
        reset()


def reset(_pelican=None) -> None:
    _results.clear()
    _publish.clear()
    _cards.clear()
    STATS.update(encoded=0, cached=0, cards_drawn=0, seconds=0.0)


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_template_helpers)
    signals.readers_init.connect(read_images)
    signals.content_object_init.connect(queue_used_images)
    signals.all_generators_finalized.connect(write_icons)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(finish)
