"""Timeline pages: yearly milestones written in Markdown, in both languages.

A page with ``Template: timeline`` holds an intro and one ``## <year>: <title>``
section per milestone (see ``parser.py`` and docs/timeline.md). This plugin

* parses those pages once all pages are read (``page_generator_finalized``),
  checks images, links and that every milestone has its translation, and
  stops the build with a "file:line: problem / How to fix" error otherwise;
  milestones marked ``Translation_status: untranslated`` are left out of
  their language (logged at INFO, not fatal);
* puts the milestones on the page (``page.timeline``) and into the template
  context (``timeline``: language -> Timeline), for the timeline page and
  the teaser on the home page;
* writes ``timeline.json`` next to each timeline page.

Settings, with their defaults in ``DEFAULTS``: ``TIMELINE_THEMES``,
``TIMELINE_TEMPLATE``, ``TIMELINE_JSON_NAME`` and ``TIMELINE_TEASER_COUNT``.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pelican import signals

from sitelib.i18n import _
from sitelib.settings import add_defaults

from .parser import (
    Milestone,
    Timeline,
    TimelineError,
    check_images,
    check_links,
    check_pairs,
    markdown_renderer,
    overview,
    parse_timeline,
    published,
    to_json,
)

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # theme id -> {language code: name}
    "TIMELINE_THEMES": {},
    # pages with this `Template:` are timelines
    "TIMELINE_TEMPLATE": "timeline",
    # the export written next to each timeline page
    "TIMELINE_JSON_NAME": "timeline.json",
    # how many milestones the home page shows
    "TIMELINE_TEASER_COUNT": 3,
}

# The timelines of this run, per language; reset when a run starts and ends.
_timelines: dict[str, Timeline] = {}
_pages: dict[str, Any] = {}  # language -> the timeline page


def initialize(pelican) -> None:
    add_defaults(pelican.settings, DEFAULTS)
    reset()


def _all_pages(generator) -> list:
    names = ("pages", "translations", "hidden_pages", "hidden_translations")
    return [page for name in names for page in getattr(generator, name, [])]


def load_timelines(
    pages: list, settings: dict, page_keys: set[str], context: dict | None = None
) -> dict[str, Timeline]:
    """Parse and check the timeline pages among ``pages``; log and raise on errors.
    With Pelican's ``context``, ``{filename}`` links in milestones are resolved."""
    themes = settings.get("TIMELINE_THEMES", DEFAULTS["TIMELINE_THEMES"])
    template = settings.get("TIMELINE_TEMPLATE", DEFAULTS["TIMELINE_TEMPLATE"])
    content_root = Path(settings.get("PATH", "."))
    found: dict[str, Timeline] = {}
    try:
        for page in pages:
            if getattr(page, "template", None) != template:
                continue
            render = _renderer(page, settings, context)
            text = Path(page.source_path).read_text(encoding="utf-8-sig")
            timeline = parse_timeline(text, page.source_path, page.lang, themes, render)
            check_images(timeline, lambda name: (content_root / name).is_file())
            check_links(timeline, page_keys)
            if page.lang in found:
                raise TimelineError(
                    page.source_path,
                    None,
                    _("there is a second timeline page in {lang} (the first is {first})."),
                    _("keep one timeline page per language."),
                    lang=page.lang,
                    first=found[page.lang].path,
                )
            found[page.lang] = timeline
            logger.debug(
                "Timeline: read %s milestones from %s", len(timeline.milestones), page.source_path
            )
        check_pairs(found.values())
    except TimelineError as error:
        logger.error("%s", error)
        raise
    for lang, timeline in list(found.items()):
        found[lang], left_out = published(timeline)
        for milestone in left_out:
            logger.info(
                "Timeline: left the untranslated milestone %s (%s) out of %s",
                milestone.id,
                milestone.title,
                lang,
            )
    return found


INTERNAL_LINK = re.compile(r'(?P<attr>href|src)="\{filename\}(?P<path>[^"#?]*)(?P<rest>[^"]*)"')


def resolve_links(html: str, page, context: dict) -> str:
    """``{filename}`` links in a milestone as Pelican resolves them in pages:
    to the URL of the content file they name (relative to the page's folder,
    or to PATH when they start with /)."""
    generated = context.get("generated_content", {})
    siteurl = context.get("SITEURL", "")

    def replace(match: re.Match) -> str:
        path = match["path"]
        if path.startswith("/"):
            path = path[1:]
        else:
            path = os.path.join(os.path.dirname(page.relative_source_path), path)
        linked = generated.get(os.path.normpath(path).replace("\\", "/"))
        if linked is None or not getattr(linked, "url", None):
            logger.warning(
                "Unable to find '%s' (a milestone's link in %s), skipping url replacement.",
                match["path"],
                page.source_path,
            )
            return match.group(0)
        return f'{match["attr"]}="{siteurl}/{linked.url}{match["rest"]}"'

    return INTERNAL_LINK.sub(replace, html)


def _renderer(page, settings, context: dict | None = None):
    """Markdown with the site's settings; {filename} links resolved like Pelican's."""
    render = markdown_renderer(settings.get("MARKDOWN"))
    if context is None:
        return render

    def render_page(text: str):
        return Markup(resolve_links(str(render(text)), page, context))

    return render_page


