"""Judge the HTML of a page's text against an allowlist, parsed as a browser parses.

Raw HTML in Markdown reaches the page as it was typed, and Markdown's own links
(``[x](javascript:…)``) and attribute lists (``{: onclick=… }``) can carry what
a browser would run. A regular expression cannot see HTML as a browser does
(``<img src=x"onerror=…>``, ``<svg><animate …>``, entities in a ``javascript:``
URL), so the HTML is parsed with selectolax's Lexbor engine, a WHATWG HTML5
parser in C: the same tree a browser builds, including elements the parser
moves into ``<head>`` and attributes it merges into ``<html>`` and ``<body>``,
fast enough to judge every page on every build (html5lib, in pure Python,
takes about a hundred times longer; nh3/Ammonia cleans but cannot say what
it removed, and this site stops and tells the editor instead of changing
their text silently).

``judge(html)`` returns the findings, in document order; an empty list means
the HTML only uses what the site allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from sitelib.i18n import Message, _

# What Markdown (with the extra, sane_lists and toc extensions), the images
# plugin and a careful editor's raw HTML produce; nothing that runs, loads or
# styles anything, sends a form or changes where links go.
ALLOWED_ELEMENTS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "a", "em", "strong", "b", "i", "s", "del", "ins", "mark", "small",
        "sub", "sup", "code", "kbd", "samp", "var", "pre", "blockquote", "q",
        "cite", "abbr", "dfn", "time", "span", "div", "wbr", "address",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "figure", "figcaption", "picture", "source", "img", "details", "summary",
    }
)  # fmt: skip
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ELEMENT_ATTRIBUTES = {
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"srcset", "sizes", "type", "media"},
    "td": {"colspan", "rowspan", "headers", "align", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
SRCSET_ATTRIBUTES = frozenset({"srcset"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# The one style Markdown writes itself: a table column's alignment
TABLE_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$", re.IGNORECASE)
# What a URL parser drops before it reads the scheme: leading and trailing C0
# controls and spaces, and every tab and newline
URL_EDGES = "".join(chr(c) for c in range(0x21))
URL_DROPPED = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
DOCUMENT = frozenset({"html", "head", "body"})
END = "kbt-end-of-text"  # an element put after the text (judge)


@dataclass(frozen=True)
class Finding:
    """One thing outside the allowlist: what it is (for the message), how to
    find its line in the Markdown source, and how to fix it."""

    what: Message  # said in the language of the file it is about
    needles: tuple[str, ...]  # regular expressions, tried in order, any case
    fix: Message


def scheme_of(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it ("javascript" for
    ``" java\\tscript:…"``), lowercase; None for a relative URL."""
    url = URL_DROPPED.sub("", url.strip(URL_EDGES))
    match = SCHEME.match(url)
    return match.group(1).lower() if match else None


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def element_finding(tag: str) -> Finding:
    shown = ", ".join(sorted(ALLOWED_ELEMENTS))
    return Finding(
        Message(_("the HTML element <{tag}>, which the site does not allow"), tag=tag),
        (rf"<\s*{re.escape(tag)}\b",),
        Message(
            _(
                "remove the <{tag}> tag and write the text in Markdown. Only these HTML "
                "elements may be used in the text: {shown}. A video, form or map on another "
                "website gets a link instead: [Watch the film](https://…)."
            ),
            tag=tag,
            shown=shown,
        ),
    )


def attribute_finding(tag: str, name: str, value: str) -> Finding:
    allowed = sorted(GLOBAL_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, set()))
    if name.startswith("on"):
        why = Message(_("an event handler, which would run a script"))
    elif name == "style":
        why = Message(_("an inline style, which the site's Content-Security-Policy blocks"))
    else:
        why = Message(_("an attribute the site does not allow"))
    return Finding(
        Message(_("the attribute `{name}=` on <{tag}> ({why})"), name=name, tag=tag, why=why),
        (rf"\b{re.escape(name)}\s*=", re.escape(value[:40]) if value else r"(?!)"),
        Message(
            _(
                "remove `{name}=…` from the <{tag}> tag. The attributes <{tag}> may have: "
                "{allowed}; the look of the page comes from the site's stylesheet."
            ),
            name=name,
            tag=tag,
            allowed=", ".join(allowed),
        ),
    )


