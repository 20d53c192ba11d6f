"""The images plugin: responsive pictures, caching, bad images, share cards, favicons.

Every image is made here with Pillow in tmp_path; nothing is downloaded.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageColor, ImageFont

import images as images_plugin
from build import BuildError
from images import cards
from images.responsive import target_widths

from .conftest import ROOT, build_fixture, soup_of

PAGE = "pages/nb/om.md"
MARK = ROOT / "theme/assets/mark.svg"
COLOURS = ROOT / "theme/assets/css/tokens.css"  # the one source of the brand colours


def the_mark():
    return cards.read_mark(MARK, cards.read_colours(COLOURS))


# Helpers ---------------------------------------------------------------------------


def build(content: Path, tmp_path: Path, output: Path | None = None, **settings) -> Path:
    return build_fixture(
        content,
        output or tmp_path / "output",
        IMAGES_CACHE_DIR=str(tmp_path / "cache"),
        **settings,
    )


def add_to_page(content: Path, markdown: str) -> None:
    page = content / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n" + markdown + "\n", encoding="utf-8")


def photo(content: Path, name: str = "photo.jpg", size=(1600, 1000), **save) -> Path:
    """A photo with EXIF orientation 6 (turn 90° clockwise) and a GPS position."""
    folder = content / "images"
    folder.mkdir(exist_ok=True)
    image = Image.new("RGB", size, "#0b5963")
    image.paste((200, 90, 40), (0, 0, size[0] // 2, size[1] // 8))  # a mark: top left
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (63.0, 25.0, 47.0), 3: "E", 4: (10.0, 23.0, 37.0)})
    path = folder / name
    image.save(path, exif=exif, **save)
    return path


# Responsive pictures --------------------------------------------------------------


def test_target_widths_never_upscale():
    assert target_widths(2000, (480, 960, 1440)) == [480, 960, 1440]
    assert target_widths(1000, (480, 960, 1440)) == [480, 960, 1000]
    assert target_widths(300, (480, 960, 1440)) == [300]


@pytest.fixture
def built_with_photo(tmp_path, fixture_content):
    photo(fixture_content)
    add_to_page(
        fixture_content,
        "![To personer i samtale](images/photo.jpg)\n\nTekst.\n\n"
        '![Det samme bildet]({static}/images/photo.jpg "En tittel")',
    )
    return build(fixture_content, tmp_path)


def test_images_become_pictures_with_modern_formats(built_with_photo):
    pictures = soup_of(built_with_photo / "om/index.html").select("picture")
    assert len(pictures) == 2
    first, second = pictures
    types = [s["type"] for s in first.select("source")]
    expected = (["image/avif"] if cards_avif() else []) + ["image/webp"]
    assert types == expected
    img = first.img
    # Turned upright by its EXIF orientation: 1000 wide, 1600 high.
    assert (img["width"], img["height"]) == ("1000", "1600")
    assert img["alt"] == "To personer i samtale"
    assert img["decoding"] == "async"
    assert img["sizes"]
    assert [w.split()[-1] for w in img["srcset"].split(", ")] == ["480w", "960w", "1000w"]
    assert "loading" not in img.attrs  # the first image of a page loads at once
    assert second.img["loading"] == "lazy"
    assert second.img["title"] == "En tittel"
    for element in [*first.select("source"), img]:
        for candidate in element["srcset"].split(", "):
            url = candidate.split()[0]
            assert (built_with_photo / url.lstrip("/")).is_file(), url


def cards_avif() -> bool:
    from PIL import features

    return bool(features.check("avif"))


def test_variants_are_upright_and_carry_no_metadata(built_with_photo):
    files = sorted((built_with_photo / "images").glob("photo-*"))
    assert files
    for path in files:
        with Image.open(path) as image:
            assert image.width < image.height, path  # orientation applied
            assert not image.getexif(), path  # no EXIF, so no GPS either
            assert "exif" not in image.info and "xmp" not in image.info, path
            assert (image.width, image.height) in {(480, 768), (960, 1536), (1000, 1600)}
    with Image.open(
        next(p for p in files if p.name.startswith("photo-1000") and p.suffix == ".jpg")
    ) as image:
        # the orange mark at the original's top left is now at the top right
        assert image.convert("RGB").getpixel((image.width - 10, 10))[0] > 150


def test_originals_are_not_published(built_with_photo):
    assert not (built_with_photo / "images/photo.jpg").exists()


def test_a_second_build_encodes_nothing(tmp_path, fixture_content, built_with_photo):
    build(fixture_content, tmp_path, tmp_path / "again")
    assert images_plugin.LAST_RUN["encoded"] == 0
    assert images_plugin.LAST_RUN["cached"] == 1
    assert images_plugin.LAST_RUN["cards_drawn"] == 0
    assert sorted(p.name for p in (tmp_path / "again/images").rglob("*")) == sorted(
        p.name for p in built_with_photo.joinpath("images").rglob("*")
    )


def test_a_changed_image_is_encoded_again(tmp_path, fixture_content, built_with_photo):
    Image.new("RGB", (800, 600), "white").save(fixture_content / "images/photo.jpg")
    build(fixture_content, tmp_path, tmp_path / "again")
    assert images_plugin.LAST_RUN["encoded"] == 1


def test_transparent_png_keeps_its_transparency(tmp_path, fixture_content):
    (fixture_content / "images").mkdir()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(fixture_content / "images/diagram.png")
    add_to_page(fixture_content, "![Et diagram](images/diagram.png)")
    output = build(fixture_content, tmp_path)
    img = soup_of(output / "om/index.html").select_one("picture img")
    assert img["src"].endswith(".png")
    assert img["srcset"].endswith(" 300w")  # a small image is not made larger


# Bad images ------------------------------------------------------------------------


@pytest.fixture
def last_good(tmp_path, fixture_content) -> Path:
    output = tmp_path / "output"
    build(fixture_content, tmp_path, output)
    (output / "marker.txt").write_text("last good build", encoding="utf-8")
    return output


def fails_with(content: Path, tmp_path: Path, output: Path, *fragments: str) -> str:
    with pytest.raises(BuildError) as caught:
        build(content, tmp_path, output)
    message = str(caught.value)
    for fragment in (PAGE, *fragments):
        assert fragment in message, message
    assert "Traceback" not in message
    assert (output / "marker.txt").read_text(encoding="utf-8") == "last good build"
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".output.new")]
    return message


def test_image_without_alt_text(tmp_path, fixture_content, last_good):
    photo(fixture_content)
    add_to_page(fixture_content, "![](images/photo.jpg)")
    fails_with(
        fixture_content, tmp_path, last_good, "om.md:8: ", "images/photo.jpg", "Slik retter du"
    )


def test_missing_image(tmp_path, fixture_content, last_good):
    add_to_page(fixture_content, "![Et bilde](images/finnes-ikke.jpg)")
    fails_with(fixture_content, tmp_path, last_good, "images/finnes-ikke.jpg", "Slik retter du")


def test_corrupt_image(tmp_path, fixture_content, last_good):
    (fixture_content / "images").mkdir()
    path = fixture_content / "images/broken.jpg"
    Image.effect_noise((400, 300), 60).convert("RGB").save(path, quality=95)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    add_to_page(fixture_content, "![Et bilde](images/broken.jpg)")
    fails_with(fixture_content, tmp_path, last_good, "broken.jpg", "damaged")


def test_file_that_is_not_an_image(tmp_path, fixture_content, last_good):
    (fixture_content / "images").mkdir()
    (fixture_content / "images/notes.jpg").write_text("not a picture", encoding="utf-8")
    add_to_page(fixture_content, "![Et bilde](images/notes.jpg)")
    fails_with(fixture_content, tmp_path, last_good, "notes.jpg", "not an image")


def test_decompression_bomb(tmp_path, fixture_content, last_good):
    (fixture_content / "images").mkdir()
    # 200 megapixels in a file of a few kilobytes
    Image.new("1", (20_000, 10_000)).save(fixture_content / "images/bomb.png")
    assert (fixture_content / "images/bomb.png").stat().st_size < 100_000
    add_to_page(fixture_content, "![Et bilde](images/bomb.png)")
    fails_with(fixture_content, tmp_path, last_good, "bomb.png", "decompression bomb")


def test_image_of_50_megapixels(tmp_path, fixture_content, last_good):
    (fixture_content / "images").mkdir()
    Image.new("1", (10_000, 5_000), 1).save(fixture_content / "images/huge.png")
    add_to_page(fixture_content, "![Et bilde](images/huge.png)")
    fails_with(fixture_content, tmp_path, last_good, "huge.png", "50.0 megapixels", "limit is 40")


# Share cards ------------------------------------------------------------------------


def test_wrap_breaks_long_norwegian_words_to_the_measured_width():
    font = cards.load_font(cards.font_path(), 76)
    title = (
        "Arbeidsrehabiliteringskompetansesenterutviklingsprosjektet for barn og unge i Trøndelag"
    )
    lines = cards.wrap(title, font, 600)
    assert len(lines) > 2
    assert all(font.getlength(line) <= 600 for line in lines)
    assert lines[0].endswith("-")
    rejoined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
    assert rejoined.strip() == title


HARD_TITLES = [
    "Bruker spør bruker: æ, ø og å",
    "«WAVE» – AV Yø To VAT f.eks. 2024: Øvre Åsane jåg",
    "Arbeidsrehabiliteringskompetansesenterutviklingsprosjektet for barn og unge i Trøndelag",
    "x" * 300,
    "A",
    # Descenders of one line above the rings and accents of the next
    "gjøgg Ååpen jyg qpy Éå pyjamas ÅÅÅ gggjjj Åsgård gjøgg jyg Åpen ÆØÅ qpy Éå",
]


def test_text_length_is_pillows_measure():
    for size in (76, 52, 40):
        font = cards.load_font(cards.font_path(), size)
        for title in HARD_TITLES:
            for end in range(1, len(title) + 1, 7):
                assert cards.text_length(font, title[:end]) == font.getlength(title[:end])


@pytest.mark.parametrize("title", HARD_TITLES)
def test_a_cards_title_is_drawn_in_ink_whole_and_inside_the_card(title):
    """What a reader of a shared link sees: the title in the ink colour, on the
    card's background, clear of its edges, and no two titles giving one card."""
    mark = the_mark()
    args = ("KBT", "Kompetansesenter for brukererfaring og tjenesteutvikling", mark)
    background = cards.card_background(*args, cards.font_path())
    card = cards.paletted_card(title, *args, cards.font_path()).convert("RGB")
    assert card.size == background.size
    drawn = ImageChops.difference(card, background.convert("RGB")).getbbox()
    assert drawn is not None, "the title is not drawn"
    left, top, right, bottom = drawn
    margin = card.width // 40
    assert left >= margin and top >= margin, drawn
    assert right <= card.width - margin and bottom <= card.height - margin, drawn
    colours = card.crop(drawn).getcolors(maxcolors=1 << 16)
    ink = ImageColor.getrgb(mark.colour("ink"))
    assert ink in {colour for _count, colour in colours}
    other = cards.paletted_card("2 " + title, *args, cards.font_path()).convert("RGB")
    assert other.tobytes() != card.tobytes()


