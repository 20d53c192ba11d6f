"""Share cards (1200×630 PNG) and favicons, drawn with Pillow from the logo mark.

The mark's one source is an SVG in the theme (``assets/mark.svg``) made of
sectors, each written ``M cx cy L x1 y1 A r r 0 0 1 x2 y2 Z``, and circles,
filled with the site's colours by name (``var(--kbt-color-mark-1)``):
``read_mark`` reads that geometry, and the colours from the custom properties
of the theme's CSS (``assets/css/tokens.css``, the one source of the brand
colours), so the browser's favicon, the PNG icons and the mark on the cards
are the same drawing in the same colours.

The font comes from a package (``font-lato`` on PyPI, SIL Open Font License),
never from the network; titles wrap by measured width, and a word too long for
a line is broken with a hyphen.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
CARD_VERSION = 4  # 2: saved with a palette; 3: PNG written by hand; 4: by Pillow

# The custom properties of the theme's CSS that the cards use
CARD_COLOURS = ("paper", "ink", "primary", "on-primary")
COLOUR = re.compile(r"--kbt-color-([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;")
VAR = re.compile(r"^var\(--kbt-color-([\w-]+)\)$")

DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

NUMBER = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?", re.IGNORECASE)
SECTOR = re.compile(r"^\s*M[^A-Za-z]+L[^A-Za-z]+A[^A-Za-z]+Z\s*$", re.IGNORECASE)
ELEMENT = re.compile(r"<(path|circle)\b([^>]*)/?>", re.IGNORECASE)
ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')


class MarkError(ValueError):
    """The mark's SVG holds something other than sectors and circles."""


@dataclass(frozen=True)
class Sector:
    cx: float
    cy: float
    r: float
    start: float  # degrees, clockwise from 3 o'clock (Pillow's convention)
    end: float
    fill: str


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True)
class Mark:
    size: float  # the viewBox is 0 0 size size
    shapes: tuple[Sector | Circle, ...]
    colours: tuple[tuple[str, str], ...] = ()  # (name, #hex) from the theme's CSS
    source: str = ""  # the SVG as written, colours by name

    def colour(self, name: str) -> str:
        found = dict(self.colours).get(name)
        if found is None:
            raise MarkError(f"The theme's CSS defines no colour --kbt-color-{name}.")
        return found

    def svg(self) -> str:
        """The mark's SVG with its colours written out (for the favicon)."""
        return re.sub(
            r'fill="var\(--kbt-color-([\w-]+)\)"',
            lambda m: f'fill="{self.colour(m.group(1))}"',
            self.source,
        )


@functools.lru_cache(maxsize=8)
def read_colours(path: Path) -> tuple[tuple[str, str], ...]:
    """The ``--kbt-color-<name>: #hex;`` custom properties of a CSS file, in order;
    the first value of each (the light scheme: dark mode redefines them later)."""
    text = Path(path).read_text(encoding="utf-8")
    first = dict(reversed(COLOUR.findall(text)))
    found = tuple(
        (name, first[name]) for name in dict.fromkeys(n for n, _v in COLOUR.findall(text))
    )
    if not found:
        raise MarkError(f"{path}: no colours (--kbt-color-<name>: #hex;) found.")
    return found


def _angle(x: float, y: float, cx: float, cy: float) -> float:
    return math.degrees(math.atan2(y - cy, x - cx)) % 360


@functools.lru_cache(maxsize=8)
def read_mark(path: Path, colours: tuple[tuple[str, str], ...] = ()) -> Mark:
    """Read the sectors and circles of the mark's SVG; their fills name
    ``colours`` (from ``read_colours``)."""
    text = Path(path).read_text(encoding="utf-8")
    known = dict(colours)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', text)
    if not box or box.group(1) != box.group(2):
        raise MarkError(f"{path}: the mark needs a square viewBox such as 0 0 48 48.")
    shapes: list[Sector | Circle] = []
    for tag, raw in ELEMENT.findall(text):
        attrs = dict(ATTR.findall(raw))
        named = VAR.match(attrs.get("fill", ""))
        if not named or named.group(1) not in known:
            raise MarkError(
                f"{path}: fill every shape of the mark with a colour of the theme's CSS, "
                f"written var(--kbt-color-<name>), got {attrs.get('fill')!r}."
            )
        fill = known[named.group(1)]
        if tag.lower() == "circle":
            shapes.append(Circle(float(attrs["cx"]), float(attrs["cy"]), float(attrs["r"]), fill))
            continue
        d = attrs.get("d", "")
        numbers = [float(n) for n in NUMBER.findall(d)]
        if not SECTOR.match(d) or len(numbers) != 11 or numbers[8] != 1:
            raise MarkError(
                f"{path}: write each sector as `M cx cy L x1 y1 A r r 0 0 1 x2 y2 Z`, got {d!r}."
            )
        cx, cy, x1, y1, r, _ry, _rot, _large, _sweep, x2, y2 = numbers
        start, end = _angle(x1, y1, cx, cy), _angle(x2, y2, cx, cy)
        if end <= start:
            end += 360
        shapes.append(Sector(cx, cy, r, start, end, fill))
    if not shapes:
        raise MarkError(f"{path}: the mark has no shapes.")
    return Mark(float(box.group(1)), tuple(shapes), tuple(colours), text)


