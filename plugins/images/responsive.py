"""Responsive variants of one content image, encoded once and cached by hash.

``open_checked`` opens an image and refuses what must not reach the encoder
(not an image, corrupt, a decompression bomb, too many megapixels);
``variants`` returns the resized, metadata-free copies, from the cache when
the same source bytes were encoded with the same settings before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError, features

# Bump when the encoding changes, so that old cache entries are not reused.
ENCODER_VERSION = 2

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SUFFIX = {"avif": ".avif", "webp": ".webp", "jpeg": ".jpg", "png": ".png"}


class ImageProblem(Exception):
    """The image cannot be used; the message says why, for a content editor."""


@dataclass(frozen=True)
class Options:
    widths: tuple[int, ...] = (480, 960, 1440)
    quality: int = 80
    avif: bool = True
    # libavif's speed (0 slowest … 10): 8 encodes about 3× faster than the
    # default 6 for files about 4 % larger
    avif_speed: int = 8
    max_megapixels: float = 40.0
    bomb_pixels: int = 89_478_485  # Pillow's own default for MAX_IMAGE_PIXELS

    def formats(self, has_alpha: bool) -> list[str]:
        modern = ["avif"] if self.avif and avif_supported() else []
        return [*modern, "webp", "png" if has_alpha else "jpeg"]

    def fingerprint(self) -> dict:
        return {
            "v": ENCODER_VERSION,
            "widths": list(self.widths),
            "quality": self.quality,
            "avif": self.avif and avif_supported(),
            "avif_speed": self.avif_speed,
            "limits": [self.max_megapixels, self.bomb_pixels],
        }


@dataclass(frozen=True)
class Variant:
    format: str
    width: int
    height: int
    file: str  # name inside the cache entry

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Result:
    key: str  # hash of source bytes and options
    folder: Path  # the cache entry holding the files
    width: int  # of the largest variant
    height: int
    variants: tuple[Variant, ...]
    encoded: bool  # False when it all came from the cache


def avif_supported() -> bool:
    return bool(features.check("avif"))


def target_widths(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The widths to make: never wider than the original."""
    return sorted({min(w, width) for w in wanted})


def open_checked(path: Path, options: Options) -> Image.Image:
    """Open and fully decode ``path``, or raise ImageProblem saying why not."""
    old_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = options.bomb_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            pixels = image.width * image.height
            if pixels > options.max_megapixels * 1_000_000:
                raise ImageProblem(
                    f"{image.width}×{image.height} pixels is {pixels / 1e6:.1f} megapixels; "
                    f"the limit is {options.max_megapixels:g} megapixels"
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            "it would unpack to more pixels than allowed (a decompression bomb?)"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem("it is not an image that Pillow can read") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(f"the file is damaged ({error})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    return image


def cache_key(source: bytes, options: Options) -> str:
    digest = hashlib.sha256(source)
    digest.update(json.dumps(options.fingerprint(), sort_keys=True).encode())
    return digest.hexdigest()


def to_8bit_grey(image: Image.Image) -> Image.Image:
    """A 16-bit (``I;16``), 32-bit integer (``I``) or float (``F``) greyscale
    image as 8-bit ``L``, its values scaled from 0–65535 (0–1.0 for ``F``)."""
    if image.mode == "F":
        return image.point(lambda v: v * 255).convert("L")
    return image.convert("I").point(lambda v: v / 257).convert("L")


def _clean(image: Image.Image) -> Image.Image:
    """Upright, in a mode the encoders take, with every bit of metadata gone."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit (I;16) and 32-bit greyscale: Pillow's convert to RGB clips every
        # value above 255 to white, so scale the range down to 8 bits first
        image = to_8bit_grey(image)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}  # no EXIF, GPS, XMP, ICC or comments in what we write
    return image


def _encode(image: Image.Image, folder: Path, stem: str, options: Options) -> list[Variant]:
    has_alpha = image.mode == "RGBA"
    made = []
    for width in target_widths(image.width, options.widths):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        resized.info = {}
        for fmt in options.formats(has_alpha):
            name = f"{stem}-{width}{SUFFIX[fmt]}"
            params: dict = {}
            if fmt in ("avif", "webp", "jpeg"):
                params["quality"] = options.quality
            if fmt == "jpeg":
                params.update(optimize=True, progressive=True)
            if fmt == "webp":
                params["method"] = 4
            if fmt == "avif":
                params["speed"] = options.avif_speed
            resized.save(folder / name, fmt.upper(), **params)
            made.append(Variant(fmt, width, height, name))
    return made


def variants(path: Path, cache_dir: Path, options: Options) -> Result:
    """The variants of ``path``: read from the cache, or encoded into it."""
    source = path.read_bytes()
    key = cache_key(source, options)
    entry = cache_dir / key[:2] / key
    manifest = entry / "manifest.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            found = tuple(Variant(**v) for v in data["variants"])
            if all((entry / v.file).is_file() for v in found):
                return Result(key, entry, data["width"], data["height"], found, False)
        except (ValueError, KeyError, TypeError):
            pass  # a broken entry: encode again
    image = _clean(open_checked(path, options))
    entry.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=entry.parent))
    try:
        made = _encode(image, staging, "image", options)
        largest = max(made, key=lambda v: v.width)
        data = {
            "width": largest.width,
            "height": largest.height,
            "variants": [v.__dict__ for v in made],
        }
        (staging / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(staging, entry)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Result(key, entry, largest.width, largest.height, tuple(made), True)
