"""Benchmark: image processing cold (empty cache) and cached (nothing changed).

Builds the tiny fixture site with generated photos, twice, and prints how long
the images plugin spent and how many images it encoded each time:

    .venv/bin/python -m bench.image_bench [NUMBER_OF_IMAGES]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

import pelicanconf  # noqa: F401 - its one line puts plugins/ on sys.path
from build import build_site
from images import images

ROOT = Path(__file__).resolve().parent.parent

SETTINGS = {
    "TIMEZONE": "UTC",
}


def make_photo(path: Path, seed: int) -> None:
    image = Image.effect_noise((2400, 1600), 40 + seed).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse([i * 180, seed * 20, i * 180 + 400, seed * 20 + 400], fill=(i * 20, 90, 99))
    image.save(path, quality=90)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        content = temp / "content"
        shutil.copytree(ROOT / "tests/fixtures/site", content)
        (content / "images").mkdir()
        page = content / "pages/nb/om.md"
        text = page.read_text(encoding="utf-8")
        for n in range(count):
            make_photo(content / "images" / f"photo-{n}.jpg", n)
            text += f"\n![Bilde {n}](images/photo-{n}.jpg)\n"
        page.write_text(text, encoding="utf-8")
        overrides = {**SETTINGS, "PATH": str(content), "IMAGES_CACHE_DIR": str(temp / "cache")}
        for label in ("cold", "cached"):
            started = time.perf_counter()
            build_site(ROOT / "pelicanconf.py", temp / "output", overrides)
            total = time.perf_counter() - started
            run = images.LAST_RUN
            print(
                f"{label:>6}: images {run['seconds']:.2f} s "
                f"({run['encoded']} encoded, {run['cached']} from cache, "
                f"{run['cards_drawn']} share cards drawn); whole build {total:.2f} s"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6)