def draw_mark(mark: Mark, size: int, background: str | None = None) -> Image.Image:
    """The mark as a ``size``×``size`` RGBA image, drawn 4× larger and scaled down."""
    big = size * 4
    scale = big / mark.size
    image = Image.new("RGBA", (big, big), background or (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for shape in mark.shapes:
        box = [
            (shape.cx - shape.r) * scale,
            (shape.cy - shape.r) * scale,
            (shape.cx + shape.r) * scale,
            (shape.cy + shape.r) * scale,
        ]
        if isinstance(shape, Sector):
            draw.pieslice(box, shape.start, shape.end, fill=shape.fill)
        else:
            draw.ellipse(box, fill=shape.fill)
    return image.resize((size, size), Image.LANCZOS)


# Fonts and text -------------------------------------------------------------------


def font_path(setting: str | None = None) -> str:
    """The bold font for cards: the setting, else Lato from font-lato, else DejaVu."""
    if setting:
        return setting
    try:
        import font_lato

        return os.path.join(font_lato.font_directory, "Lato-Bold.ttf")
    except ImportError:
        pass
    if os.path.isfile(DEJAVU_BOLD):
        return DEJAVU_BOLD
    raise FileNotFoundError(
        "No font for the share cards: install the pinned requirements "
        "(`pip install -r requirements.txt` brings font-lato) or set IMAGES_CARD_FONT."
    )


def regular_of(bold: str) -> str:
    regular = bold.replace("-Bold", "-Regular").replace("Sans-Bold", "Sans")
    return regular if os.path.isfile(regular) else bold


@functools.lru_cache(maxsize=32)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8)
def file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=4096)
def _length(face: ImageFont.FreeTypeFont, text: str) -> float:
    return face.getlength(text)


def text_length(face: ImageFont.FreeTypeFont, text: str) -> float:
    """``face.getlength(text)``, summed from the cached lengths of its letters
    and of its pairs of letters (their kerning): the same number, since the
    basic layout adds up each glyph's advance and kerning, without measuring
    every candidate line again while wrapping."""
    total = 0.0
    previous = ""
    for letter in text:
        advance = _length(face, letter)
        total += advance
        if previous:
            total += _length(face, previous + letter) - _length(face, previous) - advance
        previous = letter
    return total


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``; over-long words get broken."""

    def fits(s: str) -> bool:
        return text_length(font, s) <= width

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while not fits(word):
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut] + "-"):
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def fit_title(
    title: str, font: str, width: int, height: int
) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest font size (76 down to 40) at which the title fits the box."""
    for size in range(76, 39, -4):
        face = load_font(font, size)
        lines = wrap(title, face, width)
        leading = round(size * 1.2)
        if len(lines) * leading <= height:
            return face, lines, leading
    most = max(1, height // leading)
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and text_length(face, last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return face, lines, leading


@functools.lru_cache(maxsize=512)
def word_mask(face: ImageFont.FreeTypeFont, word: str) -> tuple[Image.Image, int, int]:
    """``word`` as a mask, rendered by FreeType once per size (titles share
    their words), and the offset of its top left corner from the pen position."""
    left, top, right, bottom = face.getbbox(word)
    left, top = min(left, 0), min(top, 0)
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), word, font=face, fill=255)
    return mask, left, top