def test_card_files_decode_to_the_cards_pixels(tmp_path):
    args = ("KBT", "Kompetansesenter for brukererfaring og tjenesteutvikling")
    for number, title in enumerate(HARD_TITLES[:3]):
        path = cards.draw_card_file(
            tmp_path / f"{number}.png", title, *args, str(MARK), cards.font_path(), str(COLOURS)
        )
        with Image.open(path) as image:
            image.load()
            expected = cards.paletted_card(title, *args, the_mark(), cards.font_path())
            assert (image.mode, image.size) == ("P", cards.CARD_SIZE)
            assert image.convert("RGB").tobytes() == expected.convert("RGB").tobytes(), title


def test_the_card_font_has_the_norwegian_letters():
    font = ImageFont.truetype(cards.font_path(), 60)
    missing = bytes(font.getmask("\U000f0000"))  # a private-use code point: no glyph
    for letter in "æøåÆØÅ":
        assert bytes(font.getmask(letter)) != missing, letter


def test_a_cards_key_names_what_it_shows_and_its_colours_come_from_the_css(tmp_path):
    recipe = (
        "Bruker spør bruker: æ, ø og å",
        "KBT",
        "Kompetansesenter for brukererfaring og tjenesteutvikling",
        str(MARK),
        cards.font_path(),
        str(COLOURS),
    )
    key = cards.card_key(*recipe)
    assert key == cards.card_key(*recipe)
    assert key != cards.card_key("Another title", *recipe[1:])
    path = cards.draw_card_file(tmp_path / f"{key}.png", *recipe)
    colours = dict(cards.read_colours(COLOURS))
    with Image.open(path) as image:
        assert image.size == cards.CARD_SIZE
        rgb = image.convert("RGB")
        assert rgb.getpixel((5, 5)) == ImageColor.getrgb(colours["paper"])
        assert rgb.getpixel((5, 625)) == ImageColor.getrgb(colours["primary"])


