"""Readability: LIX for the body text of every page and news item.

When Pelican has read all contents (``all_generators_finalized``), each
published page and article (hidden ones too, drafts not) is measured from its
Markdown file with ``lix.analyse``: LIX, words, sentences, and its longest
sentences with their lines. The texts no earlier build measured are measured
beside the build (``sitelib.background``) while Pelican writes the site; when
it is written (``finalized``) the results are gathered (``last_results()``)
and a summary is logged at INFO.

A language with a limit in ``READABILITY_LIMITS`` (Norwegian: 50) stops the
build when a text is over it, naming the file and the line of its longest
sentence and saying how to fix it; other languages are measured for
information. Sentences longer than ``READABILITY_LONG_SENTENCE`` words
(words inside quotation marks not counted) are flagged in the summary.
``invoke readability`` prints the table of every text (``table``).

Settings, defaults in ``DEFAULTS``: ``READABILITY_LIMITS`` (language -> the
highest LIX allowed), ``READABILITY_LONG_SENTENCE``, ``READABILITY_SHOWN``
(how many of the longest sentences an error names), ``READABILITY_MIN_WORDS``
(shorter texts are not held to the limit).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, fields
from pathlib import Path

from pelican import signals

from sitelib import background
from sitelib.cache import read_json, write_json
from sitelib.i18n import Message, _, language_of, say

from . import lix
from .lix import Report, Sentence, analyse

logger = logging.getLogger(__name__)

DEFAULTS = {
    "READABILITY_LIMITS": {"nb": 50},
    "READABILITY_LONG_SENTENCE": 30,
    "READABILITY_SHOWN": 3,
    # Below this many words LIX says little (one long word in "Velkommen."
    # gives 101): such a text is measured and shown, but not held to the limit.
    "READABILITY_MIN_WORDS": 20,
}

# The lists of the generators that hold published contents (drafts are not)
PUBLISHED = (
    "articles",
    "hidden_articles",
    "pages",
    "hidden_pages",
    "translations",
    "hidden_translations",
)
DRAFT = re.compile(r"^status:\s*draft\s*$", re.IGNORECASE | re.MULTILINE)
HOW_TO_FIX = _(
    "write shorter sentences (one thing per sentence, at most {long} words) and "
    "prefer short, everyday words to long ones; keep every fact. "
    "`invoke readability` shows every page's LIX; docs/redigering.md explains LIX and klarspråk."
)


class ReadabilityError(Exception):
    """A text over its language's LIX limit: names the file and line, says how to fix it."""

    def __init__(
        self, path: str, line: int | None, problem: str, fix: str, more: tuple = ()
    ) -> None:
        self.path, self.line, self.problem, self.fix = path, line, problem, fix
        self.more = more  # further texts over the limit: (path, line, problem)
        super().__init__(str(self))

    def __str__(self) -> str:
        lang = language_of(self.path)  # the first text's language
        lines = []
        for path, line, problem in ((self.path, self.line, self.problem), *self.more):
            where = f"{shown(path)}:{line}" if line else shown(path)
            lines.append(f"{where}: {say(problem, language_of(path))}")
        how = Message(_("How to fix: {fix}"), fix=self.fix).said(lang)
        return "\n".join(lines) + f"\n  {how}"


@dataclass(frozen=True)
class Measured:
    path: str  # the Markdown file
    lang: str
    report: Report
    limit: float | None  # None: measured for information only
    min_words: int = 0  # a shorter text is too short for LIX to mean much

    @property
    def over_limit(self) -> bool:
        held = self.limit is not None and self.report.words >= self.min_words
        return held and self.report.lix > self.limit


_last: list[Measured] = []  # the last build's results (reset when a build starts)


