"""Checks of a content file's source: its bytes, name, header and links.

Pure functions: each takes the path (for the message) and what to check, and
raises ``ContentError`` (file, line, what is wrong, how to fix it).
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from sitelib.errors import ContentError, display_path
from sitelib.headers import english_name
from sitelib.i18n import Message, _, language_of
from sitelib.source import header_line, header_lines

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
            _(
                "the file is not saved as UTF-8 (byte 0x{byte} in column {column} cannot be "
                "read; Latin-1 or Windows-1252 writes æ, ø and å so)."
            ),
            _(
                "save the file as UTF-8: in your editor choose Save as / Encoding: UTF-8, "
                "then check that æ, ø and å still look right."
            ),
            byte=f"{data[error.start]:02x}",
            column=column,
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
                _(
                    "an invisible control character (U+{code}, {name}) in column {column}; "
                    "no web page or feed may contain it."
                ),
                _(
                    "delete it: retype the characters around that column (such characters "
                    "often come with text pasted from another program)."
                ),
                code=f"{ord(char):04X}",
                name=name.lower(),
                column=match.start() + 1,
            )


def suggested_name(stem: str) -> str:
    """A file name (without its suffix) that follows the rule for addresses: the
    slug Pelican would make of ``stem`` (æ -> ae, ø -> o, å -> a, spaces -> hyphens)."""
    slug = slugify(stem, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    return re.sub(r"[^a-z0-9_-]+", "-", slug).strip("-_") or "new-page"


def check_file_name(path: str) -> None:
    """The file's name is its address (its slug): lowercase letters a-z, digits
    and hyphens, the same rule as for ``Slug:``."""
    file = Path(path)
    if SLUG.match(file.stem):
        return
    bad = []
    for char in file.stem:
        if char.isupper():
            what = Message(_("capital letters"))
        elif char.isspace():
            what = Message(_("spaces"))
        elif char.isalpha() and not char.isascii():
            what = Message(_("letters outside a-z, such as æ, ø and å"))
        elif not (char.isascii() and (char.isalnum() or char in "-_")):
            what = Message(_("characters such as {char}"), char=f"`{char}`")
        else:
            continue
        if what not in bad:
            bad.append(what)
    if not bad:  # hyphens or underscores at the start, the end or twice in a row
        bad.append(Message(_("hyphens at the start, at the end or twice in a row")))
    raise ContentError(
        path,
        None,
        _(
            "the file name “{name}” has {what}; the file name becomes the page's web "
            "address, which may only use lowercase letters a-z, digits and hyphens."
        ),
        _("rename the file to {suggestion} (the same rule as for `Slug:`)."),
        name=file.name,
        what=bad,
        suggestion=suggested_name(file.stem) + file.suffix,
    )


def check_header(path: str, text: str) -> None:
    """Each field once; no indented line that looks like a field."""
    fields, end = header_lines(text)
    first: dict[str, int] = {}
    for line, name in fields:
        key = english_name(name)  # `Tittel:` and `Title:` are the same field
        if key in first:
            raise ContentError(
                path,
                line,
                _("the field `{name}:` appears twice (lines {first} and {line})."),
                _("keep one `{name}:` line and delete the other."),
                name=name,
                first=first[key],
                line=line,
            )
        first[key] = line
    lines = text.splitlines()
    for index in range(min(end, len(lines))):
        match = FIELD_LINE.match(lines[index])
        if match:
            raise ContentError(
                path,
                index + 1,
                _(
                    "the line `{text}` is indented, so Markdown reads it as part of the "
                    "field above it, not as a field of its own."
                ),
                _(
                    "remove the spaces at the start of the line (and check the field's "
                    "name); if it belongs to the text, leave a blank line after the header "
                    "first."
                ),
                text=lines[index].strip(),
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
            _(
                "is a symbolic link to {target}, outside the content folder ({root}); "
                "what it leads to would be published."
            ),
            _("copy what you need into the content folder and remove the link."),
            target=os.path.realpath(path),
            root=display_path(root),
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
                _(
                    "the link {link} leads outside the content folder ({root}); nothing "
                    "outside it is published."
                ),
                _(
                    "put the file into the content folder and link to it from there, for "
                    "example ![alt text](images/photo.jpg) for an image in content/images/."
                ),
                link=link,
                root=display_path(root),
            )
        if not os.path.exists(real):
            raise ContentError(
                path,
                line,
                _("the link {link} leads to no file (looked for {looked})."),
                missing_file_fix(path, name, root, what),
                link=link,
                looked=display_path(candidate),
            )
        used_as_image = IMAGE_BEFORE.search(text, 0, match.start()) is not None
        if what != "filename" and real.startswith(images_real + os.sep) and not used_as_image:
            raise ContentError(
                path,
                line,
                _(
                    "the link {link} would publish the original image file, with its "
                    "metadata (camera, GPS position)."
                ),
                _(
                    "show it as an image instead, ![alt text](images/{image}): the site "
                    "publishes resized copies without metadata. A file to download goes "
                    "elsewhere than content/images/, with its metadata removed."
                ),
                link=link,
                image=os.path.relpath(real, images_real),
            )
    for match in IMAGE.finditer(text):
        src = match["src"].strip()
        if src and re.search(r"[\s\"'<>%#?]", unquote(LINK.sub("", src))):
            raise ContentError(
                path,
                text.count("\n", 0, match.start()) + 1,
                _(
                    "the image name “{src}” has a space or a character that cannot stand "
                    "in a web address."
                ),
                _(
                    "rename the image file with letters, digits and hyphens only "
                    "(my-photo.jpg, not my photo.jpg) and change the link to match."
                ),
                src=src,
            )


def missing_file_fix(path: str, name: str, root: str, what: str) -> Message:
    """How to mend a link to a file that does not exist: the content file with the
    closest name (in the linking file's folder, else its language's), written as a
    link from ``path``; for a page, its link by Key too."""
    here = os.path.dirname(os.path.abspath(path))
    wanted = os.path.basename(name)
    suffix = os.path.splitext(wanted)[1].lower() or ".md"
    candidates = [
        os.path.join(folder, file)
        for folder, _dirs, files in os.walk(os.path.abspath(root))
        for file in files
        if os.path.splitext(file)[1].lower() == suffix
    ]
    close = difflib.get_close_matches(
        wanted, sorted({os.path.basename(c) for c in candidates}), n=1, cutoff=0.6
    )
    if not close:
        return Message(
            _(
                "check the file name and folder: a page in the same folder is "
                "{filename}other-page.md, a page in the other language {filename}../en/page.md. "
                "A link by Key, [text]({key}contact), finds the page from any folder."
            )
        )
    lang = language_of(path)
    best = min(
        (c for c in candidates if os.path.basename(c) == close[0]),
        key=lambda c: (os.path.dirname(c) != here, language_of(c) != lang, c),
    )
    relative = os.path.relpath(best, here).replace(os.sep, "/")
    link = f"{{{what}}}{relative}"
    key = None
    if what == "filename" and suffix == ".md":
        with open(best, encoding="utf-8-sig", errors="replace") as handle:
            lines = handle.read().splitlines()
        line = header_line(lines, "key")
        key = lines[line - 1].partition(":")[2].strip() if line else None
    if key:
        return Message(
            _("did you mean `{link}`? Or link by the page's Key, from any folder: `{key_link}`."),
            link=link,
            key_link="{key}" + key,
        )
    return Message(_("did you mean `{link}`?"), link=link)


def check_address_value(path: str, line: int | None, field: str, value: str, reserved) -> None:
    """A ``Slug:``, ``Url:`` or ``Save_as:`` value that stays a plain address inside the
    site: no scheme, no ``..``, no dotfile, not a file the build writes itself."""
    value = str(value)
    problem = None
    if field == "slug":
        if not SLUG.match(value):
            problem = _("may only use lowercase letters a-z, digits and hyphens")
    elif value == "" and field == "url":
        return  # the home page of the default language
    else:
        segments = value.rstrip("/").split("/")
        if value.startswith("/") or "://" in value or value.startswith("//"):
            problem = _("must be a path inside the site, without a leading / or an address")
        elif any(s in ("", ".", "..") for s in segments):
            problem = _("may not contain `..`, `.` or an empty part")
        elif any(s.startswith(".") for s in segments):
            problem = _("may not name a hidden file (one starting with a dot)")
        elif not all(SEGMENT.match(s) for s in segments):
            problem = _("may only use letters a-z, digits, hyphens, dots and slashes")
        elif field == "save_as" and not value.endswith(".html"):
            problem = _("must name an .html file (a page is HTML)")
        elif any(value.lower().startswith(prefix.lower()) for prefix in reserved):
            problem = _("names a place where the build writes files of its own")
    if problem:
        raise ContentError(
            path,
            line,
            _("`{field}: {value}` {problem}."),
            _(
                "remove the `{field}:` line (the address then comes from the file name), "
                "or write a plain one such as {example}."
            ),
            field=field.capitalize(),
            value=value,
            problem=Message(problem),
            example="`Slug: about-us`" if field == "slug" else "`Save_as: about-us/index.html`",
        )
