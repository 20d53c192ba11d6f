"""Benchmark: our build against plain Pelican on the same synthetic corpus.

    .venv/bin/invoke bench -n 1000 [--rounds 3]  # or: python bench/build_bench.py -n 1000

In one run, on one corpus (``bench/corpus.py``: N articles per language plus
the real pages), each build in its own process:

* **cold**: our full build (all plugins, both languages, search index,
  precompression) with empty caches, and plain Pelican 4.12 with its default
  theme and native translations (``lang`` from the folder, ``Key`` as the
  translation id);
* **warm**: a new build after editing one article, then after editing one
  template (``base.html``), with the caches the previous builds left (plain
  Pelican has no cache by default, so its "warm" build is a full one);
* **preview**: what ``make serve`` does after one edit, in its long-lived
  process (``preview.py``), until the changed pages are written;
* **peak memory** of each: the largest summed resident memory of the build
  process and all its children (Pagefind, worker processes), sampled.

With ``--rounds N`` every build runs N times (each round from empty caches)
and the medians are reported. It prints a Markdown table and writes it into
``docs/performance.md`` with the machine it ran on. Times live here, never in a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench import corpus  # noqa: E402 - the project's folder is on sys.path now

REPORT = ROOT / "docs" / "performance.md"
TARGET_SECONDS = 2.0
TARGET_MB = 500

# What our build makes and plain Pelican does not, turned off for the row
# "Cold, without share cards, search index and precompression"
LEAN = {"IMAGES_CARDS": False, "SEARCH_PAGEFIND": False, "QUALITY_PRECOMPRESS": []}
LEAN_WHAT = "share cards, search index and precompression"

PLAIN_TEMPLATES = ("home", "news", "search", "sitemap", "timeline")
PLAIN_SETTINGS = """\
# Plain Pelican 4.12: default theme, native translations
PATH = {content!r}
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "nb"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["news"]
STATIC_PATHS = ["images"]
PATH_METADATA = r"(?:pages|news)/(?P<lang>[^/]+)/.*"
SLUGIFY_SOURCE = "basename"
ARTICLE_TRANSLATION_ID = "key"
PAGE_TRANSLATION_ID = "key"
THEME_TEMPLATES_OVERRIDES = [{templates!r}]
"""


# Running and measuring one build ---------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Memory of ``pid`` and all its descendants, now, in bytes."""
    tree = _children()
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        total += _memory_of(current, page)
    return total


def _memory_of(pid: int, page: int) -> int:
    """Proportional set size (a page shared by n processes counts 1/n in each:
    forked build processes share most of their memory), else resident size."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * page
    except (OSError, ValueError):
        return 0


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    output: str = ""
    cpu: float | None = None  # user + system seconds of the process and its children
    phases: dict[str, float] = field(default_factory=dict)  # build.PhaseClock's, if logged


def phases_in(output: str) -> dict[str, float]:
    """The phases of the "Phases: start 0.15 s; read Markdown 0.00 s; …" line."""
    for line in output.splitlines():
        if line.startswith("Phases: "):
            parts = (part.rsplit(" ", 2) for part in line[len("Phases: ") :].split("; "))
            return {name: float(seconds) for name, seconds, _unit in parts}
    return {}


def measure(command: list[str], cwd: Path = ROOT) -> Measure:
    """Run ``command``; its wall time and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    # ru_maxrss (KB) of the process itself, in case the sampler missed a short peak
    peak = max(peak, usage.ru_maxrss * 1024)
    # wait4's usage covers the process and the children it waited for (the
    # language process, Pagefind): CPU time, which other load barely changes
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(seconds, peak / 2**20, output, cpu, phases_in(output))


# The builds -------------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def theme(self) -> Path:
        return self.root / "theme"

    @property
    def plain_templates(self) -> Path:
        return self.root / "plain-templates"

    def ours_overrides(self, lean: bool = False) -> dict:
        cache = self.root / ("cache-lean" if lean else "cache")
        return {
            "PATH": str(self.content),
            "THEME": str(self.theme),
            "CACHE_PATH": str(cache),
            "IMAGES_CACHE_DIR": str(cache / "images"),
            **corpus.SETTINGS,
            **(LEAN if lean else {}),
        }