def test_pages_carry_open_graph_and_twitter_tags(tmp_path, fixture_content):
    output = build(fixture_content, tmp_path, SITEURL="https://example.org")
    for url, locale, alternate in (("om/", "nb_NO", "en_GB"), ("en/about/", "en_GB", "nb_NO")):
        soup = soup_of(output / url / "index.html")

        def meta(name, soup=soup):
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}
            )
            return tag["content"] if tag else None

        assert meta("og:title") == soup.h1.get_text(strip=True)
        assert meta("og:description")
        assert meta("og:type") == "website"
        assert meta("og:url") == f"https://example.org/{url}"
        assert meta("og:locale") == locale
        assert meta("og:locale:alternate") == alternate
        image_url = meta("og:image")
        assert re.match(r"https://example\.org/images/cards/[0-9a-f]{16}\.png$", image_url)
        assert (meta("og:image:width"), meta("og:image:height")) == ("1200", "630")
        assert meta("og:title") in meta("og:image:alt")
        assert meta("twitter:card") == "summary_large_image"
        assert meta("twitter:image") == image_url
        assert meta("twitter:title") == meta("og:title")
        with Image.open(output / image_url.removeprefix("https://example.org/")) as card:
            assert card.size == (1200, 630)
    article = soup_of(output / "en/news/founded/index.html")
    assert article.find("meta", attrs={"property": "og:type"})["content"] == "article"


