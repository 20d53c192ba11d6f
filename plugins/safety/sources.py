"""Checks of a content file's source: its bytes, name, header and links.

Pure functions: each takes the path (for the message) and what to check, and
raises ``ContentError`` (file, line, what is wrong, how to fix it).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from sitelib.errors import ContentError, display_path
from sitelib.source import header_lines

# Characters no web page or feed may carry: C0 controls but tab, line feed and
# carriage return (a form feed is no XML), DEL, C1 controls and noncharacters.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)
# A content file's name becomes its address: letters (æ, ø, å too), digits,
# hyphens, underscores and spaces (which become hyphens).
FILE_STEM = re.compile(r"^\w[\w -]*$")
# A Slug: as it stands in the address
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# One segment of a Url: or Save_as: value
SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
FIELD_LINE = re.compile(r"^(?P<indent>\s+)(?P<name>[A-Za-z][\w-]*)\s*:")
# Where Pelican replaces them: a link's or image's address (Markdown or HTML),
# not a mention in `code`
LINK = re.compile(r"(?<=[(<=\"'\s])\{(?P<what>static|attach|filename)\}(?P<target>[^\s)\"'>]*)")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)>\"]*?)>?\s*(?:\"[^\"]*\")?\s*\)")
IMAGE_BEFORE = re.compile(r"(?:!\[[^\]]*\]\(\s*<?|\bsrc\s*=\s*[\"']?)$")


def decode(path: str, data: bytes) -> str:
    """The text of a content file, which must be UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ContentError(
            path,
            line,
            f"the file is not saved as UTF-8 (byte 0x{data[error.start]:02x} in column "
            f"{column} cannot be read; Latin-1 or Windows-1252 writes æ, ø and å so).",
            "save the file as UTF-8: in your editor choose Save as / Encoding: UTF-8, "
            "then check that æ, ø and å still look right.",
        ) from None


def check_characters(path: str, text: str) -> None:
    """No control characters: they make a page invalid and a feed unreadable."""
    # split at line feeds only: splitlines() would take \x0c, \x1c-\x1e and \x85 for ends
    for number, line in enumerate(text.split("\n"), start=1):
        match = FORBIDDEN.search(line)
        if match:
            char = match.group(0)
            name = unicodedata.name(char, "a control character")
            raise ContentError(
                path,
                number,
                f"an invisible control character (U+{ord(char):04X}, {name.lower()}) "
                f"in column {match.start() + 1}; no web page or feed may contain it.",
                "delete it: retype the characters around that column (such characters "
                "often come with text pasted from another program).",
            )


def check_file_name(path: str) -> None:
    """The file's name can be part of an address (its slug)."""
    stem = Path(path).stem
    if FILE_STEM.match(stem):
        return
    bad = sorted({c for c in stem if not re.match(r"[\w -]", c)})
    shown = " ".join(f"`{c}`" for c in bad)
    suggestion = re.sub(r"[^\w -]+", "-", stem).strip("- ") or "new-page"
    raise ContentError(
        path,
        None,
        f"the file name {Path(path).name!r} has {shown}, which cannot stand in a web "
        "address (the file name becomes the page's address).",
        f"rename the file with letters, digits and hyphens only, for example "
        f"{suggestion}{Path(path).suffix}.",
    )


def check_header(path: str, text: str) -> None:
    """Each field once; no indented line that looks like a field."""
    fields, end = header_lines(text)
    first: dict[str, int] = {}
    for line, name in fields:
        key = name.lower()
        if key in first:
            raise ContentError(
                path,
                line,
                f"the field `{name}:` appears twice (lines {first[key]} and {line}).",
                f"keep one `{name.capitalize()}:` line and delete the other.",
            )
        first[key] = line
    lines = text.splitlines()
    for index in range(min(end, len(lines))):
        match = FIELD_LINE.match(lines[index])
        if match:
            raise ContentError(
                path,
                index + 1,
                f"the line `{lines[index].strip()}` is indented, so Markdown reads it as "
                "part of the field above it, not as a field of its own.",
                "remove the spaces at the start of the line (and check the field's name); "
                "if it belongs to the text, leave a blank line after the header first.",
            )


def inside(path: str, root: str) -> bool:
    """Whether ``path``, links followed, lies in the folder ``root``."""
    real, root_real = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, root_real]) == root_real