def prepare(n: int, seed: int, root: Path) -> Workspace:
    space = Workspace(root)
    corpus.generate(n, space.content, seed)
    shutil.copytree(ROOT / "theme", space.theme)
    space.plain_templates.mkdir()
    import pelican

    notmyidea = Path(pelican.__file__).parent / "themes" / "notmyidea" / "templates"
    shutil.copy(notmyidea / "base.html", space.plain_templates / "base.html")
    for name in PLAIN_TEMPLATES:
        (space.plain_templates / f"{name}.html").write_text(
            '{% extends "page.html" %}\n', encoding="utf-8"
        )
    (root / "plainconf.py").write_text(
        PLAIN_SETTINGS.format(content=str(space.content), templates=str(space.plain_templates)),
        encoding="utf-8",
    )
    return space


def ours(space: Workspace, lean: bool = False) -> Measure:
    overrides = json.dumps(space.ours_overrides(lean))
    output = space.root / ("output-lean" if lean else "output-ours")
    return measure([sys.executable, __file__, "--worker", overrides, str(output)])


def plain(space: Workspace) -> Measure:
    return measure(
        [
            sys.executable,
            "-m",
            "pelican",
            "-q",
            "-s",
            str(space.root / "plainconf.py"),
            "-o",
            str(space.root / "output-plain"),
            "--delete-output-directory",
        ]
    )


def preview(space: Workspace, edit: Path) -> Measure:
    """A long-lived preview process: built once, then one edit; time of the rebuild."""
    overrides = json.dumps(space.ours_overrides())
    result = measure(
        [
            sys.executable,
            __file__,
            "--preview-worker",
            overrides,
            str(space.root / "output-preview"),
            str(edit),
        ]
    )
    seconds = float(result.output.strip().splitlines()[-1])
    return Measure(seconds, result.peak_mb, result.output)


def edit_file(path: Path, marker: str) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        path.write_text(f"{text}\n{{# {marker} #}}\n", encoding="utf-8")
    else:
        path.write_text(f"{text}\nEdited: {marker}.\n", encoding="utf-8")


# Worker side (in the measured process) ----------------------------------------------


def worker(overrides: str, output: str) -> None:
    from build import build_site

    log = logging.getLogger("build")  # its INFO line "Phases: …", for phases_in
    log.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.propagate = False
    build_site(ROOT / "pelicanconf.py", output, json.loads(overrides))


def preview_worker(overrides: str, output: str, edit: str) -> None:
    from preview import Preview

    session = Preview(ROOT / "pelicanconf.py", Path(output), json.loads(overrides))
    session.build()
    edit_file(Path(edit), "preview")
    started = time.perf_counter()
    session.rebuild({Path(edit)})
    print(f"{time.perf_counter() - started:.3f}")