def url_finding(tag: str, name: str, url: str, scheme: str) -> Finding:
    shown = url if len(url) <= 60 else url[:57] + "…"
    return Finding(
        Message(
            _(
                "the address `{shown}` in <{tag} {name}>, whose scheme `{scheme}:` the site "
                "does not allow"
            ),
            shown=shown,
            tag=tag,
            name=name,
            scheme=scheme,
        ),
        (re.escape(url[:40]), rf"{re.escape(scheme)}\s*:"),
        Message(
            _(
                "link only to http: and https: addresses, mailto: and tel:, or to a page of "
                "the site: [text]({key}contact), ![alt text](images/photo.jpg)."
            )
        ),
    )


def loads_from_elsewhere(url: str, siteurl: str) -> bool:
    """Whether a ``src`` or ``srcset`` URL loads from another host than the site."""
    url = URL_DROPPED.sub("", url.strip(URL_EDGES))
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True  # protocol-relative: another host
    if scheme_of(url) is None:
        return False
    return not (siteurl and (url == siteurl or url.startswith(siteurl.rstrip("/") + "/")))


def elsewhere_finding(tag: str, name: str, url: str) -> Finding:
    shown = url if len(url) <= 60 else url[:57] + "…"
    return Finding(
        Message(
            _(
                '<{tag} {name}="{shown}">, which loads from another website (the site makes '
                "no request to another host, for its readers' privacy)"
            ),
            tag=tag,
            name=name,
            shown=shown,
        ),
        (re.escape(url[:40]),),
        Message(
            _(
                "put the image into content/images/ and show it with "
                "![alt text](images/name.jpg); to point at something on another website, "
                "link to it: [text](https://…)."
            )
        ),
    )


def judge(html: str, siteurl: str = "") -> list[Finding]:
    """Everything in ``html`` outside the allowlist, in document order. ``siteurl``
    is the site's own address: only a ``src`` under it may be absolute."""
    findings: list[Finding] = []
    if html.count("<!--") > html.count("-->"):
        findings.append(
            Finding(
                Message(
                    _(
                        "an HTML comment `<!--` that never ends with `-->`, which would hide "
                        "the rest of the page"
                    )
                ),
                (r"<!--",),
                Message(_("end the comment with `-->`, or remove it.")),
            )
        )
    # On the page the text is followed by the template's markup, which would
    # finish a tag, attribute or comment the text leaves open
    # (``<img src=x onerror=alert(1)//`` at the end): an element after it must
    # come out as an element, else the text ends inside something unfinished.
    tree = LexborHTMLParser(f"{html}<{END}></{END}>")
    if tree.css_first(END) is None:
        findings.append(
            Finding(
                Message(
                    _(
                        "HTML that is not finished at the end of the text (a tag without `>`, "
                        "an attribute value without its closing quote, or an element such as "
                        "<textarea> or <title> that swallows everything after it)"
                    )
                ),
                (r"<[^>]*$", r"<"),
                Message(_("finish the tag with `>` and close its quotes, or remove it.")),
            )
        )
    for node in tree.root.traverse(include_text=False):
        tag = node.tag
        if tag in ("-comment", "_comment", "-doctype", "!doctype", END):
            continue
        attributes = node.attributes
        if tag in DOCUMENT:
            # <html>, <head> and <body> only wrap the text; an <html onload> or
            # <body onload> in it is merged into them by the parser
            for name, value in attributes.items():
                findings.append(attribute_finding(tag, name.lower(), value or ""))
            continue
        if tag not in ALLOWED_ELEMENTS:
            findings.append(element_finding(tag))
            continue
        allowed = GLOBAL_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, set())
        for name, value in attributes.items():
            name = name.lower()
            value = value or ""
            if name not in allowed or (name == "style" and not TABLE_ALIGN.match(value)):
                findings.append(attribute_finding(tag, name, value))
                continue
            if name in URL_ATTRIBUTES:
                urls = [value]
            elif name in SRCSET_ATTRIBUTES:
                urls = srcset_urls(value)
            else:
                continue
            for url in urls:
                scheme = scheme_of(url)
                if scheme is not None and scheme not in URL_SCHEMES:
                    findings.append(url_finding(tag, name, url, scheme))
                elif name != "href" and name != "cite" and loads_from_elsewhere(url, siteurl):
                    findings.append(elsewhere_finding(tag, name, url))
    return findings
