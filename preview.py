"""The preview of ``make serve``: one long-lived process that rebuilds after edits.

``Preview.build()`` builds the whole site like ``build.build_site`` (with the
caches in ``cache/``) and keeps what Pelican read: the generators and their
context. ``Preview.rebuild(changed)`` then looks at what changed:

* only the text of articles or ordinary pages (their header lines, which
  listings, menus and translations show, unchanged): each file is read again
  and only its own page is written, through the same template, plugins and
  checks (heading anchors, link marks, links into the site, precompression);
  when a check fails, the pages it wrote are put back as they were, so the
  last good site stays in ``output/``;
* anything else (a header, a new or deleted file, a template, a setting, a
  plugin, a timeline page): a full build, as ``make build`` does.

The search index is brought up to date by the next full build. ``invoke
livereload`` calls ``rebuild`` on every change and then reloads the browser.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Content, Page
from pelican.writers import Writer

from build import BuildError, build_site, recording, unlink_pages

logger = logging.getLogger("preview")

# Templates whose pages show more than their own file (milestones, listings)
FULL_BUILD_TEMPLATES = {"timeline", "home", "news", "sitemap", "search"}


def _forget_memoized(content: Content) -> None:
    """Pelican memoizes get_content/get_summary per object: drop this one's."""
    for name in ("get_content", "get_summary"):
        cache = Content.__dict__[name].cache
        for key in [k for k in cache if k and k[0] is content]:
            del cache[key]


class Preview:
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
        self.generators: list = []
        self.stamps: dict[Path, int] = {}
        self.last_fast = False  # whether the last rebuild took the fast way

    # Builds -------------------------------------------------------------------

    def build(self) -> Path:
        """A full build; remembers the generators for later fast rebuilds."""
        for name in ("get_content", "get_summary"):
            Content.__dict__[name].cache.clear()  # objects of the previous build
        captured: list = []

        def capture(generators) -> None:
            captured[:] = generators

        signals.all_generators_finalized.connect(capture)
        try:
            path = build_site(self.settings_file, self.output, self.overrides)
        finally:
            signals.all_generators_finalized.disconnect(capture)
        self.generators = captured
        self.stamps = self._stamps()
        return path

    def rebuild(self, changed: Iterable[Path] | None = None) -> Path:
        """Build again after ``changed`` (default: whatever changed since the last build)."""
        new_stamps = self._stamps()
        if changed is None:
            changed = {
                p
                for p in set(new_stamps) | set(self.stamps)
                if new_stamps.get(p) != self.stamps.get(p)
            }
        changed = {Path(p).resolve() for p in changed}
        self.last_fast = False
        if changed and self.generators:
            contents = self._contents_of(changed)
            if contents is not None and self._rewrite(contents):
                self.stamps = new_stamps
                self.last_fast = True
                return self.output
        return self.build()

    # The fast way ---------------------------------------------------------------

    def _contents_of(self, changed: set[Path]) -> list[tuple[object, Content]] | None:
        """(generator, content) for each changed file, or None when one is no
        ordinary article or page of the last build."""
        by_path = {}
        for generator in self.generators:
            for name in ("articles", "translations", "pages", "hidden_pages"):
                for content in getattr(generator, name, None) or []:
                    by_path[Path(content.source_path).resolve()] = (generator, content)
        found = []
        for path in changed:
            entry = by_path.get(path)
            if entry is None or getattr(entry[1], "template", None) in FULL_BUILD_TEMPLATES:
                return None
            found.append(entry)
        return found

    def _rewrite(self, contents: list[tuple[object, Content]]) -> bool:
        """Read each file again and write its page; False when its header changed.

        When a check fails, the written pages (and their .gz and .br) and the
        contents in memory are put back as they were, and BuildError is raised.
        """
        kept_files = self._keep_files(content for _generator, content in contents)
        kept_texts = [(content, content._content) for _generator, content in contents]
        unlink_pages(kept_files)  # written anew, not in place: the page cache shares them
        try:
            return self._read_and_write(contents)
        except BaseException:
            for path, data in kept_files.items():
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(data)
            for content, text in kept_texts:
                content._content = text
                _forget_memoized(content)
            raise

    def _keep_files(self, contents: Iterable[Content]) -> dict[Path, bytes | None]:
        """The bytes of each page the contents write, and of its .gz and .br."""
        kept = {}
        for content in contents:
            page = self.output / content.save_as
            for path in (
                page,
                page.with_name(page.name + ".gz"),
                page.with_name(page.name + ".br"),
            ):
                kept[path] = path.read_bytes() if path.is_file() else None
        return kept

    def _read_and_write(self, contents: list[tuple[object, Content]]) -> bool:
        with recording() as recorder:
            try:
                fresh = []
                for generator, old in contents:
                    new = generator.readers.read_file(
                        base_path=generator.path,
                        path=os.path.relpath(old.source_path, generator.path),
                        content_class=type(old),
                        context=generator.context,
                    )
                    if new.metadata != old.metadata:
                        return False
                    fresh.append((generator, old, new))
                writer = Writer(str(self.output), settings=fresh[0][0].settings)
                from images.images import publish_images
                from quality import quality

                for generator, old, new in fresh:
                    old._content = new._content
                    _forget_memoized(old)
                    # The build wrote into a staging folder, now in place at self.output
                    context = {**generator.context, "OUTPUT_PATH": str(self.output)}
                    self._write(generator, writer, old, context)
                publish_images(self.output)
                quality.check_written(self.output)
            except BuildError:
                raise
            except Exception as error:
                if recorder.messages:
                    raise BuildError("\n".join(recorder.messages)) from None
                raise BuildError(f"{error}") from error
            if recorder.messages:
                raise BuildError("\n".join(recorder.messages))
        return True

    @staticmethod
    def _write(generator, writer: Writer, content: Content, context: dict) -> None:
        settings = generator.settings
        template = generator.get_template(content.template)
        common = {
            "relative_urls": settings["RELATIVE_URLS"],
            "override_output": hasattr(content, "override_save_as"),
            "url": content.url,
        }
        if isinstance(content, Article):
            writer.write_file(
                content.save_as,
                template,
                context,
                article=content,
                category=content.category,
                blog=True,
                **common,
            )
        elif isinstance(content, Page):
            writer.write_file(content.save_as, template, context, page=content, **common)

    # Watching -------------------------------------------------------------------

    def _stamps(self) -> dict[Path, int]:
        stamps = {}
        for root in self.watched:
            if root.is_file():
                stamps[root.resolve()] = root.stat().st_mtime_ns
                continue
            for folder, _dirs, files in os.walk(root):
                for name in files:
                    path = Path(folder, name).resolve()
                    with contextlib.suppress(OSError):
                        stamps[path] = path.stat().st_mtime_ns
        return stamps
