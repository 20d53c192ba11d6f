"""Links by Key: ``[Contact us]({key}contact)`` leads to the page with
``Key: contact`` in the linking file's own language, from any folder (a page
or a news item), and keeps working when that page's file is renamed.

Pelican resolves ``{filename}`` links (and only its own markers) against
``context["generated_content"]``, relative to the linking file's folder. So:

* ``KeyLinks`` (in ``MARKDOWN``, pelicanconf.py) writes a link's or image's
  ``{key}contact`` as ``{filename}@contact``, the same for every file (what the
  content cache keeps does not depend on where the page lies);
* the bilingual plugin adds ``<folder>/@contact`` to ``generated_content`` for
  each content folder of a language and each Key of that language
  (``key_entry``), before any page is rendered, and stops the build at an
  unknown Key with the file, the line and the closest Key.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

MARKER = "{key}"
# `{key}contact`, `{key}contact#address` in the Markdown source
SOURCE_LINK = re.compile(r"\{key\}(?P<key>[^\s)\"'>#?]*)")


def key_entry(folder: str, key: str) -> str:
    """The path under which ``generated_content`` holds the page with ``key``
    for links from files in ``folder`` (relative to PATH, with /)."""
    return f"{folder}/@{key}" if folder else f"@{key}"


class KeyLinksProcessor(Treeprocessor):
    def run(self, root) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and value.startswith(MARKER):
                    element.set(attribute, "{filename}@" + value[len(MARKER) :])


class KeyLinks(Extension):
    """Writes ``{key}name`` links as ``{filename}@name`` for Pelican to resolve."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(KeyLinksProcessor(md), "kbt_key_links", 1)


def makeExtension(**kwargs) -> KeyLinks:  # noqa: N802 - Python-Markdown's name
    return KeyLinks(**kwargs)
