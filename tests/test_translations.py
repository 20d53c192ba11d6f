"""Every message of the theme has its translation in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tools.translations import theme_messages, untranslated_messages

THEME = Path(__file__).resolve().parent.parent / "theme"
LANGUAGES = ["nb", "en"]


def test_templates_have_messages():
    assert "Skip to main content" in theme_messages(THEME)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    missing = untranslated_messages(THEME, lang)
    assert not missing, (
        f"theme/translations/{lang}/LC_MESSAGES/messages.po lacks translations for: "
        f"{missing}. Run `invoke translations-update`, then fill in msgstr."
    )


def test_a_missing_translation_is_found(tmp_path):
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(THEME / "templates", theme / "templates")
    shutil.copytree(THEME / "translations", theme / "translations")
    extra = theme / "templates" / "extra.html"
    extra.write_text('{{ _("A brand new message") }}', encoding="utf-8")
    assert untranslated_messages(theme, "nb") == ["A brand new message"]


def test_norwegian_differs_from_english():
    with (THEME / "translations/nb/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="nb")
    assert catalog.get("Skip to main content").string == "Hopp til hovedinnholdet"
