"""The build benchmark works (bench/corpus.py, bench/build_bench.py); times are not tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import build_bench  # the project's folder is on sys.path; bench/ is not

ROOT = Path(__file__).resolve().parent.parent
corpus = build_bench.corpus


def test_corpus_is_seeded_and_pairs_every_article(tmp_path):
    first = corpus.generate(5, tmp_path / "a", seed=3)
    second = corpus.generate(5, tmp_path / "b", seed=3)
    nb = sorted((first / "news" / "nb").glob("nyhet-*.md"))
    en = sorted((first / "news" / "en").glob("story-*.md"))
    assert len(nb) == len(en) == 5
    for path in nb:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    keys = {p.read_text(encoding="utf-8").split("Key: ")[1].split()[0] for p in nb}
    assert keys == {p.read_text(encoding="utf-8").split("Key: ")[1].split()[0] for p in en}
    assert list((first / "images").glob("bench-*.jpg"))
    assert "Id: bench-0" in (first / "pages" / "nb" / "tidslinje.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    report = root / "performance.md"
    original = build_bench.REPORT
    build_bench.REPORT = report
    try:
        # A smoke run: a tiny corpus, one round, no profile (the suite never runs the benchmark)
        results = build_bench.run(5, 7, keep=root / "work", write=True, rounds=1, profiled=False)
    finally:
        build_bench.REPORT = original
    return root, results, report


def test_bench_builds_both_sites_from_the_same_corpus(bench_run):
    root, _results, _report = bench_run
    ours = root / "work" / "output-ours"
    plain = root / "work" / "output-plain"
    assert (ours / "nyheter" / "nyhet-00002" / "index.html").is_file()
    assert (ours / "en" / "news" / "story-00002" / "index.html").is_file()
    assert (ours / "pagefind" / "pagefind.js").is_file()
    entry = (ours / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"en":{' in entry and '"nb":{' in entry  # one run, an index per language
    story = (ours / "en" / "news" / "story-00001" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'srcset="([^" ]+) ', story)
    assert sources and all((ours / url.lstrip("/")).is_file() for url in sources)
    lean = root / "work" / "output-lean"
    assert (lean / "nyheter" / "nyhet-00002" / "index.html").is_file()
    assert not (lean / "pagefind").exists() and not list(lean.rglob("*.gz"))
    assert not (lean / "images" / "cards").exists()
    assert len(list(plain.glob("*.html"))) > 10
    previewed = root / "work" / "real" / "output-preview"
    assert any("Edited: preview." in p.read_text("utf-8") for p in previewed.rglob("*.html"))


def test_bench_measures_every_build_and_writes_the_report(bench_run):
    _root, results, report = bench_run
    names = ("cold", "cold lean", "cached", "warm article", "warm template", "preview")
    for name in (*names, "real cold", "real article", "plain cold"):
        assert results[name].seconds > 0, name
        assert results[name].peak_mb > 10, name
    text = report.read_text(encoding="utf-8")
    assert "5 articles per language" in text
    assert "| Cold (no cache) |" in text
    assert "| Cold, without share cards, search index and precompression |" in text
    assert "- CPU: " in text and "- Pelican: " in text
    assert "## Targets (issue #18)" in text
    targets = text.split("## Targets (issue #18)")[1].split("\n\n")[1].splitlines()
    assert len(targets) == 6 and all(line.endswith(("met", "**not met**")) for line in targets)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [([3.0], 3.0), ([1.0, 9.0, 2.0], 2.0), ([4.0, 2.0], 3.0)],
)
def test_rounds_are_summed_up_by_their_median(seconds, expected):
    measures = [build_bench.Measure(s, 100 + s, "", s * 2) for s in seconds]
    summary = build_bench.median(measures)
    assert summary.seconds == expected
    assert summary.cpu == expected * 2
    assert summary.peak_mb == 100 + expected


def test_each_round_is_compared_with_plain_pelicans_build_of_the_same_round():
    def measure(seconds):
        return build_bench.Measure(seconds, 100, "", seconds)

    # The host slowed down in the second round: plain and ours alike
    each = [
        ({n: measure(s) for n in ("cold", "cold lean", "warm article")}, {"cold": measure(p)})
        for s, p in ((20.0, 10.0), (60.0, 20.0), (22.0, 10.0))
    ]
    lines = build_bench.per_round(each).splitlines()
    cold = next(line for line in lines if line.startswith("- cold:"))
    assert cold == "- cold: 2.00×, 3.00×, 2.20× (median 2.20×)"
    assert len([line for line in lines if line.startswith("- ")]) == 3
