"""LIX, the readability index, for the body text of a Markdown file.

Pure functions, no Pelican: ``analyse(markdown)`` takes the whole file (header
lines and all) and returns a ``Report``: LIX, the counts behind it, and every
sentence with its line in the file.

LIX = words / sentences + 100 × long words / words (Björnsson), where a long
word has more than six letters. Under 30 is very easy text, 30–40 easy
(children's books, popular fiction), 40–50 medium (newspapers), 50–60 hard
(official documents), over 60 very hard (academic prose).

What counts, and why:

* Body text only: the header (``Title:``, ``Summary:`` …) is left out, and so
  are the ``Themes:``/``Link:`` lines under a timeline milestone's heading.
* A heading, a list item and a table cell each end a sentence, even without a
  full stop: a reader takes them in one at a time.
* Quotes are other people's words, which we do not rewrite: block quotes
  (``> …``) are left out altogether, and words inside quotation marks
  (« », “ ”, " ") do not count towards a sentence's length when long
  sentences are flagged. Terminal punctuation inside quotation marks does not
  end the sentence around them (``«Se meg! – En helhetlig …»``).
* A full stop after a known abbreviation (``f.eks.``, ``St.``, ``e.g.``) or
  inside a number or date (``26.11.2011``, ``kl. 11``) ends no sentence, nor
  does a colon after a single word (``2011: Stiftet``, ``Telefon: …``).
* Numbers are words, but never long ones (digits are not letters). Link
  targets, images, HTML tags and code blocks are not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LONG_WORD_LETTERS = 6  # a long word has more letters than this

# Abbreviations whose full stop ends no sentence (compared without the dots,
# case-insensitively): Norwegian and English.
ABBREVIATIONS = frozenset(
    {
        # Norwegian
        "bl.a",
        "ca",
        "dvs",
        "evt",
        "f.eks",
        "fr.o.m",
        "jf",
        "kap",
        "kl",
        "m.a.o",
        "m.fl",
        "m.m",
        "mht",
        "mv",
        "nr",
        "o.a",
        "o.l",
        "osv",
        "pga",
        "sml",
        "st",
        "t.o.m",
        "tlf",
        "vha",
        # English
        "dr",
        "e.g",
        "etc",
        "i.e",
        "mr",
        "mrs",
        "ms",
        "no",
        "vs",
    }
)

FIELD = re.compile(r"^[A-Za-z][\w-]*\s*:")
MILESTONE_FIELD = re.compile(r"^[A-Z][\w-]*:\s*\S")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
QUOTE = re.compile(r"^ {0,3}>")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")

IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>]*>")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
CODE = re.compile(r"`+([^`]*)`+")
EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1")
ENTITY = re.compile(r"&(?:nbsp|#160);")

# A word: letters or digits, joined by hyphens, apostrophes or (in numbers and
# dates) full stops, colons and commas.
WORD = re.compile(r"[^\W_]+(?:(?:['’-]|(?<=\d)[.:,](?=\d))[^\W_]+)*")

OPENING = {"«": "»", "“": "”", "„": "“"}
TOGGLES = {'"', "”"}  # the same mark opens and closes
QUOTATION_MARKS = frozenset(OPENING) | frozenset(OPENING.values()) | TOGGLES
TERMINAL = ".!?:…"
TERMINAL_MARK = re.compile("[" + re.escape(TERMINAL) + "]")
# The word (letters, with inner full stops) that ends where a full stop stands
WORD_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)$")
WORD_WINDOW = 64


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or table cell, as plain text."""

    line: int  # the 1-based line of the file it starts on
    kind: str  # "heading", "paragraph", "item", "cell"
    text: str  # lines joined by "\n"


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    words: int  # all words
    long_words: int
    quoted_words: int  # words inside quotation marks

    @property
    def own_words(self) -> int:
        """The words outside quotation marks: what a long sentence is judged by."""
        return self.words - self.quoted_words


@dataclass
class Report:
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    @property
    def long_words(self) -> int:
        return sum(s.long_words for s in self.sentences)

    @property
    def lix(self) -> float:
        """0 for a text without words."""
        return lix(self.words, len(self.sentences), self.long_words)

    def longest(self, count: int = 3) -> list[Sentence]:
        """The ``count`` longest sentences (by their own words), longest first."""
        ranked = sorted(self.sentences, key=lambda s: (-s.own_words, s.line))
        return ranked[:count]

    def over(self, limit: int) -> list[Sentence]:
        """The sentences with more than ``limit`` words outside quotation marks."""
        return [s for s in self.sentences if s.own_words > limit]


def lix(words: int, sentences: int, long_words: int) -> float:
    if not words or not sentences:
        return 0.0
    return words / sentences + 100 * long_words / words


def is_long(word: str) -> bool:
    return len(word) > LONG_WORD_LETTERS and sum(map(str.isalpha, word)) > LONG_WORD_LETTERS


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def plain(text: str) -> str:
    """Markdown inline markup to the text a reader sees."""
    text = IMAGE.sub("", text)
    text = LINK.sub(r"\1", text)
    text = REF_LINK.sub(r"\1", text)
    text = AUTOLINK.sub("", text)
    text = TAG.sub("", text)
    text = CODE.sub(r"\1", text)
    text = EMPHASIS.sub(r"\2", text)
    text = ENTITY.sub(" ", text)
    return text.replace("\\", "")