def draw_line(draw: ImageDraw.ImageDraw, xy: tuple[int, int], line: str, face, fill) -> None:
    """``draw.text(xy, line, font=face, fill=fill)``, pixel for pixel, from the
    cached masks of the line's words, each placed at its measured offset and
    merged as Pillow merges glyphs (the lighter pixel wins)."""
    pieces = []
    start = 0
    for word in line.split(" "):
        if word:
            offset = text_length(face, line[:start])
            if offset != int(offset):  # not on a whole pixel: let Pillow draw it
                draw.text(xy, line, font=face, fill=fill)
                return
            mask, left, top = word_mask(face, word)
            pieces.append((int(offset) + left, top, mask))
        start += len(word) + 1
    if not pieces:
        return
    left = min(x for x, _y, _mask in pieces)
    top = min(y for _x, y, _mask in pieces)
    right = max(x + mask.width for x, _y, mask in pieces)
    bottom = max(y + mask.height for _x, y, mask in pieces)
    merged = Image.new("L", (right - left, bottom - top))
    drawn_to = 0  # the right edge of what is drawn: a word right of it overlaps none
    for x, y, mask in pieces:
        box = (x - left, y - top, x - left + mask.width, y - top + mask.height)
        if box[0] >= drawn_to:
            merged.paste(mask, box)
        else:
            merged.paste(ImageChops.lighter(merged.crop(box), mask), box)
        drawn_to = max(drawn_to, box[2])
    draw.bitmap((xy[0] + left, xy[1] + top), merged, fill=fill)


# Cards -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def card_background(site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    """What every card of one language shares: the mark, the site's name, the band."""
    width, height = CARD_SIZE
    margin = 80
    card = Image.new("RGB", CARD_SIZE, mark.colour("paper"))
    draw = ImageDraw.Draw(card)
    # The mark and the site's name, top left
    logo = draw_mark(mark, 112)
    card.paste(logo, (margin, 64), logo)
    name_font = load_font(font, 64)
    draw.text(
        (margin + 140, 64 + 56), site_name, font=name_font, fill=mark.colour("primary"), anchor="lm"
    )
    # A band in the primary colour with the full name in the page's language
    band = 110
    draw.rectangle([0, height - band, width, height], fill=mark.colour("primary"))
    if subtitle:
        small = load_font(regular_of(font), 30)
        line = wrap(subtitle, small, width - 2 * margin)[0]
        draw.text(
            (margin, height - band / 2),
            line,
            font=small,
            fill=mark.colour("on-primary"),
            anchor="lm",
        )
    return card


@functools.lru_cache(maxsize=8)
def card_palette(site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    """255 colours for every card of one language, from a sample card: the few
    colours of the site and the shades between them that smoothing makes."""
    sample = draw_card("Aa Øå 0123456789 – Kompetansesenter", site_name, subtitle, mark, font)
    exact = [ImageColor.getrgb(mark.colour(name)) for name in CARD_COLOURS]
    shades = sample.quantize(256 - len(exact), method=Image.Quantize.MEDIANCUT)
    values = shades.getpalette()[: 3 * (256 - len(exact))]
    # The site's own colours exactly, and no shade so near them that Pillow's
    # (approximate) lookup could pick it for a flat area instead
    kept = [
        rgb
        for rgb in zip(values[0::3], values[1::3], values[2::3], strict=True)
        if all(sum(abs(a - b) for a, b in zip(rgb, c, strict=True)) > 24 for c in exact)
    ]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for rgb in exact + kept for v in rgb])
    return palette


# The title lies between the site's name and the band: rows TITLE_ROWS of the card
TITLE_ROWS = (228, CARD_SIZE[1] - 110)
TITLE_MARGIN = 80


def draw_title(
    image: Image.Image, title: str, font: str, top: int = TITLE_ROWS[0], fill="#000"
) -> None:
    """Draw ``title`` on ``image``, whose row 0 is row ``TITLE_ROWS[0] - top``
    of the card."""
    width = CARD_SIZE[0] - 2 * TITLE_MARGIN
    height = TITLE_ROWS[1] - 30 - TITLE_ROWS[0]
    face, lines, leading = fit_title(title, font, width, height)
    draw = ImageDraw.Draw(image)
    y = TITLE_ROWS[0] - top
    for line in lines:
        draw_line(draw, (TITLE_MARGIN, y), line, face, fill)
        y += leading