def attach(generator) -> None:
    """Parse the timeline pages of the pages generator and share their milestones."""
    pages = _all_pages(generator)
    keys = {page.key for page in pages if getattr(page, "key", None)}
    _timelines.clear()
    _pages.clear()
    _timelines.update(load_timelines(pages, generator.settings, keys, generator.context))
    by_key = {(page.lang, page.key): page for page in pages}
    template = generator.settings["TIMELINE_TEMPLATE"]
    for page in pages:
        if getattr(page, "template", None) == template and page.lang in _timelines:
            page.timeline = _timelines[page.lang]
            page.timeline_overview = overview(page.timeline, datetime.date.today().year)
            _pages[page.lang] = page
    for lang, timeline in _timelines.items():
        for milestone in timeline.milestones:
            attach_picture(milestone, _pages.get(lang), generator.settings, generator.context)
            milestone.link_page = by_key.get((lang, milestone.link)) or next(
                (p for (_l, k), p in by_key.items() if k == milestone.link), None
            )
    generator.context["timeline"] = TimelineContext(dict(_timelines), dict(_pages))


def attach_picture(milestone: Milestone, page, settings: dict, context: dict) -> None:
    """Give a milestone's image the site's responsive form.

    Where another plugin (the images plugin) offers ``responsive_image`` in
    Pelican's context, the image becomes its <picture> of resized,
    metadata-free variants (``image_html``) and ``image_url`` points at its
    fallback. Without it, both point at the original.
    """
    milestone.image_html = None
    milestone.image_url = None
    if not milestone.image:
        return
    siteurl = settings.get("SITEURL", "")
    milestone.image_url = f"{siteurl}/{milestone.image}"
    responsive_image = context.get("responsive_image")
    if responsive_image is None or page is None:
        return
    tag = (
        f'<img class="kbt-timeline__image" src="{escape(milestone.image)}" '
        f'alt="{escape(milestone.alt or "")}">'
    )
    html = responsive_image(tag, page.source_path)
    milestone.image_html = Markup(html)
    fallback = re.search(r'<img [^>]*src="([^"]+)"', html)
    if fallback:
        milestone.image_url = fallback.group(1)


class TimelineContext(dict):
    """language -> Timeline, plus the timeline page of each language."""

    def __init__(self, timelines: dict[str, Timeline], pages: dict[str, Any]) -> None:
        super().__init__(timelines)
        self.pages = pages

    def page(self, lang: str):
        return self.pages.get(lang)


def export(timeline: Timeline, page, settings: dict) -> dict[str, Any]:
    """The machine-readable form of a timeline (the content of timeline.json)."""
    siteurl = settings.get("SITEURL", "")
    themes = settings.get("TIMELINE_THEMES", {})
    page_url = f"{siteurl}/{page.url}"

    def item(milestone: Milestone) -> dict[str, Any]:
        link_page = getattr(milestone, "link_page", None)
        period = timeline.period_of(milestone)
        return {
            "id": milestone.id,
            "start": milestone.start,
            "end": milestone.end,
            "label": milestone.label,
            "title": milestone.title,
            "url": f"{page_url}#{milestone.id}",
            "themes": [
                {"id": theme, "name": themes[theme].get(timeline.lang, theme)}
                for theme in milestone.themes
            ],
            "period": period.id if period else None,
            "body_html": str(milestone.body_html),
            "quote": (
                {"text": milestone.quote, "source": milestone.quote_source}
                if milestone.quote
                else None
            ),
            "image": (
                {"url": getattr(milestone, "image_url", None), "alt": milestone.alt}
                if milestone.image
                else None
            ),
            "link": (
                {
                    "key": milestone.link,
                    "title": link_page.title,
                    "url": f"{siteurl}/{link_page.url}",
                }
                if link_page is not None
                else None
            ),
        }

    return {
        "lang": timeline.lang,
        "title": page.title,
        "url": page_url,
        "periods": [
            {
                "id": period.id,
                "start": period.start,
                "end": period.end,
                "label": period.label,
                "title": period.title,
                "url": f"{page_url}#{period.id}",
                "body_html": str(period.body_html),
            }
            for period in timeline.periods
        ],
        "milestones": [item(m) for m in timeline.milestones],
    }


def json_path(page, settings: dict) -> str:
    """Where timeline.json of ``page`` is written, relative to the output folder."""
    folder = os.path.dirname(page.save_as)
    return os.path.join(folder, settings.get("TIMELINE_JSON_NAME", "timeline.json"))


def json_url(page, settings: dict) -> str:
    return f"{settings.get('SITEURL', '')}/{json_path(page, settings).replace(os.sep, '/')}"


class TimelineJSONGenerator:
    """Writes timeline.json for each language (returned by ``get_generators``)."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs) -> None:
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def generate_output(self, writer) -> None:
        for lang, timeline in _timelines.items():
            page = _pages[lang]
            target = Path(self.output_path) / json_path(page, self.settings)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_json(export(timeline, page, self.settings)), encoding="utf-8")
            logger.debug("Timeline: wrote %s", target)


def get_generators(_pelican) -> type:
    return TimelineJSONGenerator


def install_template_helpers(generator) -> None:
    generator.env.globals["timeline_json_url"] = lambda page: json_url(page, generator.settings)


def reset(_pelican=None) -> None:
    _timelines.clear()
    _pages.clear()


def register():
    signals.initialized.connect(initialize)
    signals.generator_init.connect(install_template_helpers)
    signals.page_generator_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(reset)