def body_start(lines: list[str]) -> int:
    """The index of the first line after the header of ``Name: value`` lines."""
    if not lines or not FIELD.match(lines[0]):
        return 0
    for index, line in enumerate(lines):
        if not line.strip():
            return index + 1
        if not FIELD.match(line) and not line[:1].isspace():
            return index
    return len(lines)


def blocks(markdown: str) -> list[Block]:
    """The prose of a Markdown file: headings, paragraphs, list items and table
    cells, without the header, block quotes, code blocks and timeline fields."""
    lines = markdown.splitlines()
    found: list[Block] = []
    current: list[str] = []
    kind, start = "paragraph", 0
    in_fence = in_quote = after_heading = False

    def flush() -> None:
        nonlocal current
        text = plain("\n".join(current)).strip()
        if text:
            found.append(Block(start + 1, kind, text))
        current = []

    for index in range(body_start(lines), len(lines)):
        line = lines[index]
        if FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            flush()
            in_quote = after_heading = False
            continue
        if after_heading and MILESTONE_FIELD.match(line):
            continue  # Themes:, Link: … under a milestone's heading
        after_heading = False
        if in_quote or QUOTE.match(line):
            flush()
            in_quote = True  # left out, with its lazy continuation lines
            continue
        heading = HEADING.match(line)
        if heading or (current and kind == "paragraph" and SETEXT.match(line)):
            if heading:
                flush()
                start, current = index, [heading[2]]
            kind = "heading"
            flush()
            kind, after_heading = "paragraph", True
            continue
        if RULE.match(line) or TABLE_RULE.match(line):
            flush()
            continue
        item = ITEM.match(line)
        if item:
            flush()
            start, kind, current = index, "item", [item[1]]
            continue
        if line.lstrip().startswith("|"):
            flush()
            for cell in line.strip().strip("|").split("|"):
                start, kind, current = index, "cell", [cell]
                flush()
            kind = "paragraph"
            continue
        if not current:
            start, kind = index, "paragraph"
        current.append(line.strip())
    flush()
    return found


def _quote_mask(text: str) -> list[bool]:
    """For each character: is it inside quotation marks?"""
    if not QUOTATION_MARKS.intersection(text):
        return [False] * len(text)
    mask = []
    closing: list[str] = []
    for ch in text:
        if closing and ch == closing[-1]:
            mask.append(True)
            closing.pop()
            continue
        if ch in OPENING:
            closing.append(OPENING[ch])
            mask.append(True)
            continue
        if ch in TOGGLES:
            closing.append(ch)
            mask.append(True)
            continue
        mask.append(bool(closing))
    return mask


def _ends_sentence(text: str, index: int, mask: list[bool]) -> int | None:
    """If the terminal mark at ``index`` ends a sentence, the index just after
    it (and any closing quotation marks and brackets), else None."""
    ch = text[index]
    end = index + 1
    while end < len(text) and text[end] in TERMINAL:
        end += 1
    closes = end
    while closes < len(text) and text[closes] in "»”\"')]":
        closes += 1
    if mask[index] and closes == end:
        return None  # inside a quotation that goes on
    rest = text[closes:]
    if not rest.strip():
        return closes
    if not rest[0].isspace():
        return None  # 26.11.2011, 10:30, www.kbtmidt.no, f.eks.
    nxt = rest.lstrip()[0]
    if ch == ":":
        return closes
    if ch == ".":
        if _abbreviation_before(text, index):
            return None
        if text[index - 1 : index].isdigit() and nxt.islower():
            return None  # an ordinal: "26. november"
    if nxt.islower():
        return None
    return closes


def _abbreviation_before(text: str, index: int) -> bool:
    """Whether the word before ``text[index]`` (with its inner full stops:
    ``f.eks``) is a known abbreviation. Only the last ``WORD_WINDOW``
    characters are searched: a word that reaches back to the window's start
    is far longer than any abbreviation, cut there or not."""
    before = WORD_BEFORE.search(text, max(0, index - WORD_WINDOW), index)
    return bool(before) and before[1].lower() in ABBREVIATIONS


def sentences_of(block: Block) -> list[Sentence]:
    """The sentences of one block; the block's end ends the last one."""
    text = block.text
    mask = _quote_mask(text)
    found = []
    start = 0
    index = 0
    # From one terminal mark to the next (a regular expression finds it faster
    # than a loop over every character)
    while (mark := TERMINAL_MARK.search(text, index)) is not None:
        index = mark.start()
        label = text[index] == ":" and len(WORD.findall(text[start:index])) < 2
        if not label:
            end = _ends_sentence(text, index, mask)
            if end is not None:
                found.append((start, end))
                start = index = end
                continue
        index += 1
    if text[start:].strip():
        found.append((start, len(text)))
    result = []
    for begin, end in found:
        chunk = text[begin:end]
        lead = len(chunk) - len(chunk.lstrip())
        words = list(WORD.finditer(chunk))
        if not words:
            continue
        quoted = sum(1 for w in words if mask[begin + w.start()])
        result.append(
            Sentence(
                text=" ".join(chunk.split()),
                line=block.line + text[: begin + lead].count("\n"),
                words=len(words),
                long_words=sum(1 for w in words if is_long(w[0])),
                quoted_words=quoted,
            )
        )
    return result


def analyse(markdown: str) -> Report:
    """LIX and the sentences of a Markdown file's body text."""
    return Report([s for block in blocks(markdown) for s in sentences_of(block)])