# The report -------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 2**20:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    import pelican

    return {
        "CPU": cpu,
        "Cores available": str(len(os.sched_getaffinity(0))),
        "RAM": ram,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Pelican": getattr(pelican, "__version__", "4.12"),
        "Date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average (1, 5, 15 min) at the end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def table(rows: list[tuple[str, Measure | None, Measure | None]]) -> str:
    lines = [
        "| Build | Ours (s) | Ours CPU (s) | Ours peak memory (MB) | Plain Pelican (s) "
        "| Plain CPU (s) | Plain peak memory (MB) | Ours ÷ plain |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, mine, theirs in rows:

        def cell(m: Measure | None, attr: str) -> str:
            if m is None:
                return "–"
            if attr == "peak":
                return f"{m.peak_mb:.0f}"
            value = getattr(m, attr)
            return "–" if value is None else f"{value:.2f}"

        ratio = "–" if not (mine and theirs) else f"{mine.seconds / theirs.seconds:.2f}×"
        lines.append(
            f"| {name} | {cell(mine, 'seconds')} | {cell(mine, 'cpu')} | {cell(mine, 'peak')} "
            f"| {cell(theirs, 'seconds')} | {cell(theirs, 'cpu')} | {cell(theirs, 'peak')} "
            f"| {ratio} |"
        )
    return "\n".join(lines)


def verdicts(results: dict[str, Measure], plains: dict[str, Measure]) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "**not met**"

    plain_cold = plains["cold"]
    plain_cached = plains.get("cached", plain_cold)
    cold = results["cold"]
    lean = results.get("cold lean")
    cached = results["cached"]
    warm = [results["warm article"], results["warm template"]]
    out = [
        f"- Cold build at most 1.0× plain Pelican's: {cold.seconds / plain_cold.seconds:.2f}× "
        f"with empty caches — {mark(cold.seconds <= plain_cold.seconds)}; "
        f"{cached.seconds / plain_cached.seconds:.2f}× with the caches of an earlier build "
        f"— {mark(cached.seconds <= plain_cached.seconds)}"
        + (
            f"; {lean.seconds / plain_cold.seconds:.2f}× with empty caches but without "
            f"{LEAN_WHAT} (which plain Pelican does not make)"
            if lean
            else ""
        ),
        f"- Warm rebuild after one edit under {TARGET_SECONDS:.0f} s: "
        + ", ".join(f"{m.seconds:.2f} s" for m in warm)
        + f" — {mark(all(m.seconds < TARGET_SECONDS for m in warm))}",
    ]
    if "preview" in results:
        p = results["preview"].seconds
        out.append(
            f"- Preview (`make serve`) after one edit under {TARGET_SECONDS:.0f} s: {p:.2f} s "
            f"— {mark(p < TARGET_SECONDS)}"
        )
    if "real cold" in results:
        real = results["real cold"].seconds
        out.append(
            f"- The real site from scratch under 5 s: {real:.2f} s with empty caches, "
            f"{results['real cached'].seconds:.2f} s with them — {mark(real < 5)}"
        )
    if "real article" in results:
        edited = results["real article"].seconds
        out.append(
            "- For comparison (the 2 s target is set on the corpus): the real site, built "
            f"by a new process after one article was edited, in {edited:.2f} s"
        )
    peak = max(m.peak_mb for m in results.values())
    out.append(f"- Peak memory under {TARGET_MB} MB: {peak:.0f} MB — {mark(peak < TARGET_MB)}")
    return out


NOTES = """\
What the rows mean:

- **Cold**: a new process, a fresh output folder and *empty* caches (no
  content cache, no image or share-card cache): truly cold. Plain Pelican
  reads the same content folder with its default theme (`notmyidea`) and
  five one-line templates for the pages that name their own template.
- **Fresh output, caches kept**: what `make build` does on a machine that
  has built the site before: a new process and a new output folder, but
  the caches in `cache/`: Pelican's content cache, the written pages,
  Pagefind's bundle, compressed files, compiled templates, images and share
  cards (each invalidated by its own inputs: the file, the settings and
  plugin code, the theme, the pages' HTML, the image bytes, the card's title).
- **Warm after editing one article / one template**: a new process, as
  `make build` starts one, after one article (or `base.html`) was changed; it
  may use the caches in `cache/` that the earlier builds left. Plain Pelican
  has no cache by default: its warm builds are full builds.
- **Preview**: `make serve` keeps one process running; the time from an edit
  being noticed to the changed pages being written (browser reload follows).
- **CPU**: user and system seconds of the build process and the processes
  it waited for (its language process, Pagefind). Other programs running at
  the same time lengthen the wall-clock times but hardly the CPU times; the
  load average under "Machine" tells how busy the machine was.
- **Peak memory**: the largest memory of the build's process tree (build,
  its per-language process, Pagefind) sampled every 50 ms, in MB: the sum of
  each process's proportional set size (PSS), so that memory the forked
  processes share is counted once; at least the build process's own peak
  resident size (`ru_maxrss`).

What the build does to be fast (`build.py`, the plugins):

- Pelican's content cache (`CACHE_CONTENT`, `LOAD_CONTENT_CACHE`) in
  `cache/content-<fingerprint>/`: the fingerprint covers the settings files,
  the plugins' code and the Markdown and Pelican versions, so a change to
  any of them starts a fresh cache; a file is read again when its mtime changes.
- Files the cache lacks are read (Markdown to HTML) in two processes that
  take the files one by one, each with one Markdown instance reset between
  files (`build.OneMarkdownReader`) instead of Pelican's new instance, with
  all its extensions, per file. Each process also encodes the content images
  of the files it reads (`images.encode_ahead`; a lock per image keeps the
  two from encoding the same one), so the main process finds them cached.
- After reading, each language other than the default one is written
  (templates, heading anchors and link marks, precompression) by a forked
  process of its own; links are checked over the whole site afterwards.
- The page cache (`BUILD_PAGE_CACHE`, in the same folder): each article and
  plain page is kept as written (with its `.gz` and `.br`) and linked back
  (a hard link: no bytes copied) while its key is unchanged: its own text
  and header lines, the header lines and URLs of every content (menus,
  translations, the news page's title), every file of the theme and the
  translations, and (through the folder) the settings and plugins. Listing
  pages (home, news, sitemap, timeline, search) are always written. Plugins
  hand over what they gather per page (`page_state`, `restore_page_state`):
  the quality plugin its links and ids (links are still checked over the
  whole site), the images plugin its cards. `tests/test_page_cache.py`
  checks that a build with it is byte for byte the build without it after
  editing an article's text, a menu title and a template.
- Pagefind makes one bundle per language (`/pagefind/`, `/en/pagefind/`),
  both at once; each is kept (the last two) keyed by a digest of its pages:
  when none of them changed, it is linked in instead of indexing again, so
  an edit in one language indexes only that language again.
- The `.gz` and `.br` of files other than pages (Pagefind's scripts, CSS, JS,
  feeds) are kept by their bytes, so brotli quality 11 runs once per file.
- Jinja's bytecode cache keeps the compiled templates for every process.
- The HTML pass of `plugins/quality` scans the tags once with a regular
  expression instead of parsing every page with BeautifulSoup.
- Brotli quality 5 for pages, 11 only for the few long-cached CSS and JS files.
- Share cards: the part every card shares is drawn once and quantized once;
  a card draws only its title's rows from the masks of its words (each word
  rendered by FreeType once per size), measures lines by cached letter and
  pair widths, and draws those rows as a mask (one byte a pixel) whose 256
  levels are looked up in the palette instead of quantizing each pixel: the
  same bytes as drawing each line with Pillow and quantizing (tested); with
  its PNG, about 2 ms a card (3 ms with quantizing). The PNG
  (255-colour palette) is written by `cards.card_png_bytes`: the rows above
  and below the title are compressed once per language and only the title's
  rows per card. Images and cards are hard-linked from the cache.
- AVIF at libavif speed 8 (about 3× faster than 6, files about 4 % larger).
- The preview keeps the site in memory: an edit to the text of an article or
  page re-reads that file and writes only its page. Anything else (a header
  line, a template, a new file) is a full build with the caches.

Where the time of a cold build goes (cProfile, everything in one process,
`BUILD_PARALLEL_LANGUAGES = False`, empty caches, the same corpus; the
profiler inflates Python-heavy code and the machine was shared, so compare
the columns, not with the table above). Before: commit 9e093a4; after: the
commits of 2026-11-24.

| Phase | Before (s) | After (s) |
| --- | ---: | ---: |
| The whole build (without deleting an earlier output) | 60.6 | 48.7 |
| Reading (`readers.read_file`, with the plugins' checks) | 20.3 | 15.4 |
| – of which Markdown to HTML | 10.8 | 9.4 |
| – of which content images (AVIF, WebP, JPEG variants) | 4.7 | 1.8 |
| Rendering the templates (Jinja) | 26.8 | 15.2 |
| – of which share cards (drawing, quantizing, PNG) | 18.5 | 9.0 |
| Quality per page (anchors, link marks, `.gz`, `.br`) | 6.0 | 6.0 |
| Quality at the end (link check, other files' `.gz`, `.br`) | 2.1 | 2.1 |
| Pagefind (its own process, wall time) | 2.4 | 3.4 |
| Sitemaps and feeds (`plugins/seo`) | 0.6 | 0.6 |

Without the profiler a card now takes about 2 ms instead of 16 (drawing
the title as a mask 0.9 ms, compressing its rows 0.8): some 4 s of CPU for
2000 cards, still the largest part of a cold build that plain Pelican does
not have. The rest is mostly Pelican's and Markdown's own work (reading,
Jinja, URLs), plus the quality pass and Pagefind.

Why the cold build stays above plain Pelican's: the row "Cold, without share
cards, search index and precompression" is the same build with only those
three turned off (`LEAN` in `bench/build_bench.py`; content images are still
encoded, where plain Pelican copies them). That it comes close to plain
Pelican shows that reading once and writing each language in its own
process pays for the richer theme and the plugins' checks. What is left is
work plain Pelican does not do at all: a share card drawn for each of the
2000 and more pages, Pagefind indexing every page, a `.gz` and a `.br` of
every file. It is CPU-bound (compare the CPU column), and two cores cannot
fit it into plain Pelican's time; with the caches of an earlier build (the
second row, what `make build` has on any machine that built the site
before) it is not done again and the build takes well under plain Pelican's.

Why a full build after one edit stays above 2 s: with the page cache only
the edited page and the listing pages are rendered, but a new process still
imports Pelican, builds every content object from the content cache and runs
the plugins' checks on it (about 2 s for 2000 articles), links the 2000
cached pages into the new output, checks every link, and Pagefind, which
has no incremental mode, indexes every page of the edited language again
(about 1 s). The old output is deleted by a
process of its own that the build does not wait for (`build.remove_in_background`),
so its time is in none of the rows.
After editing `base.html` every page is rendered again. `make serve` (the
preview) is where one edit takes well under 2 s.
"""


def write_report(n: int, seed: int, text: str, info: dict[str, str], verdict: list[str]) -> None:
    body = [
        "# Build performance",
        "",
        "Measured with `invoke bench -n N` (`bench/build_bench.py`) on the synthetic corpus "
        f"of `bench/corpus.py`: **{n} articles per language** (seed {seed}) plus the real "
        "pages, milestones and a few images.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "",
        "## Results",
        "",
        text,
        "",
        "## Targets (issue #7)",
        "",
        *verdict,
        "",
        NOTES,
    ]
    REPORT.write_text("\n".join(body), encoding="utf-8")


def one_round(space: Workspace, real: Workspace, article: Path, number: int):
    """Every build once, from empty caches on: (ours, plain Pelican's)."""
    template = space.theme / "templates" / "base.html"
    for folder in (space.root / "cache", space.root / "cache-lean", real.root / "cache"):
        shutil.rmtree(folder, ignore_errors=True)  # each round starts truly cold
    results: dict[str, Measure] = {}
    plains: dict[str, Measure] = {}

    def say(name: str, measure: Measure) -> None:
        print(f"round {number}, {name}: {measure.seconds:.2f} s", flush=True)

    plains["cold"] = plain(space)
    say("plain cold", plains["cold"])
    results["cold"] = ours(space)
    say("ours cold", results["cold"])
    results["cold lean"] = ours(space, lean=True)
    say(f"ours cold, without {LEAN_WHAT}", results["cold lean"])
    results["cached"] = ours(space)
    plains["cached"] = plain(space)
    say("ours with caches, nothing edited", results["cached"])
    edit_file(article, f"warm {number}")
    results["warm article"] = ours(space)
    plains["warm article"] = plain(space)
    say("warm after one article", results["warm article"])
    edit_file(template, f"warm {number}")
    edit_file(space.plain_templates / "base.html", f"warm {number}")
    results["warm template"] = ours(space)
    plains["warm template"] = plain(space)
    say("warm after one template", results["warm template"])
    results["preview"] = preview(space, article)
    say("preview after one edit", results["preview"])
    results["real cold"] = ours(real)
    results["real cached"] = ours(real)
    say("real site cold", results["real cold"])
    edit_file(sorted((real.content / "news" / "nb").glob("*.md"))[0], f"warm {number}")
    results["real article"] = ours(real)
    say("real site after one article", results["real article"])
    return results, plains


def median(measures: list[Measure]) -> Measure:
    """The median of each number over the rounds."""
    cpus = [m.cpu for m in measures if m.cpu is not None]
    phases = {
        name: statistics.median(m.phases.get(name, 0.0) for m in measures)
        for name in measures[0].phases
    }
    return Measure(
        statistics.median(m.seconds for m in measures),
        statistics.median(m.peak_mb for m in measures),
        measures[0].output,
        statistics.median(cpus) if cpus else None,
        phases,
    )


def phase_table(columns: list[tuple[str, Measure]]) -> str:
    """Where the wall time of our builds goes, phase by phase (build.PhaseClock)."""
    names = list(dict.fromkeys(name for _title, m in columns for name in m.phases))
    lines = [
        "| Phase | " + " | ".join(title for title, _m in columns) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]
    for name in names:
        cells = " | ".join(f"{m.phases.get(name, 0.0):.2f}" for _title, m in columns)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines)


def run(
    n: int, seed: int, keep: Path | None = None, write: bool = True, rounds: int = 1
) -> dict[str, Measure]:
    root = Path(tempfile.mkdtemp(prefix="kbt-bench-")) if keep is None else keep
    try:
        space = prepare(n, seed, root)
        article = space.content / "news" / "nb" / f"{corpus.article_name('nb', n // 2)}.md"
        real = Workspace(root / "real")
        real.root.mkdir()
        shutil.copytree(ROOT / "content", real.content)
        shutil.copytree(ROOT / "theme", real.theme)
        print(f"Corpus: {n} articles per language in {root}", flush=True)
        each = [one_round(space, real, article, number + 1) for number in range(rounds)]
        results = {name: median([r[name] for r, _p in each]) for name in each[0][0]}
        plains = {name: median([p[name] for _r, p in each]) for name in each[0][1]}
        rows = [
            ("Cold (no cache)", results["cold"], plains["cold"]),
            (f"Cold, without {LEAN_WHAT}", results["cold lean"], plains["cold"]),
            ("Fresh output, caches kept, nothing edited", results["cached"], plains["cached"]),
            ("Warm, after editing one article", results["warm article"], plains["warm article"]),
            ("Warm, after editing base.html", results["warm template"], plains["warm template"]),
            ("Preview (`make serve`), after editing one article", results["preview"], None),
            ("The real site (`content/`), cold (no cache)", results["real cold"], None),
            ("The real site, caches kept", results["real cached"], None),
            ("The real site, after editing one article", results["real article"], None),
        ]
        text = table(rows)
        phases = [
            ("Cold", results["cold"]),
            ("Cold, lean", results["cold lean"]),
            ("Caches kept", results["cached"]),
            ("One article edited", results["warm article"]),
            ("base.html edited", results["warm template"]),
        ]
        if all(m.phases for _title, m in phases):
            text += (
                "\n\nWhere the wall time of our builds goes (seconds; `build.PhaseClock`: "
                "start = settings and plugins, read Markdown = the two reading processes, "
                "contents = Pelican's content objects and the plugins' checks, write pages = "
                "both language processes, finish = link check, Pagefind, compression; swap = "
                "the new output in place of the old):\n\n" + phase_table(phases)
            )
        if rounds > 1:
            text += f"\n\nEach number is the median of {rounds} rounds of every build."
        verdict = verdicts(results, plains)
        print()
        print(text)
        print()
        print("\n".join(verdict))
        if write:
            write_report(n, seed, text, machine(), verdict)
            print(f"\nWrote {REPORT}")
        return {**results, **{f"plain {k}": v for k, v in plains.items()}}
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--worker"]:
        worker(*argv[1:3])
        return
    if argv[:1] == ["--preview-worker"]:
        preview_worker(*argv[1:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="articles per language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--rounds", type=int, default=1, help="run every build this often; report medians"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    run(args.n, args.seed, write=not args.no_write, rounds=args.rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