def draw_card(title: str, site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    card = card_background(site_name, subtitle, mark, font).copy()
    draw_title(card, title, font, top=0, fill=mark.colour("ink"))
    return card


@functools.lru_cache(maxsize=8)
def quantized_background(site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    background = card_background(site_name, subtitle, mark, font)
    palette = card_palette(site_name, subtitle, mark, font)
    return background.quantize(palette=palette, dither=Image.Dither.NONE)


@functools.lru_cache(maxsize=8)
def ink_entries(site_name: str, subtitle: str, mark: Mark, font: str) -> list[int]:
    """The palette entry of each of the 256 levels of a text mask: the paper
    under the title blended toward the ink as ``draw.bitmap`` blends, then
    quantized like the whole card (each pixel's colour picks its palette entry
    by itself, so 256 sample pixels stand for every pixel of the title)."""
    box = (0, TITLE_ROWS[0], CARD_SIZE[0], TITLE_ROWS[1])
    under = card_background(site_name, subtitle, mark, font).crop(box)
    if under.getcolors(1) != [
        (under.width * under.height, ImageColor.getrgb(mark.colour("paper")))
    ]:
        raise ValueError("The title's rows of the card must be plain paper: move what is there.")
    levels = Image.new("L", (256, 1))
    levels.putdata(range(256))
    strip = Image.new("RGB", (256, 1), mark.colour("paper"))
    ImageDraw.Draw(strip).bitmap((0, 0), levels, fill=mark.colour("ink"))
    palette = card_palette(site_name, subtitle, mark, font)
    return list(strip.quantize(palette=palette, dither=Image.Dither.NONE).tobytes())


def title_rows(title: str, site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    """Rows ``TITLE_ROWS`` of the card with its title, in the card's palette:
    the title is drawn as a mask (one byte a pixel, not three) and each level
    of the mask looked up in ``ink_entries``."""
    mask = Image.new("L", (CARD_SIZE[0], TITLE_ROWS[1] - TITLE_ROWS[0]))
    draw_title(mask, title, font, fill=255)
    entries = mask.point(ink_entries(site_name, subtitle, mark, font))
    rows = Image.frombytes("P", mask.size, entries.tobytes())
    rows.putpalette(card_palette(site_name, subtitle, mark, font).getpalette())
    return rows


def paletted_card(title: str, site_name: str, subtitle: str, mark: Mark, font: str) -> Image.Image:
    """``draw_card(...).quantize(palette=card_palette(...), dither=NONE)``: the
    same pixels, but only the title's rows are drawn on and quantized."""
    card = quantized_background(site_name, subtitle, mark, font).copy()
    card.paste(title_rows(title, site_name, subtitle, mark, font), (0, TITLE_ROWS[0]))
    return card


def card_key(title: str, site_name: str, subtitle: str, mark_path: str, font: str, colours: str):
    """The cache key of a card: a digest of everything that shapes its pixels."""
    mark = read_mark(Path(mark_path), read_colours(Path(colours)))
    fingerprint = {
        "v": CARD_VERSION,
        "title": title,
        "site": site_name,
        "subtitle": subtitle,
        "mark": mark_fields(mark),
        "font": file_digest(font),
    }
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=8)
def mark_fields(mark: Mark) -> dict:
    fields = asdict(mark)
    del fields["source"]
    return fields


def draw_card_file(
    path: Path, title: str, site_name: str, subtitle: str, mark_path: str, font: str, colours: str
) -> Path:
    """Draw the card into ``path`` (whole or not at all); a process pool's job."""
    mark = read_mark(Path(mark_path), read_colours(Path(colours)))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # With the shared palette (no dithering: flat colours stay flat) the PNG is
    # half the size of an RGB one and several times faster to encode.
    card = paletted_card(title, site_name, subtitle, mark, font)
    handle, temp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    with os.fdopen(handle, "wb") as file:
        card.save(file, "PNG", compress_level=PNG_LEVEL)
    os.chmod(temp, 0o644)  # mkstemp made it private; the output may hard-link it
    os.replace(temp, path)
    return path


PNG_LEVEL = 3


def write_favicons(mark: Mark, output: Path, svg: Path | None = None) -> None:
    """favicon.ico (16, 32, 48 px) and apple-touch-icon.png (180 px) in
    ``output``, and the mark's SVG with its colours into ``svg``."""
    output = Path(output)
    if svg is not None:
        Path(svg).write_text(mark.svg(), encoding="utf-8")
    draw_mark(mark, 256).save(output / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = Image.new("RGB", (180, 180), mark.colour("paper"))
    logo = draw_mark(mark, 144)
    touch.paste(logo, (18, 18), logo)
    touch.save(output / "apple-touch-icon.png", optimize=True)
