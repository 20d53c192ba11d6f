"""Every message of the theme has its translation in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

THEME = Path(__file__).resolve().parent.parent / "theme"
LANGUAGES = ["nb", "en"]


def theme_messages() -> set[str]:
    method_map = [("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(THEME, method_map, options):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(lang: str):
    with (THEME / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_templates_have_messages():
    assert "Skip to main content" in theme_messages()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    catalog = catalogue(lang)
    missing = []
    for message_id in sorted(theme_messages()):
        message = catalog.get(message_id)
        if message is None or not message.string or message.fuzzy:
            missing.append(message_id)
    assert not missing, (
        f"theme/translations/{lang}/LC_MESSAGES/messages.po lacks translations for: "
        f"{missing}. Run `invoke translations-update`, then fill in msgstr."
    )


def test_norwegian_differs_from_english():
    catalog = catalogue("nb")
    assert catalog.get("Skip to main content").string == "Hopp til hovedinnholdet"