# Favicons ----------------------------------------------------------------------------


def test_the_mark_is_read_from_the_svg():
    mark = the_mark()
    sectors = [s for s in mark.shapes if isinstance(s, cards.Sector)]
    circles = [s for s in mark.shapes if isinstance(s, cards.Circle)]
    assert len(sectors) == 4 and len(circles) == 1
    assert sum(s.end - s.start for s in sectors) == pytest.approx(360, abs=0.5)


def test_the_drawn_mark_has_the_colours_the_svg_names_in_the_css():
    mark = the_mark()
    image = cards.draw_mark(mark, 480)
    scale = 480 / mark.size
    for shape in mark.shapes:
        if isinstance(shape, cards.Sector):
            middle = (shape.start + shape.end) / 2
            distance = (shape.r + 7) / 2
            x = shape.cx + distance * math.cos(math.radians(middle))
            y = shape.cy + distance * math.sin(math.radians(middle))
        else:
            x, y = shape.cx, shape.cy
        pixel = image.getpixel((round(x * scale), round(y * scale)))[:3]
        assert "#{:02x}{:02x}{:02x}".format(*pixel) == shape.fill.lower(), shape
    assert image.getpixel((0, 0))[3] == 0  # transparent around the mark


def test_favicons_are_written_and_linked(tmp_path, fixture_content):
    output = build(fixture_content, tmp_path)
    with Image.open(output / "favicon.ico") as icon:
        assert (32, 32) in icon.info["sizes"]
    with Image.open(output / "apple-touch-icon.png") as touch:
        assert touch.size == (180, 180)
    assert (output / "theme/favicon.svg").is_file()
    soup = soup_of(output / "index.html")
    hrefs = {link["href"] for link in soup.select("link[rel~=icon], link[rel=apple-touch-icon]")}
    assert hrefs == {"/favicon.ico", "/theme/favicon.svg", "/apple-touch-icon.png"}


# The real site -------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "locale"), [("index.html", "nb_NO"), ("en/index.html", "en_GB")])
def test_real_site_home_pages_have_share_cards(site, url, locale):
    soup = soup_of(site / url)
    assert soup.find("meta", attrs={"property": "og:locale"})["content"] == locale
    image = soup.find("meta", attrs={"property": "og:image"})["content"]
    path = site / re.sub(r"^https?://[^/]+", "", image).lstrip("/")
    with Image.open(path) as card:
        assert card.size == (1200, 630)


def test_every_published_file_is_readable_by_the_web_server(site):
    # Images and cards are hard-linked from the cache: its files must not be private.
    private = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.stat().st_mode & 0o044 != 0o044
    ]
    assert not private, private[:10]