def settings_value(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def shown(path: str | os.PathLike) -> str:
    """The path relative to the working directory when it lies inside it."""
    path = os.fspath(path)
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


# Reports by the digest of the text they measure: a text is analysed once, not
# again in the next build (kept in CACHE_PATH/CACHE_FILE) or the next rebuild
# of the preview. A change to lix.py starts them afresh.
CACHE_FILE = "readability.json"
_CODE = hashlib.sha256(Path(lix.__file__).read_bytes()).hexdigest()
_reports: dict[str, Report] = {}
_used: set[str] = set()  # the digests the current build measured


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analysed(text: str) -> Report:
    """``analyse(text)``, each text once (see ``_reports``)."""
    key = digest(text)
    report = _reports.get(key)
    if report is None:
        report = _reports[key] = analyse(text)
    _used.add(key)
    return report


def load_reports(path: Path) -> None:
    """The reports an earlier build kept in ``path`` (none if it is missing or
    was written by another version of lix.py)."""
    kept = read_json(path, _CODE)
    for key, sentences in (kept if isinstance(kept, dict) else {}).items():
        _reports.setdefault(key, Report([Sentence(*fields) for fields in sentences]))


def save_reports(path: Path) -> None:
    """Keep the reports this build used in ``path``."""
    names = [f.name for f in fields(Sentence)]  # as load_reports reads them back
    reports = {
        key: [[getattr(s, name) for name in names] for s in _reports[key].sentences]
        for key in sorted(_used)
    }
    write_json(path, _CODE, reports)


def measure_file(path: str | os.PathLike, lang: str, settings: dict) -> Measured:
    text = Path(path).read_text(encoding="utf-8-sig")
    limit = settings_value(settings, "READABILITY_LIMITS").get(lang)
    min_words = settings_value(settings, "READABILITY_MIN_WORDS")
    return Measured(os.fspath(path), lang, analysed(text), limit, min_words)


def problem(measured: Measured, settings: dict) -> ReadabilityError:
    """The error for a text over its limit."""
    report = measured.report
    longest = report.longest(settings_value(settings, "READABILITY_SHOWN"))
    named = [Message(_("line {line} ({words} words)"), line=s.line, words=s.words) for s in longest]
    return ReadabilityError(
        measured.path,
        longest[0].line if longest else None,
        Message(
            _(
                "LIX {lix} is over the limit of {limit} for {lang} text ({words} words in "
                "{sentences} sentences, {long_words} long words). The longest sentences: "
                "{named}."
            ),
            lix=f"{report.lix:.1f}",
            limit=f"{measured.limit:g}",
            lang=measured.lang,
            words=report.words,
            sentences=len(report.sentences),
            long_words=report.long_words,
            named=named,
        ),
        Message(HOW_TO_FIX, long=settings_value(settings, "READABILITY_LONG_SENTENCE")),
    )


def check(results: Iterable[Measured], settings: dict) -> None:
    """Raise one ReadabilityError naming every text over its limit."""
    errors = [problem(m, settings) for m in results if m.over_limit]
    if not errors:
        return
    first = errors[0]
    more = tuple((e.path, e.line, e.problem) for e in errors[1:])
    raise ReadabilityError(first.path, first.line, first.problem, first.fix, more)


def flagged(results: Iterable[Measured], settings: dict) -> list[tuple[Measured, Sentence]]:
    """Every sentence over the length limit (quotes excepted), with its text."""
    limit = settings_value(settings, "READABILITY_LONG_SENTENCE")
    return [(m, s) for m in results for s in m.report.over(limit)]


def summary(results: list[Measured], settings: dict) -> list[str]:
    """A few lines for the build report: per language, the range of LIX and
    the highest; then each flagged sentence as file:line."""
    lines = []
    for lang in sorted({m.lang for m in results}):
        mine = [m for m in results if m.lang == lang]
        top = max(mine, key=lambda m: m.report.lix)
        limit = settings_value(settings, "READABILITY_LIMITS").get(lang)
        rule = f"limit {limit:g}" if limit is not None else "no limit, for information"
        lines.append(
            f"Readability ({lang}, {rule}): {len(mine)} texts, highest LIX "
            f"{top.report.lix:.1f} ({shown(top.path)})"
        )
    limit = settings_value(settings, "READABILITY_LONG_SENTENCE")
    for measured, sentence in flagged(results, settings):
        lines.append(
            f"{shown(measured.path)}:{sentence.line}: a sentence of {sentence.own_words} "
            f"words (over {limit}): {sentence.text[:80]}"
        )
    return lines


def table(results: list[Measured], settings: dict) -> str:
    """Every text with its LIX (those with a limit first, hardest first), then the
    flagged sentences."""
    header = "| LIX | Limit | Words | Sentences | Words/sentence | Long words | Language | File |"
    rows = [header, "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for m in sorted(results, key=lambda m: (m.limit is None, m.lang, -m.report.lix, m.path)):
        r = m.report
        per = r.words / len(r.sentences) if r.sentences else 0
        share = 100 * r.long_words / r.words if r.words else 0
        mark = " ⚠" if m.over_limit else ""
        limit = f"{m.limit:g}" if m.limit is not None else "–"
        rows.append(
            f"| {r.lix:.1f}{mark} | {limit} | {r.words} | {len(r.sentences)} | {per:.1f} "
            f"| {share:.0f} % | {m.lang} | {shown(m.path)} |"
        )
    lines = ["\n".join(rows)]
    long = flagged(results, settings)
    limit = settings_value(settings, "READABILITY_LONG_SENTENCE")
    lines.append(f"\n{len(long)} sentence(s) over {limit} words (quotes excepted).")
    lines += [
        f"{shown(m.path)}:{s.line}: {s.own_words} words: {s.text}"
        for m, s in sorted(long, key=lambda pair: (pair[0].lang, pair[0].path))
    ]
    return "\n".join(lines)


def content_files(settings: dict) -> list[tuple[Path, str]]:
    """Every published Markdown file of PAGE_PATHS and ARTICLE_PATHS with its
    language (from PATH_METADATA's ``lang``, else DEFAULT_LANG), for measuring
    without a build."""
    root = Path(settings["PATH"])
    pattern = re.compile(settings.get("PATH_METADATA") or "(?!)")
    found = []
    for folder in [*settings.get("PAGE_PATHS", []), *settings.get("ARTICLE_PATHS", [])]:
        for path in sorted((root / folder).rglob("*.md")):
            text = path.read_text(encoding="utf-8-sig")
            header = text.split("\n\n", 1)[0]
            if DRAFT.search(header):
                continue
            match = pattern.match(path.relative_to(root).as_posix())
            lang = (match.groupdict().get("lang") if match else None) or settings["DEFAULT_LANG"]
            found.append((path, lang))
    return found


def last_results() -> list[Measured]:
    """The results of the last build in this process."""
    return list(_last)


# Pelican signals --------------------------------------------------------------


def initialize(pelican) -> None:
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
    _last.clear()
    _run.texts.clear()


@dataclass
class _Run:
    """This build's texts: (path, language, digest of the text, the job
    measuring it beside the build, or None when an earlier build did)."""

    texts: list[tuple[str, str, str, Future | None]]
    known: set[str]  # the digests the cache file had when the build started


_run = _Run([], set())


def cache_file(settings: dict) -> Path | None:
    return Path(settings["CACHE_PATH"], CACHE_FILE) if settings.get("CACHE_PATH") else None


def start(generators) -> None:
    """Every published page and article, measured beside the build (or known)."""
    settings: dict = generators[0].settings
    cache = cache_file(settings)
    if cache is not None:
        load_reports(cache)
    _run.known = set(_reports)
    _run.texts.clear()
    seen: set[str] = set()
    for generator in generators:
        for name in PUBLISHED:
            for content in getattr(generator, name, None) or []:
                path = getattr(content, "source_path", None)
                if not path or path in seen:
                    continue
                seen.add(path)
                text = Path(path).read_text(encoding="utf-8-sig")
                key = digest(text)
                job = None if key in _reports else background.submit(analyse, text)
                _run.texts.append((path, content.lang, key, job))


def finish(pelican) -> None:
    """Gather the measures; keep them; stop the build over a limit."""
    settings = pelican.settings
    limits = settings_value(settings, "READABILITY_LIMITS")
    min_words = settings_value(settings, "READABILITY_MIN_WORDS")
    _used.clear()
    results: list[Measured] = []
    for path, lang, key, job in _run.texts:
        if job is not None and key not in _reports:
            _reports[key] = job.result()
        _used.add(key)
        results.append(Measured(path, lang, _reports[key], limits.get(lang), min_words))
    _run.texts.clear()
    results.sort(key=lambda m: m.path)
    _last[:] = results
    # Only the texts of this build stay (in this process and in the cache)
    for key in set(_reports) - _used:
        del _reports[key]
    cache = cache_file(settings)
    if cache is not None and (_used - _run.known or not cache.exists()):
        try:
            save_reports(cache)
        except OSError as error:
            # Not worth stopping the build for (every warning does): the next one measures again
            logger.info("Could not keep the readability reports in %s: %s", cache, error)
    for line in summary(results, settings):
        logger.info("%s", line)
    check(results, settings)


def register() -> None:
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(start)
    signals.finalized.connect(finish)
