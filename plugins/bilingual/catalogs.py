"""Gettext catalogues of the theme, one per language, read from Babel .po files."""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

logger = logging.getLogger(__name__)


def po_path(directory: str | Path, lang: str) -> Path:
    return Path(directory) / lang / "LC_MESSAGES" / "messages.po"


def load_catalog(directory: str | Path, lang: str) -> Translations:
    """Compile ``<directory>/<lang>/LC_MESSAGES/messages.po`` in memory.

    Reading the .po file itself means a build never uses a stale .mo file.
    """
    path = po_path(directory, lang)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no message catalogue for language {lang!r}. "
            f"Create it with: invoke translations-init --lang {lang}"
        )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    logger.debug("Loaded %s messages for %s from %s", len(catalog), lang, path)
    return Translations(buffer, domain="messages")
