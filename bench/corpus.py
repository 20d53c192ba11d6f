"""A synthetic bilingual corpus for the build benchmark (``bench/build_bench.py``).

The corpus is the real site's pages (menus, sections, the timeline with its
milestones, search and sitemap pages) plus N generated news articles per
language, each Norwegian one paired with its English translation by ``Key:``.
The articles have headings, lists, a table, links to other articles (by
``{filename}``) and to other hosts; a few carry an image made with Pillow,
and the timeline gets extra milestones. Everything is derived from a seed,
so the same N and seed give the same files.

    .venv/bin/python bench/corpus.py N TARGET_FOLDER [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = {
    "nb": [
        "brukererfaring",
        "tjenesteutvikling",
        "psykisk",
        "helse",
        "rus",
        "kommune",
        "erfaringskonsulent",
        "likeperson",
        "samarbeid",
        "kunnskap",
        "forskning",
        "evaluering",
        "brukermedvirkning",
        "recovery",
        "arbeid",
        "rehabilitering",
        "barn",
        "unge",
        "familie",
        "pårørende",
        "dialog",
        "konferanse",
        "prosjekt",
        "og",
        "i",
        "på",
        "med",
        "for",
        "til",
        "av",
        "som",
        "det",
        "er",
        "en",
        "et",
        "vi",
        "har",
        "ble",
        "skal",
        "kan",
    ],
    "en": [
        "user",
        "experience",
        "service",
        "development",
        "mental",
        "health",
        "substance",
        "municipality",
        "peer",
        "worker",
        "cooperation",
        "knowledge",
        "research",
        "evaluation",
        "involvement",
        "recovery",
        "work",
        "rehabilitation",
        "children",
        "youth",
        "family",
        "relatives",
        "dialogue",
        "conference",
        "project",
        "and",
        "in",
        "on",
        "with",
        "for",
        "to",
        "of",
        "as",
        "it",
        "is",
        "a",
        "the",
        "we",
        "have",
        "was",
        "shall",
        "can",
    ],
}
HEADINGS = {
    "nb": ("Bakgrunn", "Hva vi gjorde", "Resultater", "Veien videre", "Les mer"),
    "en": ("Background", "What we did", "Results", "The way ahead", "Read more"),
}
THEMES = ("bsb", "user-involvement", "research", "peer-workers", "recovery")
# Settings for building the corpus: its random words are no prose, so the
# readability plugin measures them but holds no language to a LIX limit.
SETTINGS = {"READABILITY_LIMITS": {}}
IMAGE_EVERY = 250  # one article in IMAGE_EVERY carries an image
MILESTONE_EVERY = 50  # one extra milestone per MILESTONE_EVERY articles


def sentence(rng: random.Random, lang: str, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS[lang]) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, lang: str) -> str:
    return " ".join(sentence(rng, lang, rng.randint(8, 20)) for _ in range(rng.randint(3, 6)))


def article_name(lang: str, n: int) -> str:
    return f"{'nyhet' if lang == 'nb' else 'story'}-{n:05d}"


def article(rng: random.Random, lang: str, n: int, count: int, image: str | None) -> str:
    title = f"{'Nyhet' if lang == 'nb' else 'Story'} {n}: " + " ".join(
        rng.choice(WORDS[lang]) for _ in range(4)
    )
    year = 2000 + n % 25
    month = 1 + n % 12
    day = 1 + n % 28
    date = (f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}")[n % 3]
    other = (n * 7 + 3) % count
    lines = [
        f"Title: {title}",
        f"Key: bench-{n:05d}",
        f"Date: {date}",
        f"Summary: {sentence(rng, lang, 12)}",
        "",
        paragraph(rng, lang),
        "",
    ]
    heads = HEADINGS[lang]
    for i, head in enumerate(heads[: rng.randint(2, len(heads))]):
        lines += [f"## {head}", "", paragraph(rng, lang), ""]
        if i == 0:
            lines += [f"- {sentence(rng, lang, 5)}" for _ in range(3)] + [""]
        if i == 1:
            lines += ["| År | Antall |" if lang == "nb" else "| Year | Count |", "| --- | ---: |"]
            lines += [f"| {2000 + j} | {rng.randint(1, 500)} |" for j in range(3)] + [""]
    if image:
        alt = "Illustrasjon til nyheten" if lang == "nb" else "Illustration for the story"
        lines += [f"![{alt} {n}](../../images/{image})", ""]
    lines += [
        f"[{heads[-1]}]({{filename}}{article_name(lang, other)}.md), "
        f"[{heads[0].lower()}]({{filename}}{article_name(lang, other)}.md#{slug(heads[0])}) "
        f"og [KBT](https://example.org/kbt/{n}).",
        "",
    ]
    return "\n".join(lines)


def slug(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def milestones(rng: random.Random, lang: str, count: int) -> str:
    blocks = []
    for n in range(count):
        year = 1990 + n % 35
        title = " ".join(rng.choice(WORDS[lang]) for _ in range(4)).capitalize()
        blocks.append(
            f"## {year}: {title} {n}\nId: bench-{n}\nThemes: {THEMES[n % len(THEMES)]}\n\n"
            f"{paragraph(rng, lang)}\n"
        )
    return "\n".join(blocks)


def make_image(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1000), (240 - seed * 20, 230, 220))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for _ in range(40):
        x, y = rng.randrange(1600), rng.randrange(1000)
        r = rng.randrange(20, 200)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    image.save(path, quality=88)


def generate(n: int, target: Path, seed: int = 7) -> Path:
    """Write the corpus's content folder into ``target`` (replaced); returns it."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "content", target)
    rng = random.Random(seed)
    images = target / "images"
    images.mkdir(exist_ok=True)
    image_names = []
    for i in range(max(1, n // IMAGE_EVERY)):
        name = f"bench-{i}.jpg"
        make_image(images / name, seed + i)
        image_names.append(name)
    for lang, folder in (("nb", "news/nb"), ("en", "news/en")):
        out = target / folder
        for n_ in range(n):
            image = (
                image_names[(n_ // IMAGE_EVERY) % len(image_names)]
                if n_ % IMAGE_EVERY == 1
                else None
            )
            text = article(rng, lang, n_, n, image)
            (out / f"{article_name(lang, n_)}.md").write_text(text, encoding="utf-8")
    extra = max(1, n // MILESTONE_EVERY)
    for lang, page in (("nb", "pages/nb/tidslinje.md"), ("en", "pages/en/timeline.md")):
        path = target / page
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n\n{milestones(rng, lang, extra)}", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="articles per language")
    parser.add_argument("target", type=Path, help="the content folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.n, args.target, args.seed)
    print(f"Wrote {args.n} articles per language into {args.target}")


if __name__ == "__main__":
    main()