def check_symlink(path: str, root: str) -> None:
    """A symbolic link in the content folder stays inside it."""
    if os.path.islink(path) and not inside(path, root):
        raise ContentError(
            path,
            None,
            f"is a symbolic link to {os.path.realpath(path)}, outside the content folder "
            f"({display_path(root)}); what it leads to would be published.",
            "copy what you need into the content folder and remove the link.",
        )


def check_links(path: str, text: str, root: str, images_dir: str) -> None:
    """``{static}``, ``{attach}`` and ``{filename}`` links lead to a file inside
    the content folder; an image of ``images_dir`` is linked only as an image
    (the images plugin publishes copies without metadata, never the original)."""
    root_real = os.path.realpath(root)
    images_real = os.path.join(root_real, images_dir)
    body_start = sum(len(line) + 1 for line in text.splitlines()[: header_lines(text)[1]])
    for match in LINK.finditer(text, body_start):
        what, target = match["what"], match["target"]
        line = text.count("\n", 0, match.start()) + 1
        name = unquote(target.split("#")[0].split("?")[0])
        if not name:
            continue
        if name.startswith("/"):
            candidate = os.path.join(root, name.lstrip("/"))
        else:
            candidate = os.path.join(os.path.dirname(path), name)
        real = os.path.realpath(candidate)
        link = f"{{{what}}}{target}"
        if os.path.commonpath([real, root_real]) != root_real:  # inside(candidate, root)
            raise ContentError(
                path,
                line,
                f"the link {link} leads outside the content folder "
                f"({display_path(root)}); nothing outside it is published.",
                "put the file into the content folder and link to it from there, "
                "for example ![alt text](images/photo.jpg) for an image in content/images/.",
            )
        if not os.path.exists(real):
            raise ContentError(
                path,
                line,
                f"the link {link} leads to no file (looked for {display_path(candidate)}).",
                "check the file name and folder: a page in the same folder is "
                "{filename}other-page.md, a page in the other language "
                "{filename}../en/page.md.",
            )
        used_as_image = IMAGE_BEFORE.search(text, 0, match.start()) is not None
        if what != "filename" and real.startswith(images_real + os.sep) and not used_as_image:
            raise ContentError(
                path,
                line,
                f"the link {link} would publish the original image file, with its "
                "metadata (camera, GPS position).",
                "show it as an image instead, ![alt text](images/"
                f"{os.path.relpath(real, images_real)}): the site publishes resized "
                "copies without metadata. A file to download goes elsewhere than "
                "content/images/, with its metadata removed.",
            )
    for match in IMAGE.finditer(text):
        src = match["src"].strip()
        if src and re.search(r"[\s\"'<>%#?]", unquote(LINK.sub("", src))):
            raise ContentError(
                path,
                text.count("\n", 0, match.start()) + 1,
                f"the image name {src!r} has a space or a character that cannot stand "
                "in a web address.",
                "rename the image file with letters, digits and hyphens only "
                "(my-photo.jpg, not my photo.jpg) and change the link to match.",
            )


def check_address_value(path: str, line: int | None, field: str, value: str, reserved) -> None:
    """A ``Slug:``, ``Url:`` or ``Save_as:`` value that stays a plain address inside the
    site: no scheme, no ``..``, no dotfile, not a file the build writes itself."""
    value = str(value)
    problem = None
    if field == "slug":
        if not SLUG.match(value):
            problem = "may only use lowercase letters a-z, digits and hyphens"
    elif value == "" and field == "url":
        return  # the home page of the default language
    else:
        segments = value.rstrip("/").split("/")
        if value.startswith("/") or "://" in value or value.startswith("//"):
            problem = "must be a path inside the site, without a leading / or an address"
        elif any(s in ("", ".", "..") for s in segments):
            problem = "may not contain `..`, `.` or an empty part"
        elif any(s.startswith(".") for s in segments):
            problem = "may not name a hidden file (one starting with a dot)"
        elif not all(SEGMENT.match(s) for s in segments):
            problem = "may only use letters a-z, digits, hyphens, dots and slashes"
        elif field == "save_as" and not value.endswith(".html"):
            problem = "must name an .html file (a page is HTML)"
        elif any(value.lower().startswith(prefix.lower()) for prefix in reserved):
            problem = "names a place where the build writes files of its own"
    if problem:
        raise ContentError(
            path,
            line,
            f"`{field.capitalize()}: {value}` {problem}.",
            f"remove the `{field.capitalize()}:` line (the address then comes from the "
            "file name), or write a plain one such as "
            + ("`Slug: about-us`." if field == "slug" else "`Save_as: about-us/index.html`."),
        )
